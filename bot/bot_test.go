package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// sla is Slack's deadline for an ack. Asserted on the latencies the fake
// recorded, generously: it is the product's promise, not a benchmark.
const sla = 3 * time.Second

func TestSlashCommand(t *testing.T) {
	h := start(t, Config{})
	for _, tc := range []struct {
		name, user, text string
		wantDomain       string
		wantStatus       checks.Status
		wantLang         messages.Lang
	}{
		{"good, French user", userFR, "good.lab.test", "good.lab.test", checks.StatusPass, messages.FR},
		{"expired, English user", userEN, "expired.lab.test", "expired.lab.test", checks.StatusFail, messages.EN},
		{"address, language named", userFR, "jeanne@no465.lab.test en", "no465.lab.test", checks.StatusFail, messages.EN},
		{"no locale: the default", userNoLocal, "mxprivate.lab.test", "mxprivate.lab.test", checks.StatusFail, messages.FR},
		{"Slack link markup", userEN, "<http://www.good.lab.test|www.good.lab.test>", "good.lab.test", checks.StatusPass, messages.EN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, url := h.slash(tc.user, tc.text)
			ack := h.ack(env)
			if ack.Latency > sla {
				t.Errorf("acked after %s, Slack allows %s", ack.Latency, sla)
			}
			if !strings.Contains(string(ack.Payload), tc.wantDomain) {
				t.Errorf("the ack should say which domain is being checked: %s", ack.Payload)
			}
			if len(ack.Payload) > 4096 {
				t.Errorf("ack of %d bytes: keep it small", len(ack.Payload))
			}
			ans := h.answer(url)
			if ans.ResponseType != "ephemeral" {
				t.Errorf("response_type %q, want ephemeral", ans.ResponseType)
			}
			if got := blockTexts(t, ans.Blocks); !strings.Contains(got, tc.wantDomain) {
				t.Errorf("the answer does not name %s:\n%s", tc.wantDomain, got)
			}
			if !strings.Contains(ans.Text, tc.wantDomain) {
				t.Errorf("notification text %q does not name the domain", ans.Text)
			}
			if rep := mustReport(t, h, tc.wantDomain); rep.Status != tc.wantStatus {
				t.Errorf("status %s, want %s", rep.Status, tc.wantStatus)
			}
			if got := langOf(t, ans.Blocks); got != tc.wantLang {
				t.Errorf("answer in %q, want %q", got, tc.wantLang)
			}
			ids := actionIDs(t, ans.Blocks)
			for _, id := range []string{actionRerun, actionClientGuide, actionCustomerReply, actionShare} {
				if _, ok := ids[id]; !ok {
					t.Errorf("no %s button; buttons: %v", id, ids)
				}
			}
		})
	}
}

func TestLocaleAskedOnce(t *testing.T) {
	h := start(t, Config{})
	for _, d := range []string{"good.lab.test", "expired.lab.test", "nomx.lab.test"} {
		_, url := h.slash(userFR, d)
		if got := langOf(t, h.answer(url).Blocks); got != messages.FR {
			t.Errorf("%s answered in %q, want fr (locale fr-FR)", d, got)
		}
	}
	calls := h.slack.Calls("users.info")
	if len(calls) != 1 {
		t.Fatalf("users.info called %d times for one user, want once (cached)", len(calls))
	}
	if got := calls[0].Params.Get("include_locale"); got != "true" {
		t.Errorf("users.info include_locale=%q, want true", got)
	}
}

