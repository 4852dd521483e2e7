package blockkit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
	"github.com/pcmhosting/mailsetup/triage"
)

// explainBlocksCases are corpus samples answered in Slack blocks, each
// with the sample report of client.com the live check gives, in French
// and English: confirmed, ruled out, unknown, other domain, nothing
// recognised, no domain.
var explainBlocksCases = []struct {
	file   string
	given  string
	report func() *checks.Report
}{
	{"outlook-01-0x800ccc0e-en.txt", "client.com", sample.SMTP465Closed},
	{"outlook-02-0x800ccc0e-fr.txt", "client.com", sample.SMTP465Closed},
	{"gmail-01-unauthenticated-dsn.eml", "", sample.SPFMultiple},
	{"thunderbird-06-cert-fr.txt", "client.com", sample.Good},
	{"postfix-05-auth-535.txt", "", sample.Good},
	{"gmail-08-user-unknown-fr.txt", "client.com", sample.Good},
	{"none-01-vague-fr.txt", "client.com", sample.Good},
	{"ms-02-5.7.708.txt", "", nil},
}

// TestExplanationGolden renders triage answers as blocks, holds them to
// Slack's limits, and checks that no unescaped markup and no address
// but the customer's gets through.
func TestExplanationGolden(t *testing.T) {
	for _, c := range explainBlocksCases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "triage", "testdata", "corpus", c.file))
			if err != nil {
				t.Fatal(err)
			}
			head, text, _ := strings.Cut(string(data), "\n---\n")
			lang := messages.FR
			if strings.Contains(head, "lang: en") {
				lang = messages.EN
			}
			r, err := triage.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			choice := triage.Choose(r, c.given)
			var rep *checks.Report
			if c.report != nil && choice.Domain == "client.com" {
				rep = c.report()
			}
			e := messages.NewExplanation(r, choice, rep, lang, messages.ExplainOptions{Example: "/mailsetup client.fr TEXT"})
			blocks := Explanation(e)
			checkLimits(t, blocks)
			all := strings.Join(texts(t, blocks), "\n")
			for _, bad := range []string{"<!", "<http", "<mailto", "{domain}"} {
				if strings.Contains(all, bad) {
					t.Errorf("blocks contain %q", bad)
				}
			}
			for _, a := range []string{"paul@dest.example", "bob@dest.example"} {
				if strings.Contains(all, a) {
					t.Errorf("blocks show %s unmasked", a)
				}
			}
			out, err := json.MarshalIndent(map[string]any{"blocks": blocks}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(strings.TrimSuffix(c.file, ".txt"), ".eml")
			golden.Check(t, "explain-"+base+".blocks.golden", append(out, '\n'))
		})
	}
}

// TestExplanationEscapes: a hostile domain named in the text cannot
// become a mention or a link.
func TestExplanationEscapes(t *testing.T) {
	r, err := triage.Parse("550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown <!channel> <https://evil.example|click>")
	if err != nil {
		t.Fatal(err)
	}
	e := messages.NewExplanation(r, triage.Choose(r, "client.com"), sample.Good(), messages.EN, messages.ExplainOptions{})
	all := strings.Join(texts(t, Explanation(e)), "\n")
	if strings.Contains(all, "<!channel>") || strings.Contains(all, "<https://") || strings.Contains(all, "bob@dest.example") {
		t.Errorf("unescaped or unmasked: %s", all)
	}
}
