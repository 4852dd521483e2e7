package messages

import (
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// templates lists every text of a catalog with a name, for the tests
// that read them all.
func templates(c *catalog) map[string]string {
	out := map[string]string{}
	for code, e := range c.codes {
		out["code "+string(code)+" title"] = e.Title
		out["code "+string(code)+" meaning"] = e.Meaning
		out["code "+string(code)+" reply"] = e.Reply
		for i, s := range e.Steps {
			out["code "+string(code)+" step "+string(rune('0'+i))] = s
		}
	}
	for r, s := range c.inputs {
		out["input "+string(r)] = s
	}
	out["input example"] = c.inputExample
	for id, w := range c.checks {
		out["check "+string(id)+" label"] = w.Label
		for st, s := range w.Summary {
			out["check "+string(id)+" "+string(st)] = s
		}
	}
	out["skipped"], out["skipped after"], out["could not tell"] = c.skipped, c.skippedAfter, c.couldNotTell
	for k, e := range c.tips {
		out["tip "+string(k)+" title"] = e.Title
		for i, s := range e.Steps {
			out["tip "+string(k)+" step "+string(rune('0'+i))] = s
		}
	}
	for k, s := range c.workarounds {
		out["workaround "+string(k)] = s
	}
	for k, s := range c.notes {
		out["note "+string(k)] = s
	}
	for k, s := range c.verdicts {
		out["verdict "+string(k)] = s
	}
	for k, e := range c.clients {
		out["client "+string(k)+" name"] = e.Name
		out["client "+string(k)+" menu"] = e.Menu
		for i, s := range e.Sections {
			out["client "+string(k)+" section title "+string(rune('0'+i))] = s.Title
			for j, st := range s.Steps {
				out["client "+string(k)+" section "+string(rune('0'+i))+" step "+string(rune('0'+j))] = st
			}
		}
	}
	for name, s := range stringFields(c.words) {
		out["word "+name] = s
	}
	for name, s := range stringFields(c.reply) {
		out["reply "+name] = s
	}
	return out
}

// stringFields returns the string fields of a struct by name.
func stringFields(v any) map[string]string {
	out := map[string]string{}
	rv := reflect.ValueOf(v)
	for i := 0; i < rv.NumField(); i++ {
		if f := rv.Field(i); f.Kind() == reflect.String {
			out[rv.Type().Field(i).Name] = f.String()
		}
	}
	return out
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestCatalogComplete: every code, input reason, check, client, tip and
// fixed word has its wording in both languages.
func TestCatalogComplete(t *testing.T) {
	statuses := []checks.Status{checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip, checks.StatusError}
	for _, lang := range Langs {
		c := catalogs[lang]
		t.Run(string(lang), func(t *testing.T) {
			for _, code := range checks.AllCodes {
				e, ok := c.codes[code]
				switch {
				case !ok:
					t.Errorf("code %s: no wording", code)
				case e.Title == "" || e.Meaning == "":
					t.Errorf("code %s: title or meaning missing", code)
				case len(e.Steps) == 0 || slices.Contains(e.Steps, ""):
					t.Errorf("code %s: no remedy steps", code)
				case hostSide[code] && e.Reply == "":
					t.Errorf("code %s: on the host's side but no customer reply sentence", code)
				}
			}
			for code := range c.codes {
				if !slices.Contains(checks.AllCodes, code) {
					t.Errorf("code %s: worded but not in checks.AllCodes", code)
				}
			}
			for _, r := range checks.AllInputReasons {
				if c.inputs[r] == "" {
					t.Errorf("input reason %s: no wording", r)
				}
			}
			for _, id := range checks.AllIDs {
				w := c.checks[id]
				if w.Label == "" {
					t.Errorf("check %s: no label", id)
				}
				for _, st := range []checks.Status{checks.StatusPass, checks.StatusWarn, checks.StatusFail} {
					if w.Summary[st] == "" {
						t.Errorf("check %s: no %s summary", id, st)
					}
				}
			}
			for _, st := range statuses {
				if c.words.Status[st] == "" {
					t.Errorf("status %s: no word", st)
				}
			}
			for _, cl := range append([]Client{Generic}, Clients...) {
				w := c.clients[cl]
				if w.Name == "" || w.Menu == "" || len(w.Sections) == 0 || len(w.Sections[0].Steps) == 0 {
					t.Errorf("client %s: incomplete guide", cl)
				}
			}
			for _, k := range []tip{tipAuth, tipConnection, tipSending, tipSlowIMAP} {
				if e := c.tips[k]; e.Title == "" || len(e.Steps) == 0 {
					t.Errorf("tip %s: incomplete", k)
				}
			}
			for _, k := range []workaround{useSubmission, tryPort587, preferIMAP, usePOP3, port25Blocked, unknownCode} {
				if c.workarounds[k] == "" {
					t.Errorf("workaround %s: no wording", k)
				}
			}
			for _, k := range []note{noteURL, noteURLWWW, noteHost, noteExample} {
				if c.notes[k] == "" {
					t.Errorf("note %s: no wording", k)
				}
			}
			for _, k := range []verdict{verdictPass, verdictWarnOne, verdictWarnMany, verdictFailOne, verdictFailMany, verdictIncomplete, verdictHeadline} {
				if c.verdicts[k] == "" {
					t.Errorf("verdict %s: no wording", k)
				}
			}
			for name, s := range stringFields(c.words) {
				if s == "" {
					t.Errorf("word %s: empty", name)
				}
			}
			for name, s := range stringFields(c.reply) {
				if s == "" {
					t.Errorf("reply %s: empty", name)
				}
			}
		})
	}
}

// TestPlaceholdersKnown: every placeholder of every text has a default,
// so that fill never leaves "{…}" in a message, and both languages use
// the same placeholders for the same text.
func TestPlaceholdersKnown(t *testing.T) {
	all := map[Lang]map[string]string{}
	for _, lang := range Langs {
		c := catalogs[lang]
		all[lang] = templates(c)
		for name, s := range all[lang] {
			for _, p := range placeholders(s) {
				if _, ok := c.defaults[p]; !ok {
					t.Errorf("%s: %s: placeholder {%s} has no default", lang, name, p)
				}
			}
		}
	}
	for name, fr := range all[FR] {
		en, ok := all[EN][name]
		if !ok {
			t.Errorf("%s: in fr, not in en", name)
			continue
		}
		a, b := placeholders(fr), placeholders(en)
		sort.Strings(a)
		sort.Strings(b)
		if diff := cmp.Diff(slices.Compact(a), slices.Compact(b)); diff != "" {
			t.Errorf("%s: placeholders differ between fr and en (-fr +en):\n%s", name, diff)
		}
	}
	var fk, ek []string
	for k := range catalogFR.defaults {
		fk = append(fk, k)
	}
	for k := range catalogEN.defaults {
		ek = append(ek, k)
	}
	sort.Strings(fk)
	sort.Strings(ek)
	if diff := cmp.Diff(fk, ek); diff != "" {
		t.Errorf("default keys differ (-fr +en):\n%s", diff)
	}
}

func TestInputMessage(t *testing.T) {
	tests := []struct {
		input   string
		lang    Lang
		command string
		want    string
	}{
		{"foo bar", FR, "", "« foo bar » n'est pas un domaine : il contient plusieurs mots. Exemple : /mailsetup client.com ou prenom.nom@client.com"},
		{"foo bar", EN, "mailsetup check", "\"foo bar\" is not a domain: it has several words. Example: mailsetup check client.com or jane@client.com"},
		{"", FR, "", "Indiquez un domaine ou une adresse e-mail à vérifier. Exemple : /mailsetup client.com ou prenom.nom@client.com"},
		{"192.0.2.1", FR, "", "« 192.0.2.1 » est une adresse IP : indiquez le domaine de la boîte mail. Exemple : /mailsetup client.com ou prenom.nom@client.com"},
		{"client.com:993", EN, "", "\"client.com:993\" contains a port number: give only the domain, all the ports are checked. Example: /mailsetup client.com or jane@client.com"},
		{"localhost", FR, "", "« localhost » n'est pas un domaine complet : il manque l'extension (.com, .fr…). Exemple : /mailsetup client.com ou prenom.nom@client.com"},
	}
	for _, tt := range tests {
		t.Run(tt.input+"/"+string(tt.lang), func(t *testing.T) {
			_, err := checks.ParseTarget(tt.input, false)
			var ie *checks.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseTarget(%q) = %v, want an *InputError", tt.input, err)
			}
			if got := InputMessage(tt.lang, ie, tt.command); got != tt.want {
				t.Errorf("InputMessage:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	for _, lang := range Langs {
		for _, r := range checks.AllInputReasons {
			in := "x" + strings.Repeat("y", 100)
			got := InputMessage(lang, &checks.InputError{Reason: r, Input: in}, "")
			if placeholder.MatchString(got) {
				t.Errorf("%s %s: placeholder left in %q", lang, r, got)
			}
			if r != checks.InputEmpty && !strings.Contains(got, in[:63]+"…") {
				t.Errorf("%s %s: %q does not quote the (shortened) input", lang, r, got)
			}
		}
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"fr", FR, true}, {"FR", FR, true}, {"fr_FR.UTF-8", FR, true}, {"fr-CA", FR, true}, {"français", FR, true},
		{"en", EN, true}, {"en-US", EN, true}, {"English", EN, true},
		{"de", "", false}, {"", "", false}, {"f", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseLang(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseClient(t *testing.T) {
	tests := []struct {
		in   string
		want Client
		ok   bool
	}{
		{"outlook", Outlook, true}, {"Outlook", Outlook, true}, {"thunderbird", Thunderbird, true},
		{"apple", Apple, true}, {"iPhone", Apple, true}, {"mac", Apple, true},
		{"gmail", Gmail, true}, {"mobile", Mobile, true}, {"android", Mobile, true}, {"generic", Generic, true},
		{"lotus", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseClient(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseClient(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFill(t *testing.T) {
	tests := []struct {
		name, in string
		vars     map[string]string
		want     string
	}{
		{"value", "port {port}", map[string]string{"port": "465"}, "port 465"},
		{"default", "{domain} TXT", nil, "votre_domaine.com TXT"},
		{"empty value takes the default", "{days} jours", map[string]string{"days": ""}, "quelques jours"},
		{"values are not filled again", "{record}", map[string]string{"record": "v=spf1 {domain}"}, "v=spf1 {domain}"},
		{"no placeholder", "texte", nil, "texte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fill(tt.in, tt.vars, FR); got != tt.want {
				t.Errorf("fill(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
