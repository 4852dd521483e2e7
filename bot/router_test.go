package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

func TestParse(t *testing.T) {
	type got struct {
		Kind   routeKind
		Domain string
		Addr   string
		Client messages.Client
		Lang   messages.Lang
		Reason checks.InputReason
	}
	for _, tc := range []struct {
		text string
		want got
	}{
		{"", got{Kind: routeHelp}},
		{"help", got{Kind: routeHelp}},
		{"Aide", got{Kind: routeHelp}},
		{"status", got{Kind: routeStatus}},
		{"status en", got{Kind: routeStatus, Lang: messages.EN}},
		{"client.fr", got{Domain: "client.fr"}},
		{"jane@client.fr Outlook EN", got{Domain: "client.fr", Addr: "jane@client.fr", Client: messages.Outlook, Lang: messages.EN}},
		{"<@U0BOT> client.fr iphone", got{Domain: "client.fr", Client: messages.Apple}},
		{"<@U0BOT|mailsetup>   help", got{Kind: routeHelp}},
		{"<mailto:jane@client.fr|jane@client.fr>", got{Domain: "client.fr", Addr: "jane@client.fr"}},
		{"<http://client.fr|client.fr>", got{Domain: "client.fr"}},
		{"<https://www.client.fr/contact>", got{Domain: "client.fr"}},
		{"<mailto:jane@client.fr?subject=x|jane@client.fr> outlook", got{Domain: "client.fr", Addr: "jane@client.fr", Client: messages.Outlook}},
		{"<http://10.0.0.1|10.0.0.1>", got{Reason: checks.InputIPLiteral}},
		{"client.fr please", got{Reason: checks.InputSeveralWords}},
		{"10.0.0.1", got{Reason: checks.InputIPLiteral}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			inv := parse(tc.text, false)
			g := got{Kind: inv.route.kind, Domain: inv.target.Domain, Addr: inv.target.Address, Client: inv.client, Lang: inv.lang}
			if inv.err != nil {
				g.Reason = inv.err.Reason
			}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseTargetKeepsInput: a Slack link is unwrapped for the engine,
// but the target and a refusal still quote what the message held.
func TestParseTargetKeepsInput(t *testing.T) {
	const link = "<mailto:jane@client.fr|jane@client.fr>"
	tg, ie := parseTarget(link, false)
	if ie != nil || tg.Input != link || tg.Address != "jane@client.fr" {
		t.Errorf("parseTarget(%q) = %+v, %v", link, tg, ie)
	}
	const bad = "<http://client.local|client.local>"
	if _, ie := parseTarget(bad, false); ie == nil || ie.Input != bad || ie.Reason != checks.InputSpecialUse {
		t.Errorf("parseTarget(%q) error = %+v, want %s quoting the input", bad, ie, checks.InputSpecialUse)
	}
	long := "<" + strings.Repeat("a", checks.MaxInput) + ".fr>"
	if _, ie := parseTarget(long, false); ie == nil || ie.Reason != checks.InputTooLong {
		t.Errorf("a %d-byte link: %+v, want %s", len(long), ie, checks.InputTooLong)
	}
}

func TestHelpFromRoutes(t *testing.T) {
	for _, lang := range messages.Langs {
		h := helpText(lang)
		for _, r := range routes {
			if !strings.Contains(h, messages.Say(lang, r.summary)) {
				t.Errorf("%s help lacks the %q route", lang, r.word)
			}
		}
	}
}

// FuzzParse feeds command texts, which users type, to the parser.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "help", "status fr", "jane@client.fr outlook en", "<@U1> client.fr", "<http://x.fr|x.fr>",
		"client.fr\x00", "a b c d", "é.fr", strings.Repeat("a.", 600), "<@U1|x", "mailto:a@b.fr?subject=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		inv := parse(s, false)
		if inv.route == nil {
			t.Fatal("no route")
		}
		if inv.route.kind == routeCheck && inv.err == nil && inv.target.Domain == "" {
			t.Fatalf("parse(%q): a check without a domain nor an error", s)
		}
		if inv.err != nil {
			_ = messages.InputMessage(messages.EN, inv.err, command)
		}
		_ = utf8.ValidString(helpText(messages.FR))
	})
}
