package messages

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// replyClient varies the client of the customer reply across samples,
// so that every guide appears in a reply golden file.
var replyClient = map[string]Client{
	"good":    Apple,
	"expired": Generic,
	"no465":   Outlook,
	"nopop3":  Thunderbird,
	"tarpit":  Gmail,
	"noauth":  Mobile,
}

type rendering struct {
	text, color, json, reply string
}

func render(t *testing.T, rep *checks.Report, lang Lang, client Client) rendering {
	t.Helper()
	v := NewView(rep, lang)
	var text, color, js bytes.Buffer
	if err := RenderText(&text, v, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderText(&color, v, TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if err := RenderJSON(&js, v); err != nil {
		t.Fatal(err)
	}
	return rendering{text.String(), color.String(), js.String(), CustomerReply(rep, lang, client)}
}

// TestGolden renders every sample in both languages: text without
// colour, JSON and the customer reply.
func TestGolden(t *testing.T) {
	for _, s := range sample.All() {
		for _, lang := range Langs {
			t.Run(s.Name+"/"+string(lang), func(t *testing.T) {
				r := render(t, s.Report, lang, replyClient[s.Name])
				base := s.Name + "." + string(lang)
				golden.Check(t, base+".txt.golden", []byte(r.text))
				golden.Check(t, base+".json.golden", []byte(r.json))
				golden.Check(t, base+".reply.golden", []byte(r.reply))
			})
		}
	}
}

// TestGoldenGuides renders every client guide, from the settings of a
// report where only 587 sends.
func TestGoldenGuides(t *testing.T) {
	card := Settings(sample.SMTP465Closed())
	for _, lang := range Langs {
		for _, c := range append([]Client{Generic}, Clients...) {
			t.Run(string(c)+"/"+string(lang), func(t *testing.T) {
				g := ClientGuide(card, c, lang)
				var b strings.Builder
				b.WriteString(g.Title + "\n")
				for _, s := range g.Sections {
					if s.Title != "" {
						b.WriteString("\n" + s.Title + "\n")
					}
					for _, st := range s.Steps {
						b.WriteString("- " + st + "\n")
					}
				}
				if !strings.Contains(b.String(), "587") || !strings.Contains(b.String(), "jane@client.com") {
					t.Errorf("the guide does not use the working port 587 and the address:\n%s", b.String())
				}
				golden.Check(t, "guide-"+string(c)+"."+string(lang)+".golden", []byte(b.String()))
			})
		}
	}
}

// TestRenderings checks what golden files cannot say on their own, for
// every sample, language and client.
func TestRenderings(t *testing.T) {
	jargon := []string{"SNI", "EHLO", "RCODE", "NXDOMAIN", "x509", "i/o timeout", "dial tcp"}
	for _, s := range append(sample.All(), sample.Scenario{Name: "hostile", Report: sample.Hostile()}) {
		for _, lang := range Langs {
			for _, client := range append([]Client{"", Generic}, Clients...) {
				t.Run(s.Name+"/"+string(lang)+"/"+string(client), func(t *testing.T) {
					r := render(t, s.Report, lang, client)
					for name, out := range map[string]string{"text": r.text, "color": r.color, "json": r.json, "reply": r.reply} {
						if m := placeholder.FindString(out); m != "" {
							t.Errorf("%s keeps the placeholder %s", name, m)
						}
					}
					for _, j := range jargon {
						if strings.Contains(r.reply, j) {
							t.Errorf("reply uses %q, which the guide does not", j)
						}
					}
					if strings.Contains(r.text, "\x1b") {
						t.Errorf("text without colour has an escape sequence")
					}
					if !strings.Contains(r.color, "\x1b[") {
						t.Errorf("colour text has no colour")
					}
					verbatim := verbatimLines(NewView(s.Report, lang))
					for name, out := range map[string]string{"text": r.text, "color": r.color} {
						for _, l := range strings.Split(out, "\n") {
							if n := visibleLen(l); n > MaxWidth && !verbatim[visible(l)] {
								t.Errorf("%s line of %d columns: %q", name, n, l)
							}
						}
					}
				})
			}
		}
	}
}

func TestTextWidth(t *testing.T) {
	for _, width := range []int{40, 50, 66} {
		for _, s := range sample.All() {
			var b bytes.Buffer
			v := NewView(s.Report, FR)
			if err := RenderText(&b, v, TextOptions{Width: width}); err != nil {
				t.Fatal(err)
			}
			verbatim := verbatimLines(v)
			for _, l := range strings.Split(b.String(), "\n") {
				if n := visibleLen(l); n > width && !verbatim[visible(l)] {
					t.Errorf("%s at width %d: line of %d columns: %q", s.Name, width, n, l)
				}
			}
		}
	}
}

// TestTextCleansNetworkText: a banner cannot drive the terminal.
func TestTextCleansNetworkText(t *testing.T) {
	var b bytes.Buffer
	if err := RenderText(&b, NewView(sample.Hostile(), EN), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("control characters reached the terminal:\n%q", b.String())
	}
	if !strings.Contains(b.String(), `\x1b[2J`) {
		t.Errorf("the escape sequence is not shown as text:\n%s", b.String())
	}
}

// TestDecodeJSON reads back what RenderJSON wrote.
func TestDecodeJSON(t *testing.T) {
	for _, s := range sample.All() {
		v := NewView(s.Report, EN)
		var b bytes.Buffer
		if err := RenderJSON(&b, v); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeJSON(&b)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if diff := cmp.Diff(v.JSON(), *got); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", s.Name, diff)
		}
	}
	for _, bad := range []string{`{"schema_version": 2}`, `{}`, `[1]`, `not json`, ``} {
		if _, err := DecodeJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("DecodeJSON(%q) = nil error", bad)
		}
	}
}