func TestHelp(t *testing.T) {
	h := start(t, Config{})
	for _, tc := range []struct {
		user, text string
		lang       messages.Lang
	}{
		{userEN, "", messages.EN},
		{userEN, "help", messages.EN},
		{userFR, "aide", messages.FR},
		{userEN, "  HELP  ", messages.EN},
	} {
		t.Run(fmt.Sprintf("%q", tc.text), func(t *testing.T) {
			env, url := h.slash(tc.user, tc.text)
			if ack := h.ack(env); ack.Latency > sla {
				t.Errorf("acked after %s", ack.Latency)
			}
			got := blockTexts(t, h.answer(url).Blocks)
			if !strings.Contains(got, helpText(tc.lang)) {
				t.Errorf("help is not the route table's, in %s:\n%s", tc.lang, got)
			}
			for _, r := range routes {
				if r.word != "" && !strings.Contains(got, command+" "+r.word) {
					t.Errorf("help does not list %q", r.word)
				}
			}
		})
	}
	if n := h.runs.n.Load(); n != 0 {
		t.Errorf("help ran %d checks", n)
	}
}

func TestBadInput(t *testing.T) {
	h := start(t, Config{})
	for _, tc := range []struct {
		user, text string
		lang       messages.Lang
		reason     checks.InputReason
	}{
		{userEN, "192.0.2.1", messages.EN, checks.InputIPLiteral},
		{userFR, "intranet", messages.FR, checks.InputSingleLabel},
		{userEN, "client.com:993", messages.EN, checks.InputPort},
		{userFR, "client.com what now", messages.FR, checks.InputSeveralWords},
		{userFR, "client.com fr", messages.FR, ""}, // valid: control case below
	} {
		if tc.reason == "" {
			continue
		}
		t.Run(tc.text, func(t *testing.T) {
			env, url := h.slash(tc.user, tc.text)
			h.ack(env)
			ans := h.answer(url)
			inv := parse(tc.text, true)
			if inv.err == nil || inv.err.Reason != tc.reason {
				t.Fatalf("parse(%q) = %v, want reason %s", tc.text, inv.err, tc.reason)
			}
			want := messages.InputMessage(tc.lang, inv.err, command)
			if got := blockTexts(t, ans.Blocks); !strings.Contains(got, want) {
				t.Errorf("answer:\n%s\nwant the engine's reason in %s:\n%s", got, tc.lang, want)
			}
		})
	}
	if n := h.runs.n.Load(); n != 0 {
		t.Errorf("invalid input ran %d checks", n)
	}
}

func TestMentionAnsweredInThread(t *testing.T) {
	h := start(t, Config{})
	for _, tc := range []struct {
		name, ts, thread, wantThread string
	}{
		{"in the channel", "1700000100.000100", "", "1700000100.000100"},
		{"inside a thread", "1700000200.000200", "1700000150.000150", "1700000150.000150"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.slack.Calls("chat.postMessage"))
			env, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.Mention(userEN, "C0ONCALL", "good.lab.test", tc.ts, tc.thread)})
			if err != nil {
				t.Fatal(err)
			}
			if ack := h.ack(env); ack.Latency > sla || len(ack.Payload) > 0 && string(ack.Payload) != "null" {
				t.Errorf("ack after %s with payload %s: want at once and empty", ack.Latency, ack.Payload)
			}
			call := h.calls("chat.postMessage", before+1)[before]
			got := map[string]string{"channel": call.Params.Get("channel"), "thread_ts": call.Params.Get("thread_ts")}
			if diff := cmp.Diff(map[string]string{"channel": "C0ONCALL", "thread_ts": tc.wantThread}, got); diff != "" {
				t.Errorf("posted (-want +got):\n%s", diff)
			}
			if !strings.Contains(blockTexts(t, call.JSON), "good.lab.test") {
				t.Errorf("the answer does not name the domain: %s", call.JSON)
			}
		})
	}
}

