package telemetry

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const (
	botToken    = "xoxb-1234-5678-s3cr3tb0t"
	appToken    = "xapp-1-A0TEST-1-s3cr3tapp"
	responseURL = "https://hooks.slack.com/commands/T0001/1234/s3cr3thook"
)

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

type request struct {
	URL   string
	Token string
}

func TestRedactHandler(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			var h slog.Handler = slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
			if format == "text" {
				h = slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
			}
			log := slog.New(RedactHandler(h)).With("token", botToken).WithGroup("g").With("app", appToken)
			log.Info("posting to "+responseURL+" with "+botToken,
				"url", responseURL,
				"err", fmt.Errorf("post %s: %w", responseURL, errors.New("timeout")),
				"stringer", stringer{"Bearer " + appToken},
				"request", request{URL: responseURL, Token: botToken},
				slog.Group("inner", "token", "token="+botToken),
				"clean", []string{"smtp.465", "imap.993"},
			)
			out := buf.String()
			for _, secret := range []string{"s3cr3tb0t", "s3cr3tapp", "s3cr3thook"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s shown:\n%s", secret, out)
				}
			}
			for _, kept := range []string{"xoxb-REDACTED", "xapp-REDACTED", "https://hooks.slack.com/REDACTED", "smtp.465"} {
				if !strings.Contains(out, kept) {
					t.Errorf("%s missing:\n%s", kept, out)
				}
			}
			if format == "json" && !strings.Contains(out, `"clean":["smtp.465","imap.993"]`) {
				t.Errorf("a clean value lost its JSON shape:\n%s", out)
			}
		})
	}
}

func TestRedactSecrets(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"nothing here", "nothing here"},
		{"xoxb-1-2-abc", "xoxb-REDACTED"},
		{"Bearer xoxp-12-34-ab, then", "Bearer xoxp-REDACTED, then"},
		{"refresh xoxe.xoxp-1-abc", "refresh xoxe.xoxp-REDACTED"},
		{"app=xapp-1-A1-2-ff", "app=xapp-REDACTED"},
		{`"https://hooks.slack.com/actions/T1/2/x-y"`, `"https://hooks.slack.com/REDACTED"`},
		{"HTTPS://HOOKS.SLACK.COM/services/T/B/X", "https://hooks.slack.com/REDACTED"},
		{"https://slack.com/api/chat.postMessage", "https://slack.com/api/chat.postMessage"},
		{"xox alone", "xox alone"},
	} {
		if got := RedactSecrets(tc.in); got != tc.want {
			t.Errorf("RedactSecrets(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzRedactSecrets: whatever surrounds a token, it does not survive.
func FuzzRedactSecrets(f *testing.F) {
	f.Add("before ", "after")
	f.Add("xox", "-x")
	f.Add("https://hooks.slack.com/", "")
	f.Add("", "\n")
	f.Fuzz(func(t *testing.T, before, after string) {
		for _, secret := range []string{"xoxb-9-9-Zq7Secret", "xapp-1-Zq7Secret", "https://hooks.slack.com/commands/Zq7Secret"} {
			out := RedactSecrets(before + secret + " " + after)
			if strings.Contains(out, "Zq7Secret") && !strings.Contains(before+after, "Zq7Secret") {
				t.Fatalf("secret kept: %q", out)
			}
		}
	})
}
