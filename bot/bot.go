// Package bot is mailsetup's front door in Slack: the /mailsetup slash
// command, @mailsetup mentions answered in their thread, the buttons under
// each answer, "/mailsetup status" for on-call and an App Home tab.
//
// It talks to Slack in Socket Mode (https://api.slack.com/apis/socket-mode):
// the bot opens a WebSocket to Slack with its app-level token, so it needs
// no public URL. Slack delivers each command, event and click as an
// envelope that must be acknowledged within 3 seconds, or the user sees
// an error and events are redelivered. Answers go back over HTTPS: through
// the command's response_url (ephemeral, at most 5 posts in 30 minutes)
// or the Web API (chat.postMessage, chat.postEphemeral, views.publish).
//
// The bot owns its event loop rather than using slack-go's handler, which
// starts an unbounded goroutine per event and recovers nothing:
//
//   - every envelope is acked at once from the loop, with a small payload
//     ("checking…" for a check), before any network work;
//   - the work goes to a bounded worker pool whose queue is short: a full
//     pool answers "busy, try again in a moment" instead of piling up
//     goroutines, and a job that waited too long answers the same;
//   - a panic in a job is recovered and logged, the user is told the check
//     failed, and the bot keeps running;
//   - Events API redeliveries (retry_attempt > 0, or an event_id already
//     seen) are acked and dropped;
//   - each user may run a bounded number of checks a minute, and reports
//     are cached briefly per domain so that many agents asking about the
//     same outage do not hammer the customer's server;
//   - the Socket Mode connection is re-established after a "disconnect"
//     request, a dropped socket or a failed reconnect, with backoff;
//   - a Web API call that Slack rate-limits (429) is retried after its
//     Retry-After, at most twice, when the wait (30 s at most) fits in
//     the caller's time; a 5xx is retried once where a second call does
//     no harm; otherwise the answer falls back or the failure is logged;
//   - on shutdown the bot stops taking commands, lets the jobs in flight
//     finish within a grace period, then returns.
//
// The bot's Slack client (its base URL, HTTP client and retry policy) is
// made in one place, newAPI; NewWebAPI gives it to a post from outside
// the bot, the after-run notification of bot/notify.
//
// Handlers depend on the Poster interface, not on the Slack client; the
// wording of reports comes from package messages and their Block Kit
// layout from bot/blockkit. One structured audit line is logged per
// command; tokens and response URLs are never logged.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
)

// Checker runs every check on a target. It must always return a report.
// The bot knows the engine only through it: cmd/mailsetup adapts the
// engine's runner to it.
type Checker interface {
	Check(ctx context.Context, t checks.Target) *checks.Report
}

// CheckerFunc adapts a function to Checker.
type CheckerFunc func(ctx context.Context, t checks.Target) *checks.Report

// Check calls f.
func (f CheckerFunc) Check(ctx context.Context, t checks.Target) *checks.Report { return f(ctx, t) }

// Defaults of Config.
const (
	DefaultWorkers       = 8
	DefaultQueue         = 64
	DefaultQueueWait     = 10 * time.Second
	DefaultRatePerMinute = 10
	DefaultPerUser       = 2
	DefaultUserQueue     = 8
	DefaultCheckTimeout  = 30 * time.Second
	DefaultCacheTTL      = 60 * time.Second
	DefaultGrace         = 30 * time.Second
	DefaultReconnect     = time.Second
	maxReconnect         = time.Minute
)