func TestButtons(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userEN, "jane@good.lab.test")
	first := h.answer(url)
	ids := actionIDs(t, first.Blocks)
	click := func(t *testing.T, a slacktest.Action) slacktest.Response {
		t.Helper()
		a.User, a.Channel = userEN, channel
		env, url, err := h.slack.SendAction(a)
		if err != nil {
			t.Fatal(err)
		}
		if ack := h.ack(env); ack.Latency > sla {
			t.Errorf("acked after %s", ack.Latency)
		}
		return h.answer(url)
	}
	t.Run("re-run", func(t *testing.T) {
		before := h.runs.n.Load()
		ans := click(t, slacktest.Action{ActionID: actionRerun, Value: ids[actionRerun]})
		if !ans.ReplaceOriginal {
			t.Error("a re-run should replace the answer it was clicked on")
		}
		got := blockTexts(t, ans.Blocks)
		if !strings.HasPrefix(got, messages.Say(messages.EN, messages.PhraseUnchanged)) {
			t.Errorf("a re-run should first say what changed:\n%s", got)
		}
		if h.runs.n.Load() != before+1 {
			t.Errorf("a re-run must bypass the cache: %d checks run, want %d", h.runs.n.Load(), before+1)
		}
	})
	t.Run("client guide: choose", func(t *testing.T) {
		ans := click(t, slacktest.Action{ActionID: actionClientGuide, Value: ids[actionRerun]})
		if _, ok := actionIDs(t, ans.Blocks)[actionClientGuide]; !ok {
			t.Errorf("no client to choose from:\n%s", ans.Blocks)
		}
	})
	t.Run("client guide: Outlook", func(t *testing.T) {
		ans := click(t, slacktest.Action{ActionID: actionClientGuide, Selected: option(t, first.Blocks, messages.Outlook)})
		got := blockTexts(t, ans.Blocks)
		g := messages.ClientGuide(messages.Settings(mustReport(t, h, "jane@good.lab.test")), messages.Outlook, messages.EN)
		if !strings.Contains(got, g.Title) || !strings.Contains(got, "jane@good.lab.test") {
			t.Errorf("not Outlook's guide for jane@good.lab.test:\n%s", got)
		}
	})
	t.Run("customer reply", func(t *testing.T) {
		ans := click(t, slacktest.Action{ActionID: actionCustomerReply, Value: ids[actionCustomerReply]})
		got := blockTexts(t, ans.Blocks)
		if !strings.Contains(got, "```") {
			t.Errorf("the customer reply should be in a code block:\n%s", got)
		}
		want := messages.CustomerReply(mustReport(t, h, "jane@good.lab.test"), messages.EN, "")
		firstLine, _, _ := strings.Cut(want, "\n")
		if !strings.Contains(got, slackEscape(firstLine)) {
			t.Errorf("not the customer reply of messages (%q):\n%s", firstLine, got)
		}
	})
	t.Run("share in channel", func(t *testing.T) {
		ans := click(t, slacktest.Action{ActionID: actionShare, Value: ids[actionShare]})
		if ans.ResponseType != "in_channel" {
			t.Errorf("response_type %q, want in_channel", ans.ResponseType)
		}
		if got := blockTexts(t, ans.Blocks); !strings.Contains(got, "<@"+userEN+">") || !strings.Contains(got, "good.lab.test") {
			t.Errorf("a shared answer names who shared it and the domain:\n%s", got)
		}
	})
}

// mustReport is the cached report of a target.
func mustReport(t *testing.T, h *harness, input string) *checks.Report {
	t.Helper()
	tg, err := checks.ParseTarget(input, true)
	if err != nil {
		t.Fatal(err)
	}
	rep, ok := h.bot.cache.latest(tg)
	if !ok {
		t.Fatalf("no report cached for %s", input)
	}
	return retarget(rep, tg)
}

// scripted returns, for each call, the next report of a list: a domain
// whose port 465 gets fixed between two runs.
type scripted struct {
	mu   sync.Mutex
	reps []checks.Status
	n    int
}

