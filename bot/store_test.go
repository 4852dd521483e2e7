package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

func TestLimiter(t *testing.T) {
	clk := newClock()
	l := newLimiter(10, clk.Now)
	for i := range 10 {
		if ok, _ := l.allow("U1"); !ok {
			t.Fatalf("check %d of 10 refused", i+1)
		}
	}
	ok, wait := l.allow("U1")
	if ok || wait != 6*time.Second {
		t.Errorf("11th check: allowed %v, wait %s; want refused, 6s", ok, wait)
	}
	if ok, _ := l.allow("U2"); !ok {
		t.Error("another user was limited")
	}
	clk.Advance(6 * time.Second)
	if ok, _ := l.allow("U1"); !ok {
		t.Error("refused after waiting")
	}
	off := newLimiter(-1, clk.Now)
	for range 1000 {
		if ok, _ := off.allow("U1"); !ok {
			t.Fatal("a disabled limiter refused")
		}
	}
}

func TestBudget(t *testing.T) {
	clk := newClock()
	b := newBudget(clk.Now)
	var got []bool
	for range 6 {
		got = append(got, b.take("https://hooks.example/1"))
	}
	if diff := cmp.Diff([]bool{true, true, true, true, true, false}, got); diff != "" {
		t.Errorf("posts allowed (-want +got):\n%s", diff)
	}
	if !b.take("https://hooks.example/2") {
		t.Error("another response_url has its own budget")
	}
	b.spend("https://hooks.example/2")
	if b.take("https://hooks.example/2") {
		t.Error("a spent response_url was used again")
	}
	if !b.take("https://hooks.example/3") {
		t.Fatal("fresh url refused")
	}
	clk.Advance(31 * time.Minute)
	if b.take("https://hooks.example/3") {
		t.Error("a response_url older than 30 minutes was used")
	}
}

func TestSeenSet(t *testing.T) {
	s := newSeenSet(3)
	var got []bool
	for _, id := range []string{"a", "b", "a", "c", "d", "a", "d"} {
		got = append(got, s.add(id))
	}
	// "a" is forgotten once three newer ids came.
	if diff := cmp.Diff([]bool{false, false, true, false, false, false, true}, got); diff != "" {
		t.Errorf("seen (-want +got):\n%s", diff)
	}
}

func TestReportCache(t *testing.T) {
	clk := newClock()
	c := newReportCache(time.Minute, clk.Now)
	var runs atomic.Int64
	release := make(chan struct{})
	check := func(ctx context.Context, t checks.Target) *checks.Report {
		runs.Add(1)
		<-release
		return &checks.Report{Target: t, Status: checks.StatusPass}
	}
	tg, _ := checks.ParseTarget("client.example.com", false)
	addr, _ := checks.ParseTarget("jane@client.example.com", false)

	// Ten agents at once: one run.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { c.get(context.Background(), tg, false, check) })
	}
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // let the others join the run
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs for ten concurrent commands, want 1", n)
	}
	rep, cached := c.get(context.Background(), addr, false, check)
	if !cached || rep.Target.Address != "jane@client.example.com" {
		t.Errorf("cached %v, address %q: want the cached report, for the address asked", cached, rep.Target.Address)
	}
	if _, cached := c.get(context.Background(), tg, true, check); cached {
		t.Error("a fresh get used the cache")
	}
	clk.Advance(61 * time.Second)
	if _, cached := c.get(context.Background(), tg, false, check); cached {
		t.Error("a report older than the TTL was reused")
	}
	if n := runs.Load(); n != 3 {
		t.Errorf("%d runs, want 3", n)
	}
}