// Config is everything the bot needs. Only AppToken, BotToken and Checker
// are required.
type Config struct {
	// AppToken is the app-level token (xapp-…) that opens Socket Mode.
	AppToken string
	// BotToken is the bot token (xoxb-…) of the Web API.
	BotToken string
	// APIURL is the Web API base, "https://slack.com/api/" by default.
	APIURL string
	// HTTPClient carries Web API calls and response_url posts; nil means
	// one with a 15 s timeout.
	HTTPClient *http.Client
	// Checker runs the checks of a command.
	Checker Checker
	// StatusChecker checks the platform hosts of "/mailsetup status";
	// nil means Checker.
	StatusChecker Checker
	// Fleet lists the provider's own mail hosts, for "/mailsetup status".
	Fleet []string
	// AllowPrivate accepts special-use names (the lab's .test).
	AllowPrivate bool
	// Lang is the language when the user's locale is unknown
	// (MAILSETUP_LANG); French by default, the guide's.
	Lang messages.Lang
	// Workers run checks at once (DefaultWorkers); Queue is how many
	// more may wait (DefaultQueue), QueueWait for how long at most
	// (DefaultQueueWait) before they are told the bot is busy.
	Workers   int
	Queue     int
	QueueWait time.Duration
	// PerUser is how many checks of one user (or, for "status", of one
	// channel) run at once (DefaultPerUser); UserQueue how many more of
	// theirs may wait (DefaultUserQueue). A free worker takes the next
	// check of whoever has the fewest running, so one user's slow
	// domains cost them, not the team.
	PerUser   int
	UserQueue int
	// CheckTimeout bounds one check's run, whatever the engine's own
	// deadline (DefaultCheckTimeout): past it the report says what could
	// be checked.
	CheckTimeout time.Duration
	// RatePerMinute is the checks a user may start a minute
	// (DefaultRatePerMinute); negative means no limit.
	RatePerMinute int
	// CacheTTL is how long a report is reused for the same domain
	// (DefaultCacheTTL); negative means no cache.
	CacheTTL time.Duration
	// Grace is how long Run waits for jobs in flight once its context
	// ends (DefaultGrace).
	Grace time.Duration
	// Reconnect is the first delay before reconnecting after the socket
	// could not be kept; it doubles up to a minute (DefaultReconnect).
	Reconnect time.Duration
	// History records every check and remembers what changed (nil:
	// nothing is recorded; the App Home lists this process's checks).
	History History
	// Shared is what replicas share: idempotency claims, rate-limit
	// buckets and in-flight slots (nil: this process's own, as for a
	// single replica). A failing Shared fails open to them.
	Shared store.Coordinator
	// Location is the time zone dates are said in (nil: UTC).
	Location *time.Location
	// AllowedTeams and AllowedChannels, when not empty, are the only
	// workspaces (T…) and channels (C…, G…, D…) the bot answers in;
	// elsewhere it tells the user where it may be used.
	AllowedTeams    []string
	AllowedChannels []string
	// StatusChannels and OnCallGroup, when set, limit "/mailsetup
	// status" to those channels or to the members of that Slack user
	// group (S…), kept for GroupTTL (DefaultGroupTTL).
	StatusChannels []string
	OnCallGroup    string
	GroupTTL       time.Duration
	// Poster replaces the Slack Web API, for tests.
	Poster Poster
	// Observer receives operational events for metrics; nil ignores them.
	Observer Observer
	// Logger receives the audit lines and errors; nil discards.
	Logger *slog.Logger
	// Now is the clock (rate limits, cache, App Home); nil means
	// time.Now.
	Now func() time.Time
}

// Bot is the Slack bot. Create it with New, then call Run.
type Bot struct {
	cfg    Config
	log    *slog.Logger
	api    *slack.Client
	sm     *socketmode.Client
	poster Poster

	checks  *pool // checks and everything that may run one
	replies *pool // quick answers: help, invalid input, App Home

	limits  *limiter
	cache   *reportCache
	waiting waiting
	recent  *recentStore
	seen    *seenSet
	shared  *shared
	locales *localeCache
	budget  *budget
	group   *groupCache

	connected atomic.Bool
	// everConnected tells a reconnect from the first connection.
	everConnected atomic.Bool
	// dispatched is when the event loop took the current event (unix ns),
	// the start of the ack latency.
	dispatched atomic.Int64
	stopping   atomic.Bool
	running    atomic.Bool
	// localeLimited is until when (unix ns) users.info is rate-limited:
	// answers use the default language meanwhile.
	localeLimited atomic.Int64
}

