package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProfile writes a profile file for a test.
func writeProfile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "profile.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProfileRefused: a bad profile stops check, serve and demo at start
// with exit 2 and one line naming the field, from the flag or from
// MAILSETUP_PROFILE.
func TestProfileRefused(t *testing.T) {
	bad := writeProfile(t, "provider: X\nranges:\n  - 10.0.0.0/8\n  - 10.0.0.0/33\n")
	tests := []struct {
		name   string
		getenv func(string) string
		args   []string
		want   string
	}{
		{"check flag", env(), []string{"check", "--profile", bad, "client.com"}, "ranges[1]"},
		{"check env", env("MAILSETUP_PROFILE", bad), []string{"check", "client.com"}, "ranges[1]"},
		{"check missing file", env(), []string{"check", "--profile", "/nonexistent/profile.yaml", "client.com"}, "/nonexistent/profile.yaml"},
		{"serve", env("SLACK_APP_TOKEN", "xapp-1", "SLACK_BOT_TOKEN", "xoxb-1"), []string{"serve", "--profile", bad}, "ranges[1]"},
		{"demo", env(), []string{"demo", "--profile", bad}, "ranges[1]"},
		{"unknown field", env(), []string{"check", "--profile", writeProfile(t, "provider: X\nmx_hosts: [a]\n"), "client.com"}, `"mx_hosts"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.getenv, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, exitUsage, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("stderr is not one line naming %s:\n%s", tt.want, errOut)
			}
		})
	}
}

// TestProfileApplied: with a profile, a lab domain is judged against it
// (the lab's MX is not the profile's: mail hosted elsewhere); without
// one, the same run has no platform finding.
func TestProfileApplied(t *testing.T) {
	prof := writeProfile(t, "provider: PCM Hosting\nmx: [mx1.example-host.fr]\n")
	args := append([]string{"check", "good.lab.test", "--format", "json"}, labArgs(t, "good")...)
	_, out, errOut := runCLI(t, env(), append(args, "--profile", prof)...)
	if !strings.Contains(out, `"mx.elsewhere"`) || !strings.Contains(out, "PCM Hosting") {
		t.Errorf("with a profile: no mx.elsewhere naming the provider\n%s\n%s", out, errOut)
	}
	_, out, _ = runCLI(t, env(), args...)
	if strings.Contains(out, `"mx.elsewhere"`) {
		t.Errorf("without a profile: mx.elsewhere reported\n%s", out)
	}
}
