package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
)

// Message is one answer, whichever way it is delivered.
type Message struct {
	// Text is the notification text, and the whole message when there
	// are no blocks: plain text, which the poster escapes (Slack reads
	// it as mrkdwn too).
	Text   string
	Blocks []slack.Block
	// ThreadTS posts the message in this thread.
	ThreadTS string
	// Replace replaces the message a button is on (response_url only).
	Replace bool
	// InChannel makes a response_url answer visible to the channel.
	InChannel bool
}

// Poster is what the handlers need of Slack. The bot's is the Web API
// and response URLs; tests may give their own.
type Poster interface {
	// Respond posts to a command's or an interaction's response_url.
	Respond(ctx context.Context, responseURL string, m Message) error
	// PostMessage posts a visible message (chat.postMessage).
	PostMessage(ctx context.Context, channel string, m Message) error
	// PostEphemeral posts a message only user sees (chat.postEphemeral).
	PostEphemeral(ctx context.Context, channel, user string, m Message) error
	// PublishHome publishes user's App Home tab (views.publish).
	PublishHome(ctx context.Context, user string, blocks []slack.Block) error
	// Locale returns user's locale, such as "fr-FR" (users.info).
	Locale(ctx context.Context, user string) (string, error)
	// GroupMembers returns the user ids of a user group
	// (usergroups.users.list).
	GroupMembers(ctx context.Context, group string) ([]string, error)
}

// WebAPIConfig is what a Web API client needs without Socket Mode: a
// post from a batch run (bot/notify).
type WebAPIConfig struct {
	// BotToken is the bot token (xoxb-…).
	BotToken string
	// APIURL is the Web API base, "https://slack.com/api/" by default.
	APIURL string
	// HTTPClient carries the calls; nil means one with a 15 s timeout.
	HTTPClient *http.Client
	// Logger receives the retries; nil discards.
	Logger *slog.Logger
}

// NewWebAPI returns the Poster of a bot token: the same slack-go client
// and retry policy (webAPIRetry) the bot posts through. It makes no
// network call.
func NewWebAPI(cfg WebAPIConfig) Poster {
	if cfg.APIURL == "" {
		cfg.APIURL = slack.APIURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &webAPI{api: newAPI(cfg.BotToken, cfg.APIURL, cfg.HTTPClient, cfg.Logger), http: cfg.HTTPClient}
}

// defaultHTTPClient carries Web API calls when the caller gives none.
func defaultHTTPClient() *http.Client { return &http.Client{Timeout: 15 * time.Second} }

// newAPI is the one way the bot's Slack client is made: its base URL,
// its HTTP client wrapped in the retry policy, slack-go's logging
// silenced.
func newAPI(botToken, apiURL string, hc *http.Client, log *slog.Logger, extra ...slack.Option) *slack.Client {
	opts := append([]slack.Option{
		slack.OptionAPIURL(apiURL),
		slack.OptionHTTPClient(hc),
		slack.OptionRetryConfig(webAPIRetry(log)), // after OptionHTTPClient, which it wraps
		slack.OptionLog(quietLog{}),
	}, extra...)
	return slack.New(botToken, opts...)
}

// webAPI is the Poster of a real (or fake) Slack.
type webAPI struct {
	api  *slack.Client
	http *http.Client
}

// errResponseURL wraps a response_url failure that a fallback can fix.
var errResponseURL = errors.New("response_url refused")

func (w *webAPI) Respond(ctx context.Context, responseURL string, m Message) error {
	msg := &slack.WebhookMessage{Text: blockkit.Escape(m.Text), ReplaceOriginal: m.Replace, ResponseType: slack.ResponseTypeEphemeral, ThreadTimestamp: m.ThreadTS}
	if m.InChannel {
		msg.ResponseType = slack.ResponseTypeInChannel
	}
	if len(m.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: m.Blocks}
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, w.http, msg); err != nil {
		return fmt.Errorf("%w: %w", errResponseURL, err)
	}
	return nil
}

func msgOptions(m Message) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(blockkit.Escape(m.Text), false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	if m.ThreadTS != "" {
		opts = append(opts, slack.MsgOptionTS(m.ThreadTS))
	}
	return opts
}

func (w *webAPI) PostMessage(ctx context.Context, channel string, m Message) error {
	if _, _, err := w.api.PostMessageContext(ctx, channel, msgOptions(m)...); err != nil {
		return fmt.Errorf("chat.postMessage: %w", err)
	}
	return nil
}

