package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile carries what would drive a terminal: a screen clear, a window
// title, an OSC 8 link, a right-to-left override and an isolate.
const hostile = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\u202egnp.exe\u2066"

// terminalUnsafe returns the first byte below 0x20 other than newline
// and tab, or bidirectional control (U+202A–U+202E, U+2066–U+2069), of
// s, and false when there is none.
func terminalUnsafe(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f,
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == utf8.RuneError:
			return r, true
		}
	}
	return 0, false
}

// TestNothingReachesTheTerminal: hostile arguments, environment values,
// --file lines and a mail server's greeting reach stdout and stderr
// escaped, in every format, on the error paths as on the report's. The
// arguments and the --file lines were printed raw before.
func TestNothingReachesTheTerminal(t *testing.T) {
	lab := labArgs(t, "hostile")
	type invocation struct {
		name  string
		env   []string
		args  []string
		stdin string
	}
	runs := []invocation{
		{name: "domain", args: []string{"check", hostile + "client.com"}},
		{name: "several words", args: []string{"check", "client.com", hostile}},
		{name: "url", args: []string{"check", "http://" + hostile + "/"}},
		{name: "format", args: []string{"check", "--format", hostile, "client.com"}},
		{name: "lang", args: []string{"check", "--lang", hostile, "client.com"}},
		{name: "timeout", args: []string{"check", "--timeout", hostile, "client.com"}},
		{name: "client", args: []string{"check", "--client", hostile, "client.com"}},
		{name: "resolver", args: []string{"check", "--resolver", hostile, "client.com"}},
		{name: "port map", args: []string{"check", "--port-map", hostile, "client.com"}},
		{name: "host", args: []string{"check", "--host", hostile, "client.com"}},
		{name: "notify", args: []string{"check", "--notify", hostile, "client.com"}},
		{name: "unknown flag", args: []string{"check", "--" + hostile, "client.com"}},
		{name: "missing file", args: []string{"check", "--file", "/nonexistent/" + hostile}},
		{name: "unknown command", args: []string{hostile}},
		{name: "version argument", args: []string{"version", hostile}},
		{name: "demo argument", args: []string{"demo", hostile}},
		{name: "env lang", env: []string{"MAILSETUP_LANG", hostile}, args: []string{"check", "client.com"}},
		{name: "env timeout", env: []string{"MAILSETUP_TIMEOUT", hostile}, args: []string{"check", "client.com"}},
		{name: "env private", env: []string{"MAILSETUP_ALLOW_PRIVATE", hostile}, args: []string{"check", "client.com"}},
		{name: "env port map", env: []string{"MAILSETUP_PORT_MAP", hostile}, args: []string{"check", "client.com"}},
		{name: "env resolver", env: []string{"MAILSETUP_RESOLVER", hostile}, args: []string{"check", "client.com"}},
		{name: "env log level", env: []string{"MAILSETUP_LOG_LEVEL", hostile}, args: []string{"check", "client.com"}},
		{name: "env listen", env: []string{"MAILSETUP_LISTEN", hostile}, args: []string{"check", "client.com"}},
		{name: "serve env", env: []string{"SLACK_APP_TOKEN", hostile, "SLACK_BOT_TOKEN", hostile}, args: []string{"serve"}},
	}
	list := "good.lab.test\n" + hostile + "\nclient" + hostile + ".com\nhttps://" + hostile + ".example/\n"
	for _, format := range []string{"text", "json", "blocks"} {
		runs = append(runs,
			invocation{name: "file " + format, args: append([]string{"check", "--file", "-", "--format", format}, lab...), stdin: list},
			invocation{name: "banner " + format, args: append([]string{"check", "hostile.lab.test", "--format", format, "--reply", "--client", "apple"}, lab...)},
			invocation{name: "banner en " + format, args: append([]string{"check", "hostile.lab.test", "--lang", "en", "--format", format}, lab...)},
		)
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			run(context.Background(), r.args, strings.NewReader(r.stdin), &out, &errOut, env(r.env...))
			for name, s := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
				if c, bad := terminalUnsafe(s); bad {
					t.Errorf("%s carries %U:\n%q", name, c, s)
				}
			}
			if out.Len()+errOut.Len() == 0 {
				t.Errorf("nothing said")
			}
			if strings.HasPrefix(r.name, "banner") && !strings.Contains(out.String(), "pwned") {
				t.Errorf("the greeting is not in the report, escaped:\n%s", out.String())
			}
		})
	}
}
