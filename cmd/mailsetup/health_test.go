package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/internal/syncbuf"
)

// TestHealth runs "mailsetup health" against a real operations server,
// one that answers 503, and a port where nothing listens.
func TestHealth(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok\n"))
	}))
	defer healthy.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not ok", http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	_, healthyPort, _ := net.SplitHostPort(healthy.Listener.Addr().String())

	for _, tc := range []struct {
		name   string
		args   []string
		env    func(string) string
		code   int
		stderr string
	}{
		{"env", nil, env("MAILSETUP_LISTEN", healthy.Listener.Addr().String()), exitOK, ""},
		{"every address means loopback", []string{"--listen", ":" + healthyPort}, env(), exitOK, ""},
		{"503", []string{"--listen", sick.Listener.Addr().String()}, env(), exitFail, "answered 503"},
		{"nothing listens", []string{"--listen", closedAddr}, env(), exitFail, "unhealthy"},
		{"not configured", nil, env(), exitUsage, "set MAILSETUP_LISTEN"},
		{"bad address", []string{"--listen", "9090"}, env(), exitUsage, "want [HOST]:PORT"},
		{"stray argument", []string{"now"}, env("MAILSETUP_LISTEN", ":9090"), exitUsage, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncbuf.Buffer
			code := run(context.Background(), append([]string{"health"}, tc.args...), strings.NewReader(""), &stdout, &stderr, tc.env)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderr)
			}
			if code == exitOK && strings.TrimSpace(stdout.String()) != "ok" {
				t.Errorf("stdout %q, want ok", stdout.String())
			}
		})
	}
}
