package messages

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// TestFillPlural: a count's noun follows the count, in each language's
// rule (French: 0 and 1 singular; English: 1 only), and a value that is
// not a number ("plusieurs", "more than 10") takes the plural.
func TestFillPlural(t *testing.T) {
	tests := []struct {
		lang      Lang
		text, val string
		want      string
	}{
		{FR, "{lookups} {lookups|requête DNS|requêtes DNS}", "1", "1 requête DNS"},
		{FR, "{lookups} {lookups|requête DNS|requêtes DNS}", "0", "0 requête DNS"},
		{FR, "{lookups} {lookups|requête DNS|requêtes DNS}", "12", "12 requêtes DNS"},
		{FR, "{lookups} {lookups|requête DNS|requêtes DNS}", "", "plus de 10 requêtes DNS"},
		{EN, "{lookups} DNS {lookups|lookup|lookups}", "1", "1 DNS lookup"},
		{EN, "{lookups} DNS {lookups|lookup|lookups}", "0", "0 DNS lookups"},
		{EN, "{lookups} DNS {lookups|lookup|lookups}", "12", "12 DNS lookups"},
		{EN, "{lookups} DNS {lookups|lookup|lookups}", "", "more than 10 DNS lookups"},
		{FR, "expire dans {days} {days|jour|jours}", "1", "expire dans 1 jour"},
		{FR, "expire dans {days} {days|jour|jours}", "", "expire dans quelques jours"},
		{EN, "expires in {days} {days|day|days}", "1", "expires in 1 day"},
		{EN, "expires in {days} {days|day|days}", "5", "expires in 5 days"},
		{FR, "{count} {count|requête qui ne trouve|requêtes qui ne trouvent} rien", "3", "3 requêtes qui ne trouvent rien"},
	}
	for _, tt := range tests {
		checkFill(t, tt.lang, tt.text, map[string]string{"lookups": tt.val, "days": tt.val, "count": tt.val}, tt.want)
	}
}

// checkFill fails t when fill(text, vars, lang) is not want.
func checkFill(t *testing.T, lang Lang, text string, vars map[string]string, want string) {
	t.Helper()
	if got := fill(text, vars, lang); got != want {
		t.Errorf("%s fill(%q, %v) = %q, want %q", lang, text, vars, got, want)
	}
}

// TestCatalogCounts: the sentences that print a count say "1 requête",
// "1 lookup", "1 jour", "1 day", never "1 requêtes" or "enregistrement(s)".
func TestCatalogCounts(t *testing.T) {
	one := map[string]string{"count": "1", "lookups": "1", "days": "1", "seconds": "1"}
	bad := []string{"1 requêtes", "1 lookups", "1 jours", "1 days", "1 secondes", "1 seconds", "1 records", "1 enregistrements",
		"1 serveurs", "1 servers", "1 adresses", "1 addresses", "(s)", "1 trouvées"}
	for _, lang := range Langs {
		for name, s := range templates(catalogs[lang]) {
			got := fill(s, one, lang)
			for _, b := range bad {
				if strings.Contains(got, b) {
					t.Errorf("%s %s: %q says %q", lang, name, got, b)
				}
			}
		}
	}
}

// TestElide: in French a filled-in value joins the word before it as
// the language wants; English is left as it is.
func TestElide(t *testing.T) {
	tests := []struct {
		lang       Lang
		text, host string
		want       string
	}{
		{FR, "Le certificat de {host} expire", "expiring.client.com", "Le certificat d'expiring.client.com expire"},
		{FR, "Le certificat de {host} expire", "client.com", "Le certificat de client.com expire"},
		{FR, "Le certificat de {host} expire", "Outlook", "Le certificat d'Outlook expire"},
		{FR, "le certificat de {host}", "hotmail.com", "le certificat de hotmail.com"},
		{FR, "le certificat de {host}", "yahoo.fr", "le certificat de yahoo.fr"},
		{FR, "les journaux de {host}", "l'hôte", "les journaux de l'hôte"},
		{FR, "les journaux de {host}", "le serveur indiqué", "les journaux du serveur indiqué"},
		{FR, "les journaux de {host}", "les serveurs", "les journaux des serveurs"},
		{FR, "De {host}", "le serveur", "Du serveur"},
		{FR, "répond à {host}", "les membres", "répond aux membres"},
		{FR, "répond à {host}", "le groupe", "répond au groupe"},
		{FR, "ne répond que {host}", "aux membres", "ne répond qu'aux membres"},
		{FR, "le {host}", "hôte", "l'hôte"},
		{FR, "la {host}", "adresse", "l'adresse"},
		{FR, "Dépend de « {host} »", "Adresse du serveur", "Dépend de « Adresse du serveur »"},
		{FR, "monde {host}", "entier", "monde entier"},
		{EN, "The certificate of {host}", "expiring.client.com", "The certificate of expiring.client.com"},
	}
	for _, tt := range tests {
		checkFill(t, tt.lang, tt.text, map[string]string{"host": tt.host}, tt.want)
	}
}

