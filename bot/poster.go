package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/slack-go/slack"
)

// Message is one answer, whichever way it is delivered.
type Message struct {
	// Text is the notification text, and the whole message when there
	// are no blocks.
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
}

// webAPI is the Poster of a real (or fake) Slack.
type webAPI struct {
	api  *slack.Client
	http *http.Client
}

// errResponseURL wraps a response_url failure that a fallback can fix.
var errResponseURL = errors.New("response_url refused")

func (w *webAPI) Respond(ctx context.Context, responseURL string, m Message) error {
	msg := &slack.WebhookMessage{Text: m.Text, ReplaceOriginal: m.Replace, ResponseType: slack.ResponseTypeEphemeral, ThreadTimestamp: m.ThreadTS}
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
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false)}
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
