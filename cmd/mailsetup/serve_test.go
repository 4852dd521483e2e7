package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/lab"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestServeRefusesBadSettings(t *testing.T) {
	s := slacktest.New()
	defer s.Close()
	good := func() map[string]string {
		return map[string]string{"SLACK_APP_TOKEN": slacktest.AppToken, "SLACK_BOT_TOKEN": slacktest.BotToken,
			"SLACK_API_URL": s.URL, "MAILSETUP_RESOLVER": "127.0.0.1:53"}
	}
	for _, tc := range []struct {
		name   string
		change map[string]string
		want   string
		code   int
		secret string
	}{
		{"no app token", map[string]string{"SLACK_APP_TOKEN": ""}, "SLACK_APP_TOKEN is not set", exitUsage, ""},
		{"no bot token", map[string]string{"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set", exitUsage, ""},
		{"tokens swapped", map[string]string{"SLACK_APP_TOKEN": slacktest.BotToken, "SLACK_BOT_TOKEN": slacktest.AppToken},
			"SLACK_APP_TOKEN is not the Slack app's app-level token: it should start with xapp-", exitUsage, slacktest.BotToken},
		{"user token", map[string]string{"SLACK_BOT_TOKEN": "xoxp-1-usertokensecret"}, "it should start with xoxb-", exitUsage, "usertokensecret"},
		{"bot token refused", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1-revokedsecret"},
			"Slack refused SLACK_BOT_TOKEN (invalid_auth)", exitUsage, "revokedsecret"},
		{"app token refused", map[string]string{"SLACK_APP_TOKEN": "xapp-1-revokedsecret"},
			"Slack refused SLACK_APP_TOKEN (invalid_auth)", exitUsage, "revokedsecret"},
		{"bad rate", map[string]string{"MAILSETUP_RATE": "lots"}, `MAILSETUP_RATE="lots": want a number from 1 to 10000`, exitUsage, ""},
		{"bad language", map[string]string{"MAILSETUP_LANG": "de"}, "de", exitUsage, ""},
		{"Slack unreachable", map[string]string{"SLACK_API_URL": "http://127.0.0.1:1/api/"}, "cannot reach Slack at http://127.0.0.1:1/api/", exitFail, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := good()
			for k, v := range tc.change {
				env[k] = v
			}
			var stdout, stderr syncbuf.Buffer
			code := runServe(context.Background(), nil, &stdout, &stderr, envOf(env))
			out := stderr.String()
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, out, tc.code, tc.want)
			}
			if strings.Count(strings.TrimSpace(out), "\n") > 0 {
				t.Errorf("want one line, got:\n%s", out)
			}
			if tc.secret != "" && strings.Contains(out+stdout.String(), tc.secret) {
				t.Errorf("the token is shown: %s", out)
			}
		})
	}
}

