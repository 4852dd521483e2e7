package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"sigs.k8s.io/yaml"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
)

// logLines decodes the JSON log lines of stderr, skipping other lines
// (the batch summary).
func logLines(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, line)
		}
		out = append(out, m)
	}
	return out
}

// TestOpsServerDuringBatch runs "check --file - --listen 127.0.0.1:0",
// feeds it three domains, and once their reports are out scrapes the
// operations server of the running process.
func TestOpsServerDuringBatch(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr syncbuf.Buffer
	args := append([]string{"check", "--file", "-", "--format", "json", "--listen", "127.0.0.1:0"}, labArgs(t, "good")...)
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), args, inR, outW, &stderr, env())
		outW.Close()
	}()
	domains := []string{"good.lab.test", "mxprivate.lab.test", "nxdomain.lab.test"}
	go io.WriteString(inW, strings.Join(domains, "\n")+"\n")
	sc := bufio.NewScanner(outR)
	sc.Buffer(nil, 1<<20)
	for range domains {
		if !sc.Scan() {
			t.Fatalf("stdout ended early: %v\nstderr: %s", sc.Err(), stderr.String())
		}
	}

	var addr string
	for _, l := range logLines(t, stderr.String()) {
		if l["msg"] == "operations server listening" {
			addr, _ = l["addr"].(string)
		}
	}
	if addr == "" {
		t.Fatalf("no address logged:\n%s", stderr.String())
	}
	base := "http://" + addr
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		code, body := httpGet(t, base+path)
		if code != http.StatusOK || strings.TrimSpace(body) != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, code, body, want)
		}
	}
	_, body := httpGet(t, base+"/metrics")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	perCheck := map[string]float64{}
	for _, m := range fams["mailsetup_checks_total"].GetMetric() {
		perCheck[label(m, "check")] += m.GetCounter().GetValue()
		if s := label(m, "status"); !validStatus(s) {
			t.Errorf("status label %q", s)
		}
	}
	for _, id := range checks.AllIDs {
		if perCheck[string(id)] != float64(len(domains)) {
			t.Errorf("mailsetup_checks_total{check=%q} sums to %v, want %d", id, perCheck[string(id)], len(domains))
		}
	}
	for _, m := range fams["mailsetup_check_duration_seconds"].GetMetric() {
		if n := m.GetHistogram().GetSampleCount(); n != uint64(len(domains)) {
			t.Errorf("duration of %s: %d samples, want %d", label(m, "check"), n, len(domains))
		}
	}
	if v := fams["mailsetup_inflight_checks"].GetMetric()[0].GetGauge().GetValue(); v != 0 {
		t.Errorf("inflight = %v once every report is out, want 0", v)
	}
	// mailsetup_commands_total has no series until the bot counts a command.
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "mailsetup_ack_duration_seconds", "mailsetup_slack_reconnects_total"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "lab.test") {
					t.Errorf("%s has a domain as label: %s=%s", f.GetName(), l.GetName(), l.GetValue())
				}
			}
		}
	}

	inW.Close()
	if code := <-done; code != exitFail {
		t.Errorf("exit %d, want %d (nxdomain fails)", code, exitFail)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the operations server outlived the run")
	}
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func validStatus(s string) bool {
	switch checks.Status(s) {
	case checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip, checks.StatusError:
		return true
	}
	return false
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestOpsSettings: the operator's settings are checked before anything
// runs, with a usage error for each mistake.
func TestOpsSettings(t *testing.T) {
	tok := "SLACK_BOT_TOKEN"
	for _, tc := range []struct {
		name string
		env  func(string) string
		args []string
		want string
	}{
		{"bad log level", env("MAILSETUP_LOG_LEVEL", "loud"), []string{"client.com"}, `MAILSETUP_LOG_LEVEL="loud": want debug, info, warn or error`},
		{"bad listen", env(), []string{"--listen", "9090", "client.com"}, "--listen"},
		{"bad listen env", env("MAILSETUP_LISTEN", "localhost"), []string{"client.com"}, "--listen"},
		{"shard without file", env(), []string{"--shard", "0/2", "client.com"}, "--shard splits a --file list"},
		{"bad shard", env(), []string{"--file", "-", "--shard", "2/2"}, "I must be from 0 to N-1"},
		{"notify without token", env(), []string{"--notify", "C1", "client.com"}, "SLACK_BOT_TOKEN is not set"},
		{"notify with an app token", env(tok, "xapp-1-x"), []string{"--notify", "C1", "client.com"}, "should start with xoxb-"},
		{"notify-on alone", env(tok, "xoxb-1"), []string{"--notify-on", "change", "client.com"}, "--notify-on needs --notify"},
		{"bad notify-on", env(tok, "xoxb-1"), []string{"--notify", "C1", "--notify-on", "sometimes", "client.com"}, "want fail, change or always"},
		{"change without previous", env(tok, "xoxb-1"), []string{"--notify", "C1", "--notify-on", "change", "client.com"}, "needs --previous"},
		{"previous without change", env(tok, "xoxb-1"), []string{"--notify", "C1", "--previous", "p.jsonl", "client.com"}, "--notify-on change only"},
		{"bad channel", env(tok, "xoxb-1"), []string{"--notify", "on call", "client.com"}, "want a channel id"},
		{"bad api url", env(tok, "xoxb-1", "SLACK_API_URL", "slack.com/api"), []string{"--notify", "C1", "client.com"}, "SLACK_API_URL"},
		{"previous in a missing directory", env(tok, "xoxb-1"), []string{"--notify", "C1", "--notify-on", "change", "--previous", "/nonexistent/dir/p.jsonl", "client.com"}, "cannot write beside it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.env, append([]string{"check"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q lacks %q", errOut, tc.want)
			}
		})
	}
}

