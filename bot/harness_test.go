package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/messages"
)

// The lab of the engine: every test of the package checks its domains.
var (
	theLab    *lab.Lab
	theEngine Checker
)

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	l, err := lab.Start(ctx, lab.Options{})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the lab:", err)
		os.Exit(1)
	}
	theLab = l
	theEngine, err = labEngine(l)
	if err != nil {
		fmt.Fprintln(os.Stderr, "engine:", err)
		os.Exit(1)
	}
	code := m.Run()
	l.Close()
	os.Exit(code)
}

// labEngine is the check engine pointed at a lab: its DNS server, its
// CA, and each scenario's port map.
func labEngine(l *lab.Lab) (Checker, error) {
	profiles := map[string]*checks.Profile{}
	for _, s := range l.Scenarios() {
		p := s.Profile
		profiles[s.Domain] = &p
	}
	runner, err := suite.New(suite.Config{
		Resolver:     lookup.NewClient(l.DNSAddr, 2*time.Second),
		RootCAs:      l.RootCAs,
		Timeout:      2 * time.Second,
		AllowPrivate: true,
		EHLOName:     "bot.lab.test",
	})
	if err != nil {
		return nil, err
	}
	return CheckerFunc(func(ctx context.Context, t checks.Target) *checks.Report {
		return runner.Run(ctx, suite.Request{Target: t, Profile: profiles[t.Domain]})
	}), nil
}

// domain is the lab domain of a scenario.
func domain(scenario string) string { return scenario + "." + lab.Zone }

// fastScenarios are the lab scenarios a check of which takes
// milliseconds (not the tarpit).
func fastScenarios() []string {
	var out []string
	for _, s := range theLab.Scenarios() {
		if s.Name != "tarpit" {
			out = append(out, s.Name)
		}
	}
	return out
}

// Users of the fake workspace.
const (
	userFR      = "UFR"   // locale fr-FR
	userEN      = "UEN"   // locale en-US
	userNoLocal = "UNONE" // no locale
	channel     = "C0SUPPORT"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logLines returns the JSON log lines of s whose msg is msg.
func logLines(s *syncbuf.Buffer, msg string) []map[string]any {
	var out []map[string]any
	for _, l := range strings.Split(s.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// counter counts the checks a Checker ran.
type counter struct {
	Checker
	n atomic.Int64
}

func (c *counter) Check(ctx context.Context, t checks.Target) *checks.Report {
	c.n.Add(1)
	return c.Checker.Check(ctx, t)
}

// harness is a bot connected to a fake Slack.
type harness struct {
	t      testing.TB
	slack  *slacktest.Server
	bot    *Bot
	logs   *syncbuf.Buffer
	cancel context.CancelFunc
	done   chan error
	// runs counts the engine's checks.
	runs *counter
}

// start runs a bot with cfg (tokens, URL, logger and checker filled in
// when empty) against a new fake Slack and waits for its first socket.
func start(t testing.TB, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, slack: slacktest.New(), logs: &syncbuf.Buffer{}, done: make(chan error, 1)}
	h.slack.AddUser(slacktest.User{ID: userFR, Name: "jeanne", Locale: "fr-FR"})
	h.slack.AddUser(slacktest.User{ID: userEN, Name: "john", Locale: "en-US"})
	h.slack.AddUser(slacktest.User{ID: userNoLocal, Name: "anon"})
	if cfg.AppToken == "" {
		cfg.AppToken, cfg.BotToken = slacktest.AppToken, slacktest.BotToken
	}
	cfg.APIURL = h.slack.URL
	if cfg.Checker == nil {
		cfg.Checker = theEngine
	}
	h.runs = &counter{Checker: cfg.Checker}
	cfg.Checker = h.runs
	cfg.AllowPrivate = true
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if cfg.Reconnect == 0 {
		cfg.Reconnect = 20 * time.Millisecond
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(h.close)
	h.waitFor("the first connection", func(v slacktest.View) bool { return v.Connections() >= 1 })
	return h
}

// stop cancels Run and returns its error.
func (h *harness) stop() error {
	h.t.Helper()
	h.cancel()
	select {
	case err := <-h.done:
		h.done <- err // for close
		return err
	case <-time.After(30 * time.Second):
		h.t.Fatal("Run did not return within 30 s of its context's end")
		return nil
	}
}

func (h *harness) close() {
	h.stop()
	h.slack.Close()
	logs := h.logs.String()
	for _, secret := range []string{slacktest.AppToken, slacktest.BotToken, "xoxb-", "xapp-", "/respond/"} {
		if strings.Contains(logs, secret) {
			h.t.Errorf("the logs contain a secret (%q):\n%s", secret, logs)
		}
	}
}

// waitFor waits, at most 20 s, for a condition on what the fake Slack
// recorded.
func (h *harness) waitFor(what string, cond func(v slacktest.View) bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.slack.Wait(ctx, cond); err != nil {
		h.t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, h.logs.String())
	}
}

// slash sends "/mailsetup text" and returns the envelope id and the
// response_url.
func (h *harness) slash(user, text string) (string, string) {
	h.t.Helper()
	env, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: user, Channel: channel, Text: text})
	if err != nil {
		h.t.Fatal(err)
	}
	return env, url
}