// TestReportElision: a host that starts with a vowel is "d'imap.client.com"
// in a French report, "of imap.client.com" in English.
func TestReportElision(t *testing.T) {
	rep := sample.CertExpired()
	rep.Target.Host = "imap.client.com"
	for i := range rep.Results {
		if ep := rep.Results[i].Facts.Endpoint; ep != nil {
			ep.Host = "imap.client.com"
		}
		for _, f := range rep.Results[i].Findings {
			if f.Params["host"] != "" {
				f.Params["host"] = "imap.client.com"
			}
		}
	}
	var fr strings.Builder
	for _, r := range Remedies(rep, FR) {
		fr.WriteString(r.Message + "\n" + strings.Join(r.Steps, "\n") + "\n")
	}
	if s := fr.String(); strings.Contains(s, "de imap.client.com") || !strings.Contains(s, "d'imap.client.com") {
		t.Errorf("French remedies do not elide before imap.client.com:\n%s", s)
	}
}

// TestSkipStatusFrench: a skipped check reads "NON VÉRIFIÉ" in French,
// like the settings card's "non vérifié", not "NON FAIT".
func TestSkipStatusFrench(t *testing.T) {
	if got := WordsFor(FR).Status[checks.StatusSkip]; got != "NON VÉRIFIÉ" {
		t.Errorf("French skip status = %q, want NON VÉRIFIÉ", got)
	}
	if got := WordsFor(EN).Status[checks.StatusSkip]; got != "SKIP" {
		t.Errorf("English skip status = %q, want SKIP", got)
	}
}

// TestExampleUsernameLanguage: the guide's "prenom.nom" example appears
// only in French; English says "firstname.lastname".
func TestExampleUsernameLanguage(t *testing.T) {
	rep := sample.Good()
	rep.Target.Address = ""
	for _, c := range append([]Client{Generic}, Clients...) {
		for _, s := range ClientGuide(Settings(rep), c, EN).Sections {
			for _, step := range s.Steps {
				if strings.Contains(step, "prenom") {
					t.Errorf("%s guide in English: %q", c, step)
				}
			}
		}
	}
	en := CustomerReply(rep, EN, Outlook)
	if strings.Contains(en, "prenom") || !strings.Contains(en, "firstname.lastname@client.com") {
		t.Errorf("English reply:\n%s", en)
	}
	if fr := CustomerReply(rep, FR, Outlook); !strings.Contains(fr, "prenom.nom@client.com") {
		t.Errorf("French reply:\n%s", fr)
	}
	if v := NewView(rep, EN); v.Settings.Username != "firstname.lastname@client.com" {
		t.Errorf("English settings card username = %q", v.Settings.Username)
	}
}

// TestRepliesPromiseNothing: the customer reply is signed by the support
// team, so no sentence in it asks the customer to tell support, and the
// host-side sentences say whose job a fix is, not that it is under way
// (the bot cannot know that).
func TestRepliesPromiseNothing(t *testing.T) {
	promises := []string{"we are ", "we will", "get back to you", "nous corrigeons", "nous le ", "nous la ",
		"nous intervenons", "revenons vers vous", "support"}
	for _, lang := range Langs {
		c := catalogs[lang]
		var texts []string
		for code, e := range c.codes {
			texts = append(texts, string(code)+": "+e.Reply)
			if e.Reply == "" {
				texts = append(texts, string(code)+": "+e.Meaning)
				texts = append(texts, e.Steps...)
			}
		}
		for k, e := range c.variants {
			texts = append(texts, string(k.code)+"/"+string(k.name)+": "+e.Reply)
		}
		for _, w := range c.workarounds {
			texts = append(texts, w)
		}
		for _, s := range texts {
			for _, p := range promises {
				if strings.Contains(strings.ToLower(s), p) {
					t.Errorf("%s: %q says %q", lang, s, p)
				}
			}
		}
	}
}

// TestAuthPlaintextTitle: the server offers AUTH before encryption; it
// does not ask for a password.
func TestAuthPlaintextTitle(t *testing.T) {
	want := map[Lang]string{FR: "Authentification proposée sans chiffrement", EN: "AUTH offered without encryption"}
	for lang, w := range want {
		if got := catalogs[lang].codes[checks.SMTPAuthPlaintext].Title; got != w {
			t.Errorf("%s title = %q, want %q", lang, got, w)
		}
	}
}

// TestCountOf: notification counts follow each language's rule.
func TestCountOf(t *testing.T) {
	for _, tt := range []struct {
		lang Lang
		n    int
		want string
	}{
		{FR, 0, "0 domaine"}, {FR, 1, "1 domaine"}, {FR, 2, "2 domaines"},
		{EN, 0, "0 domains"}, {EN, 1, "1 domain"}, {EN, 2, "2 domains"},
	} {
		one, many := "domaine", "domaines"
		if tt.lang == EN {
			one, many = "domain", "domains"
		}
		if got := countOf(tt.lang, tt.n, one, many); got != tt.want {
			t.Errorf("%s countOf(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
