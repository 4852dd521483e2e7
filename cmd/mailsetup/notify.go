package main

import (
	"slices"
	"strings"

	"github.com/pcmhosting/mailsetup/bot/notify"
)

// notifyConfig is --notify CHANNEL, --notify-on, --previous and the
// Slack settings they need: settings only; build makes the notifier
// (bot/notify) from them.
type notifyConfig struct {
	channel  string
	on       string // fail (the default, also ""), change, always
	previous string
	// token is SLACK_BOT_TOKEN. It goes to the Slack client and nowhere
	// else: never into an error, a log line or the output.
	token  string
	apiURL string
	// statusChannels is MAILSETUP_STATUS_CHANNELS: when set, the only
	// channels on-call news may be posted to.
	statusChannels []string
}

// validate checks the notification settings; called only with --notify
// or its companions set. withHistory says the store keeps the previous
// state when there is no --previous file.
func (n *notifyConfig) validate(withHistory bool) error {
	if n.channel == "" {
		switch {
		case n.on != "":
			return usageError("--notify-on needs --notify CHANNEL")
		case n.previous != "":
			return usageError("--previous is read by --notify CHANNEL --notify-on change")
		}
		return nil
	}
	if len(n.channel) > 80 || strings.ContainsAny(n.channel, " \t\r\n,") {
		return usageError("--notify %q: want a channel id such as C0123456789, or #name", n.channel)
	}
	if len(n.statusChannels) > 0 && !slices.Contains(n.statusChannels, n.channel) {
		return usageError("--notify %q: MAILSETUP_STATUS_CHANNELS allows only %s", n.channel, strings.Join(n.statusChannels, ", "))
	}
	switch n.on {
	case "":
		n.on = notify.OnFail
	case notify.OnFail, notify.OnChange, notify.OnAlways:
	default:
		return usageError("--notify-on %q: want fail, change or always", n.on)
	}
	if n.on == notify.OnChange && n.previous == "" && !withHistory {
		return usageError("--notify-on change needs --previous FILE or the history (MAILSETUP_STATE or MAILSETUP_DATABASE_URL), the state kept from one run to the next")
	}
	if n.on != notify.OnChange && n.previous != "" {
		return usageError("--previous is read by --notify-on change only")
	}
	switch {
	case n.token == "":
		return usageError("SLACK_BOT_TOKEN is not set: --notify needs the Slack app's bot token (xoxb-…)")
	case !strings.HasPrefix(n.token, "xoxb-") || strings.ContainsAny(n.token, " \t\r\n"):
		return usageError("SLACK_BOT_TOKEN is not the Slack app's bot token: it should start with xoxb-")
	}
	apiURL, err := slackAPIURL(n.apiURL)
	n.apiURL = apiURL
	return err
}
