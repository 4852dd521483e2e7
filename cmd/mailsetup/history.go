package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris in a distroless image too

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
	"github.com/pcmhosting/mailsetup/telemetry"
)

// historyConfig is where checks are remembered: MAILSETUP_STATE (a SQLite
// file, "off" for none), MAILSETUP_DATABASE_URL (PostgreSQL, shared by
// replicas), MAILSETUP_RETENTION and MAILSETUP_TIMEZONE, the company's
// time zone in which changes are dated.
type historyConfig struct {
	// path is the SQLite file; "" with off.
	path string
	off  bool
	// url is the PostgreSQL URL; it is never logged.
	url       string
	retention time.Duration
	loc       *time.Location
}

// stateOff is the MAILSETUP_STATE value that keeps no history.
const stateOff = "off"

// historyDefaults reads the history settings from the environment. A
// malformed database URL is a usage error naming the variable, without
// the URL (it holds a password).
func historyDefaults(getenv func(string) string) (historyConfig, error) {
	h := historyConfig{retention: store.DefaultRetention}
	switch v := getenv("MAILSETUP_STATE"); v {
	case stateOff:
		h.off = true
	case "":
		h.path = defaultStatePath(getenv)
		if h.path == "" {
			h.off = true // no home to keep it in
		}
	default:
		h.path = v
	}
	if v := getenv("MAILSETUP_DATABASE_URL"); v != "" {
		if err := store.CheckURL(v); err != nil {
			return h, usageError("MAILSETUP_DATABASE_URL: %v", err)
		}
		h.url, h.off = v, false
	}
	if v := getenv("MAILSETUP_RETENTION"); v != "" {
		d, err := parseRetention(v)
		if err != nil {
			return h, usageError("MAILSETUP_RETENTION=%q: want a number of days such as 90d, or a duration such as 720h", v)
		}
		h.retention = d
	}
	tz := cmpOr(getenv("MAILSETUP_TIMEZONE"), messages.DefaultTimeZone)
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return h, usageError("MAILSETUP_TIMEZONE=%q: want a time zone such as Europe/Paris", tz)
	}
	h.loc = loc
	return h, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// defaultStatePath is $XDG_STATE_HOME/mailsetup/state.db, else
// ~/.local/state/mailsetup/state.db; "" when neither is known.
func defaultStatePath(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "mailsetup", "state.db")
	}
	home := getenv("HOME")
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "mailsetup", "state.db")
}

// parseRetention reads "90d" or a Go duration; at least an hour.
func parseRetention(v string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, err
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, err
		}
	}
	if d < time.Hour {
		return 0, errors.New("too short")
	}
	return d, nil
}

// where names the store for people, without any password.
func (h historyConfig) where() string {
	if h.url != "" {
		return "PostgreSQL (MAILSETUP_DATABASE_URL)"
	}
	return h.path
}

