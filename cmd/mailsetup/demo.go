package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/lab/scenario"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
)

// demoScenarios are the lab domains the demo checks: the healthy one and
// three broken ones a support agent meets every week.
var demoScenarios = []string{"good", "expired", "no465", "nomx"}

// runDemo is "mailsetup demo": start the lab, check it, stop it. JSON
// and blocks are one object per line (JSON Lines), as check --file.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	lang := userLang(args, getenv)
	c, err := defaults(getenv)
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	c.timeout = 2e9 // the lab is on loopback: 2 s is plenty
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.Func("lang", "`language` of the reports: fr or en", func(s string) error {
		c.lang, c.langFrom = s, "--lang"
		return nil
	})
	fs.StringVar(&c.format, "format", c.format, "output `format`: text, json or blocks (one object per line)")
	scenarios := demoScenarios
	all := fs.Bool("all", false, "check every lab scenario, not only four")
	c.bindProfile(fs)
	rest, err := parseFlags(fs, args, false)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, "usage: mailsetup demo [flags]\n\nFlags:\n")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if err == nil {
		err = noArgs(rest, "mailsetup demo -h")
	}
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	c.allowPrivate = true // the lab lives on 127.0.0.1 under lab.test
	if err := c.validate(); err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	lang = messages.Lang(c.lang)
	l, err := lab.Start(ctx, lab.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		say(stderr, lang, fmt.Errorf("starting the lab: %w", err))
		return exitFail
	}
	defer l.Close()
	if *all {
		scenarios = nil
		for _, s := range l.Scenarios() {
			scenarios = append(scenarios, s.Name)
		}
	}
	runner, err := newRunner(c, nil, lookup.NewClient(l.DNSAddr, c.timeout), l.RootCAs)
	if err != nil {
		say(stderr, lang, err)
		return exitFail
	}
	// The demo's history is a temporary store, gone with the demo.
	if !c.history.off || c.history.url != "" {
		dir, err := os.MkdirTemp("", "mailsetup-demo-")
		if err != nil {
			fmt.Fprintf(stderr, "mailsetup: %v\n", err)
			return exitFail
		}
		defer os.RemoveAll(dir)
		c.history.path, c.history.url = filepath.Join(dir, "state.db"), ""
	}
	s, rec := openHistory(ctx, c.history, nil, slog.New(slog.DiscardHandler), stderr)
	if s != nil {
		defer s.Close()
	}
	color := isTerminal(stdout) && getenv("NO_COLOR") == ""
	for i, name := range scenarios {
		s, ok := l.Scenario(name)
		if !ok {
			sayf(stderr, "mailsetup: the lab has no scenario %q", name)
			return exitFail
		}
		t, err := parseTarget(s.Domain, c)
		if err != nil {
			say(stderr, lang, err)
			return exitFail
		}
		// The lab's own platform profile, unless --profile gives one.
		if c.platform != nil {
			s.Profile.Platform = c.platform
		}
		rep := runner.Run(ctx, suite.Request{Target: t, Profile: &s.Profile})
		mem := rec.Record(ctx, rep, store.SourceCLI, "")
		if c.format != "text" {
			err = writeJSONLine(stdout, rep, mem, c)
		} else {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprint(stdout, messages.DemoHeading(lang, s.Name, describe(s, lang)))
			err = renderReport(stdout, rep, mem, c, color)
		}
		if err != nil {
			say(stderr, lang, err)
			return exitFail
		}
	}
	return exitOK
}

// describe is a scenario's description in lang, in English when the
// catalog has no French one.
func describe(s lab.Scenario, lang messages.Lang) string {
	if d, ok := scenario.FrenchDescription(s.Name); ok && lang == messages.FR {
		return d
	}
	return s.Description
}