func TestReportCacheBounded(t *testing.T) {
	clk := newClock()
	c := newReportCache(time.Minute, clk.Now)
	check := func(_ context.Context, t checks.Target) *checks.Report { return &checks.Report{Target: t} }
	for i := range maxReports + 10 {
		clk.Advance(time.Millisecond)
		tg, _ := checks.ParseTarget(fmt.Sprintf("d%d.example.com", i), false)
		c.get(context.Background(), tg, false, check)
	}
	if n := len(c.entries); n != maxReports {
		t.Errorf("%d reports kept, want %d", n, maxReports)
	}
	first, _ := checks.ParseTarget("d0.example.com", false)
	if _, ok := c.latest(first); ok {
		t.Error("the oldest report was not the one evicted")
	}
}

func TestRecentStore(t *testing.T) {
	s := newRecentStore()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxRecent + 5 {
		s.add("U1", recentCheck{Domain: fmt.Sprintf("d%d.example", i), At: at.Add(time.Duration(i) * time.Second)})
	}
	got := s.list("U1")
	if len(got) != maxRecent || got[0].Domain != fmt.Sprintf("d%d.example", maxRecent+4) {
		t.Errorf("kept %d, newest %q", len(got), got[0].Domain)
	}
	for i := range maxHomes + 1 {
		s.add(fmt.Sprintf("V%d", i), recentCheck{Domain: "x", At: at.Add(time.Hour + time.Duration(i)*time.Second)})
	}
	if len(s.byUser) != maxHomes {
		t.Errorf("%d users kept, want %d", len(s.byUser), maxHomes)
	}
	if len(s.list("U1")) != 0 {
		t.Error("the least recent user was not forgotten")
	}
}

func TestChanges(t *testing.T) {
	rep := func(s ...checks.Status) *checks.Report {
		r := &checks.Report{}
		for i, st := range s {
			r.Results = append(r.Results, checks.Result{ID: checks.AllIDs[i], Status: st})
		}
		return r
	}
	for _, tc := range []struct {
		name      string
		prev, cur *checks.Report
		want      string
	}{
		{"nothing", rep(checks.StatusPass, checks.StatusFail), rep(checks.StatusPass, checks.StatusFail), messages.Say(messages.EN, messages.PhraseUnchanged)},
		{"two changes", rep(checks.StatusPass, checks.StatusFail, checks.StatusWarn), rep(checks.StatusFail, checks.StatusPass, checks.StatusWarn),
			messages.Say(messages.EN, messages.PhraseChanged) + "\n• `dns.host`: pass → fail\n• `dns.mx`: fail → pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, changes(tc.prev, tc.cur, messages.EN)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

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

func TestRedact(t *testing.T) {
	for _, s := range []string{
		"token xoxb-123-456-abc refused",
		"xapp-1-A0-1-secret",
		`dial wss://wss.slack.com/link/?ticket=abc-123&app_id=A1: refused`,
		"https://hooks.slack.com/commands/T1/123/abc",
	} {
		got := redact(s)
		if strings.Contains(got, "xoxb-") || strings.Contains(got, "xapp-") || strings.Contains(got, "abc-123") || strings.Contains(got, "hooks.slack.com/commands") {
			t.Errorf("redact(%q) = %q", s, got)
		}
	}
}

func TestChunkLines(t *testing.T) {
	lines := []string{strings.Repeat("a", 10), strings.Repeat("b", 10), strings.Repeat("c", 10)}
	if diff := cmp.Diff([]string{"aaaaaaaaaa\nbbbbbbbbbb", "cccccccccc"}, chunkLines(lines, 21)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
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

// FuzzDecodeAction feeds button values, which anyone able to craft an
// interaction payload controls, to the decoder.
func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{"", "{}", `{"t":"client.fr","l":"fr"}`, `{"t":"jane@client.fr","l":"en","c":"outlook","h":"mail.client.fr"}`,
		`{"t":1}`, `{"t":"x","l":"de"}`, "client.fr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := decodeAction(s)
		if v.input == "" && (v.lang != "" || v.client != "") {
			t.Fatalf("decodeAction(%q) = %+v: choices without a target", s, v)
		}
		inv := parse(v.input, false)
		_ = inv
	})
}
