package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestHistoryRemembers: two checks of a lab domain, SMTP 465 closed at
// the second, then "mailsetup history": the second report says what
// changed, the timeline has two states, the JSON a changes list.
func TestHistoryRemembers(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	getenv := env("MAILSETUP_STATE", state)
	args := append([]string{"check", "good.lab.test", "--lang", "fr"}, labArgs(t, "good")...)
	if _, out, errOut := runCLI(t, getenv, args...); strings.Contains(out, "Ce qui a changé") || errOut != "" {
		t.Fatalf("first check says something changed, or warns:\n%s\n%s", out, errOut)
	}
	// The same domain, its port 465 now refusing connections (port 1 on
	// loopback).
	closed := append(args, "--port-map", strings.TrimPrefix(labArgs(t, "good")[5], "--port-map=")+",465:1", "--format", "json")
	_, out, errOut := runCLI(t, getenv, closed...)
	var rep struct {
		Changes []struct {
			Kind, Check, Text string
			Checks            int
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	found := false
	for _, c := range rep.Changes {
		// Without the lab's CA, 465 failed already (untrusted); now it
		// fails otherwise: refused.
		if c.Kind == "check_codes" && c.Check == "smtp.465" && c.Checks == 1 && strings.Contains(c.Text, "SMTP 465 : autre problème (tcp.refused") {
			found = true
		}
	}
	if !found {
		t.Errorf("changes %+v lack SMTP 465 failing since the last check", rep.Changes)
	}
	code, out, errOut := runCLI(t, getenv, "history", "good.lab.test", "--lang", "fr")
	if code != exitOK || !strings.Contains(out, "Historique de good.lab.test (2 vérifications)") || !strings.Contains(out, "SMTP 465 : autre problème (tcp.refused, avant : tls.cert_untrusted)\n") {
		t.Errorf("history: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, getenv, "history", "--format", "json", "--limit", "1", "good.lab.test")
	var tl struct {
		Checks int
		States []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil || code != exitOK || tl.Checks != 1 || len(tl.States) != 1 {
		t.Errorf("history --limit 1 --format json: exit %d, %v, %+v\n%s", code, err, tl, out)
	}
}

// TestHistoryFaults: a malformed database URL is a usage error naming
// the variable; a database that does not answer, or a state file that
// cannot be written, is a one-line warning, and the check runs and says
// history is unavailable. No password is ever printed.
func TestHistoryFaults(t *testing.T) {
	args := append([]string{"check", "nomx.lab.test", "--lang", "fr"}, labArgs(t, "nomx")...)
	code, out, errOut := runCLI(t, env("MAILSETUP_DATABASE_URL", "postgres://mailsetup:s3cret@[::1/db"), args...)
	if code != exitUsage || !strings.Contains(errOut, "MAILSETUP_DATABASE_URL") || strings.Contains(out+errOut, "s3cret") {
		t.Errorf("malformed URL: exit %d\n%s\n%s", code, out, errOut)
	}
	for name, getenv := range map[string]func(string) string{
		"database down": env("MAILSETUP_DATABASE_URL", "postgres://mailsetup:s3cret@127.0.0.1:1/mailsetup?connect_timeout=2"),
		"dsn down":      env("MAILSETUP_DATABASE_URL", "host=127.0.0.1 port=1 user=mailsetup password=s3cret connect_timeout=2"),
		"unwritable":    env("MAILSETUP_STATE", "/proc/mailsetup/state.db"),
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, getenv, args...)
			if code != exitFail {
				t.Errorf("exit %d; want %d, the check's own", code, exitFail)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "history unavailable") {
				t.Errorf("want one warning line on stderr, got:\n%s", errOut)
			}
			if !strings.Contains(out, "Historique indisponible") || !strings.Contains(out, "nomx.lab.test") {
				t.Errorf("the report does not say history is unavailable:\n%s", out)
			}
			if strings.Contains(out+errOut, "s3cret") {
				t.Errorf("the password was printed:\n%s\n%s", out, errOut)
			}
		})
	}
}

func TestHistorySettings(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		path string
		off  bool
	}{
		{nil, "", true},
		{[]string{"HOME", "/home/u"}, "/home/u/.local/state/mailsetup/state.db", false},
		{[]string{"HOME", "/home/u", "XDG_STATE_HOME", "/var/lib/x"}, "/var/lib/x/mailsetup/state.db", false},
		{[]string{"HOME", "/home/u", "MAILSETUP_STATE", "off"}, "", true},
		{[]string{"MAILSETUP_STATE", "/srv/m.db"}, "/srv/m.db", false},
	} {
		h, err := historyDefaults(env(tc.env...))
		if err != nil || h.path != tc.path || h.off != tc.off {
			t.Errorf("%v: path %q off %v err %v; want %q %v", tc.env, h.path, h.off, err, tc.path, tc.off)
		}
	}
	for _, bad := range [][]string{{"MAILSETUP_RETENTION", "soon"}, {"MAILSETUP_RETENTION", "1m"}, {"MAILSETUP_TIMEZONE", "Mars/Olympus"}} {
		if _, err := historyDefaults(env(bad...)); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: err %v; want a usage error naming it", bad, err)
		}
	}
	if h, _ := historyDefaults(env("MAILSETUP_RETENTION", "30d")); h.retention.Hours() != 30*24 {
		t.Errorf("30d is %v", h.retention)
	}
}
