package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// secretPattern matches what must never reach a log: Slack tokens (bot
// xoxb-, user xoxp-, app-level xapp-, and the other xox?- kinds,
// https://api.slack.com/concepts/token-types) and Slack URLs that act as
// credentials (a command's response_url, an incoming webhook), both on
// hooks.slack.com. The token's type prefix is kept, so a log still says
// which kind was involved.
var secretPattern = regexp.MustCompile(`xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|(?i:https?://hooks\.slack\.com/[^\s"'<>]*)`)

// Redacted replaces the secret part of a match.
const Redacted = "REDACTED"

// RedactSecrets returns s with every Slack token and hooks.slack.com URL
// replaced by its kind and REDACTED ("xoxb-REDACTED").
func RedactSecrets(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	return secretPattern.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "xox") || strings.HasPrefix(m, "xapp-") {
			return m[:strings.IndexByte(m, '-')+1] + Redacted
		}
		return "https://hooks.slack.com/" + Redacted
	})
}

// mayHoldSecret is the cheap test before the regular expression.
func mayHoldSecret(s string) bool {
	return strings.Contains(s, "xox") || strings.Contains(s, "xapp-") || strings.Contains(strings.ToLower(s), "hooks.slack")
}

// RedactHandler wraps h so that Slack secrets in a record's message and
// attributes (strings, errors, anything printed, inside groups too) are
// replaced before h sees them. Code should not log secrets in the first
// place; this is the defence in depth for the one that slips through (an
// error that quotes a URL, a library that prints a request).
func RedactHandler(h slog.Handler) slog.Handler { return redactHandler{h} }

type redactHandler struct{ h slog.Handler }

func (r redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, RedactSecrets(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return redactHandler{r.h.WithAttrs(red)}
}

func (r redactHandler) WithGroup(name string) slog.Handler { return redactHandler{r.h.WithGroup(name)} }

// redactAttr redacts one attribute, groups recursively.
func redactAttr(a slog.Attr) slog.Attr {
	a.Value = a.Value.Resolve()
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(RedactSecrets(a.Value.String()))
	case slog.KindGroup:
		g := a.Value.Group()
		red := make([]slog.Attr, len(g))
		for i, x := range g {
			red[i] = redactAttr(x)
		}
		a.Value = slog.GroupValue(red...)
	case slog.KindAny:
		// An error, a Stringer, a struct: judge what a handler would print.
		// The value is replaced by its redacted text only when it held a
		// secret, so clean values keep their JSON shape.
		v := a.Value.Any()
		var s string
		switch x := v.(type) {
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		default:
			s = fmt.Sprintf("%+v", v)
		}
		if red := RedactSecrets(s); red != s {
			a.Value = slog.StringValue(red)
		}
	}
	return a
}
