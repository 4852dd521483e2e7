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
	"github.com/pcmhosting/mailsetup/checks/reputation"
	"github.com/pcmhosting/mailsetup/messages"
)

const serveUsage = `usage: mailsetup serve [--listen ADDR] [--profile FILE]

Runs the Slack bot in Socket Mode until SIGTERM or Ctrl-C.

Environment:
  SLACK_APP_TOKEN           app-level token (xapp-…) with connections:write (required)
  SLACK_BOT_TOKEN           bot token (xoxb-…) (required)
  SLACK_API_URL             Web API base (https://slack.com/api/)
  MAILSETUP_LANG            language when a user's locale is unknown (fr)
  MAILSETUP_RESOLVER, MAILSETUP_ALLOW_PRIVATE, MAILSETUP_TIMEOUT,
  MAILSETUP_DKIM_SELECTORS, MAILSETUP_EHLO_NAME   as for "mailsetup check"
  MAILSETUP_PROFILE         the provider profile (--profile; deploy/profile.example.yaml)
  MAILSETUP_FLEET           the platform's mail hosts for "/mailsetup status", comma-separated
  MAILSETUP_FLEET_FILE      the same, one host per line (# comments), added to MAILSETUP_FLEET
  MAILSETUP_RATE            checks a user may run a minute (10)
  MAILSETUP_WORKERS         checks run at once (8)
  MAILSETUP_PER_USER        checks of one user (or one channel's status) run at once (2)
  MAILSETUP_ALLOWED_TEAMS   the only workspaces the bot answers in, comma-separated ids (T…; all)
  MAILSETUP_ALLOWED_CHANNELS  the only channels it answers in (C…, G…, D…; all)
  MAILSETUP_STATUS_CHANNELS "/mailsetup status" only in these channels (C…; anywhere)…
  MAILSETUP_ONCALL_GROUP    …or only for members of this Slack user group (S…)
  MAILSETUP_STATE           the history's SQLite file ($XDG_STATE_HOME/mailsetup/state.db); off keeps none
  MAILSETUP_DATABASE_URL    PostgreSQL URL instead, shared by replicas (rate limits, retries, history)
  MAILSETUP_RETENTION       how long checks are kept (90d)
  MAILSETUP_TIMEZONE        time zone of the dates of changes (Europe/Paris)
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
	c, cfg, code, ok := serveSettings(args, stderr, getenv)
	if !ok {
		return code
	}
	a, err := build(c, stderr, buildOptions{metrics: true}) // serve always counts
	if err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	a.rememberLong(ctx, stderr)
	defer a.forget()
	if a.recorder != nil {
		cfg.History = a.recorder
	}
	if a.store != nil {
		pruneInBackground(ctx, a.store, c.history, a.metrics, a.log)
		if c.history.url != "" {
			// Replicas share one PostgreSQL: they answer as one bot.
			cfg.Shared = a.store
		}
	}
	cfg.Location = c.history.loc
	cfg.Checker = a.checker()
	// "/mailsetup status" shows the profile's outgoing addresses: their
	// reverse DNS and blocklist listings, through the same resolver.
	cfg.Platform = c.platform
	cfg.Reputation = &reputation.Checker{Resolver: a.resolver, Timeout: c.timeout}
	cfg.Logger = a.log
	cfg.Observer = a.metrics
	b, err := bot.New(cfg)
	if err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	stopOps, err := serveOps(ctx, c.ops.listen, a.registry, func() error {
		if b.Ready() {
			return nil
		}
		return errors.New("not connected to Slack, stopping, or every worker busy")
	}, a.log)
	if err != nil {
		sayf(stderr, "mailsetup: --listen %s: %v\n", c.ops.listen, err)
		return exitUsage
	}
	defer stopOps()
	id, code, ok := verifySlack(ctx, b, cfg.APIURL, stderr)
	if !ok {
		return code
	}
	a.log.Info("serving", "team", id.Team, "bot_user", id.User, "workers", cfg.Workers, "rate_per_minute", cfg.RatePerMinute,
		"fleet", len(cfg.Fleet), "lang", string(cfg.Lang), "history", historyKind(c.history, a.store), "shared", cfg.Shared != nil)
	if err := b.Run(ctx); err != nil {
		var te *bot.TokenError
		sayf(stderr, "mailsetup: %v\n", err)
		if errors.As(err, &te) {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

// serveSettings reads serve's flags and environment into validated
// settings and the bot's configuration (without its live parts); when
// not ok, it has said why and code is the exit code.
func serveSettings(args []string, stderr io.Writer, getenv func(string) string) (c config, cfg bot.Config, code int, ok bool) {
	c, err := defaults(getenv)
	if err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return c, cfg, exitUsage, false
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage) }
	fs.StringVar(&c.ops.listen, "listen", c.ops.listen, "serve /healthz, /readyz and /metrics on `ADDR` (MAILSETUP_LISTEN)")
	c.bindProfile(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, cfg, exitOK, false
		}
		return c, cfg, exitUsage, false
	}
	if fs.NArg() > 0 {
		sayf(stderr, "mailsetup: serve takes no arguments (got %q)\n", fs.Arg(0))
		return c, cfg, exitUsage, false
	}
	if err := c.validate(); err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return c, cfg, exitUsage, false
	}
	if err := checkTokenShapes(getenv); err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return c, cfg, exitUsage, false
	}
	cfg, err = serveConfig(c, getenv)
	if err != nil {
		sayf(stderr, "mailsetup: %v\n", err)
		return c, cfg, exitUsage, false
	}
	return c, cfg, exitOK, true
}

// checkTokenShapes refuses a missing token, or one that cannot be what
// its variable should hold, before Slack is asked.
func checkTokenShapes(getenv func(string) string) error {
	for _, t := range tokenShapes {
		v := getenv(t.env)
		switch {
		case v == "":
			return fmt.Errorf("%s is not set: give %s (%s…)", t.env, t.what, t.prefix)
		case !strings.HasPrefix(v, t.prefix) || strings.ContainsAny(v, " \t\r\n"):
			return fmt.Errorf("%s is not %s: it should start with %s", t.env, t.what, t.prefix)
		}
	}
	return nil
}

// verifySlack checks both tokens with Slack before serving; when not ok,
// it has said why and code is the exit code: 2 for a refused token, 1
// for a Slack that cannot be reached.
func verifySlack(ctx context.Context, b *bot.Bot, apiURL string, stderr io.Writer) (id bot.Identity, code int, ok bool) {
	vctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	id, err := b.Verify(vctx)
	if err == nil {
		return id, exitOK, true
	}
	var te *bot.TokenError
	if errors.As(err, &te) {
		sayf(stderr, "mailsetup: Slack refused %s (%s): check the token of the Slack app\n", te.Var, te.Reason)
		return id, exitUsage, false
	}
	sayf(stderr, "mailsetup: cannot reach Slack at %s: %v\n", apiURL, err)
	return id, exitFail, false
}

// serveConfig reads the bot's settings from the environment.
func serveConfig(c config, getenv func(string) string) (bot.Config, error) {
	lang, ok := messages.ParseLang(c.lang)
	if !ok {
		return bot.Config{}, fmt.Errorf("MAILSETUP_LANG=%q: want fr or en", c.lang)
	}
	apiURL, err := slackAPIURL(getenv("SLACK_API_URL"))
	if err != nil {
		return bot.Config{}, err
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
		{"MAILSETUP_PER_USER", &cfg.PerUser, 1, 256},
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
	if err := accessConfig(&cfg, getenv); err != nil {
		return bot.Config{}, err
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = bot.DefaultRatePerMinute
	}
	if cfg.Workers == 0 {
		cfg.Workers = bot.DefaultWorkers
	}
	return cfg, nil
}

// accessConfig reads who may run what: the allowed workspaces and
// channels, and where "/mailsetup status" answers. An id of the wrong
// shape is a one-line error naming its variable.
func accessConfig(cfg *bot.Config, getenv func(string) string) error {
	for _, v := range []struct {
		env, kind, example string
		dst                *[]string
	}{
		{"MAILSETUP_ALLOWED_TEAMS", bot.TeamID, "T0123ABCD", &cfg.AllowedTeams},
		{"MAILSETUP_ALLOWED_CHANNELS", bot.ChannelID, "C0123ABCD", &cfg.AllowedChannels},
		{"MAILSETUP_STATUS_CHANNELS", bot.ChannelID, "C0123ABCD", &cfg.StatusChannels},
	} {
		ids := splitList(getenv(v.env))
		for _, id := range ids {
			if !bot.ValidID(v.kind, id) {
				return usageError("%s: %q is not a Slack %s id (such as %s)", v.env, id, v.kind, v.example)
			}
		}
		*v.dst = ids
	}
	if g := strings.TrimSpace(getenv("MAILSETUP_ONCALL_GROUP")); g != "" {
		if !bot.ValidID(bot.GroupID, g) {
			return usageError("MAILSETUP_ONCALL_GROUP: %q is not a Slack user group id (such as S0123ABCD)", g)
		}
		cfg.OnCallGroup = g
	}
	return nil
}

// slackAPIURL reads SLACK_API_URL: the Web API base, ending in "/",
// https://slack.com/api/ when unset.
func slackAPIURL(v string) (string, error) {
	if v == "" {
		return "https://slack.com/api/", nil
	}
	if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		return "", usageError("SLACK_API_URL=%q: want an http(s) URL such as https://slack.com/api/", v)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
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
