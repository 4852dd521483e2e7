package bot

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, s := range []string{
		"token xoxb-123-456-abc refused",
		"xapp-1-A0-1-secret",
		`dial wss://wss.slack.com/link/?ticket=abc-123&app_id=A1: refused`,
		"https://hooks.slack.com/commands/T1/123/abc",
	} {
		got := redact(s)
		if strings.Contains(got, "xoxb-") || strings.Contains(got, "xapp-") || strings.Contains(got, "abc-123") || strings.Contains(got, "hooks.slack.com/commands") {
			t.Errorf("redact(%q) = %q", s, got)
		}
	}
}
