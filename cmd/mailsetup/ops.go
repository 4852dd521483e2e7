package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pcmhosting/mailsetup/bot/notify"
	"github.com/pcmhosting/mailsetup/telemetry"
)

// opsConfig is what an operator adds to "check": the operations server
// (--listen), the share of a list (--shard), the notification (--notify…)
// and the exit status of scheduled runs (--exit-zero). Settings only:
// build makes the running things from them.
type opsConfig struct {
	listen   string
	shard    shard
	exitZero bool
	logLevel slog.Level
	notify   notifyConfig
}

// opsDefaults reads the operator's environment variables.
func opsDefaults(getenv func(string) string) (opsConfig, error) {
	o := opsConfig{
		listen: getenv("MAILSETUP_LISTEN"),
		notify: notifyConfig{token: getenv("SLACK_BOT_TOKEN"), apiURL: getenv("SLACK_API_URL"),
			statusChannels: splitList(getenv("MAILSETUP_STATUS_CHANNELS"))},
	}
	lvl, err := parseLogLevel(getenv("MAILSETUP_LOG_LEVEL"))
	if err != nil {
		return o, err
	}
	o.logLevel = lvl
	return o, nil
}

// bind adds the operator's flags of "check".
func (o *opsConfig) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.listen, "listen", o.listen, "serve /healthz, /readyz and /metrics on `ADDR` while running, e.g. :9090 (MAILSETUP_LISTEN)")
	fs.Func("shard", "with --file, check only share `I/N` of the list (0 ≤ I < N), split by domain", func(s string) error {
		sh, err := parseShard(s)
		o.shard = sh
		return err
	})
	fs.StringVar(&o.notify.channel, "notify", o.notify.channel, "after the run, post the failures to Slack `CHANNEL` (needs SLACK_BOT_TOKEN)")
	fs.StringVar(&o.notify.on, "notify-on", o.notify.on, "`WHEN` to post: fail (failing domains, if any), change (since --previous), always")
	fs.StringVar(&o.notify.previous, "previous", o.notify.previous, "with --notify-on change: the state `FILE`, the previous run's JSON lines, replaced by this run's")
	fs.BoolVar(&o.exitZero, "exit-zero", o.exitZero, "exit 0 when the run completes, even if checks fail (scheduled runs, whose output is the result)")
}

// validateOps checks the operator's settings against each other.
func (c *config) validateOps() error {
	if c.ops.listen != "" {
		if _, _, err := net.SplitHostPort(c.ops.listen); err != nil {
			return usageError("--listen %q: want [HOST]:PORT, e.g. :9090 or 127.0.0.1:9090", c.ops.listen)
		}
	}
	if c.ops.shard.count > 0 && c.file == "" {
		return usageError("--shard splits a --file list: give --file too")
	}
	return c.ops.notify.validate(!c.history.off)
}

// parseLogLevel reads MAILSETUP_LOG_LEVEL; empty means info.
func parseLogLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, usageError("MAILSETUP_LOG_LEVEL=%q: want debug, info, warn or error", v)
}

// loggerAt is the operator's log: JSON lines when stderr is not a
// terminal (a container, a unit, a pipe), text on a terminal, at level
// lvl (MAILSETUP_LOG_LEVEL), with Slack secrets redacted whatever the
// caller logs.
func loggerAt(stderr io.Writer, lvl slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewJSONHandler(stderr, opts)
	if isTerminal(stderr) {
		h = slog.NewTextHandler(stderr, opts)
	}
	return slog.New(telemetry.RedactHandler(h))
}

// newMetrics builds the registry /metrics serves: the Go runtime and
// process collectors, and mailsetup's own metrics.
func newMetrics() (*prometheus.Registry, *telemetry.Metrics, error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, nil, err
	}
	if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, nil, err
	}
	m, err := telemetry.NewMetrics(reg)
	if err != nil {
		return nil, nil, err
	}
	return reg, m, nil
}

// serveOps serves /healthz, /readyz (ready; nil means always ready) and
// /metrics (reg) on addr until ctx ends or stop is called; stop waits for
// the graceful shutdown. An empty addr serves nothing.
func serveOps(ctx context.Context, addr string, reg prometheus.Gatherer, ready func() error, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	s, err := telemetry.Listen(addr, telemetry.Handler(reg, ready, log), log)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx); err != nil {
			log.Error("operations server", "error", err)
		}
	}()
	return sync.OnceFunc(func() { cancel(); <-done }), nil
}

// opsRun is the operator's side of one "mailsetup check": the
// operations server and the notification, from startOps to finish and
// close.
type opsRun struct {
	log      *slog.Logger
	stop     func()
	notifier *notify.Notifier
	exitZero bool
}

// startOps serves the operations server of a's registry with --listen
// (a batch takes work as long as it runs: always ready). The server is an
// extra of a one-shot check, not its purpose: when its port cannot be
// bound (the bot's port, taken while the bot runs), the check runs
// without it and says so in a warning, rather than failing every
// scheduled run and never notifying anyone.
func startOps(ctx context.Context, a *app) (*opsRun, error) {
	c := a.cfg
	stop, err := serveOps(ctx, c.ops.listen, a.registry, nil, a.log)
	if err != nil {
		a.log.Warn("operations server not started; the check runs without /healthz, /readyz and /metrics", "listen", c.ops.listen, "error", err)
		stop = func() {}
	}
	if c.ops.shard.count > 0 {
		a.log.Info("checking one shard of the list", "file", c.file, "shard", c.ops.shard.String())
	}
	return &opsRun{log: a.log, stop: stop, notifier: a.notifier, exitZero: c.ops.exitZero}, nil
}

// finish ends a run that exits with code: it posts the notification and
// applies --exit-zero. A usage error or an interrupted run posts nothing
// and keeps the previous state. A notification that could not be posted
// turns exit 0 into 3: the run did not do all it was asked.
func (o *opsRun) finish(ctx context.Context, code int) int {
	switch {
	case code == exitUsage:
		o.notifier.Discard()
		return code
	case ctx.Err() != nil:
		if o.notifier != nil {
			o.log.Warn("interrupted: nothing posted, the previous state is kept")
		}
		o.notifier.Discard()
		return code
	}
	failed := false
	if err := o.notifier.Finish(ctx); err != nil {
		o.log.Error("notification failed; the next run will see the same changes", "error", err)
		failed = true
	}
	if o.exitZero && (code == exitFail || code == exitErrored) {
		code = exitOK
	}
	if failed && code == exitOK {
		code = exitErrored
	}
	return code
}

// close stops the operations server and drops an unfinished state.
func (o *opsRun) close() {
	o.stop()
	o.notifier.Discard()
}