// ack waits for the ack of an envelope.
func (h *harness) ack(env string) slacktest.Ack {
	h.t.Helper()
	var got slacktest.Ack
	h.waitFor("the ack of "+env, func(v slacktest.View) bool {
		for _, a := range v.Acks() {
			if a.EnvelopeID == env {
				got = a
				return true
			}
		}
		return false
	})
	return got
}

// responses waits for n posts to a response_url and returns them.
func (h *harness) responses(url string, n int) []slacktest.Response {
	h.t.Helper()
	id := slacktest.ResponseID(url)
	var got []slacktest.Response
	h.waitFor(fmt.Sprintf("%d answers on %s", n, id), func(v slacktest.View) bool {
		got = got[:0]
		for _, r := range v.Responses() {
			if r.ID == id {
				got = append(got, r)
			}
		}
		return len(got) >= n
	})
	return got
}

// answer waits for the first post to a response_url.
func (h *harness) answer(url string) slacktest.Response {
	h.t.Helper()
	return h.responses(url, 1)[0]
}

// calls waits for n calls of a Web API method.
func (h *harness) calls(method string, n int) []slacktest.Call {
	h.t.Helper()
	var got []slacktest.Call
	h.waitFor(fmt.Sprintf("%d calls of %s", n, method), func(v slacktest.View) bool {
		got = v.Calls(method)
		return len(got) >= n
	})
	return got
}

// blockTexts returns every text of a Block Kit JSON, joined by newlines.
func blockTexts(t testing.TB, blocks json.RawMessage) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(blocks, &v); err != nil {
		t.Fatalf("blocks are not JSON: %v\n%s", err, blocks)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				out = append(out, s)
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
	return strings.Join(out, "\n")
}

// actionIDs returns the action ids of the elements of a Block Kit JSON.
func actionIDs(t testing.TB, blocks json.RawMessage) map[string]string {
	t.Helper()
	var v any
	if err := json.Unmarshal(blocks, &v); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	ids := map[string]string{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["action_id"].(string); ok {
				val, _ := x["value"].(string)
				ids[id] = val
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
	return ids
}

// langOf tells a report's language by the words of its buttons.
func langOf(t testing.TB, blocks json.RawMessage) messages.Lang {
	t.Helper()
	s := blockTexts(t, blocks)
	fr, en := messages.WordsFor(messages.FR).Rerun, messages.WordsFor(messages.EN).Rerun
	switch {
	case strings.Contains(s, fr) && !strings.Contains(s, en):
		return messages.FR
	case strings.Contains(s, en) && !strings.Contains(s, fr):
		return messages.EN
	}
	return ""
}
