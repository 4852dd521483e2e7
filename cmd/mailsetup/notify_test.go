package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/messages"
)

// fakeSlack is the part of Slack's Web API a notification uses,
// chat.postMessage, on 127.0.0.1, recording each call.
type fakeSlack struct {
	URL string

	mu       sync.Mutex
	calls    []slackCall
	answer   string // the JSON answer; ok by default
	status   int    // an HTTP status to answer instead of 200
	limited  int    // 429 answers to give first
	lastBody []byte
}

type slackCall struct {
	auth string
	msg  slackMessage
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{answer: `{"ok":true,"channel":"C0ONCALL","ts":"1.2"}`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat.postMessage" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var msg slackMessage
		if err := json.Unmarshal(body, &msg); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, slackCall{auth: r.Header.Get("Authorization"), msg: msg})
		f.lastBody = body
		switch {
		case f.limited > 0:
			f.limited--
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case f.status != 0:
			w.WriteHeader(f.status)
		default:
			io.WriteString(w, f.answer)
		}
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fakeSlack) Calls() []slackCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]slackCall(nil), f.calls...)
}

// text is everything a message shows.
func (c slackCall) text() string {
	var b strings.Builder
	b.WriteString(c.msg.Text + "\n")
	for _, bl := range c.msg.Blocks {
		if bl.Text != nil {
			b.WriteString(bl.Text.Text + "\n")
		}
		for _, e := range bl.Elements {
			b.WriteString(e.Text + "\n")
		}
	}
	return b.String()
}