// New checks the configuration and builds the bot; it makes no network
// call.
func New(cfg Config) (*Bot, error) {
	if cfg.AppToken == "" || cfg.BotToken == "" {
		return nil, errors.New("bot: both the app token and the bot token are required")
	}
	if cfg.Checker == nil {
		return nil, errors.New("bot: no checker")
	}
	if cfg.StatusChecker == nil {
		cfg.StatusChecker = cfg.Checker
	}
	if cfg.APIURL == "" {
		cfg.APIURL = slack.APIURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
	}
	if _, ok := messages.ParseLang(string(cfg.Lang)); !ok {
		cfg.Lang = messages.FR
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Queue <= 0 {
		cfg.Queue = DefaultQueue
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = DefaultQueueWait
	}
	if cfg.PerUser <= 0 {
		cfg.PerUser = DefaultPerUser
	}
	if cfg.UserQueue <= 0 {
		cfg.UserQueue = DefaultUserQueue
	}
	if cfg.CheckTimeout <= 0 {
		cfg.CheckTimeout = DefaultCheckTimeout
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = DefaultRatePerMinute
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.Reconnect <= 0 {
		cfg.Reconnect = DefaultReconnect
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := checkAccessIDs(cfg); err != nil {
		return nil, err
	}
	if cfg.GroupTTL <= 0 {
		cfg.GroupTTL = DefaultGroupTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	api := newAPI(cfg.BotToken, cfg.APIURL, cfg.HTTPClient, cfg.Logger, slack.OptionAppLevelToken(cfg.AppToken))
	b := &Bot{
		cfg:     cfg,
		log:     cfg.Logger,
		api:     api,
		sm:      socketmode.New(api, socketmode.OptionLog(quietLog{})),
		limits:  newLimiter(cfg.RatePerMinute, cfg.Now),
		cache:   newReportCache(cfg.CacheTTL, cfg.Now),
		recent:  newRecentStore(),
		seen:    newSeenSet(4096),
		locales: newLocaleCache(cfg.Now),
		budget:  newBudget(cfg.Now),
		group:   &groupCache{ttl: cfg.GroupTTL, now: cfg.Now},
	}
	b.shared = &shared{s: cfg.Shared, now: cfg.Now, onErr: b.sharedError}
	b.poster = cfg.Poster
	if b.poster == nil {
		b.poster = &webAPI{api: api, http: cfg.HTTPClient}
	}
	b.checks = newPool(poolConfig{name: "checks", workers: cfg.Workers, perKey: cfg.PerUser, keyQueue: cfg.UserQueue,
		total: cfg.Queue, wait: cfg.QueueWait}, cfg.Now, b.log)
	b.checks.slots = b.shared.inflight()
	b.replies = newPool(poolConfig{name: "replies", workers: 2, total: 256, wait: cfg.QueueWait}, cfg.Now, b.log)
	return b, nil
}

// quietLog swallows slack-go's own logging, which is debug output only
// (and may print payloads).
type quietLog struct{}

func (quietLog) Output(int, string) error { return nil }

// Ready reports whether the bot is connected to Slack, not shutting down,
// and has room for more checks: what a readiness probe asks.
func (b *Bot) Ready() bool {
	return b.running.Load() && b.connected.Load() && !b.stopping.Load() && !b.checks.full()
}

// Run connects to Slack and serves until ctx ends, then stops taking
// commands, waits up to Config.Grace for the jobs in flight and returns
// nil. It returns an error only when Slack refuses the tokens. Run may be
// called once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	// Jobs outlive ctx by the grace period: they get their own context.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	b.checks.start(workCtx)
	b.replies.start(workCtx)

	connCtx, stopConn := context.WithCancel(ctx)
	defer stopConn()
	fatal := make(chan error, 1)
	var connWG sync.WaitGroup
	connWG.Go(func() {
		if err := b.keepConnected(connCtx); err != nil {
			fatal <- err
		}
	})

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case runErr = <-fatal:
			break loop
		case evt := <-b.sm.Events:
			b.dispatch(evt)
		}
	}

	// Stop taking commands: close the socket, so Slack sends new envelopes
	// to another connection (another replica); envelopes still buffered
	// are left unacked.
	b.stopping.Store(true)
	stopConn()
	connWG.Wait()
	b.connected.Store(false)
	b.log.Info("shutting down: finishing jobs in flight", "in_flight", b.checks.pending(), "grace", b.cfg.Grace.String())
	done := make(chan struct{})
	go func() {
		b.checks.close()
		b.replies.close()
		close(done)
	}()
	timer := time.NewTimer(b.cfg.Grace)
	defer timer.Stop()
	select {
	case <-done:
		b.log.Info("stopped: every job finished")
	case <-timer.C:
		b.log.Warn("stopped: grace period over, cancelling the remaining jobs", "in_flight", b.checks.pending())
		stopWork()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}
	return runErr
}

// keepConnected runs the Socket Mode connection and re-runs it, with
// backoff, whenever it returns: slack-go reconnects by itself after a
// "disconnect" request or a dropped socket, but gives up when opening a
// new connection fails for good. It returns an error only when Slack
// refuses the token, which no retry will fix.
func (b *Bot) keepConnected(ctx context.Context) error {
	delay := b.cfg.Reconnect
	for {
		started := b.cfg.Now()
		err := b.sm.RunContext(ctx)
		b.connected.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		if isAuthError(err) {
			return &TokenError{Var: "SLACK_APP_TOKEN", Reason: errString(err)}
		}
		if b.cfg.Now().Sub(started) > 5*maxReconnect {
			delay = b.cfg.Reconnect // it had been up for a while: start over
		}
		b.log.Warn("Socket Mode connection lost, reconnecting", "error", errString(err), "in", delay.String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, maxReconnect)
	}
}

// Observer is told what the bot does, for metrics (telemetry.Metrics
// implements it). Values are bounded: kinds are the route words, results
// the audit verdicts.
type Observer interface {
	CommandDone(kind, result string)
	AckObserved(time.Duration)
	Reconnected()
}

// nopObserver is the Observer of a bot without metrics.
type nopObserver struct{}

func (nopObserver) CommandDone(string, string) {}
func (nopObserver) AckObserved(time.Duration)  {}
func (nopObserver) Reconnected()               {}

func isAuthError(err error) bool {
	if err == nil {
		return false
	}
	switch err.Error() {
	case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
		return true
	}
	var sc slack.StatusCodeError
	return errors.As(err, &sc) && (sc.Code == http.StatusUnauthorized || sc.Code == http.StatusForbidden)
}

// errString is an error as it may be logged: without the URL an HTTP
// error names (a response_url is a credential) and without tokens.
func errString(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return redact(ue.Op + ": " + errString(ue.Err))
	}
	return redact(err.Error())
}

