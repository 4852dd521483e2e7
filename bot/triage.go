package bot

import (
	"context"
	"errors"
	"html"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/triage"
)

// The callback ids of the message shortcuts of
// deploy/slack-app-manifest.yaml: "Diagnostiquer avec mailsetup" answers
// in French, "Diagnose with mailsetup" in English. They are API.
const (
	ShortcutDiagnose   = "mailsetup_diagnose"
	ShortcutDiagnoseEN = "mailsetup_diagnose_en"
)

// pastedMinWords is how many words after a domain make pasted text even
// when nothing in them is recognised: fewer ("client.fr please") is a
// mistyped command, answered as one.
const pastedMinWords = 6

// pasted reports whether words after the command (or after its domain)
// are what a customer saw rather than a typo: text Parse recognises
// something in (a code, an error number, a known message), several
// lines, or a long sentence.
func pasted(text string) bool {
	if strings.ContainsAny(strings.TrimSpace(text), "\n") || len(strings.Fields(text)) >= pastedMinWords {
		return true
	}
	r, err := triage.Parse(slackPlain(text))
	return errors.Is(err, triage.ErrTooLong) || err == nil && r.Recognised()
}

// options reports whether every word of s is a language or a mail
// client: "client.fr outlook en" is a check.
func options(s string) bool {
	for _, w := range strings.Fields(s) {
		_, lang := messages.ParseLang(w)
		_, client := messages.ParseClient(w)
		if !lang && !client {
			return false
		}
	}
	return true
}

// splitFirst cuts text after its first word, keeping the rest's lines.
func splitFirst(text string) (first, rest string) {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return text, ""
	}
	return text[:i], strings.TrimSpace(text[i:])
}

// slackMarkup is Slack's markup in a message's text: links, addresses,
// user, channel and special mentions
// (https://api.slack.com/reference/surfaces/formatting).
var slackMarkup = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

