package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
)

// fakeSlack is the fake Slack of the bot's tests, on 127.0.0.1.
func fakeSlack(t *testing.T) *slacktest.Server {
	s := slacktest.New()
	t.Cleanup(s.Close)
	return s
}

// slackEnv is the environment of a notification posting to s.
func slackEnv(s *slacktest.Server) func(string) string {
	return env("SLACK_BOT_TOKEN", slacktest.BotToken, "SLACK_API_URL", s.URL)
}

// posts returns what each chat.postMessage to s shows: its text, then
// the text of its blocks, a line each.
func posts(t *testing.T, s *slacktest.Server) []string {
	t.Helper()
	var out []string
	for _, c := range s.Calls("chat.postMessage") {
		var blocks []struct {
			Text     *struct{ Text string }
			Elements []struct{ Text string }
		}
		if err := json.Unmarshal(c.JSON, &blocks); err != nil {
			t.Fatalf("blocks of a post: %v", err)
		}
		var b strings.Builder
		b.WriteString(c.Params.Get("text") + "\n")
		for _, bl := range blocks {
			if bl.Text != nil {
				b.WriteString(bl.Text.Text + "\n")
			}
			for _, e := range bl.Elements {
				b.WriteString(e.Text + "\n")
			}
		}
		if ch := c.Params.Get("channel"); ch != "C0ONCALL" {
			t.Errorf("posted to %q, want C0ONCALL", ch)
		}
		out = append(out, b.String())
	}
	return out
}

// labRun checks domains of the lab as "check --file" does, trusting the
// lab CA, with the notification settings of args, and returns the exit
// code and the logs.
func labRun(t *testing.T, slack *slacktest.Server, domains []string, args ...string) (int, string) {
	t.Helper()
	return labRunEnv(t, slackEnv(slack), domains, args...)
}