// TestLogsHoldNoToken runs a batch with both tokens in the environment,
// debug logs, a notification Slack refuses and the operations server:
// neither stdout nor stderr shows a token, though Slack received one.
func TestLogsHoldNoToken(t *testing.T) {
	const appToken = "xapp-1-A1-3-appT0kenSecret"
	slack := fakeSlack(t)
	slack.SetFault("chat.postMessage", slacktest.Fault{Error: "invalid_auth"})
	getenv := env("SLACK_BOT_TOKEN", slacktest.BotToken, "SLACK_APP_TOKEN", appToken, "SLACK_API_URL", strings.TrimSuffix(slack.URL, "/"),
		"MAILSETUP_LOG_LEVEL", "debug")
	args := append([]string{"check", "--file", "-", "--format", "json", "--listen", "127.0.0.1:0",
		"--notify", "C0ONCALL", "--exit-zero"}, labArgs(t, "nxdomain")...)
	var stdout, stderr syncbuf.Buffer
	code := run(context.Background(), args, strings.NewReader("nxdomain.lab.test\nmxprivate.lab.test\n"), &stdout, &stderr, getenv)
	if code != exitErrored {
		t.Errorf("exit %d, want %d: the notification failed", code, exitErrored)
	}
	all := stdout.String() + stderr.String()
	for _, secret := range []string{strings.TrimPrefix(slacktest.BotToken, "xoxb-1-"), "appT0kenSecret"} {
		if strings.Contains(all, secret) {
			t.Errorf("a token is shown:\n%s", all)
		}
	}
	if !strings.Contains(stderr.String(), "Slack refused SLACK_BOT_TOKEN (invalid_auth)") {
		t.Errorf("the refusal is not logged:\n%s", stderr.String())
	}
	if len(logLines(t, stderr.String())) == 0 {
		t.Errorf("no JSON log line on a non-terminal stderr:\n%s", stderr.String())
	}
}

func TestNewLogger(t *testing.T) {
	for _, tc := range []struct {
		level      string
		debugShown bool
		errShown   bool
	}{
		{"", false, true},
		{"debug", true, true},
		{"WARN", false, true},
		{"error", false, true},
	} {
		t.Run(tc.level, func(t *testing.T) {
			var buf bytes.Buffer
			lvl, err := parseLogLevel(tc.level)
			if err != nil {
				t.Fatal(err)
			}
			log := loggerAt(&buf, lvl)
			log.Debug("d")
			log.Error("e", "token", "xoxb-1-secret")
			lines := logLines(t, buf.String())
			var msgs []string
			for _, l := range lines {
				msgs = append(msgs, l["msg"].(string))
			}
			if got := strings.Join(msgs, ","); got != map[bool]string{true: "d,e", false: "e"}[tc.debugShown] {
				t.Errorf("logged %q", got)
			}
			if strings.Contains(buf.String(), "secret") {
				t.Errorf("token logged: %s", buf.String())
			}
		})
	}
	if _, err := defaults(env("MAILSETUP_LOG_LEVEL", "verbose")); err == nil {
		t.Error("MAILSETUP_LOG_LEVEL=verbose accepted")
	}
}