func (s *scripted) Check(_ context.Context, t checks.Target) *checks.Report {
	s.mu.Lock()
	st := s.reps[min(s.n, len(s.reps)-1)]
	s.n++
	s.mu.Unlock()
	res := []checks.Result{{ID: checks.DNSHost, Status: checks.StatusPass}, {ID: checks.SMTP465, Status: st}}
	if st == checks.StatusFail {
		res[1].Findings = []checks.Finding{{Code: checks.TCPRefused, Severity: checks.SeverityFail}}
	}
	return &checks.Report{Target: t, Status: checks.Overall(res), Results: res}
}

func TestRerunSaysWhatChanged(t *testing.T) {
	h := start(t, Config{Checker: &scripted{reps: []checks.Status{checks.StatusFail, checks.StatusPass}}})
	_, url := h.slash(userEN, "client.example.com")
	first := h.answer(url)
	env, rurl, err := h.slack.SendAction(slacktest.Action{User: userEN, Channel: channel, ActionID: actionRerun,
		Value: actionIDs(t, first.Blocks)[actionRerun]})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	got := blockTexts(t, h.answer(rurl).Blocks)
	want := messages.Say(messages.EN, messages.PhraseChanged) + "\n• `smtp.465`: fail → pass"
	if !strings.HasPrefix(got, want) {
		t.Errorf("re-run answer:\n%s\nwant it to start with:\n%s", got, want)
	}
}

func TestReconnect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(s *slacktest.Server) error
	}{
		{"disconnect requested", (*slacktest.Server).Disconnect},
		{"socket dropped", (*slacktest.Server).Drop},
		{"dropped and the next open fails", func(s *slacktest.Server) error { s.FailOpen(2); return s.Drop() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, Config{})
			if err := tc.break_(h.slack); err != nil {
				t.Fatal(err)
			}
			h.waitFor("a second connection", func(v slacktest.View) bool { return v.Connections() >= 2 })
			// The old socket may still be closing: send until served.
			env, url := h.slash(userEN, "good.lab.test")
			if ack := h.ack(env); ack.Latency > sla {
				t.Errorf("acked after %s", ack.Latency)
			}
			if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "good.lab.test") {
				t.Errorf("answer after reconnecting:\n%s", got)
			}
		})
	}
}

func TestBurst(t *testing.T) {
	const n = 50
	h := start(t, Config{}) // the defaults: 8 workers, a queue of 64
	domains := fastScenarios()
	urls := make([]string, n)
	envs := make([]string, n)
	for i := range n {
		envs[i], urls[i] = h.slash(fmt.Sprintf("U%03d", i), domain(domains[i%len(domains)]))
	}
	h.waitFor("every ack", func(v slacktest.View) bool { return len(v.Acks()) >= n })
	h.waitFor("every answer", func(v slacktest.View) bool { return len(v.Responses()) >= n })
	for _, a := range h.slack.Acks() {
		if a.Latency > sla {
			t.Errorf("envelope %s acked after %s", a.EnvelopeID, a.Latency)
		}
	}
	byID := map[string]slacktest.Response{}
	for _, r := range h.slack.Responses() {
		byID[r.ID] = r
	}
	for i, u := range urls {
		r, ok := byID[slacktest.ResponseID(u)]
		if !ok {
			t.Errorf("command %d got no answer", i)
			continue
		}
		if want := domain(domains[i%len(domains)]); !strings.Contains(blockTexts(t, r.Blocks), want) {
			t.Errorf("command %d: answer does not name %s", i, want)
		}
	}
	// Commands for one domain share a run (singleflight, then the cache).
	if got := h.runs.n.Load(); got > n || got < int64(len(domains)) {
		t.Errorf("%d checks run, want %d to %d", got, len(domains), n)
	}
}

