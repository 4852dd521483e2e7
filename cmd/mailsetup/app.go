package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcmhosting/mailsetup/bot"
	"github.com/pcmhosting/mailsetup/bot/notify"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
	"github.com/pcmhosting/mailsetup/telemetry"
)

// app is the running things of one command, made by build from
// validated settings: they cannot exist before the settings, and the
// runner cannot exist before the metrics that count it.
type app struct {
	// cfg is the settings a was built from.
	cfg config
	log *slog.Logger
	// registry and metrics are nil without --listen (check); serve
	// always has them.
	registry *prometheus.Registry
	metrics  *telemetry.Metrics
	runner   *suite.Runner
	// resolver is the runner's upstream resolver, which "/mailsetup
	// status" also asks about the outgoing addresses.
	resolver lookup.Resolver
	// notifier is nil without --notify.
	notifier *notify.Notifier
	// store and recorder keep the checks (nil without history); source
	// is what the CLI's checks are recorded as.
	store    store.Store
	recorder *history.Recorder
	source   store.Source
}

// remember opens the history of the settings: checks are recorded from
// then on. A store that cannot be opened is said in one line on stderr
// and every report says history is unavailable.
func (a *app) remember(ctx context.Context, stderr io.Writer) {
	a.store, a.recorder = openHistory(ctx, a.cfg.history, a.metrics, a.log, stderr)
}

// rememberLong is remember for serve: a database down at start is tried
// again until it comes back.
func (a *app) rememberLong(ctx context.Context, stderr io.Writer) {
	a.store, a.recorder = openHistoryReopening(ctx, a.cfg.history, a.metrics, a.log, stderr)
}

// forget closes the history.
func (a *app) forget() {
	if a.store != nil {
		a.store.Close()
	}
}

// buildOptions are what a command adds to the settings.
type buildOptions struct {
	// metrics counts the checks even without --listen (serve).
	metrics bool
	// resolver and roots replace the configured resolver and the system
	// roots (the lab's).
	resolver lookup.Resolver
	roots    *x509.CertPool
}

// build makes the running things from validated settings, in the one
// order that works: the log, the metrics, the runner counted by them,
// the notifier that posts what the runner found. Its errors (no
// resolver, a state file that cannot be written) are the settings'
// fault.
func build(c config, stderr io.Writer, opts buildOptions) (*app, error) {
	a := &app{cfg: c, log: loggerAt(stderr, c.ops.logLevel)}
	if opts.metrics || c.ops.listen != "" {
		reg, m, err := newMetrics()
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		a.registry, a.metrics = reg, m
	}
	resolver, err := upstream(c, opts.resolver)
	if err != nil {
		return nil, err
	}
	runner, err := newRunner(c, a.metrics, resolver, opts.roots)
	if err != nil {
		return nil, err
	}
	a.runner, a.resolver = runner, resolver
	if c.ops.notify.channel != "" {
		n, err := newNotifier(c, a.log)
		if err != nil {
			return nil, err
		}
		a.notifier = n
	}
	return a, nil
}

// newRunner builds the engine from the settings, counted by m (nil
// counts nothing). resolver and roots, when not nil, replace the
// configured ones.
func newRunner(c config, m *telemetry.Metrics, resolver lookup.Resolver, roots *x509.CertPool) (*suite.Runner, error) {
	resolver, err := upstream(c, resolver)
	if err != nil {
		return nil, err
	}
	return suite.New(suite.Config{
		Resolver:      resolver,
		RootCAs:       roots,
		Timeout:       c.timeout,
		AllowPrivate:  c.allowPrivate,
		EHLOName:      c.ehloName,
		DKIMSelectors: c.dkimSelectors,
		Logger:        slog.New(slog.DiscardHandler),
		Profile:       checks.Profile{PortMap: c.portMap, Platform: c.platform},
		Checks:        m.Instrument(suite.Checks()), // as is without metrics
	})
}

// newNotifier is --notify: the notification of bot/notify, posting
// through the bot's Web API client.
func newNotifier(c config, log *slog.Logger) (*notify.Notifier, error) {
	n := c.ops.notify
	poster := bot.NewWebAPI(bot.WebAPIConfig{BotToken: n.token, APIURL: n.apiURL, Logger: log})
	return notify.New(notify.Config{Channel: n.channel, On: n.on, Previous: n.previous,
		Lang: messages.Lang(c.lang), Poster: poster, Logger: log})
}

// check runs every check of one request, counted in flight, records it
// (as a.source) and hands the report to the notification, with what the
// store remembers of the domain.
func (a *app) check(ctx context.Context, req suite.Request) (*checks.Report, history.Memory) {
	a.metrics.InflightAdd(1)
	rep := a.runner.Run(ctx, req)
	a.metrics.InflightAdd(-1)
	mem := a.recorder.Record(ctx, rep, a.source, "")
	if a.recorder.Enabled() && a.cfg.ops.notify.previous == "" {
		a.notifier.AddAfter(rep, mem.Previous)
	} else {
		a.notifier.Add(rep)
	}
	return rep, mem
}

// request is the engine's request for a target; profileFor, when not
// nil, gives its provider profile (the lab maps ports per domain).
func request(t checks.Target, profileFor func(checks.Target) *checks.Profile) suite.Request {
	req := suite.Request{Target: t}
	if profileFor != nil {
		req.Profile = profileFor(t)
	}
	return req
}

// checker adapts the engine to the bot, which knows only bot.Checker.
func (a *app) checker() bot.Checker {
	return bot.CheckerFunc(func(ctx context.Context, t checks.Target) *checks.Report {
		a.metrics.InflightAdd(1)
		defer a.metrics.InflightAdd(-1)
		return a.runner.Run(ctx, suite.Request{Target: t})
	})
}

// upstream is the resolver of the settings (--resolver, else the
// system's), unless resolver replaces it.
func upstream(c config, resolver lookup.Resolver) (lookup.Resolver, error) {
	if resolver != nil {
		return resolver, nil
	}
	server := c.resolver
	if server == "" {
		s, err := lookup.SystemServer()
		if err != nil {
			return nil, fmt.Errorf("no DNS resolver: %w (give one with --resolver HOST:PORT)", err)
		}
		server = s
	}
	return lookup.NewClient(server, c.timeout), nil
}