// TestServeOpsReadiness: the readiness function given to serveOps decides
// /readyz, as serve's "connected to Slack and room in the pool" will.
func TestServeOpsReadiness(t *testing.T) {
	reg, m, err := newMetrics()
	if err != nil {
		t.Fatal(err)
	}
	m.Reconnected()
	var mu sync.Mutex
	connected := true
	ready := func() error {
		mu.Lock()
		defer mu.Unlock()
		if !connected {
			return errNotConnected
		}
		return nil
	}
	var logs syncbuf.Buffer
	stop, err := serveOps(context.Background(), "127.0.0.1:0", reg, ready, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var addr string
	for _, l := range logLines(t, logs.String()) {
		if a, ok := l["addr"].(string); ok {
			addr = a
		}
	}
	if code, _ := httpGet(t, "http://"+addr+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d while connected", code)
	}
	mu.Lock()
	connected = false
	mu.Unlock()
	if code, body := httpGet(t, "http://"+addr+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, errNotConnected.Error()) {
		t.Errorf("/readyz = %d %q while disconnected, want 503", code, body)
	}
	if code, _ := httpGet(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d while disconnected, want 200", code)
	}
	stop()
	stop() // idempotent
}

var errNotConnected = errorString("not connected to Slack")

type errorString string

func (e errorString) Error() string { return string(e) }

// TestDeployedCommandLines: the commands the Kubernetes CronJobs and the
// systemd units run are accepted by this binary's flags.
func TestDeployedCommandLines(t *testing.T) {
	root := filepath.Join("..", "..", "deploy")
	var lines [][]string
	for _, f := range []string{"cronjob-platform.yaml", "cronjob-nightly.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, "k8s", f))
		if err != nil {
			t.Fatal(err)
		}
		var cj struct {
			Spec struct {
				JobTemplate struct {
					Spec struct {
						Template struct {
							Spec struct {
								Containers []struct{ Args []string }
							}
						}
					}
				} `json:"jobTemplate"`
			}
		}
		if err := yaml.Unmarshal(b, &cj); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		lines = append(lines, cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args)
	}
	unit, err := os.ReadFile(filepath.Join(root, "systemd", "mailsetup-platform.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(unit), "\n") {
		if cmd, ok := strings.CutPrefix(l, "ExecStart=/usr/local/bin/mailsetup "); ok {
			lines = append(lines, strings.Fields(cmd))
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d command lines found, want 3", len(lines))
	}
	vars := strings.NewReplacer("$(ONCALL_CHANNEL)", "C0123456789", "${ONCALL_CHANNEL}", "C0123456789", "$(JOB_COMPLETION_INDEX)", "3")
	for _, args := range lines {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if args[0] != "check" {
				t.Fatalf("command %q, want check", args[0])
			}
			c, err := defaults(env("SLACK_BOT_TOKEN", "xoxb-1", "MAILSETUP_LANG", "fr"))
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			fs := c.flagSet("check", &stderr)
			expanded := make([]string, len(args)-1)
			for i, a := range args[1:] {
				expanded[i] = vars.Replace(a)
			}
			positional, err := parseInterspersed(fs, expanded)
			if err != nil || len(positional) > 0 {
				t.Fatalf("flags refused: %v %q %s", err, positional, stderr.String())
			}
			if err := c.validate(); err != nil {
				t.Fatal(err)
			}
			if c.file == "" || !c.ops.exitZero || c.format != "json" {
				t.Errorf("want --file, --format json and --exit-zero: %+v", c)
			}
		})
	}
}

// TestOneShotCheckSurvivesTakenPort: the platform timer's check shares
// its environment with the bot, whose port is taken while it runs. The
// check must still run, report and exit by its result, with a warning
// about the operations server; and --listen= turns the server off
// whatever MAILSETUP_LISTEN says.
func TestOneShotCheckSurvivesTakenPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tc := range []struct {
		name    string
		args    []string
		env     func(string) string
		warning bool
	}{
		{"flag on a taken port", []string{"--listen", taken.Addr().String()}, env(), true},
		{"env on a taken port", nil, env("MAILSETUP_LISTEN", taken.Addr().String()), true},
		{"--listen= overrides the env", []string{"--listen="}, env("MAILSETUP_LISTEN", taken.Addr().String()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncbuf.Buffer
			args := append(append([]string{"check", "--format", "json", "--exit-zero"}, tc.args...), labArgs(t, "good")...)
			args = append(args, "good.lab.test")
			if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, tc.env); code != exitOK {
				t.Fatalf("exit %d, want %d (the check ran; --exit-zero as the platform unit)\nstderr: %s", code, exitOK, stderr.String())
			}
			if !strings.Contains(stdout.String(), `"domain": "good.lab.test"`) {
				t.Errorf("no report on stdout: %s", stdout.String())
			}
			warned := false
			for _, l := range logLines(t, stderr.String()) {
				if l["level"] == "WARN" && strings.HasPrefix(fmt.Sprint(l["msg"]), "operations server not started") {
					warned = true
				}
			}
			if warned != tc.warning {
				t.Errorf("warning logged = %v, want %v\nstderr: %s", warned, tc.warning, stderr.String())
			}
		})
	}
}
