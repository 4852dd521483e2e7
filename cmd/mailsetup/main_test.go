package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/pgtest"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/store"
)

var (
	labOnce sync.Once
	theLab  *lab.Lab
	labErr  error
)

func startLab(tb testing.TB) *lab.Lab {
	tb.Helper()
	labOnce.Do(func() { theLab, labErr = lab.Start(context.Background(), lab.Options{}) })
	if labErr != nil {
		tb.Fatal(labErr)
	}
	return theLab
}

// env returns a getenv over a map, so tests never read the real one.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func runCLI(t *testing.T, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

// portMapFlag renders a scenario's profile as --port-map.
func portMapFlag(s lab.Scenario) string {
	var pairs []string
	for from, to := range s.Profile.PortMap {
		pairs = append(pairs, fmt.Sprintf("%d:%d", from, to))
	}
	sort.Strings(pairs)
	return "--port-map=" + strings.Join(pairs, ",")
}

func labArgs(t *testing.T, name string) []string {
	l := startLab(t)
	s, ok := l.Scenario(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	return []string{"--resolver", l.DNSAddr, "--allow-private", "--timeout", "2s", portMapFlag(s)}
}

func TestExitCodes(t *testing.T) {
	l := startLab(t)
	// SSL_CERT_FILE cannot be set per test; the lab CA is not trusted by
	// the system pool, so TLS checks fail as untrusted through the CLI.
	// The exit codes under test do not depend on that.
	tests := []struct {
		name string
		args []string
		want int
		in   string // substring of stdout+stderr
	}{
		{"no args", nil, exitUsage, "usage"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"version", []string{"version"}, exitOK, "mailsetup"},
		{"help", []string{"help"}, exitOK, "mailsetup check"},
		{"check without domain", []string{"check"}, exitUsage, "usage"},
		{"several words", []string{"check", "client", "com"}, exitUsage, "client com"},
		{"ip literal", []string{"check", "192.0.2.1"}, exitUsage, "192.0.2.1"},
		{"port", []string{"check", "client.com:25"}, exitUsage, "client.com:25"},
		{"special use refused", []string{"check", "good.lab.test"}, exitUsage, "good.lab.test"},
		{"bad format", []string{"check", "--format", "xml", "client.com"}, exitUsage, "--format"},
		{"bad lang", []string{"check", "--lang", "de", "client.com"}, exitUsage, "--lang"},
		{"bad timeout", []string{"check", "--timeout", "-1s", "client.com"}, exitUsage, "--timeout"},
		{"bad resolver", []string{"check", "--resolver", "nope", "client.com"}, exitUsage, "--resolver"},
		{"bad port map", []string{"check", "--port-map", "993", "client.com"}, exitUsage, "port"},
		{"file and domain", []string{"check", "--file", "x", "client.com"}, exitUsage, "--file"},
		{"missing file", []string{"check", "--file", "/nonexistent/list", "--resolver", l.DNSAddr}, exitUsage, "nonexistent"},
		{"lab nxdomain fails", append([]string{"check", "nxdomain.lab.test"}, labArgs(t, "nxdomain")...), exitFail, "nxdomain.lab.test"},
		{"flags after the domain", append([]string{"check", "mxprivate.lab.test", "--format", "json"}, labArgs(t, "mxprivate")...), exitFail, `"mxprivate.lab.test"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, env(), tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.want, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.in) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tt.in, out, errOut)
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr: %s", errOut)
			}
		})
	}
}

// TestEnvSettings: the environment sets defaults, flags override it,
// and bad values are usage errors.
func TestEnvSettings(t *testing.T) {
	if code, _, errOut := runCLI(t, env("MAILSETUP_TIMEOUT", "soon"), "check", "client.com"); code != exitUsage || !strings.Contains(errOut, "MAILSETUP_TIMEOUT") {
		t.Errorf("bad MAILSETUP_TIMEOUT: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env("MAILSETUP_ALLOW_PRIVATE", "maybe"), "check", "client.com"); code != exitUsage || !strings.Contains(errOut, "MAILSETUP_ALLOW_PRIVATE") {
		t.Errorf("bad MAILSETUP_ALLOW_PRIVATE: exit %d, %s", code, errOut)
	}
	// MAILSETUP_ALLOW_PRIVATE lets a lab name through, MAILSETUP_RESOLVER points at the lab.
	l := startLab(t)
	s, _ := l.Scenario("nxdomain")
	code, out, errOut := runCLI(t, env("MAILSETUP_ALLOW_PRIVATE", "true", "MAILSETUP_RESOLVER", l.DNSAddr, "MAILSETUP_TIMEOUT", "1s"), "check", s.Domain)
	if code != exitFail || !strings.Contains(out, s.Domain) {
		t.Errorf("env settings: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestResolverDown: a resolver that answers nothing makes checks error,
// not fail: exit 3.
func TestResolverDown(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // swallows every query
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	code, out, errOut := runCLI(t, env(), "check", "--resolver", pc.LocalAddr().String(), "--timeout", "100ms", "--format", "json", "client.com")
	if code != exitErrored {
		t.Errorf("exit %d, want %d\n%s\n%s", code, exitErrored, out, errOut)
	}
	if !strings.Contains(out, string(checks.ResolverFailed)) {
		t.Errorf("no %s in the report:\n%s", checks.ResolverFailed, out)
	}
}

func TestDemo(t *testing.T) {
	code, out, errOut := runCLI(t, env(), "demo")
	if code != exitOK {
		t.Fatalf("demo exit %d\n%s\n%s", code, out, errOut)
	}
	for _, name := range demoScenarios {
		if !strings.Contains(out, name+".lab.test") {
			t.Errorf("demo output lacks %s.lab.test", name)
		}
	}
	if code, _, _ := runCLI(t, env(), "demo", "--lang", "xx"); code != exitUsage {
		t.Errorf("demo --lang xx: exit %d, want %d", code, exitUsage)
	}
}

// TestBatch: --file reads stdin, checks each valid line once, reports
// invalid lines, and sums up.
func TestBatch(t *testing.T) {
	l := startLab(t)
	list := "# lab domains\nnxdomain.lab.test\n\nnot a domain\nnxdomain.lab.test\n192.0.2.1\n"
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check", "--file", "-", "--format", "json", "--resolver", l.DNSAddr, "--allow-private", "--timeout", "1s"},
		strings.NewReader(list), &out, &errOut, env())
	if code != exitFail {
		t.Errorf("exit %d, want %d; stderr %s", code, exitFail, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSON lines, want 4:\n%s", len(lines), out.String())
	}
	if s := errOut.String(); !strings.Contains(s, "4 domains") || !strings.Contains(s, "2 fail") || !strings.Contains(s, "2 invalid") {
		t.Errorf("summary = %q", s)
	}
}

// BenchmarkBatch200 checks 200 lab domains through the --file machinery,
// without history, recording every check in SQLite, and in PostgreSQL
// when it can be started: the cost of the history on a batch.
func BenchmarkBatch200(b *testing.B) {
	b.Run("history=off", func(b *testing.B) { benchBatch200(b, historyConfig{off: true}) })
	b.Run("history=sqlite", func(b *testing.B) {
		benchBatch200(b, historyConfig{path: filepath.Join(b.TempDir(), "state.db"), loc: time.UTC})
	})
	b.Run("history=postgres", func(b *testing.B) {
		ctx := context.Background()
		pg, err := pgtest.Start(ctx)
		if errors.Is(err, pgtest.ErrUnavailable) {
			b.Skipf("PostgreSQL: %v", err)
		}
		if err != nil {
			b.Fatal(err)
		}
		defer pg.Close()
		url, err := pg.NewDatabase(ctx)
		if err != nil {
			b.Fatal(err)
		}
		benchBatch200(b, historyConfig{url: url, loc: time.UTC})
	})
}

func benchBatch200(b *testing.B, h historyConfig) {
	l := startLab(b)
	c, _ := defaults(env())
	c.allowPrivate, c.timeout, c.format, c.parallel = true, 1e9, "json", 16
	c.history = h
	a, err := build(c, io.Discard, buildOptions{resolver: lookup.NewClient(l.DNSAddr, c.timeout), roots: l.RootCAs})
	if err != nil {
		b.Fatal(err)
	}
	a.source = store.SourceSchedule
	a.remember(context.Background(), io.Discard)
	defer a.forget()
	if !h.off && a.store == nil {
		b.Fatal("the history did not open")
	}
	profiles := map[string]*checks.Profile{}
	var names []string
	for _, s := range l.Scenarios() {
		if !benchable(s) {
			continue
		}
		p := s.Profile
		profiles[s.Domain] = &p
		names = append(names, s.Domain)
	}
	var list strings.Builder
	for i := range 200 {
		list.WriteString(names[i%len(names)] + "\n")
	}
	for b.Loop() {
		sum, err := checkStream(context.Background(), a, func(t checks.Target) *checks.Profile { return profiles[t.Domain] }, strings.NewReader(list.String()), &bytes.Buffer{})
		if err != nil || sum.total != 200 {
			b.Fatalf("%v %+v", err, sum)
		}
		b.ReportMetric(float64(sum.total)/sum.elapsed.Seconds(), "domains/s")
	}
}