func (w *webAPI) PostEphemeral(ctx context.Context, channel, user string, m Message) error {
	if _, err := w.api.PostEphemeralContext(ctx, channel, user, msgOptions(m)...); err != nil {
		return fmt.Errorf("chat.postEphemeral: %w", err)
	}
	return nil
}

func (w *webAPI) PublishHome(ctx context.Context, user string, blocks []slack.Block) error {
	req := slack.PublishViewContextRequest{UserID: user, View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}}
	if _, err := w.api.PublishViewContext(ctx, req); err != nil {
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
}

func (w *webAPI) Locale(ctx context.Context, user string) (string, error) {
	u, err := w.api.GetUserInfoContext(ctx, user)
	if err != nil {
		return "", fmt.Errorf("users.info: %w", err)
	}
	return u.Locale, nil
}

func (w *webAPI) GroupMembers(ctx context.Context, group string) ([]string, error) {
	ids, err := w.api.GetUserGroupMembersContext(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("usergroups.users.list: %w", err)
	}
	return ids, nil
}

// Retries of the Web API. Slack answers 429 with Retry-After (seconds)
// when a method's rate limit is reached
// (https://api.slack.com/apis/rate-limits), and now and then 5xx. A
// call is retried at most maxRetries times, and only when the wait fits
// in what is left of the caller's context: waiting past it would only
// trade a clear "rate limited" for a "context deadline exceeded" later.
const (
	maxRetries = 2
	// maxRetryAfter caps the Retry-After the bot agrees to wait; a longer
	// one fails the call at once, and the caller falls back or says so.
	maxRetryAfter = 30 * time.Second
	// serverErrorWait is the pause before the one retry of a 5xx.
	serverErrorWait = 500 * time.Millisecond
)

// retrySafe are the methods a 5xx may be retried on: reads, views.publish
// (which replaces the whole view) and chat.postEphemeral (a second copy,
// at worst, is seen by one user only). chat.postMessage is not: Slack may
// have posted the message before failing, and a duplicate in a channel
// is worse than a logged failure.
var retrySafe = map[string]bool{"users.info": true, "usergroups.users.list": true, "views.publish": true, "chat.postEphemeral": true, "auth.test": true}

// webAPIRetry is the retry configuration of the bot's Slack client.
func webAPIRetry(log *slog.Logger) slack.RetryConfig {
	return slack.RetryConfig{MaxRetries: maxRetries, Handlers: []slack.RetryHandler{
		rateLimitRetry{log: log},
		serverErrorRetry{log: log},
	}}
}

// apiMethod is the Web API method a request calls ("chat.postMessage"),
// for logs; the URL carries no token.
func apiMethod(req *http.Request) string { return path.Base(req.URL.Path) }

// replayable reports whether req's body can be sent again.
func replayable(req *http.Request) bool { return req.Body == nil || req.GetBody != nil }

// fits reports whether waiting d leaves time before ctx's deadline.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// rateLimitRetry retries a 429 after its Retry-After.
type rateLimitRetry struct{ log *slog.Logger }

func (h rateLimitRetry) ShouldRetry(state *slack.RetryState, req *http.Request, resp *http.Response, _ error) (bool, time.Duration) {
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests || !replayable(req) || state.Attempt >= state.MaxRetries {
		return false, 0
	}
	wait := time.Second // Slack always sends Retry-After; be careful if not
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil {
		wait = max(time.Duration(s)*time.Second, time.Second)
	}
	if wait > maxRetryAfter {
		return false, 0
	}
	// A little jitter, so a burst of answers does not come back at once.
	wait += rand.N(wait / 10)
	if !fits(req.Context(), wait) {
		return false, 0
	}
	h.log.Warn("Slack rate-limited a call, retrying", "method", apiMethod(req), "retry_after", wait.Round(time.Millisecond).String(), "attempt", state.Attempt+1)
	return true, wait
}

// serverErrorRetry retries a 5xx once, on the methods of retrySafe.
type serverErrorRetry struct{ log *slog.Logger }

func (h serverErrorRetry) ShouldRetry(state *slack.RetryState, req *http.Request, resp *http.Response, _ error) (bool, time.Duration) {
	if resp == nil || resp.StatusCode < http.StatusInternalServerError || !replayable(req) || state.Attempt >= 1 {
		return false, 0
	}
	if !retrySafe[apiMethod(req)] || !fits(req.Context(), serverErrorWait) {
		return false, 0
	}
	h.log.Warn("Slack answered a server error, retrying once", "method", apiMethod(req), "status", resp.StatusCode)
	return true, serverErrorWait
}
