package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/bot"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

const serveUsage = `usage: mailsetup serve [--listen ADDR]

Runs the Slack bot in Socket Mode until SIGTERM or Ctrl-C.

Environment:
  SLACK_APP_TOKEN           app-level token (xapp-…) with connections:write (required)
  SLACK_BOT_TOKEN           bot token (xoxb-…) (required)
  SLACK_API_URL             Web API base (https://slack.com/api/)
  MAILSETUP_LANG            language when a user's locale is unknown (fr)
  MAILSETUP_RESOLVER, MAILSETUP_ALLOW_PRIVATE, MAILSETUP_TIMEOUT,
  MAILSETUP_DKIM_SELECTORS, MAILSETUP_EHLO_NAME   as for "mailsetup check"
  MAILSETUP_FLEET           the platform's mail hosts for "/mailsetup status", comma-separated
  MAILSETUP_FLEET_FILE      the same, one host per line (# comments), added to MAILSETUP_FLEET
  MAILSETUP_RATE            checks a user may run a minute (10)
  MAILSETUP_WORKERS         checks run at once (8)
  MAILSETUP_LISTEN          serve /healthz, /readyz, /metrics on ADDR (--listen; off)
  MAILSETUP_LOG_LEVEL       debug, info, warn or error (info)
`

// tokenShapes are the prefixes of the two tokens Socket Mode needs.
var tokenShapes = []struct{ env, prefix, what string }{
	{"SLACK_APP_TOKEN", "xapp-", "the Slack app's app-level token"},
	{"SLACK_BOT_TOKEN", "xoxb-", "the Slack app's bot token"},
}

// runServe is "mailsetup serve": the Slack bot.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := defaults(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage) }
	fs.StringVar(&c.ops.listen, "listen", c.ops.listen, "serve /healthz, /readyz and /metrics on `ADDR` (MAILSETUP_LISTEN)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mailsetup: serve takes no arguments (got %q)\n", fs.Arg(0))
		return exitUsage
	}
	log, err := newLogger(stderr, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	reg, metrics, err := newMetrics()
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: metrics: %v\n", err)
		return exitFail
	}
	c.ops.metrics = metrics // before newRunner: every check is counted
	if err := c.validate(); err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	for _, t := range tokenShapes {
		v := getenv(t.env)
		switch {
		case v == "":
			fmt.Fprintf(stderr, "mailsetup: %s is not set: give %s (%s…)\n", t.env, t.what, t.prefix)
			return exitUsage
		case !strings.HasPrefix(v, t.prefix) || strings.ContainsAny(v, " \t\r\n"):
			fmt.Fprintf(stderr, "mailsetup: %s is not %s: it should start with %s\n", t.env, t.what, t.prefix)
			return exitUsage
		}
	}
	cfg, err := serveConfig(c, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	runner, err := newRunner(c, nil, nil)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	inner := bot.Engine(runner, nil)
	cfg.Checker = bot.CheckerFunc(func(ctx context.Context, t checks.Target) *checks.Report {
		metrics.InflightAdd(1)
		defer metrics.InflightAdd(-1)
		return inner.Check(ctx, t)
	})
	cfg.Logger = log
	cfg.Observer = metrics
	b, err := bot.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	stopOps, err := serveOps(ctx, c.ops.listen, reg, func() error {
		if b.Ready() {
			return nil
		}
		return errors.New("not connected to Slack, stopping, or every worker busy")
	}, log)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: --listen %s: %v\n", c.ops.listen, err)
		return exitUsage
	}
	defer stopOps()
	vctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	id, err := b.Verify(vctx)
	cancel()
	if err != nil {
		var te *bot.TokenError
		if errors.As(err, &te) {
			fmt.Fprintf(stderr, "mailsetup: Slack refused %s (%s): check the token of the Slack app\n", te.Var, te.Reason)
			return exitUsage
		}
		fmt.Fprintf(stderr, "mailsetup: cannot reach Slack at %s: %v\n", cfg.APIURL, err)
		return exitFail
	}
	log.Info("serving", "team", id.Team, "bot_user", id.User, "workers", cfg.Workers, "rate_per_minute", cfg.RatePerMinute,
		"fleet", len(cfg.Fleet), "lang", string(cfg.Lang))
	if err := b.Run(ctx); err != nil {
		var te *bot.TokenError
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		if errors.As(err, &te) {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

// serveConfig reads the bot's settings from the environment.
func serveConfig(c config, getenv func(string) string) (bot.Config, error) {
	lang, ok := messages.ParseLang(c.lang)
	if !ok {
		return bot.Config{}, fmt.Errorf("MAILSETUP_LANG=%q: want fr or en", c.lang)
	}
	apiURL := getenv("SLACK_API_URL")
	if apiURL == "" {
		apiURL = "https://slack.com/api/"
	}
	if !strings.HasPrefix(apiURL, "https://") && !strings.HasPrefix(apiURL, "http://") {
		return bot.Config{}, fmt.Errorf("SLACK_API_URL=%q: want an http(s) URL such as https://slack.com/api/", apiURL)
	}
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	cfg := bot.Config{
		AppToken:     getenv("SLACK_APP_TOKEN"),
		BotToken:     getenv("SLACK_BOT_TOKEN"),
		APIURL:       apiURL,
		Lang:         lang,
		AllowPrivate: c.allowPrivate,
		Fleet:        splitList(getenv("MAILSETUP_FLEET")),
	}
	if path := getenv("MAILSETUP_FLEET_FILE"); path != "" {
		hosts, err := readFleet(path)
		if err != nil {
			return bot.Config{}, fmt.Errorf("MAILSETUP_FLEET_FILE: %w", err)
		}
		cfg.Fleet = append(cfg.Fleet, hosts...)
	}
	for _, n := range []struct {
		env      string
		dst      *int
		min, max int
	}{
		{"MAILSETUP_RATE", &cfg.RatePerMinute, 1, 10000},
		{"MAILSETUP_WORKERS", &cfg.Workers, 1, 256},
	} {
		v := getenv(n.env)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < n.min || i > n.max {
			return bot.Config{}, fmt.Errorf("%s=%q: want a number from %d to %d", n.env, v, n.min, n.max)
		}
		*n.dst = i
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = bot.DefaultRatePerMinute
	}
	if cfg.Workers == 0 {
		cfg.Workers = bot.DefaultWorkers
	}
	return cfg, nil
}

// maxFleet bounds the platform hosts /mailsetup status checks at once.
const maxFleet = 200

// readFleet reads a fleet file: one host per line, blank lines and
// "#" comments ignored.
func readFleet(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hosts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1024), maxLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if len(hosts) == maxFleet {
			return nil, fmt.Errorf("%s: more than %d hosts", path, maxFleet)
		}
		hosts = append(hosts, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return hosts, nil
}