func TestRateLimit(t *testing.T) {
	clk := newClock()
	h := start(t, Config{RatePerMinute: 2, Now: clk.Now})
	for i, d := range []string{"good.lab.test", "expired.lab.test"} {
		_, url := h.slash(userEN, d)
		if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, d) {
			t.Fatalf("command %d not served:\n%s", i, got)
		}
	}
	env, url := h.slash(userEN, "nomx.lab.test")
	ack := h.ack(env)
	if want := messages.Say(messages.EN, messages.PhraseRateLimited, "wait", "30 s"); !strings.Contains(string(ack.Payload), want) {
		t.Errorf("third command's ack: %s\nwant %q", ack.Payload, want)
	}
	// Another user is not limited.
	_, other := h.slash(userFR, "nomx.lab.test")
	h.answer(other)
	clk.Advance(31 * time.Second)
	_, again := h.slash(userEN, "nomx.lab.test")
	h.answer(again)
	if rs := h.slack.Responses(); countID(rs, slacktest.ResponseID(url)) != 0 {
		t.Errorf("the limited command was answered anyway")
	}
	if got := h.runs.n.Load(); got != 3 { // nomx ran once, then came from the cache
		t.Errorf("%d checks run, want 3", got)
	}
	audits := logLines(h.logs, "audit")
	var verdicts []string
	for _, a := range audits {
		verdicts = append(verdicts, a["verdict"].(string))
	}
	if !slices.Contains(verdicts, "rate_limited") {
		t.Errorf("no audit line says rate_limited: %v", verdicts)
	}
}

func countID(rs []slacktest.Response, id string) int {
	n := 0
	for _, r := range rs {
		if r.ID == id {
			n++
		}
	}
	return n
}

func TestPanicRecovery(t *testing.T) {
	boom := CheckerFunc(func(ctx context.Context, t checks.Target) *checks.Report {
		if strings.HasPrefix(t.Domain, "boom.") {
			panic("checker bug")
		}
		return theEngine.Check(ctx, t)
	})
	h := start(t, Config{Checker: boom})
	_, url := h.slash(userEN, "boom.lab.test")
	want := messages.Say(messages.EN, messages.PhraseFailed, "domain", "boom.lab.test")
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, want) {
		t.Errorf("after a panic the user should be told:\n%s", got)
	}
	_, url = h.slash(userEN, "good.lab.test")
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "good.lab.test") {
		t.Errorf("the bot should keep serving after a panic:\n%s", got)
	}
	if len(logLines(h.logs, "job panicked")) == 0 {
		t.Error("the panic was not logged")
	}
	if err := h.stop(); err != nil {
		t.Errorf("Run returned %v", err)
	}
}

// gate is a Checker that blocks until released.
type gate struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func newGate() *gate { return &gate{started: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) Check(ctx context.Context, t checks.Target) *checks.Report {
	g.once.Do(func() { close(g.started) })
	<-g.release
	return theEngine.Check(ctx, t)
}

func TestShutdownDrains(t *testing.T) {
	g := newGate()
	h := start(t, Config{Checker: g, Grace: 20 * time.Second})
	_, url := h.slash(userEN, "good.lab.test")
	<-g.started
	h.cancel()
	// Run must wait for the check in flight: release it a little later.
	select {
	case err := <-h.done:
		t.Fatalf("Run returned (%v) with a check in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	if h.bot.Ready() {
		t.Error("Ready while shutting down")
	}
	// No new command is taken: the socket is closed.
	eventually(t, "the socket closed", func() bool {
		_, _, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: userEN, Channel: channel, Text: "expired.lab.test"})
		return err != nil
	})
	close(g.release)
	if err := h.stop(); err != nil {
		t.Errorf("Run returned %v, want nil", err)
	}
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "good.lab.test") {
		t.Errorf("the check in flight was not answered:\n%s", got)
	}
}

func TestShutdownGraceOver(t *testing.T) {
	g := newGate()
	h := start(t, Config{Checker: CheckerFunc(func(ctx context.Context, tg checks.Target) *checks.Report {
		g.once.Do(func() { close(g.started) })
		<-ctx.Done() // a check that only ends when cancelled
		return &checks.Report{Target: tg, Status: checks.StatusError}
	}), Grace: 50 * time.Millisecond})
	h.slash(userEN, "good.lab.test")
	<-g.started
	if err := h.stop(); err != nil {
		t.Errorf("Run returned %v, want nil", err)
	}
	if len(logLines(h.logs, "stopped: grace period over, cancelling the remaining jobs")) != 1 {
		t.Errorf("the cancellation was not logged:\n%s", h.logs.String())
	}
}

