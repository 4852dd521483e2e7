package blockkit

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// hostileMX is an MX name built to format, draw and call in Slack.
const hostileMX = "*URGENT*_:rotating_light:_call_+1-555-0100.client.com"

// hostileMarkdown is a report of a homograph domain whose records and
// banners try every mrkdwn trick: bold, italics, strike, code, emoji,
// mentions of a user group and of the channel, a disguised link.
func hostileMarkdown() *checks.Report {
	rep := sample.Hostile()
	tg := sample.Target("xn--80ak6aa92e.com", "*boss*_:fire:_@xn--80ak6aa92e.com")
	tg.Display = "аррӏе.com" // Cyrillic а, р, р, ӏ, е
	rep.Target = tg
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.ID != checks.DNSMX {
			continue
		}
		r.Status = checks.StatusFail
		r.Facts.MXHosts = []string{hostileMX, "~strike~.`code`.client.com"}
		r.Findings = []checks.Finding{{Code: checks.MXUnresolvable, Severity: checks.SeverityFail,
			Params: map[string]string{"host": hostileMX},
			Detail: hostileMX + " <!subteam^S0123|@oncall> <https://evil.example/|click here> :skull:"}}
	}
	return rep
}

// TestGoldenHostileMarkdown: the blocks of hostileMarkdown, to read. Every
// formatting character from the network has a zero-width space on each
// side in prose, values to copy are in code spans, no emoji shortcode
// from the network survives, and the homograph shows its punycode.
func TestGoldenHostileMarkdown(t *testing.T) {
	rep := hostileMarkdown()
	for _, lang := range messages.Langs {
		t.Run(string(lang), func(t *testing.T) {
			v := messages.NewView(rep, lang)
			blocks := Render(v, Options{})
			out := marshal(t, blocks)
			golden.Check(t, "hostile-markdown."+string(lang)+".blocks.golden", out)
			all := strings.Join(texts(t, blocks), "\n")
			for _, bad := range []string{"<!", "<http"} {
				if strings.Contains(all, bad) {
					t.Errorf("the blocks contain %q, which Slack would read as markup", bad)
				}
			}
			// Slack formats nothing and draws no emoji inside code.
			prose := outsideCode(all)
			for _, bad := range []string{"*URGENT*", "_:rotating_light:_", ":rotating_light:", ":skull:", ":fire:", "~strike~", "`code`"} {
				if strings.Contains(prose, bad) {
					t.Errorf("the blocks contain %q, which Slack would format", bad)
				}
			}
			if !strings.Contains(all, "аррӏе.com (xn--80ak6aa92e.com)") {
				t.Errorf("the homograph is not shown with its punycode:\n%s", all)
			}
			if fb := Escape(Fallback(v)); !strings.Contains(fb, "(xn--80ak6aa92e.com)") {
				t.Errorf("fallback %q lacks the punycode", fb)
			}
		})
	}
}

// outsideCode removes code blocks and code spans from mrkdwn.
func outsideCode(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "```") {
		if i%2 == 1 {
			continue
		}
		for j, p := range strings.Split(part, "`") {
			if j%2 == 0 {
				b.WriteString(p)
			}
		}
	}
	return b.String()
}

// TestEscapeOnlyWhereNeeded: markers that cannot format (alone on their
// line, or inside a word) stay as they are, so prose stays copyable.
func TestEscapeOnlyWhereNeeded(t *testing.T) {
	for in, want := range map[string]string{
		"End it with ~all":             "End it with ~all",
		"_dmarc.client.com":            "_dmarc.client.com",
		"user jean_le_roux@client.com": "user jean_le_roux@client.com",
		"*bold* text":                  zwsp + "*" + zwsp + "bold" + zwsp + "*" + zwsp + " text",
		"_x_ and ~y~":                  zwsp + "_" + zwsp + "x" + zwsp + "_" + zwsp + " and " + zwsp + "~" + zwsp + "y" + zwsp + "~" + zwsp,
		"see :fire: now":               "see :" + zwsp + "fire: now",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHomograph: which names get their punycode beside them.
func TestHomograph(t *testing.T) {
	for _, tt := range []struct {
		display string
		want    bool
	}{
		{"client.com", false},
		{"exämple.fr", false},
		{"пример.рф", false},
		{"例え.jp", true}, // Han label under a Latin TLD
		{"аррӏе.com", true},
		{"pаypal.com", true}, // Latin with a Cyrillic а in one label
		{"bücher-123.de", false},
	} {
		if got := Homograph(tt.display); got != tt.want {
			t.Errorf("Homograph(%q) = %v, want %v", tt.display, got, tt.want)
		}
	}
	if got := Name("аррӏе.com", "xn--80ak6aa92e.com"); got != "аррӏе.com (xn--80ak6aa92e.com)" {
		t.Errorf("Name = %q", got)
	}
	if got := Name("exämple.fr", ""); got != "exämple.fr" {
		t.Errorf("Name = %q", got)
	}
}

// TestInputErrorHostile: refused input that tries to mention, link and
// format is shown as text.
func TestInputErrorHostile(t *testing.T) {
	for _, lang := range messages.Langs {
		ie := &checks.InputError{Reason: checks.InputBadChar, Input: "<!here> <!subteam^S0123> <https://evil.example|click here> *x* :fire:"}
		blocks := InputError(lang, ie, "/mailsetup")
		golden.Check(t, "input-hostile."+string(lang)+".blocks.golden", marshal(t, blocks))
		all := strings.Join(texts(t, blocks), "\n")
		for _, bad := range []string{"<!", "<http", "*x*", ":fire:"} {
			if strings.Contains(all, bad) {
				t.Errorf("%s: %q left in %s", lang, bad, all)
			}
		}
	}
}