func TestServeAnswersAndStops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, lab.Options{Scenarios: []string{"nxdomain"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := slacktest.New()
	defer s.Close()
	s.AddUser(slacktest.User{ID: "U1", Locale: "en-GB"})
	env := map[string]string{"SLACK_APP_TOKEN": slacktest.AppToken, "SLACK_BOT_TOKEN": slacktest.BotToken, "SLACK_API_URL": s.URL,
		"MAILSETUP_RESOLVER": l.DNSAddr, "MAILSETUP_ALLOW_PRIVATE": "true", "MAILSETUP_TIMEOUT": "2s"}
	var stdout, stderr syncbuf.Buffer
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() { done <- runServe(runCtx, nil, &stdout, &stderr, envOf(env)) }()
	if err := s.Wait(ctx, func(v slacktest.View) bool { return v.Connections() >= 1 }); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	_, url, err := s.SendSlashCommand(slacktest.SlashCommand{User: "U1", Channel: "C1", Text: "nxdomain.lab.test"})
	if err != nil {
		t.Fatal(err)
	}
	id := slacktest.ResponseID(url)
	err = s.Wait(ctx, func(v slacktest.View) bool {
		for _, r := range v.Responses() {
			if r.ID == id && strings.Contains(string(r.Blocks), "nxdomain.lab.test") {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no answer: %v\n%s", err, stderr.String())
	}
	stop() // SIGTERM
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after SIGTERM, want 0\n%s", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("serve did not stop")
	}
	logs := stderr.String()
	if !strings.Contains(logs, `"msg":"audit"`) || !strings.Contains(logs, `"domain":"nxdomain.lab.test"`) {
		t.Errorf("no audit line for the command:\n%s", logs)
	}
	for _, secret := range []string{slacktest.AppToken, slacktest.BotToken, url} {
		if strings.Contains(logs+stdout.String(), secret) {
			t.Errorf("a secret (%q) is in the output", secret)
		}
	}
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// get fetches a path of the operations server; code 0 means no answer.
func get(url string) (code int, body string) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// eventually polls cond every 20 ms until it holds or ctx ends.
func eventually(ctx context.Context, cond func() bool) bool {
	for {
		if cond() {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestServeOps: serve --listen answers /healthz, /readyz while connected
// to Slack and 503 once the socket is gone and cannot come back, and
// /metrics counts the commands, acks, checks and reconnects.
func TestServeOps(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, lab.Options{Scenarios: []string{"nxdomain"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := slacktest.New()
	defer s.Close()
	s.AddUser(slacktest.User{ID: "U1", Locale: "fr-FR"})
	addr := freeAddr(t)
	env := map[string]string{"SLACK_APP_TOKEN": slacktest.AppToken, "SLACK_BOT_TOKEN": slacktest.BotToken, "SLACK_API_URL": s.URL,
		"MAILSETUP_RESOLVER": l.DNSAddr, "MAILSETUP_ALLOW_PRIVATE": "true", "MAILSETUP_TIMEOUT": "2s"}
	var stdout, stderr syncbuf.Buffer
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() { done <- runServe(runCtx, []string{"--listen", addr}, &stdout, &stderr, envOf(env)) }()
	base := "http://" + addr
	if !eventually(ctx, func() bool { c, _ := get(base + "/readyz"); return c == http.StatusOK }) {
		t.Fatalf("/readyz never ready\n%s", stderr.String())
	}
	if c, _ := get(base + "/healthz"); c != http.StatusOK {
		t.Errorf("/healthz = %d", c)
	}
	_, url, err := s.SendSlashCommand(slacktest.SlashCommand{User: "U1", Channel: "C1", Text: "nxdomain.lab.test"})
	if err != nil {
		t.Fatal(err)
	}
	id := slacktest.ResponseID(url)
	if err := s.Wait(ctx, func(v slacktest.View) bool {
		for _, r := range v.Responses() {
			if r.ID == id {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}
	// A dropped socket is followed by a reconnect, counted.
	if err := s.Drop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Wait(ctx, func(v slacktest.View) bool { return v.Connections() >= 2 }); err != nil {
		t.Fatalf("no reconnect: %v", err)
	}
	wants := []string{
		"mailsetup_slack_reconnects_total 1",
		`mailsetup_commands_total{kind="check",result="fail"} 1`,
		`mailsetup_checks_total{check="dns.host",status="fail"} 1`,
		`mailsetup_check_duration_seconds_count{check="smtp.25"} 1`,
		`mailsetup_ack_duration_seconds_count 1`,
		`mailsetup_inflight_checks 0`,
		`go_goroutines`,
	}
	// The audit line (and its counter) follows the answer by a moment:
	// scrape until everything is there, or the test's deadline.
	var metrics string
	eventually(ctx, func() bool {
		_, metrics = get(base + "/metrics")
		for _, want := range wants {
			if !strings.Contains(metrics, want) {
				return false
			}
		}
		return true
	})
	for _, want := range wants {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s\n%s", want, grepLines(metrics, "mailsetup_"))
		}
	}
	if strings.Contains(metrics, "nxdomain.lab.test") || strings.Contains(metrics, "U1") {
		t.Error("/metrics names a domain or a user")
	}
	// Slack goes away for good: the socket drops and cannot be reopened.
	s.FailOpen(1000)
	if err := s.Drop(); err != nil {
		t.Fatal(err)
	}
	if !eventually(ctx, func() bool { c, _ := get(base + "/readyz"); return c == http.StatusServiceUnavailable }) {
		t.Error("/readyz stayed ready with Slack unreachable")
	}
	if c, _ := get(base + "/healthz"); c != http.StatusOK {
		t.Errorf("/healthz = %d while Slack is down, want 200 (the process is alive)", c)
	}
	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d, want 0\n%s", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("serve did not stop")
	}
	if c, _ := get(base + "/healthz"); c != 0 {
		t.Errorf("the operations server still answers after exit (%d)", c)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestFleetFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/fleet.txt"
	if err := os.WriteFile(path, []byte("# platform\nmail1.example.net\n\n  mail2.example.net  # backup\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := defaults(envOf(nil))
	cfg, err := serveConfig(c, envOf(map[string]string{"MAILSETUP_FLEET": "mx.example.net", "MAILSETUP_FLEET_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Fleet, ","); got != "mx.example.net,mail1.example.net,mail2.example.net" {
		t.Errorf("fleet = %s", got)
	}
	if _, err := serveConfig(c, envOf(map[string]string{"MAILSETUP_FLEET_FILE": dir + "/missing"})); err == nil || !strings.Contains(err.Error(), "MAILSETUP_FLEET_FILE") {
		t.Errorf("missing fleet file: %v", err)
	}
}