func TestRetriesDropped(t *testing.T) {
	h := start(t, Config{})
	mention := slacktest.Mention(userEN, "C0ONCALL", "good.lab.test", "1700000300.000300", "")
	send := func(e slacktest.Event) {
		t.Helper()
		env, _, err := h.slack.SendEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		h.ack(env) // redeliveries are acked too, or Slack keeps sending them
	}
	send(slacktest.Event{ID: "Ev1", Inner: mention})
	send(slacktest.Event{ID: "Ev1", Inner: mention})           // same event id
	send(slacktest.Event{ID: "Ev2", Retry: 1, Inner: mention}) // retry_attempt 1
	// The loop handles envelopes in order: once a later mention is
	// answered, the two duplicates were dropped, not queued.
	sentinel := slacktest.Mention(userEN, "C0SENTINEL", "expired.lab.test", "1700000400.000400", "")
	send(slacktest.Event{ID: "Ev3", Inner: sentinel})
	h.waitFor("both answers", func(v slacktest.View) bool { return len(v.Calls("chat.postMessage")) >= 2 })
	time.Sleep(50 * time.Millisecond) // let a wrongly queued answer show up, if any
	var channels []string
	for _, c := range h.slack.Calls("chat.postMessage") {
		channels = append(channels, c.Params.Get("channel"))
	}
	if diff := cmp.Diff([]string{"C0ONCALL", "C0SENTINEL"}, slices.Sorted(slices.Values(channels))); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}

func TestResponseURLFallback(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault slacktest.Fault
	}{
		{"404 expired", slacktest.Fault{Status: http.StatusNotFound}},
		{"500", slacktest.Fault{Status: http.StatusInternalServerError}},
		{"429 Retry-After", slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, Config{})
			h.slack.SetFault("response_url", tc.fault)
			h.slash(userEN, "good.lab.test")
			call := h.calls("chat.postEphemeral", 1)[0]
			got := map[string]string{"channel": call.Params.Get("channel"), "user": call.Params.Get("user")}
			if diff := cmp.Diff(map[string]string{"channel": channel, "user": userEN}, got); diff != "" {
				t.Errorf("fallback (-want +got):\n%s", diff)
			}
			if !strings.Contains(blockTexts(t, call.JSON), "good.lab.test") {
				t.Errorf("fallback does not carry the answer: %s", call.JSON)
			}
		})
	}
}

func TestResponseURLBudget(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userEN, "good.lab.test")
	value := actionIDs(t, h.answer(url).Blocks)[actionCustomerReply]
	// Six clicks answered through one response_url: Slack takes five.
	shared := h.slack.ResponseURL()
	for range 6 {
		env, _, err := h.slack.SendAction(slacktest.Action{User: userEN, Channel: channel, ActionID: actionCustomerReply,
			Value: value, ResponseURL: shared})
		if err != nil {
			t.Fatal(err)
		}
		h.ack(env)
	}
	h.calls("chat.postEphemeral", 1)
	h.responses(shared, 5)
	time.Sleep(50 * time.Millisecond)
	if n := countID(h.slack.Responses(), slacktest.ResponseID(shared)); n != 5 {
		t.Errorf("%d posts to one response_url, Slack accepts 5", n)
	}
}