// secrets matches what must never reach a log: Slack tokens, the ticket
// of a Socket Mode URL, response URLs.
var secrets = regexp.MustCompile(`xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|ticket=[^&\s"]+|hooks\.slack\.com/\S+`)

// redact removes tokens and secret URLs from a text before it is logged.
func redact(s string) string { return secrets.ReplaceAllString(s, "[redacted]") }

// TokenError is a token Slack refused, or one that cannot be a token.
// Its message names the variable, never the token.
type TokenError struct {
	// Var is the environment variable of the token: SLACK_APP_TOKEN or
	// SLACK_BOT_TOKEN.
	Var string
	// Reason is Slack's error code ("invalid_auth") or what is wrong with
	// the token's shape.
	Reason string
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("%s was refused: %s", e.Var, e.Reason)
}

// Identity is who the bot token belongs to.
type Identity struct {
	Team, User, BotID string
}

// Verify checks both tokens with Slack before serving: auth.test for the
// bot token and apps.connections.open for the app-level token. A refused
// token is a *TokenError; anything else means Slack could not be
// reached.
func (b *Bot) Verify(ctx context.Context) (Identity, error) {
	id, err := b.api.AuthTestContext(ctx)
	if err != nil {
		if isAuthError(err) || isSlackError(err) {
			return Identity{}, &TokenError{Var: "SLACK_BOT_TOKEN", Reason: errString(err)}
		}
		return Identity{}, fmt.Errorf("auth.test: %s", errString(err))
	}
	if _, _, err := b.api.StartSocketModeContext(ctx); err != nil {
		if isAuthError(err) || isSlackError(err) {
			return Identity{}, &TokenError{Var: "SLACK_APP_TOKEN", Reason: errString(err)}
		}
		return Identity{}, fmt.Errorf("apps.connections.open: %s", errString(err))
	}
	return Identity{Team: id.Team, User: id.User, BotID: id.BotID}, nil
}

// isSlackError reports whether Slack answered with an error code (as
// opposed to not answering).
func isSlackError(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se)
}