// slackPlain turns a message as Slack delivers it back into what was
// pasted: "<mailto:jane@client.fr|jane@client.fr>" is the address, a
// link its text, a mention or a channel its name; "&lt;", "&gt;" and
// "&amp;" the signs; quotes or a code block around the whole are taken
// off.
func slackPlain(s string) string {
	s = slackMarkup.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackMarkup.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "#"), strings.HasPrefix(target, "!"):
			if label != "" {
				return label
			}
			return ""
		case label != "":
			return label
		}
		return strings.TrimPrefix(target, "mailto:")
	})
	s = strings.TrimSpace(html.UnescapeString(s))
	for _, q := range [][2]string{{"```", "```"}, {"`", "`"}, {`"`, `"`}, {"“", "”"}, {"«", "»"}, {"'", "'"}} {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			s = strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// answerExplain answers what a customer saw: the domain given or chosen
// from the text is checked (through the report cache, keyed by domain
// only), and the answer says what the text means and what the check
// says of each cause. The pasted text is never logged nor cached: the
// audit line holds the codes found (triage.Result.Audit).
func (b *Bot) answerExplain(ctx context.Context, r *request) {
	res, err := triage.Parse(r.inv.text)
	if err != nil {
		b.say(ctx, r, messages.TooLongMessage(r.lang))
		b.audit(r, "too_long", "")
		return
	}
	choice := triage.Choose(res, r.inv.given)
	opts := messages.ExplainOptions{Example: command + " client.fr …"}
	var rep *checks.Report
	verdict, cached := "no_domain", false
	if choice.Domain != "" {
		in := r.inv.given
		if in == "" {
			in = choice.Domain
		}
		t, ie := parseTarget(in, b.cfg.AllowPrivate)
		if ie != nil {
			opts.BadDomain, verdict = true, "invalid_input"
		} else {
			r.inv.target = t
			rep, cached = b.report(ctx, r, false)
			verdict = string(rep.Status)
		}
	}
	e := messages.NewExplanation(res, choice, rep, r.lang, opts)
	b.send(ctx, r, Message{Text: blockkit.ExplanationFallback(e), Blocks: blockkit.Explanation(e)})
	b.audit(r, verdict, r.inv.target.Domain, "triage", res.Audit(), "cached", cached)
}

// onMessageAction handles a message shortcut: the message's text (and
// its attachments', for a forwarded ticket) is what the customer saw,
// answered in the message's thread.
func (b *Bot) onMessageAction(cb slack.InteractionCallback) {
	var lang messages.Lang
	switch cb.CallbackID {
	case ShortcutDiagnose:
		lang = messages.FR
	case ShortcutDiagnoseEN:
		lang = messages.EN
	default:
		b.log.Info("ignored an unknown shortcut", "callback_id", cb.CallbackID)
		return
	}
	thread := cb.Message.ThreadTimestamp
	if thread == "" {
		thread = cb.Message.Timestamp
	}
	text := cb.Message.Text
	for _, a := range cb.Message.Attachments {
		for _, part := range []string{a.Pretext, a.Text} {
			if part != "" {
				text += "\n" + part
			}
		}
	}
	r := &request{source: "shortcut", command: "explain", team: cb.Team.ID, user: cb.User.ID, channel: cb.Channel.ID,
		responseURL: cb.ResponseURL, threadTS: thread, started: b.cfg.Now(),
		inv: invocation{route: routeFor(routeExplain), text: slackPlain(text), lang: lang}}
	b.admit(nil, r, nil)
}

// sendInThread posts a shortcut's answer in the thread of its message;
// where the app cannot post (not in the channel), it tells the user
// alone, in the channel, then through the response_url.
func (b *Bot) sendInThread(ctx context.Context, r *request, m Message) {
	m.ThreadTS = r.threadTS
	m.Replace, m.InChannel = false, false
	err := b.poster.PostMessage(ctx, r.channel, m)
	if err == nil {
		return
	}
	b.log.Info("could not answer in the thread, answering the user alone", "channel", r.channel, "error", errString(err))
	if err = b.poster.PostEphemeral(ctx, r.channel, r.user, m); err == nil {
		return
	}
	if r.responseURL != "" && b.budget.take(r.responseURL) {
		m.ThreadTS = ""
		err = b.poster.Respond(ctx, r.responseURL, m)
	}
	if err != nil {
		b.log.Warn("could not answer the shortcut", "channel", r.channel, "error", errString(err))
	}
}

// parseExplain reads a command as what a customer saw, when it is one:
// "explain [DOMAIN] TEXT", "DOMAIN TEXT" where TEXT is pasted (see
// pasted), or TEXT alone that Parse recognises something in. Anything
// else is left to the other routes ("client.fr please" stays a typo).
func parseExplain(text, first string, allowPrivate bool) (invocation, bool) {
	inv := invocation{route: routeFor(routeExplain)}
	word, rest := splitFirst(text)
	if r := inv.route; first == r.word || slices.Contains(r.aliases, first) {
		word, rest = splitFirst(rest)
		t, ie := parseTarget(word, allowPrivate)
		if ie != nil || rest == "" {
			word, rest, t = "", strings.TrimSpace(word+" "+rest), checks.Target{}
		}
		inv.given, inv.text, inv.target = slackPlain(word), slackPlain(rest), t
		return inv, true
	}
	if slices.ContainsFunc(routes, func(r route) bool { return r.word == first || slices.Contains(r.aliases, first) }) {
		return inv, false
	}
	if t, ie := parseTarget(word, allowPrivate); ie == nil {
		if rest == "" || options(rest) || !pasted(rest) {
			return inv, false
		}
		inv.given, inv.text, inv.target = slackPlain(word), slackPlain(rest), t
		return inv, true
	}
	if !pasted(text) || len(strings.Fields(text)) < 2 {
		return inv, false
	}
	inv.text = slackPlain(text)
	return inv, true
}