func TestAppHome(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userFR, "good.lab.test")
	h.answer(url)
	env, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.HomeOpened(userFR)})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	call := h.calls("views.publish", 1)[0]
	var req struct {
		UserID string `json:"user_id"`
		View   struct {
			Type   string          `json:"type"`
			Blocks json.RawMessage `json:"blocks"`
		} `json:"view"`
	}
	if err := json.Unmarshal(call.JSON, &req); err != nil {
		t.Fatal(err)
	}
	if req.UserID != userFR || req.View.Type != "home" {
		t.Errorf("published %q for %q, want a home view for %s", req.View.Type, req.UserID, userFR)
	}
	got := blockTexts(t, req.View.Blocks)
	for _, want := range []string{messages.Say(messages.FR, messages.PhraseHomeRecent), "good.lab.test", command + " status"} {
		if !strings.Contains(got, want) {
			t.Errorf("App Home lacks %q:\n%s", want, got)
		}
	}
}

func TestStatus(t *testing.T) {
	h := start(t, Config{Fleet: []string{"good.lab.test", "no465.lab.test", "bad host"}})
	env, url := h.slash(userEN, "status")
	h.ack(env)
	got := blockTexts(t, h.answer(url).Blocks)
	for _, want := range []string{
		"`good.lab.test` imap.993 pass",
		"`good.lab.test` smtp.465 pass",
		"`no465.lab.test` smtp.465 fail: tcp.refused",
		"`no465.lab.test` smtp.587 pass",
		"`bad host`",
		messages.Say(messages.EN, messages.PhraseStatusTitle),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
}

// TestStatusTitleIsTheWorstLine: a platform host that does not resolve
// makes the title red, though its ports are only skipped.
func TestStatusTitleIsTheWorstLine(t *testing.T) {
	h := start(t, Config{Fleet: []string{"good.lab.test", "nxdomain.lab.test"}})
	env, url := h.slash(userEN, "status")
	h.ack(env)
	got := blockTexts(t, h.answer(url).Blocks)
	title := statusEmoji(checks.StatusFail) + " *" + messages.Say(messages.EN, messages.PhraseStatusTitle) + "*"
	if !strings.HasPrefix(got, title) {
		t.Errorf("status title is not %q:\n%s", title, got)
	}
	if !strings.Contains(got, "`nxdomain.lab.test` dns.host fail: host.nxdomain") {
		t.Errorf("status lacks the dns.host line:\n%s", got)
	}
}

func TestStatusNoFleet(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userEN, "status")
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, slackEscape(messages.Say(messages.EN, messages.PhraseStatusNone))) {
		t.Errorf("status without a fleet:\n%s", got)
	}
}

func TestBusy(t *testing.T) {
	clk := newClock()
	g := newGate()
	h := start(t, Config{Checker: g, Workers: 1, Queue: 1, QueueWait: 5 * time.Second, Now: clk.Now, RatePerMinute: -1})
	_, first := h.slash(userEN, "good.lab.test")
	<-g.started // the only worker is busy
	_, queued := h.slash(userEN, "expired.lab.test")
	eventually(t, "the second command queued", func() bool { return h.bot.checks.pending() == 2 })
	env, _ := h.slash(userEN, "nomx.lab.test")
	if ack := h.ack(env); !strings.Contains(string(ack.Payload), messages.Say(messages.EN, messages.PhraseBusy)) {
		t.Errorf("a full pool should answer busy at once: %s", ack.Payload)
	}
	if h.bot.Ready() {
		t.Error("Ready with a saturated pool")
	}
	clk.Advance(6 * time.Second) // the queued command waited too long
	close(g.release)
	h.answer(first)
	if got := blockTexts(t, h.answer(queued).Blocks); !strings.Contains(got, messages.Say(messages.EN, messages.PhraseBusy)) {
		t.Errorf("a command that waited past QueueWait should be told busy:\n%s", got)
	}
}