// labRunEnv is labRun in the environment getenv (a history, say).
func labRunEnv(t *testing.T, getenv func(string) string, domains []string, args ...string) (int, string) {
	t.Helper()
	l := startLab(t)
	c, err := defaults(getenv)
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
	a, err := build(c, &stderr, buildOptions{resolver: lookup.NewClient(l.DNSAddr, c.timeout), roots: l.RootCAs})
	if err != nil {
		t.Fatal(err)
	}
	a.source = store.SourceSchedule
	a.remember(ctx, &stderr)
	defer a.forget()
	ops, err := startOps(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ops.close()
	profiles := map[string]*checks.Profile{}
	for _, s := range l.Scenarios() {
		p := s.Profile
		profiles[s.Domain] = &p
	}
	sum, err := checkStream(ctx, a, func(t checks.Target) *checks.Profile { return profiles[t.Domain] },
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

// TestNotifyOnChangeFromHistory: without --previous, --notify-on change
// compares with the history: the first run posts the failing domains,
// the second, with nothing changed, posts nothing.
func TestNotifyOnChangeFromHistory(t *testing.T) {
	slack := fakeSlack(t)
	getenv := env("SLACK_BOT_TOKEN", slacktest.BotToken, "SLACK_API_URL", slack.URL, "MAILSETUP_STATE", filepath.Join(t.TempDir(), "state.db"))
	domains := []string{"good.lab.test", "nxdomain.lab.test"}
	args := []string{"--notify", "C0ONCALL", "--notify-on", "change"}
	labRunEnv(t, getenv, domains, args...)
	calls := posts(t, slack)
	if len(calls) != 1 || !strings.Contains(calls[0], "*nxdomain.lab.test* (new) fail: dns.host") {
		t.Fatalf("first run: posts %q; want one naming nxdomain.lab.test as new", calls)
	}
	labRunEnv(t, getenv, domains, args...)
	if n := len(posts(t, slack)); n != 1 {
		t.Errorf("second run, no change: %d posts in all, want still 1", n)
	}
	if _, _, err := parseAndValidate(env("SLACK_BOT_TOKEN", slacktest.BotToken, "MAILSETUP_STATE", "off"), args...); err == nil {
		t.Error("--notify-on change with neither --previous nor history is accepted")
	}
}

// parseAndValidate reads check's flags in getenv.
func parseAndValidate(getenv func(string) string, args ...string) (config, []string, error) {
	c, err := defaults(getenv)
	if err != nil {
		return c, nil, err
	}
	pos, err := parseInterspersed(c.flagSet("check", io.Discard), args)
	if err != nil {
		return c, nil, err
	}
	return c, pos, c.validate()
}

func TestNotifyOnChange(t *testing.T) {
	slack := fakeSlack(t)
	state := filepath.Join(t.TempDir(), "previous.jsonl")
	domains := []string{"good.lab.test", "nxdomain.lab.test", "mxprivate.lab.test"}
	args := []string{"--notify", "C0ONCALL", "--notify-on", "change", "--previous", state}

	// First run: no state, every failing domain is news.
	labRun(t, slack, domains, args...)
	calls := posts(t, slack)
	if len(calls) != 1 {
		t.Fatalf("first run: %d posts, want 1", len(calls))
	}
	first := calls[0]
	for _, want := range []string{"*nxdomain.lab.test* (new) fail: dns.host", "*mxprivate.lab.test* (new) fail: dns.mx", "2 domains changed since the previous run (3 checked)"} {
		if !strings.Contains(first, want) {
			t.Errorf("first post lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "good.lab.test") {
		t.Errorf("first post names the passing domain:\n%s", first)
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
	if n := len(posts(t, slack)); n != 1 {
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
	calls = posts(t, slack)
	if len(calls) != 2 {
		t.Fatalf("third run: %d posts in all, want 2", len(calls))
	}
	third := calls[1]
	goodNow := string(expectStatusOverall(t, "good"))
	if want := "*good.lab.test* fail → " + goodNow + ": smtp.465 fail → pass"; !strings.Contains(third, want) {
		t.Errorf("third post lacks %q:\n%s", want, third)
	}
	if strings.Contains(third, "nxdomain") || strings.Contains(third, "mxprivate") {
		t.Errorf("third post names unchanged domains:\n%s", third)
	}

	// A change, but Slack is down: the run says so (exit 3 with
	// --exit-zero) and the state is kept, so the next run posts it.
	rewriteState(t, state, "mxprivate.lab.test", func(j *messages.JSONReport) { j.Status = checks.StatusPass; j.Checks = nil })
	before, _ := os.ReadFile(state)
	slack.SetFault("chat.postMessage", slacktest.Fault{Status: http.StatusInternalServerError})
	code, logs := labRun(t, slack, domains, append(args, "--exit-zero")...)
	if code != exitErrored || !strings.Contains(logs, "HTTP 500") {
		t.Errorf("Slack down: exit %d, want %d; logs:\n%s", code, exitErrored, logs)
	}
	after, _ := os.ReadFile(state)
	if !bytes.Equal(before, after) {
		t.Error("the state changed though nothing was posted")
	}
	slack.SetFault("chat.postMessage", slacktest.Fault{})
	if code, _ := labRun(t, slack, domains, append(args, "--exit-zero")...); code != exitOK {
		t.Errorf("Slack back: exit %d, want 0 with --exit-zero", code)
	}
	calls = posts(t, slack)
	if last := calls[len(calls)-1]; !strings.Contains(last, "*mxprivate.lab.test* pass → fail: ") {
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
			slack := fakeSlack(t)
			args := []string{"--notify", "C0ONCALL"}
			if tc.on != "" {
				args = append(args, "--notify-on", tc.on)
			}
			labRun(t, slack, tc.domains, args...)
			calls := posts(t, slack)
			if len(calls) != tc.posts {
				t.Fatalf("%d posts, want %d", len(calls), tc.posts)
			}
			for _, want := range tc.want {
				if !strings.Contains(calls[0], want) {
					t.Errorf("post lacks %q:\n%s", want, calls[0])
				}
			}
			if strings.Contains(strings.Join(tc.want, ""), "failing") && strings.Contains(calls[0], "good.lab.test") {
				t.Errorf("post names the passing domain:\n%s", calls[0])
			}
		})
	}
}

// TestNotifySingleDomain: "check DOMAIN --notify" posts too.
func TestNotifySingleDomain(t *testing.T) {
	slack := fakeSlack(t)
	code, _, errOut := runCLI(t, slackEnv(slack),
		append([]string{"check", "nxdomain.lab.test", "--notify", "C0ONCALL", "--lang", "en"}, labArgs(t, "nxdomain")...)...)
	if code != exitFail {
		t.Errorf("exit %d, want %d\n%s", code, exitFail, errOut)
	}
	calls := posts(t, slack)
	if len(calls) != 1 || !strings.Contains(calls[0], "*nxdomain.lab.test*: dns.host") {
		t.Errorf("posts: %+v", calls)
	}
}