// labRun checks domains of the lab as "check --file" does, trusting the
// lab CA, with the notification settings of args, and returns the exit
// code and the logs.
func labRun(t *testing.T, slack *fakeSlack, domains []string, args ...string) (int, string) {
	t.Helper()
	l := startLab(t)
	c, err := defaults(env("SLACK_BOT_TOKEN", "xoxb-1-test", "SLACK_API_URL", slack.URL+"/api/"))
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncbuf.Buffer
	fs := c.flagSet("check", &stderr)
	if _, err := parseInterspersed(fs, append([]string{"--file", "-", "--allow-private", "--timeout", "2s", "--format", "json", "--lang", "en"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ops, err := startOps(ctx, &c, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer ops.close()
	runner, err := newRunner(c, lookup.NewClient(l.DNSAddr, c.timeout), l.RootCAs)
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]*checks.Profile{}
	for _, s := range l.Scenarios() {
		p := s.Profile
		profiles[s.Domain] = &p
	}
	sum, err := checkStream(ctx, runner, func(t checks.Target) *checks.Profile { return profiles[t.Domain] }, c,
		strings.NewReader(strings.Join(domains, "\n")), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return ops.finish(ctx, sum.exitCode()), stderr.String()
}

// expectStatus is the lab's expected status of a check of a scenario.
func expectStatus(t *testing.T, name string, id checks.ID) checks.Status {
	s, ok := startLab(t).Scenario(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	return s.Expect[id].Status
}

// rewriteState changes the line of one domain of a state file.
func rewriteState(t *testing.T, path, domain string, change func(*messages.JSONReport)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		j, err := messages.DecodeJSON(strings.NewReader(line))
		if err != nil {
			t.Fatal(err)
		}
		if j.Domain == domain {
			found = true
			change(j)
		}
		enc, _ := json.Marshal(j)
		out.Write(append(enc, '\n'))
	}
	if !found {
		t.Fatalf("%s not in %s", domain, path)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestNotifyOnChange(t *testing.T) {
	slack := newFakeSlack(t)
	state := filepath.Join(t.TempDir(), "previous.jsonl")
	domains := []string{"good.lab.test", "nxdomain.lab.test", "nomx.lab.test"}
	args := []string{"--notify", "C0ONCALL", "--notify-on", "change", "--previous", state}

	// First run: no state, every failing domain is news.
	labRun(t, slack, domains, args...)
	calls := slack.Calls()
	if len(calls) != 1 {
		t.Fatalf("first run: %d posts, want 1", len(calls))
	}
	first := calls[0].text()
	for _, want := range []string{"*nxdomain.lab.test* (new) fail: dns.host", "*nomx.lab.test* (new) fail: dns.mx", "2 domains changed since the previous run (3 checked)"} {
		if !strings.Contains(first, want) {
			t.Errorf("first post lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "good.lab.test") {
		t.Errorf("first post names the passing domain:\n%s", first)
	}
	if calls[0].msg.Channel != "C0ONCALL" || calls[0].auth != "Bearer xoxb-1-test" {
		t.Errorf("posted to %q with %q", calls[0].msg.Channel, calls[0].auth)
	}
	saved, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(saved), "\n"); n != len(domains) {
		t.Errorf("state has %d lines, want %d", n, len(domains))
	}

	// Second run, nothing changed: nothing posted.
	labRun(t, slack, domains, args...)
	if n := len(slack.Calls()); n != 1 {
		t.Fatalf("second run, no change: %d posts in all, want still 1", n)
	}

	// The previous run saw good.lab.test failing on smtp.465: now it is
	// fixed, and only that is posted.
	if s := expectStatus(t, "good", checks.SMTP465); s != checks.StatusPass {
		t.Fatalf("the lab's good smtp.465 is %s", s)
	}
	rewriteState(t, state, "good.lab.test", func(j *messages.JSONReport) {
		j.Status = checks.StatusFail
		for i := range j.Checks {
			if j.Checks[i].ID == checks.SMTP465 {
				j.Checks[i].Status = checks.StatusFail
			}
		}
	})
	labRun(t, slack, domains, args...)
	calls = slack.Calls()
	if len(calls) != 2 {
		t.Fatalf("third run: %d posts in all, want 2", len(calls))
	}
	third := calls[1].text()
	goodNow := string(expectStatusOverall(t, "good"))
	if want := "*good.lab.test* fail → " + goodNow + ": smtp.465 fail → pass"; !strings.Contains(third, want) {
		t.Errorf("third post lacks %q:\n%s", want, third)
	}
	if strings.Contains(third, "nxdomain") || strings.Contains(third, "nomx") {
		t.Errorf("third post names unchanged domains:\n%s", third)
	}

	// A change, but Slack is down: the run says so (exit 3 with
	// --exit-zero) and the state is kept, so the next run posts it.
	rewriteState(t, state, "nomx.lab.test", func(j *messages.JSONReport) { j.Status = checks.StatusPass; j.Checks = nil })
	before, _ := os.ReadFile(state)
	slack.mu.Lock()
	slack.status = http.StatusInternalServerError
	slack.mu.Unlock()
	code, logs := labRun(t, slack, domains, append(args, "--exit-zero")...)
	if code != exitErrored || !strings.Contains(logs, "HTTP 500") {
		t.Errorf("Slack down: exit %d, want %d; logs:\n%s", code, exitErrored, logs)
	}
	after, _ := os.ReadFile(state)
	if !bytes.Equal(before, after) {
		t.Error("the state changed though nothing was posted")
	}
	slack.mu.Lock()
	slack.status = 0
	slack.mu.Unlock()
	if code, _ := labRun(t, slack, domains, append(args, "--exit-zero")...); code != exitOK {
		t.Errorf("Slack back: exit %d, want 0 with --exit-zero", code)
	}
	calls = slack.Calls()
	if last := calls[len(calls)-1].text(); !strings.Contains(last, "*nomx.lab.test* pass → fail: ") {
		t.Errorf("the change was not posted once Slack was back:\n%s", last)
	}
	entries, _ := os.ReadDir(filepath.Dir(state))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the state: %v", entries)
	}
}

func expectStatusOverall(t *testing.T, name string) checks.Status {
	s, _ := startLab(t).Scenario(name)
	var rs []checks.Result
	for id, e := range s.Expect {
		rs = append(rs, checks.Result{ID: id, Status: e.Status})
	}
	return checks.Overall(rs)
}

func TestNotifyOnFailAndAlways(t *testing.T) {
	for _, tc := range []struct {
		name    string
		on      string
		domains []string
		posts   int
		want    []string
	}{
		{"all pass, fail: nothing", "fail", []string{"good.lab.test"}, 0, nil},
		{"a failure, fail", "fail", []string{"good.lab.test", "expired.lab.test"}, 1,
			[]string{"1 of 2 domains failing", "*expired.lab.test*: imap.993, pop3.995, smtp.465, smtp.587 — fix: "}},
		{"all pass, always", "always", []string{"good.lab.test"}, 1, []string{"1 domain checked, no failing check"}},
		{"default is fail", "", []string{"nxdomain.lab.test"}, 1, []string{"1 of 1 domain failing", "*nxdomain.lab.test*: dns.host"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slack := newFakeSlack(t)
			args := []string{"--notify", "C0ONCALL"}
			if tc.on != "" {
				args = append(args, "--notify-on", tc.on)
			}
			labRun(t, slack, tc.domains, args...)
			calls := slack.Calls()
			if len(calls) != tc.posts {
				t.Fatalf("%d posts, want %d", len(calls), tc.posts)
			}
			for _, want := range tc.want {
				if !strings.Contains(calls[0].text(), want) {
					t.Errorf("post lacks %q:\n%s", want, calls[0].text())
				}
			}
			if strings.Contains(strings.Join(tc.want, ""), "failing") && strings.Contains(calls[0].text(), "good.lab.test") {
				t.Errorf("post names the passing domain:\n%s", calls[0].text())
			}
		})
	}
}

// TestNotifySingleDomain: "check DOMAIN --notify" posts too.
func TestNotifySingleDomain(t *testing.T) {
	slack := newFakeSlack(t)
	code, _, errOut := runCLI(t, env("SLACK_BOT_TOKEN", "xoxb-1-test", "SLACK_API_URL", slack.URL+"/api/"),
		append([]string{"check", "nxdomain.lab.test", "--notify", "C0ONCALL", "--lang", "en"}, labArgs(t, "nxdomain")...)...)
	if code != exitFail {
		t.Errorf("exit %d, want %d\n%s", code, exitFail, errOut)
	}
	calls := slack.Calls()
	if len(calls) != 1 || !strings.Contains(calls[0].text(), "*nxdomain.lab.test*: dns.host") {
		t.Errorf("posts: %+v", calls)
	}
}

func testNotifier(t *testing.T, slack *fakeSlack, on string) *notifier {
	t.Helper()
	cfg := notifyConfig{channel: "C0ONCALL", on: on, token: "xoxb-1-s3cret", apiURL: slack.URL + "/api/"}
	n, err := newNotifier(cfg, messages.EN, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotifyRetryAfter(t *testing.T) {
	msg := slackMessage{Channel: "C0ONCALL", Text: "hello"}
	t.Run("once", func(t *testing.T) {
		slack := newFakeSlack(t)
		slack.limited = 1
		if err := testNotifier(t, slack, "fail").post(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
		if n := len(slack.Calls()); n != 2 {
			t.Errorf("%d calls, want 2 (429, then the retry)", n)
		}
	})
	t.Run("twice", func(t *testing.T) {
		slack := newFakeSlack(t)
		slack.limited = 2
		err := testNotifier(t, slack, "fail").post(context.Background(), msg)
		if err == nil || !strings.Contains(err.Error(), "429") {
			t.Errorf("err = %v, want HTTP 429", err)
		}
		if n := len(slack.Calls()); n != 2 {
			t.Errorf("%d calls, want 2: one retry only", n)
		}
	})
}

func TestNotifySlackErrors(t *testing.T) {
	for _, tc := range []struct{ answer, want string }{
		{`{"ok":false,"error":"not_in_channel"}`, "invite the app to C0ONCALL"},
		{`{"ok":false,"error":"invalid_auth"}`, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
		{`{"ok":false,"error":"msg_too_long"}`, "chat.postMessage: msg_too_long"},
		{`not json`, "reading the answer"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			slack := newFakeSlack(t)
			slack.answer = tc.answer
			err := testNotifier(t, slack, "fail").post(context.Background(), slackMessage{Channel: "C0ONCALL", Text: "x"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("err = %v, want %q and no token", err, tc.want)
			}
		})
	}
}

// TestNotifyMessageLimits: a long list of failures stays within Slack's
// limits (50 blocks, 3000 characters a section) and says how many are
// left out; Slack's reserved characters are escaped.
func TestNotifyMessageLimits(t *testing.T) {
	n := testNotifier(t, newFakeSlack(t), "fail")
	const total = 3000
	for i := range total {
		st := domainState{domain: fmt.Sprintf("client-%04d.example", i), status: checks.StatusFail,
			checks: map[checks.ID]checks.Status{checks.SMTP465: checks.StatusFail}, remedy: "Open port 465 <now> & retry"}
		n.notices = append(n.notices, notice{cur: st})
		n.total++
		n.failing++
	}
	msg, ok := n.message()
	if !ok {
		t.Fatal("nothing to post")
	}
	if len(msg.Blocks) > 50 {
		t.Errorf("%d blocks, Slack takes 50", len(msg.Blocks))
	}
	shown := 0
	for _, b := range msg.Blocks {
		if b.Text != nil && len(b.Text.Text) > 3000 {
			t.Errorf("a section of %d characters, Slack takes 3000", len(b.Text.Text))
		}
		if b.Text != nil {
			shown += strings.Count(b.Text.Text, "• ")
		}
	}
	last := msg.Blocks[len(msg.Blocks)-1]
	if last.Type != "context" || last.Elements[0].Text != fmt.Sprintf("… and %d more domains", total-shown) {
		t.Errorf("last block %+v; %d shown", last, shown)
	}
	if !strings.Contains(msg.Blocks[1].Text.Text, "Open port 465 &lt;now&gt; &amp; retry") {
		t.Errorf("not escaped: %s", msg.Blocks[1].Text.Text)
	}
	if !strings.HasPrefix(msg.Blocks[1].Text.Text, "• *client-0000.example*") {
		t.Errorf("not sorted by domain: %.60s", msg.Blocks[1].Text.Text)
	}
}

func TestTransitions(t *testing.T) {
	st := func(kv ...checks.Status) domainState {
		s := domainState{checks: map[checks.ID]checks.Status{}}
		for i, id := range checks.AllIDs[:len(kv)] {
			s.checks[id] = kv[i]
		}
		return s
	}
	p, f, s, w := checks.StatusPass, checks.StatusFail, checks.StatusSkip, checks.StatusWarn
	got := transitions(st(p, f, p, p, w, p, s), st(f, f, p, p, p, p, p))
	want := []string{"dns.host pass → fail", "dns.dmarc warn → pass"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

func TestReadPrevious(t *testing.T) {
	good := `{"schema_version":1,"domain":"a.example","status":"fail","checks":[{"id":"smtp.465","status":"fail"}],"remedies":[{"code":"tcp.refused","title":"Open 465"}]}`
	in := good + "\n\n" + `{"input":"not a domain","error":"…"}` + "\n" + `{"schema_version":2,"domain":"b.example"}` + "\n{truncated"
	prev, bad, err := readPrevious(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if bad != 3 || len(prev) != 1 {
		t.Errorf("%d states, %d bad; want 1 and 3", len(prev), bad)
	}
	a := prev["a.example"]
	if diff := cmp.Diff([]checks.ID{checks.SMTP465}, a.failing()); diff != "" || a.remedy != "Open 465" {
		t.Errorf("state %+v", a)
	}
}

// FuzzReadPrevious: the state file is read back whatever it holds.
func FuzzReadPrevious(f *testing.F) {
	f.Add(`{"schema_version":1,"domain":"a.example","status":"fail","checks":[{"id":"smtp.465","status":"fail"}]}` + "\n")
	f.Add("{}\n{\"schema_version\":1}\n")
	f.Add("\x00\xff\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		prev, _, _ := readPrevious(strings.NewReader(in))
		for d, s := range prev {
			if d == "" || s.domain != d {
				t.Fatalf("state %q keyed %q", s.domain, d)
			}
			s.failing()
		}
	})
}