func TestAuditLines(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userEN, "expired.lab.test")
	h.answer(url)
	_, url = h.slash(userEN, "not_a_domain!")
	h.answer(url)
	eventually(t, "two audit lines", func() bool { return len(logLines(h.logs, "audit")) >= 2 })
	var got []map[string]any
	lines := logLines(h.logs, "audit")
	slices.SortFunc(lines, func(a, b map[string]any) int { return strings.Compare(a["verdict"].(string), b["verdict"].(string)) })
	for _, a := range lines {
		got = append(got, map[string]any{"user": a["user"], "channel": a["channel"], "command": a["command"],
			"domain": a["domain"], "verdict": a["verdict"], "has_duration": a["duration_ms"] != nil})
	}
	want := []map[string]any{
		{"user": userEN, "channel": channel, "command": "check", "domain": "expired.lab.test", "verdict": "fail", "has_duration": true},
		{"user": userEN, "channel": channel, "command": "check", "domain": "", "verdict": "invalid_input", "has_duration": true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit lines (-want +got):\n%s", diff)
	}
}

func TestReady(t *testing.T) {
	h := start(t, Config{})
	eventually(t, "ready", h.bot.Ready)
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if h.bot.Ready() {
		t.Error("Ready after Run returned")
	}
}

func TestRefusedAppToken(t *testing.T) {
	s := slacktest.New()
	defer s.Close()
	b, err := New(Config{AppToken: "xapp-1-wrong", BotToken: slacktest.BotToken, APIURL: s.URL, Checker: theEngine})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if err == nil || ctx.Err() != nil || strings.Contains(err.Error(), "xapp-1-wrong") {
		t.Errorf("Run = %v: want a token error that does not show the token", err)
	}
	if _, err := b.Verify(ctx); err == nil {
		t.Error("Verify accepted a wrong app token")
	}
}

// eventually polls cond, for state the fake Slack does not record.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// option returns the value of the client guide menu's option for c.
func option(t *testing.T, blocks json.RawMessage, c messages.Client) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(blocks, &v); err != nil {
		t.Fatal(err)
	}
	var found string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["action_id"] == actionClientGuide {
				for _, o := range x["options"].([]any) {
					val := o.(map[string]any)["value"].(string)
					if decodeAction(val).client == c {
						found = val
					}
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	if found == "" {
		t.Fatalf("no %s in the client menu: %s", c, blocks)
	}
	return found
}

// TestButtonsRateLimited: a button that has to run a check (its domain's
// report is not known any more) counts against the user's rate limit;
// one on a known report does not.
func TestButtonsRateLimited(t *testing.T) {
	clk := newClock()
	h := start(t, Config{RatePerMinute: 1, Now: clk.Now})
	_, url := h.slash(userEN, "good.lab.test") // the minute's only check
	ids := actionIDs(t, h.answer(url).Blocks)
	click := func(id, value string) string {
		t.Helper()
		a := slacktest.Action{ActionID: id, Value: value, User: userEN, Channel: channel}
		if id == actionClientGuide {
			a.Value, a.Selected = "", blockkit.Value{Target: "expired.lab.test", Lang: messages.EN, Client: messages.Outlook}.Encode()
		}
		_, url, err := h.slack.SendAction(a)
		if err != nil {
			t.Fatal(err)
		}
		return blockTexts(t, h.answer(url).Blocks)
	}
	limited := messages.Say(messages.EN, messages.PhraseRateLimited, "wait", "1 min")
	if got := click(actionCustomerReply, ids[actionCustomerReply]); strings.Contains(got, limited) {
		t.Errorf("a button on a known report was rate-limited:\n%s", got)
	}
	before := h.runs.n.Load()
	for _, id := range []string{actionCustomerReply, actionShare, actionClientGuide, actionRerun} {
		value := blockkit.Value{Target: "expired.lab.test", Lang: messages.EN}.Encode()
		if got := click(id, value); !strings.Contains(got, limited) {
			t.Errorf("%s on an unchecked domain past the rate limit:\n%s\nwant %q", id, got, limited)
		}
	}
	if n := h.runs.n.Load(); n != before {
		t.Errorf("%d checks run past the rate limit", n-before)
	}
}
