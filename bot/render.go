package bot

import (
	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
)

// The layout of answers is bot/blockkit's; this file only chooses what
// to show where.

// render lays a report out with its buttons. shared is set when the
// message is visible to the channel (a mention's thread, a shared
// answer): no Share button there.
// mem, when it holds something, says first what changed (c dates it).
func render(rep *checks.Report, lang messages.Lang, client messages.Client, shared bool, mem history.Memory, c messages.Clock) ([]slack.Block, string) {
	v := messages.NewView(hidePrivate(rep, lang), lang).WithMemory(mem, c)
	return blockkit.Render(v, blockkit.Options{Client: client, Shared: shared}), blockkit.Fallback(v)
}

// withChanges puts "what changed" before a re-run's answer, as long as
// Slack's block limit allows.
func withChanges(blocks []slack.Block, changes string) []slack.Block {
	if len(blocks)+1 > blockkit.MaxBlocks {
		return blocks
	}
	return append([]slack.Block{mrkdwnSection(changes)}, blocks...)
}

// renderGuide is a client's where-to-click steps, filled with the
// report's settings.
func renderGuide(rep *checks.Report, lang messages.Lang, client messages.Client) []slack.Block {
	return blockkit.Guide(messages.ClientGuide(messages.Settings(hidePrivate(rep, lang)), client, lang))
}

// clientChooser offers the clients a guide exists for, when a click came
// without one.
func clientChooser(r *request) []slack.Block {
	var opts []*slack.OptionBlockObject
	for _, c := range messages.Clients {
		val := blockkit.Value{Target: inputOf(r.inv.target), Lang: r.lang, Client: c}
		if r.inv.target.Host != r.inv.target.Domain {
			val.Host = r.inv.target.Host
		}
		name := messages.ClientGuide(messages.SettingsCard{}, c, r.lang).Menu
		opts = append(opts, slack.NewOptionBlockObject(val.Encode(), slack.NewTextBlockObject(slack.PlainTextType, name, false, false), nil))
	}
	w := messages.WordsFor(r.lang)
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, slack.NewTextBlockObject(slack.PlainTextType, w.ChooseClient, false, false), actionClientGuide, opts...)
	return []slack.Block{mrkdwnSection(slackEscape(w.ChooseClient)), slack.NewActionBlock(blockkit.BlockActions, sel)}
}

func inputOf(t checks.Target) string {
	if t.Address != "" {
		return t.Address
	}
	return t.Domain
}

// actionValue is what a button carries back.
type actionValue struct {
	input, host string
	lang        messages.Lang
	client      messages.Client
}

// decodeAction reads a button's or a menu option's value. A value that
// does not decode gives an empty input: the click is answered as a stale
// button.
func decodeAction(s string) actionValue {
	v, err := blockkit.DecodeValue(s)
	if err != nil {
		return actionValue{}
	}
	return actionValue{input: v.Target, host: v.Host, lang: v.Lang, client: v.Client}
}

// Action ids of the buttons under each answer.
const (
	actionRerun         = blockkit.ActionRerun
	actionClientGuide   = blockkit.ActionClientGuide
	actionCustomerReply = blockkit.ActionCustomerReply
	actionShare         = blockkit.ActionShare
)

// slackEscape makes text from the network or the user inert in mrkdwn.
func slackEscape(s string) string { return blockkit.Escape(s) }

// statusEmoji is a status as Slack shows it at a glance.
func statusEmoji(s checks.Status) string { return blockkit.Emoji(s) }
