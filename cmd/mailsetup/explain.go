package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/triage"
)

// explainExample is the command the answer shows when the text names
// no customer domain.
const explainExample = "mailsetup explain client.fr < message.txt"

// explainHelp is the command that says what explain takes.
const explainHelp = "mailsetup explain -h"

// runExplain is "mailsetup explain [DOMAIN] [--text FILE|-]": read what
// the customer saw (a bounce, a mail client's error), check the domain
// given or the one the text points to, and say what it means. Every
// error is one line on stderr, in the user's language, as check's.
func runExplain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	lang := userLang(args, getenv)
	c, err := defaults(getenv)
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	fs := c.flagSet("explain", io.Discard)
	textFile := fs.String("text", "-", "read the pasted text from `FILE` (- for standard input), at most 32 KB")
	positional, err := parseFlags(fs, args, true)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, "usage: mailsetup explain [flags] [DOMAIN|EMAIL] [--text FILE|-]\n\n"+
			"Reads what the customer saw (a bounce, a mail client's error) from standard input or\n"+
			"--text, at most 32 KB; checks DOMAIN, or the customer's domain the text names; says\n"+
			"what the message means, whether the check confirms it, and what to do.\n"+
			"Exit codes: those of check; 2 also when the text names no domain to check.\n\nFlags:\n")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if err == nil {
		err = c.validate()
	}
	if err == nil && c.file != "" {
		err = usageError("explain reads one text: use --text, not --file")
	}
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	lang = messages.Lang(c.lang)
	if len(positional) > 1 {
		return printInputError(stderr, &checks.InputError{Reason: checks.InputSeveralWords, Input: strings.Join(positional, " ")}, c.lang)
	}
	given := ""
	if len(positional) == 1 {
		given = positional[0]
	}
	text, err := readPasted(stdin, *textFile, stderr, lang)
	if errors.Is(err, triage.ErrTooLong) {
		sayf(stderr, "mailsetup: %s", messages.TooLongMessage(lang))
		return exitUsage
	}
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	a, ops, err := buildCheck(ctx, c, stderr)
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	defer ops.close()
	code := explain(ctx, a, given, text, nil, stdout, stderr, isTerminal(stdout) && getenv("NO_COLOR") == "")
	return ops.finish(ctx, code)
}

// readPasted reads the pasted text from file, or standard input for
// "-", refusing more than triage.MaxInput bytes.
func readPasted(stdin io.Reader, file string, stderr io.Writer, lang messages.Lang) (string, error) {
	in := stdin
	if file != "-" && file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		in = f
	} else if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		hint := "Paste the text, then Ctrl-D:"
		if lang == messages.FR {
			hint = "Collez le texte, puis Ctrl-D :"
		}
		fmt.Fprintln(stderr, hint)
	}
	data, err := io.ReadAll(io.LimitReader(in, triage.MaxInput+1))
	if err != nil {
		return "", fmt.Errorf("reading the text: %w", err)
	}
	if len(data) > triage.MaxInput {
		return "", &triage.TooLongError{Size: len(data), Max: triage.MaxInput}
	}
	return string(data), nil
}

// explain is the triage of one text with a's engine, the same path as
// check: parse, choose the domain, check it, say what it means. The
// text itself is never logged: the log line holds the codes found
// (triage.Result.Audit). profileFor, when set, gives the domain's
// profile (the lab). The exit code is check's for the report; 2 when
// nothing could be checked (no domain, or one that is not valid).
func explain(ctx context.Context, a *app, given, text string, profileFor func(checks.Target) *checks.Profile, stdout, stderr io.Writer, color bool) int {
	c := a.cfg
	lang := messages.Lang(c.lang)
	r, err := triage.Parse(text)
	if err != nil {
		if errors.Is(err, triage.ErrTooLong) {
			sayf(stderr, "mailsetup: %s", messages.TooLongMessage(lang))
			return exitUsage
		}
		say(stderr, lang, err)
		return exitFail
	}
	choice := triage.Choose(r, given)
	opts := messages.ExplainOptions{Example: explainExample}
	var rep *checks.Report
	code := exitUsage
	if choice.Domain != "" {
		// The customer's address, when the text gives it, is the
		// settings' username.
		in := cmp.Or(given, r.ChosenFrom(choice), choice.Domain)
		if !strings.Contains(in, "@") {
			in = cmp.Or(given, choice.Domain)
		}
		t, err := parseTarget(in, c)
		var ie *checks.InputError
		switch {
		case err != nil && given != "" && errors.As(err, &ie):
			return printInputError(stderr, ie, c.lang)
		case err != nil:
			opts.BadDomain = true
		default:
			rep, _ = a.check(ctx, request(t, profileFor))
			code = exitCode(rep)
		}
	}
	a.log.Debug("explain", "domain", choice.Domain, "reason", string(choice.Reason), "triage", r.Audit())
	e := messages.NewExplanation(r, choice, rep, lang, opts)
	switch c.format {
	case "json":
		err = messages.RenderExplanationJSON(stdout, e)
	case "blocks":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(map[string]any{"blocks": blockkit.Explanation(e)})
	default:
		err = messages.RenderExplanationText(stdout, e, messages.TextOptions{Color: color, Width: messages.MaxWidth})
	}
	if err != nil {
		say(stderr, lang, fmt.Errorf("writing the answer: %w", err))
		return exitFail
	}
	return code
}
