package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/lab"
)

// demoScenarios are the lab domains the demo checks: the healthy one and
// three broken ones a support agent meets every week.
var demoScenarios = []string{"good", "expired", "no465", "nomx"}

// runDemo is "mailsetup demo": start the lab, check it, stop it.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := defaults(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	c.timeout = 2e9 // the lab is on loopback: 2 s is plenty
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.lang, "lang", c.lang, "`language` of the reports: fr or en")
	fs.StringVar(&c.format, "format", c.format, "output `format`: text, json or blocks")
	scenarios := demoScenarios
	all := fs.Bool("all", false, "check every lab scenario, not only four")
	c.bindProfile(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	c.allowPrivate = true // the lab lives on 127.0.0.1 under lab.test
	if err := c.validate(); err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	l, err := lab.Start(ctx, lab.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: starting the lab: %v\n", err)
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
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitFail
	}
	color := isTerminal(stdout) && getenv("NO_COLOR") == ""
	for i, name := range scenarios {
		s, ok := l.Scenario(name)
		if !ok {
			fmt.Fprintf(stderr, "mailsetup: the lab has no scenario %q\n", name)
			return exitFail
		}
		t, err := parseTarget(s.Domain, c)
		if err != nil {
			fmt.Fprintf(stderr, "mailsetup: %v\n", err)
			return exitFail
		}
		if i > 0 && c.format == "text" {
			fmt.Fprintln(stdout)
		}
		if c.format == "text" {
			fmt.Fprintf(stdout, "── %s: %s\n", s.Name, s.Description)
		}
		// The lab's own platform profile, unless --profile gives one.
		if c.platform != nil {
			s.Profile.Platform = c.platform
		}
		rep := runner.Run(ctx, suite.Request{Target: t, Profile: &s.Profile})
		if err := renderReport(stdout, rep, c, color); err != nil {
			fmt.Fprintf(stderr, "mailsetup: %v\n", err)
			return exitFail
		}
	}
	return exitOK
}