// dsnPassword finds the password of a key=value DSN.
var dsnPassword = regexp.MustCompile(`password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// redactURL puts err's text on one line and removes the password of the database URL,
// whatever the driver quoted.
func redactURL(err error, raw string) string {
	s := err.Error()
	if raw == "" {
		return s
	}
	var secrets []string
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			secrets = append(secrets, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	for _, m := range dsnPassword.FindAllStringSubmatch(raw, -1) {
		secrets = append(secrets, strings.Trim(m[1], "'"))
	}
	for _, p := range secrets {
		if p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	// One line: a driver's error may span several.
	return strings.Join(strings.Fields(strings.ReplaceAll(s, raw, "[MAILSETUP_DATABASE_URL]")), " ")
}

// openHistory opens the store of h. Failing, it warns in one line and
// returns a Recorder that says "history unavailable" on every report:
// checks run without it. A nil store is returned with off.
func openHistory(ctx context.Context, h historyConfig, m *telemetry.Metrics, log *slog.Logger, stderr io.Writer) (store.Store, *history.Recorder) {
	if h.off {
		return nil, nil
	}
	octx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := store.Open(octx, store.Options{Path: h.path, URL: h.url})
	rec := &history.Recorder{Log: log, OnError: m.StoreError}
	if err != nil {
		m.StoreError("open")
		fmt.Fprintf(stderr, "mailsetup: warning: history unavailable, checks run without it: %s: %s\n", h.where(), redactURL(err, h.url))
		rec.Down = true
		return nil, rec
	}
	rec.Store = s
	return s, rec
}

// reopenRetry is how often a long-running process tries again to open a
// database that was down when it started.
const reopenRetry = 30 * time.Second

// openHistoryReopening is openHistory for serve, which runs for weeks:
// a database down at start is tried again every reopenRetry from the
// first call that needs it, and records resume without a restart. Until
// then each report says history is unavailable and each replica decides
// alone (the store fails open).
func openHistoryReopening(ctx context.Context, h historyConfig, m *telemetry.Metrics, log *slog.Logger, stderr io.Writer) (store.Store, *history.Recorder) {
	s, rec := openHistory(ctx, h, m, log, stderr)
	if s != nil || rec == nil {
		return s, rec
	}
	r := &store.Reopening{
		Open: func(ctx context.Context) (store.Store, error) {
			octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
			defer cancel()
			s, err := store.Open(octx, store.Options{Path: h.path, URL: h.url})
			if err != nil {
				m.StoreError("open")
				log.Warn("history still unavailable", "store", h.where(), "err", redactURL(err, h.url))
			}
			return s, err
		},
		Retry:  reopenRetry,
		OnOpen: func() { log.Info("history available again", "store", h.where()) },
	}
	fmt.Fprintf(stderr, "mailsetup: the history will be tried again every %s\n", reopenRetry)
	rec.Store, rec.Down = r, false
	return r, rec
}

// runHistory is "mailsetup history DOMAIN": the domain's last checks as
// a short timeline of its changes of state.
func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := defaults(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: mailsetup history [--limit N] [--format text|json] DOMAIN\n\nflags:\n")
		fs.PrintDefaults()
	}
	limit := fs.Int("limit", 50, "the last `N` checks (1-1000)")
	fs.StringVar(&c.format, "format", c.format, "output `format`: text or json")
	fs.StringVar(&c.lang, "lang", c.lang, "`language`: fr or en (MAILSETUP_LANG)")
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if len(positional) != 1 || *limit < 1 || *limit > store.MaxLimit || (c.format != "text" && c.format != "json") {
		fs.Usage()
		return exitUsage
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	t, err := checks.ParseTarget(positional[0], true)
	if err != nil {
		var ie *checks.InputError
		if errors.As(err, &ie) {
			return printInputError(stderr, ie, c.lang)
		}
		fmt.Fprintf(stderr, "mailsetup: %v\n", err)
		return exitUsage
	}
	if c.history.off {
		fmt.Fprintln(stderr, "mailsetup: no history is kept (MAILSETUP_STATE=off)")
		return exitUsage
	}
	log := loggerAt(stderr, c.ops.logLevel)
	s, rec := openHistory(ctx, c.history, nil, log, io.Discard)
	if s == nil {
		fmt.Fprintf(stderr, "mailsetup: history unavailable: %s cannot be opened\n", c.history.where())
		return exitErrored
	}
	defer s.Close()
	recs, err := rec.Domain(ctx, t.Domain, *limit)
	if err != nil {
		fmt.Fprintf(stderr, "mailsetup: history unavailable: %s\n", redactURL(err, c.history.url))
		return exitErrored
	}
	states := history.Timeline(recs)
	if c.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if states == nil {
			states = []history.State{}
		}
		if err := enc.Encode(map[string]any{"domain": t.Domain, "checks": len(recs), "states": states}); err != nil {
			return exitFail
		}
		return exitOK
	}
	clock := messages.Clock{Now: time.Now(), Loc: c.history.loc}
	for _, l := range messages.TimelineLines(t.Domain, states, clock, messages.Lang(c.lang)) {
		fmt.Fprintln(stdout, l)
	}
	return exitOK
}

// pruneInBackground forgets checks older than the retention, now and
// every hour, until ctx ends.
func pruneInBackground(ctx context.Context, s store.Store, h historyConfig, m *telemetry.Metrics, log *slog.Logger) {
	if s == nil {
		return
	}
	go store.PruneEvery(ctx, countedHistory{s, m}, h.retention, time.Hour, nil, log)
}

// countedHistory counts failed prunes.
type countedHistory struct {
	store.History
	m *telemetry.Metrics
}

func (c countedHistory) Prune(ctx context.Context, before time.Time) (int64, error) {
	n, err := c.History.Prune(ctx, before)
	if err != nil {
		c.m.StoreError("prune")
	}
	return n, err
}

// clock is when and where reports are read.
func (h historyConfig) clock() messages.Clock {
	return messages.Clock{Now: time.Now(), Loc: h.loc}
}

// historyKind names the history in the start-up log line: "postgres",
// "sqlite", "off" or "unavailable". Never the URL.
func historyKind(h historyConfig, s store.Store) string {
	switch {
	case h.off:
		return "off"
	case s == nil:
		return "unavailable"
	case h.url != "":
		return "postgres"
	}
	return "sqlite"
}