func TestViewNotesAndVerdicts(t *testing.T) {
	tests := []struct {
		rep      *checks.Report
		lang     Lang
		headline string
		notes    []string
	}{
		{sample.Good(), FR, "client.com : tout fonctionne", nil},
		{sample.Good(), EN, "client.com: all good", nil},
		{sample.NoDMARC(), FR, "client.com : fonctionne, 1 point à améliorer",
			[]string{"Aucune adresse indiquée : le nom d'utilisateur est donné sous la forme prenom.nom@client.com."}},
		{sample.DMARCNone(), FR, "client.com : fonctionne, 1 point à améliorer", []string{
			"J'ai pris le domaine de l'adresse web, sans « www. » : client.com",
			"Aucune adresse indiquée : le nom d'utilisateur est donné sous la forme prenom.nom@client.com."}},
		{sample.CertExpired(), EN, "client.com: 1 problem to fix",
			[]string{"No address given: the username is shown as firstname.lastname@client.com."}},
		{with(sample.SMTP465Closed(), checks.DNSDMARC, checks.Finding{Code: checks.DMARCMissing, Severity: checks.SeverityWarn}), FR,
			"client.com : 2 problèmes à corriger", nil},
		{sample.ResolverFailure(), EN, "client.com: check incomplete, run it again",
			[]string{"No address given: the username is shown as firstname.lastname@client.com."}},
	}
	for _, tt := range tests {
		t.Run(tt.headline, func(t *testing.T) {
			v := NewView(tt.rep, tt.lang)
			if v.Headline != tt.headline {
				t.Errorf("headline = %q, want %q", v.Headline, tt.headline)
			}
			if diff := cmp.Diff(tt.notes, v.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
	host := sample.Good()
	host.Target.Host = "mail.client.com"
	url := sample.Good()
	url.Target.FromURL = true
	for _, tt := range []struct {
		rep  *checks.Report
		want string
	}{
		{host, "Serveur de messagerie vérifié : mail.client.com (au lieu de client.com)"},
		{url, "J'ai pris le domaine de l'adresse web : client.com"},
	} {
		if v := NewView(tt.rep, FR); !slices.Contains(v.Notes, tt.want) {
			t.Errorf("notes %q lack %q", v.Notes, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		lang Lang
		want string
	}{
		{340 * time.Millisecond, FR, "340 ms"},
		{1240 * time.Millisecond, FR, "1,2 s"},
		{1240 * time.Millisecond, EN, "1.2 s"},
		{65 * time.Second, EN, "1 min 5 s"},
		{-time.Second, FR, "0 ms"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d, tt.lang); got != tt.want {
			t.Errorf("FormatDuration(%v, %s) = %q, want %q", tt.d, tt.lang, got, tt.want)
		}
	}
}

// FuzzDecodeJSON: a previous run's file is untrusted input.
func FuzzDecodeJSON(f *testing.F) {
	var b bytes.Buffer
	if err := RenderJSON(&b, NewView(sample.CertExpired(), FR)); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add(`{"schema_version":1,"checks":[{"findings":null}],"settings":{}}`)
	f.Add(`{"schema_version":1e400}`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeJSON(strings.NewReader(s))
		if err != nil {
			return
		}
		if got.SchemaVersion != SchemaVersion {
			t.Fatalf("accepted schema_version %d", got.SchemaVersion)
		}
		var again bytes.Buffer
		if err := json.NewEncoder(&again).Encode(got); err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeJSON(&again); err != nil {
			t.Fatalf("re-encoded report does not decode: %v", err)
		}
	})
}

// verbatimLines are the lines a text rendering of v writes whole, past
// the width if need be: evidence, records to copy, certificate values.
func verbatimLines(v *View) map[string]bool {
	out := map[string]bool{}
	for _, l := range v.Checks {
		for _, f := range l.Findings {
			for _, d := range strings.Split(f.Evidence, "\n") {
				out[Clean(strings.TrimSpace(d))] = true
			}
		}
	}
	for _, r := range v.Remedies {
		for _, s := range r.Steps {
			for _, p := range strings.Split(s, "\n")[1:] {
				out[Clean(p)] = true
			}
		}
	}
	for _, c := range v.Certificates {
		for _, f := range c.Fields {
			out[Clean(f.Label+v.Words.Colon+f.Value)] = true
		}
	}
	return out
}

// visible is l without its indentation and colours.
func visible(l string) string {
	var b strings.Builder
	for _, r := range visibleRunes(l) {
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// TestRecordsWhole: a record to copy is on its own indented line, whole,
// even past 80 columns (it was cut into pieces at the width before).
func TestRecordsWhole(t *testing.T) {
	long := "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net +all"
	rep := sample.Good()
	for i, res := range rep.Results {
		if res.ID == checks.DNSSPF {
			rep.Results[i].Status = checks.StatusFail
			rep.Results[i].Facts.Record = long
			rep.Results[i].Findings = []checks.Finding{{Code: checks.SPFPermissive, Severity: checks.SeverityFail, Detail: long,
				Params: map[string]string{"qualifier": "+all", "record": long}}}
		}
	}
	want := `client.com TXT "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net ~all"`
	for _, lang := range Langs {
		var b bytes.Buffer
		if err := RenderText(&b, NewView(rep, lang), TextOptions{}); err != nil {
			t.Fatal(err)
		}
		alone := func(s string) bool {
			return slices.ContainsFunc(strings.Split(b.String(), "\n"), func(l string) bool {
				return strings.HasPrefix(l, "    ") && strings.TrimLeft(l, " ") == s
			})
		}
		if !alone(want) {
			t.Errorf("%s: the suggested record is not whole on its own indented line:\n%s", lang, b.String())
		}
		if !alone(long) {
			t.Errorf("%s: the record found is not whole on its own indented line:\n%s", lang, b.String())
		}
	}
}

// FuzzRenderText: whatever a server says in a detail, the text stays
// within its width, but for the detail's own lines, and free of control
// characters.
func FuzzRenderText(f *testing.F) {
	f.Add("554 <!channel> go away", 80)
	f.Add("\x1b[2J\x1b]0;pwned\x07", 40)
	f.Add(strings.Repeat("x", 500), 50)
	f.Add("‮evil‬ \u00a0 « » :", 60)
	f.Fuzz(func(t *testing.T, detail string, width int) {
		rep := with(sample.Good(), checks.SMTP465, checks.Finding{Code: checks.SMTPBadGreeting, Severity: checks.SeverityFail,
			Params: map[string]string{"host": detail, "port": "465"}, Detail: detail})
		width = minWidth + abs(width)%(MaxWidth-minWidth+1)
		var b bytes.Buffer
		v := NewView(rep, FR)
		if err := RenderText(&b, v, TextOptions{Width: width}); err != nil {
			t.Fatal(err)
		}
		verbatim := verbatimLines(v)
		for _, l := range strings.Split(b.String(), "\n") {
			if n := visibleLen(l); n > width && !verbatim[visible(l)] {
				t.Fatalf("line of %d columns at width %d: %q", n, width, l)
			}
			if strings.IndexFunc(l, unsafeRune) >= 0 {
				t.Fatalf("unsafe character in %q", l)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestCertificateOnce: a certificate presented on five ports is
// described once, its fields labelled in the report's language, and each
// finding refers to it (the raw detail was repeated under every port).
func TestCertificateOnce(t *testing.T) {
	for lang, labels := range map[Lang][]string{FR: {"sujet : client.com", "émetteur : R11", "expiré le : 2025-01-03T23:59:59Z"}, EN: {"subject: client.com", "issuer: R11", "expired on: 2025-01-03T23:59:59Z"}} {
		v := NewView(sample.CertExpired(), lang)
		var b bytes.Buffer
		if err := RenderText(&b, v, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		if n := strings.Count(text, "R11"); n != 1 {
			t.Errorf("%s: the issuer appears %d times, want once:\n%s", lang, n, text)
		}
		if strings.Contains(text, "subject=") || strings.Contains(text, "not_after=") {
			t.Errorf("%s: raw evidence labels in the text:\n%s", lang, text)
		}
		for _, l := range labels {
			if !strings.Contains(text, l) {
				t.Errorf("%s: no %q in:\n%s", lang, l, text)
			}
		}
		if len(v.Certificates) != 1 || !strings.Contains(v.Certificates[0].Title, "25") {
			t.Errorf("%s: certificates %+v, want one, seen on the five ports", lang, v.Certificates)
		}
	}
}
