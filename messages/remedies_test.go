package messages

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// with changes a sample report: the check's findings are replaced and
// the statuses follow.
func with(rep *checks.Report, id checks.ID, findings ...checks.Finding) *checks.Report {
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.ID == id {
			r.Status, r.Findings = checks.StatusPass, nil
			for _, f := range findings {
				r.Add(f)
			}
		}
	}
	rep.Status = checks.Overall(rep.Results)
	return rep
}

// skipped marks a check as not run.
func skipped(rep *checks.Report, id checks.ID) *checks.Report {
	for i := range rep.Results {
		if rep.Results[i].ID == id {
			rep.Results[i].Status = checks.StatusSkip
			rep.Results[i].Findings = []checks.Finding{{Code: checks.CheckSkipped, Severity: checks.SeverityInfo}}
		}
	}
	return rep
}

func fail(code checks.Code, port string) checks.Finding {
	return checks.Finding{Code: code, Severity: checks.SeverityFail, Params: map[string]string{"host": "client.com", "port": port}}
}

func codes(rs []Remedy) []checks.Code {
	var out []checks.Code
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func hasStep(rs []Remedy, step string) bool {
	for _, r := range rs {
		if slices.Contains(r.Steps, step) {
			return true
		}
	}
	return false
}

func TestRemedies(t *testing.T) {
	use587 := catalogFR.workarounds[useSubmission]
	imap := catalogFR.workarounds[preferIMAP]
	pop3 := catalogFR.workarounds[usePOP3]
	tests := []struct {
		name      string
		rep       *checks.Report
		codes     []checks.Code
		ports     [][]int
		hostSide  []bool
		steps     []string // steps some remedy must have
		stepsNot  []string // steps no remedy may have
		workround []string // the first remedy's workarounds
	}{
		{name: "good", rep: sample.Good(), codes: nil, stepsNot: []string{use587, imap}},
		{
			name:  "expired certificate on every port is one remedy",
			rep:   sample.CertExpired(),
			codes: []checks.Code{checks.TLSCertExpired}, ports: [][]int{{993, 995, 465, 587, 25}}, hostSide: []bool{true},
			// 465 fails but so does 587: no 587 advice.
			stepsNot: []string{use587, imap, pop3},
		},
		{
			name:  "465 closed, 587 works: use 587 with STARTTLS",
			rep:   sample.SMTP465Closed(),
			codes: []checks.Code{checks.TCPRefused}, ports: [][]int{{465}}, hostSide: []bool{true},
			steps: []string{use587}, workround: []string{use587},
		},
		{
			name:  "465 closed, 587 fails too: no 587 advice",
			rep:   with(sample.SMTP465Closed(), checks.SMTP587, fail(checks.TCPRefused, "587")),
			codes: []checks.Code{checks.TCPRefused}, ports: [][]int{{465, 587}}, hostSide: []bool{true},
			stepsNot: []string{use587},
		},
		{
			name:  "587 without STARTTLS, 465 works: no 587 advice",
			rep:   sample.SMTP587NoStartTLS(),
			codes: []checks.Code{checks.SMTPNoStartTLS}, ports: [][]int{{587}}, hostSide: []bool{true},
			stepsNot: []string{use587},
		},
		{
			name:  "no AUTH on 465 and 587 is one remedy",
			rep:   sample.NoAuth(),
			codes: []checks.Code{checks.SMTPNoAuth}, ports: [][]int{{465, 587}}, hostSide: []bool{true},
			stepsNot: []string{use587},
		},
		{
			name:  "POP3 closed, IMAP works: prefer IMAP",
			rep:   sample.POP3Closed(),
			codes: []checks.Code{checks.TCPRefused}, ports: [][]int{{995}}, hostSide: []bool{true},
			steps: []string{imap}, workround: []string{imap},
		},
		{
			name:  "POP3 and IMAP closed: no IMAP advice",
			rep:   with(sample.POP3Closed(), checks.IMAP993, fail(checks.TCPRefused, "993")),
			codes: []checks.Code{checks.TCPRefused}, ports: [][]int{{993, 995}},
			stepsNot: []string{imap, pop3},
		},
		{
			name:  "IMAP tarpit, POP3 works: POP3 meanwhile",
			rep:   sample.IMAPTarpit(),
			codes: []checks.Code{checks.ProtoTimeout}, ports: [][]int{{993}}, hostSide: []bool{true},
			steps: []string{pop3},
		},
		{
			name:  "no MX: the skipped port 25 gives no remedy",
			rep:   sample.NoMX(),
			codes: []checks.Code{checks.MXMissing}, ports: [][]int{nil}, hostSide: []bool{false},
			steps: []string{"Dans la zone DNS de client.com, ajoutez cet enregistrement MX :\nclient.com MX 10 client.com."},
		},
		{
			name:  "NXDOMAIN: one remedy, ten skipped checks",
			rep:   sample.NXDomain(),
			codes: []checks.Code{checks.HostNXDomain}, hostSide: []bool{false},
		},
		{
			name:  "resolver failure on six checks is one remedy",
			rep:   sample.ResolverFailure(),
			codes: []checks.Code{checks.ResolverFailed}, hostSide: []bool{false},
		},
		{
			name:  "two SPF records",
			rep:   sample.SPFMultiple(),
			codes: []checks.Code{checks.SPFMultiple},
			steps: []string{"Supprimez les autres enregistrements « v=spf1 » de client.com. Sans autre service d'envoi, celui-ci suffit :\nclient.com TXT \"v=spf1 a mx ~all\""},
		},
		{
			name:  "+all keeps the record and ends it with ~all",
			rep:   sample.SPFPlusAll(),
			codes: []checks.Code{checks.SPFPermissive},
			steps: []string{"Terminez l'enregistrement SPF par « ~all » (ou « -all » une fois tous vos services d'envoi listés), en gardant ses autres éléments :\nclient.com TXT \"v=spf1 a mx include:_spf.google.com ~all\""},
		},
		{
			name:  "no DMARC: a starting record that only asks for reports",
			rep:   sample.NoDMARC(),
			codes: []checks.Code{checks.DMARCMissing},
			steps: []string{"Dans la zone DNS de client.com, ajoutez cet enregistrement TXT, qui demande seulement des rapports (p=none) et ne change rien pour vos e-mails :\n_dmarc.client.com TXT \"v=DMARC1; p=none; rua=mailto:postmaster@client.com\""},
		},
		{
			name: "failures come before warnings",
			rep: with(with(sample.Good(), checks.DNSDMARC, checks.Finding{Code: checks.DMARCMissing, Severity: checks.SeverityWarn}),
				checks.SMTP25, fail(checks.TCPTimeout, "25")),
			codes: []checks.Code{checks.TCPTimeout, checks.DMARCMissing},
			steps: []string{catalogFR.workarounds[port25Blocked]},
		},
		{
			// No mainstream app reads SRV records: the remedy is the
			// manual setup, and the autoconfig file Thunderbird reads.
			name: "autoconfig missing: manual setup and Thunderbird's file, no SRV records",
			rep: with(sample.SMTP465Closed(), checks.DNSAutoconfig,
				checks.Finding{Code: checks.AutoconfigMissing, Severity: checks.SeverityWarn}),
			codes: []checks.Code{checks.TCPRefused, checks.AutoconfigMissing},
			steps: []string{
				"Configurez la boîte à la main avec les paramètres ci-dessous (guide, section 3.B).",
				"Pour que Thunderbird remplisse seul les paramètres, publiez un fichier autoconfig (format config-v1.1.xml de Mozilla) à l'adresse https://autoconfig.client.com/mail/config-v1.1.xml.",
			},
		},
		{
			// The SRV record names the guide's 465, dead on the server:
			// one cause, the port; no remedy for the records.
			name:  "a broken port of the guide: the port's remedy only",
			rep:   sample.SMTP465Closed(),
			codes: []checks.Code{checks.TCPRefused},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Remedies(tt.rep, FR)
			if diff := cmp.Diff(tt.codes, codes(got)); diff != "" {
				t.Fatalf("remedy codes (-want +got):\n%s", diff)
			}
			for i, want := range tt.ports {
				if diff := cmp.Diff(want, got[i].Ports); diff != "" {
					t.Errorf("remedy %d ports (-want +got):\n%s", i, diff)
				}
			}
			// The samples were made without a profile: a cause on the
			// server's side is whoever runs it's, never the host's.
			for i, want := range tt.hostSide {
				if got[i].Elsewhere != want || got[i].HostSide {
					t.Errorf("remedy %d Elsewhere, HostSide = %v, %v, want %v, false", i, got[i].Elsewhere, got[i].HostSide, want)
				}
				if want && (got[i].Reply != "" || !strings.Contains(got[i].Owner, "qui gère le serveur de")) {
					t.Errorf("remedy %d on an unknown server: reply %q, owner %q", i, got[i].Reply, got[i].Owner)
				}
			}
			for _, s := range tt.steps {
				if !hasStep(got, s) {
					t.Errorf("no remedy has the step %q; got %#v", s, got)
				}
			}
			for _, s := range tt.stepsNot {
				if hasStep(got, s) {
					t.Errorf("a remedy has the step %q", s)
				}
			}
			if tt.workround != nil {
				if diff := cmp.Diff(tt.workround, got[0].Workarounds); diff != "" {
					t.Errorf("workarounds (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestRemedyTitleNamesPorts(t *testing.T) {
	got := Remedies(sample.CertExpired(), FR)
	if want := "Certificat expiré (ports 993, 995, 465, 587 et 25)"; got[0].Title != want {
		t.Errorf("title = %q, want %q", got[0].Title, want)
	}
	got = Remedies(sample.NoAuth(), EN)
	if want := "SMTP authentication not offered (ports 465 and 587)"; got[0].Title != want {
		t.Errorf("title = %q, want %q", got[0].Title, want)
	}
	if want := "The outgoing server client.com offers no authentication on ports 465 and 587: the guide requires it (\"Authentication required: Yes\"), so sending cannot work."; got[0].Message != want {
		t.Errorf("message = %q, want %q", got[0].Message, want)
	}
}

func TestSettings(t *testing.T) {
	type row struct {
		Port        int
		Security    checks.Security
		Works, Reco bool
	}
	rows := func(list []Server) []row {
		var out []row
		for _, s := range list {
			out = append(out, row{s.Port, s.Security, s.Works, s.Recommended})
		}
		return out
	}
	tests := []struct {
		name     string
		rep      *checks.Report
		username string
		example  bool
		in, out  []row
	}{
		{"good, with an address", sample.Good(), "jane@client.com", false,
			[]row{{993, checks.SecurityTLS, true, true}, {995, checks.SecurityTLS, true, false}},
			[]row{{465, checks.SecurityTLS, true, true}, {587, checks.SecurityStartTLS, true, false}}},
		{"domain only: the guide's example username", sample.NoDMARC(), "prenom.nom@client.com", true,
			[]row{{993, checks.SecurityTLS, true, true}, {995, checks.SecurityTLS, true, false}},
			[]row{{465, checks.SecurityTLS, true, true}, {587, checks.SecurityStartTLS, true, false}}},
		{"465 closed: 587 first", sample.SMTP465Closed(), "jane@client.com", false,
			[]row{{993, checks.SecurityTLS, true, true}, {995, checks.SecurityTLS, true, false}},
			[]row{{587, checks.SecurityStartTLS, true, true}, {465, checks.SecurityTLS, false, false}}},
		{"IMAP stuck: POP3 first", sample.IMAPTarpit(), "jane@client.com", false,
			[]row{{995, checks.SecurityTLS, true, true}, {993, checks.SecurityTLS, false, false}},
			[]row{{465, checks.SecurityTLS, true, true}, {587, checks.SecurityStartTLS, true, false}}},
		{"everything down: the guide's order", sample.CertExpired(), "prenom.nom@client.com", true,
			[]row{{993, checks.SecurityTLS, false, true}, {995, checks.SecurityTLS, false, false}},
			[]row{{465, checks.SecurityTLS, false, true}, {587, checks.SecurityStartTLS, false, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := Settings(tt.rep)
			if card.Username != tt.username || card.Example != tt.example {
				t.Errorf("username = %q (example %v), want %q (%v)", card.Username, card.Example, tt.username, tt.example)
			}
			if diff := cmp.Diff(tt.in, rows(card.Incoming)); diff != "" {
				t.Errorf("incoming (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.out, rows(card.Outgoing)); diff != "" {
				t.Errorf("outgoing (-want +got):\n%s", diff)
			}
			for _, s := range slices.Concat(card.Incoming, card.Outgoing) {
				if s.Host != "client.com" || (s.Protocol == "SMTP") != s.Auth {
					t.Errorf("server %+v: wrong host or auth", s)
				}
			}
		})
	}
}

func TestTips(t *testing.T) {
	try587 := catalogEN.workarounds[tryPort587]
	tests := []struct {
		name    string
		rep     *checks.Report
		titles  int
		with587 bool
	}{
		{"good: all four tips of section 5", sample.Good(), 4, true},
		{"a warning only: tips still apply", sample.NoDMARC(), 4, true},
		{"587 works with a warning: 587 tip", with(sample.Good(), checks.SMTP587, checks.Finding{Code: checks.SMTPAuthPlaintext, Severity: checks.SeverityWarn}), 4, true},
		{"587 not checked: no 587 tip", skipped(sample.Good(), checks.SMTP587), 4, false},
		{"a failure: fix it first", sample.SMTP465Closed(), 0, false},
		{"resolver failure: nothing to advise yet", sample.ResolverFailure(), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tips(tt.rep, EN)
			if len(got) != tt.titles {
				t.Fatalf("%d tips, want %d", len(got), tt.titles)
			}
			if hasStep(got, try587) != tt.with587 {
				t.Errorf("587 tip present = %v, want %v", !tt.with587, tt.with587)
			}
		})
	}
	if got := Tips(sample.Good(), FR); !strings.Contains(got[0].Steps[0], "(jane@client.com)") {
		t.Errorf("the 5.1 tip does not name the username: %q", got[0].Steps[0])
	}
}

// TestEngineParams feeds findings with the parameters the engine
// (checks/dnscheck, mailcheck, tlscheck) actually sets.
func TestEngineParams(t *testing.T) {
	tests := []struct {
		name string
		id   checks.ID
		f    checks.Finding
		want string
	}{
		{"spf all=none", checks.DNSSPF, checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn,
			Params: map[string]string{"record": "v=spf1 a mx", "all": "none"}},
			"La règle finale de l'enregistrement SPF de client.com (absente) ne protège pas votre domaine : les serveurs destinataires ne sont pas invités à se méfier des e-mails envoyés en votre nom par d'autres serveurs."},
		{"spf all=?all", checks.DNSSPF, checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn,
			Params: map[string]string{"record": "v=spf1 a mx ?all", "all": "?all"}},
			"La règle finale de l'enregistrement SPF de client.com (« ?all ») ne protège pas votre domaine : les serveurs destinataires ne sont pas invités à se méfier des e-mails envoyés en votre nom par d'autres serveurs."},
		{"mx host", checks.DNSMX, checks.Finding{Code: checks.MXUnresolvable, Severity: checks.SeverityFail,
			Params: map[string]string{"host": "mx.gone.example"}},
			"L'enregistrement MX de client.com désigne mx.gone.example, qui n'a pas d'adresse IP : les e-mails qui vous sont envoyés ne peuvent pas être livrés."},
		{"dkim selectors", checks.DNSDKIM, checks.Finding{Code: checks.DKIMMissing, Severity: checks.SeverityWarn,
			Params: map[string]string{"selectors": "default,mail,dkim", "domain": "client.com"}},
			"Aucune clé DKIM n'a été trouvée pour client.com aux sélecteurs courants (default, mail, dkim). Les sélecteurs ne peuvent pas être listés : cela ne montre donc pas si vos e-mails sont signés, car le serveur qui les envoie peut utiliser un autre sélecteur."},
		{"tls version", checks.IMAP993, checks.Finding{Code: checks.TLSProtocolOld, Severity: checks.SeverityFail,
			Params: map[string]string{"host": "client.com", "port": "993", "version": "TLS 1.0"}},
			"La version la plus récente du protocole de sécurité proposée par client.com sur le port 993 est TLS 1.0 : les logiciels de messagerie récents exigent TLS 1.2 ou plus récent."},
		{"days", checks.SMTP465, checks.Finding{Code: checks.TLSCertExpiringSoon, Severity: checks.SeverityWarn,
			Params: map[string]string{"host": "client.com", "port": "465", "days": "6", "not_after": "2025-01-21"}},
			"Le certificat de sécurité de client.com expire dans 6 jours : sans renouvellement, les connexions sécurisées échoueront."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Remedies(with(sample.Good(), tt.id, tt.f), FR)
			if len(got) != 1 || got[0].Message != tt.want {
				t.Errorf("got %#v\nwant message %q", got, tt.want)
			}
		})
	}
}

// TestRemediesDomainMissing: when the domain does not exist, that is the
// one cause; the missing MX, SPF, DKIM, DMARC and autoconfig that follow
// from it get no remedy of their own.
func TestRemediesDomainMissing(t *testing.T) {
	rep := sample.NXDomain()
	for _, lang := range Langs {
		got := Remedies(rep, lang)
		if len(got) != 1 || got[0].Code != checks.HostNXDomain {
			var codes []checks.Code
			for _, r := range got {
				codes = append(codes, r.Code)
			}
			t.Errorf("%s: remedies %v, want only %s", lang, codes, checks.HostNXDomain)
		}
	}
	// With another mail host, the domain's own records still matter.
	other := sample.NXDomain()
	other.Target.Host = "mail.example.net"
	if got := Remedies(other, FR); len(got) < 2 {
		t.Errorf("with host %s: %d remedies, want the DNS ones too", other.Target.Host, len(got))
	}
}
