package bot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// request is one command, mention or click, from the envelope to the
// answer.
type request struct {
	// source is where it came from: "slash", "mention", "action",
	// "shortcut" (a message shortcut: answered in the message's thread).
	source string
	// command names it in the audit line: "check", "status", "help",
	// "rerun", "client_guide", "customer_reply", "share".
	command     string
	team        string
	user        string
	channel     string
	responseURL string
	// threadTS is the thread a mention is answered in, or the thread of
	// the message a button is on.
	threadTS string
	inv      invocation
	// lang is the answer's language, known once the job runs.
	lang    messages.Lang
	started time.Time
}

// share is whose share of the check workers a request counts against:
// its user, or for "status" (one check of the whole fleet) its channel,
// so that on-call in one channel does not wait behind another.
func (r *request) share() string {
	if r.inv.route != nil && r.inv.route.kind == routeStatus && r.channel != "" {
		return "c:" + r.channel
	}
	return "u:" + r.user
}

// ackTimeout bounds the hand-over of an ack to the socket writer.
const ackTimeout = 2 * time.Second

// maxAckText keeps acks small: Slack drops Socket Mode responses of 20 KB
// and more, and an ack is only a short note anyway.
const maxAckText = 2000

// dispatch handles one Socket Mode event, from the event loop: it acks
// at once and hands any work to a pool. It never blocks on the network.
func (b *Bot) dispatch(evt socketmode.Event) {
	b.dispatched.Store(time.Now().UnixNano())
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		b.connected.Store(true)
		if b.everConnected.Swap(true) {
			b.cfg.Observer.Reconnected()
		}
		b.log.Info("connected to Slack")
	case socketmode.EventTypeHello:
		b.connected.Store(true)
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("could not connect to Slack", "attempt", e.Attempt, "backoff", e.Backoff.String(), "error", errString(e.ErrorObj))
		}
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed, socketmode.EventTypeErrorBadMessage:
		b.log.Warn("Socket Mode error", "type", string(evt.Type), "error", eventError(evt.Data))
	case socketmode.EventTypeSlashCommand:
		b.onSlash(evt)
	case socketmode.EventTypeEventsAPI:
		b.onEvent(evt)
	case socketmode.EventTypeInteractive:
		b.onInteractive(evt)
	}
}

func eventError(data any) string {
	switch e := data.(type) {
	case *slack.IncomingEventError:
		return errString(e.ErrorObj)
	case *socketmode.ErrorWriteFailed:
		return errString(e.Cause)
	case *socketmode.ErrorBadMessage:
		return errString(e.Cause)
	}
	return ""
}

// ack acknowledges an envelope; payload, when not nil, is shown to the
// user (a slash command's immediate answer).
func (b *Bot) ack(req *socketmode.Request, payload any) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err := b.sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		b.log.Warn("could not ack an envelope", "type", req.Type, "error", errString(err))
		return
	}
	// From the event reaching the loop to the ack handed to the writer.
	b.cfg.Observer.AckObserved(time.Since(time.Unix(0, b.dispatched.Load())))
}

// ackText is the payload of a slash command's ack: a short ephemeral
// message, plain text escaped here.
func ackText(s string) map[string]string {
	s = blockkit.Escape(s)
	if r := []rune(s); len(r) > maxAckText {
		s = string(r[:maxAckText-1]) + "…"
	}
	return map[string]string{"response_type": "ephemeral", "text": s}
}

// hint is the language known without asking Slack: the command's, the
// user's cached locale, or the default. Acks use it.
func (b *Bot) hint(r *request) messages.Lang {
	if r.inv.lang != "" {
		return r.inv.lang
	}
	if l, ok := b.locales.get(r.user); ok {
		return l
	}
	return b.cfg.Lang
}

func (b *Bot) onSlash(evt socketmode.Event) {
	cmd, ok := evt.Data.(slack.SlashCommand)
	if !ok || b.duplicateEnvelope(evt.Request) {
		b.ack(evt.Request, nil)
		return
	}
	r := &request{source: "slash", team: cmd.TeamID, user: cmd.UserID, channel: cmd.ChannelID, responseURL: cmd.ResponseURL,
		inv: parse(cmd.Text, b.cfg.AllowPrivate), started: b.cfg.Now()}
	r.command = commandName(r.inv)
	b.admit(evt.Request, r, func(text string) { b.ack(evt.Request, ackText(text)) })
}

func commandName(inv invocation) string {
	switch inv.route.kind {
	case routeHelp:
		return "help"
	case routeStatus:
		return "status"
	case routeExplain:
		return "explain"
	case routeHistory:
		return "history"
	}
	return "check"
}

// admit decides, without any network call, whether a command runs: the
// rate limit and the room in the pool. note tells the user at once (the
// ack of a slash command); without it, the answer goes through the
// reply pool. The envelope is acked in every case.
func (b *Bot) admit(env *socketmode.Request, r *request, note func(string)) {
	if note == nil {
		b.ack(env, nil)
	}
	tell := func(key messages.Phrase, pairs ...string) {
		if note != nil {
			note(messages.Say(b.hint(r), key, pairs...))
			return
		}
		b.quick(r, func(ctx context.Context) { b.say(ctx, r, messages.Say(r.lang, key, pairs...)) })
	}
	if b.stopping.Load() {
		b.audit(r, "stopping", r.inv.target.Domain)
		tell(messages.PhraseStopping)
		return
	}
	if b.refused(r) {
		if note != nil {
			b.ack(env, nil)
		}
		return
	}
	if !r.inv.route.runsChecks || r.inv.err != nil {
		// Help and refused input: no check, a quick answer in the
		// user's language.
		if note != nil {
			b.ack(env, nil)
		}
		b.quick(r, func(ctx context.Context) { b.runRoute(ctx, r) })
		return
	}
	if ok, wait := b.allow(r.user); !ok {
		b.audit(r, "rate_limited", r.inv.target.Domain)
		tell(messages.PhraseRateLimited, "wait", humanWait(wait))
		return
	}
	checking := func() {
		switch {
		case note == nil:
		case r.inv.route.kind == routeStatus && b.statusLimited(r):
			b.ack(env, nil) // whether it may run is known in the job (the on-call group)
		case r.inv.route.kind == routeStatus:
			note(messages.Say(b.hint(r), messages.PhraseChecking, "domain", messages.Say(b.hint(r), messages.PhraseStatusTitle)))
		case r.inv.target.Domain == "":
			b.ack(env, nil) // an explain whose domain is in the text: known in the job
		default:
			note(messages.Say(b.hint(r), messages.PhraseChecking, "domain", blockkit.Name(r.inv.target.Display, r.inv.target.Domain)))
		}
	}
	// Ten agents asking about the same outage: a report in the cache, or
	// a check of the same domain already queued or running (whose report
	// the cache will hold), takes a reply slot, not a check slot.
	shared := r.inv.route.kind == routeCheck && r.command != "rerun" && b.cache.ttl > 0
	key := cacheKey(r.inv.target)
	if shared && b.cache.fresh(r.inv.target) {
		checking()
		b.quick(r, func(ctx context.Context) { b.runRoute(ctx, r) })
		return
	}
	if shared && b.waiting.follow(key, r) {
		checking()
		return
	}
	if !b.checks.room(r.share()) {
		b.audit(r, "busy", r.inv.target.Domain)
		tell(messages.PhraseBusy)
		return
	}
	checking()
	j := b.newJob(r, func(ctx context.Context) { b.runRoute(ctx, r) })
	if shared {
		b.waiting.lead(key)
		j.then(func(done bool) { b.release(key, done) })
	}
	b.checks.put(j)
}

// release answers the requests that waited for the check of key: from
// the cache when the check ran, "busy" when it could not.
func (b *Bot) release(key string, done bool) {
	for _, f := range b.waiting.take(key) {
		if done {
			b.quick(f, func(ctx context.Context) { b.runRoute(ctx, f) })
			continue
		}
		b.quick(f, func(ctx context.Context) {
			b.say(ctx, f, messages.Say(f.lang, messages.PhraseBusy))
			b.audit(f, "busy", f.inv.target.Domain)
		})
	}
}

// humanWait says how long to wait, rounded up to the second.
func humanWait(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	if s >= 60 {
		m := (s + 59) / 60
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d s", s)
}

// quick queues a job that runs no check on the reply pool.
func (b *Bot) quick(r *request, run func(ctx context.Context)) {
	if !b.replies.put(b.newJob(r, run)) {
		b.log.Warn("reply queue full, dropping an answer", "command", r.command)
	}
}

// newJob wraps run: the language is resolved first, a wait too long
// answers busy, a panic answers that the check failed.
func (b *Bot) newJob(r *request, run func(ctx context.Context)) *job {
	return &job{
		name: r.command,
		key:  r.share(),
		run: func(ctx context.Context) {
			r.lang = b.lang(ctx, r)
			run(ctx)
		},
		busy: func(ctx context.Context) {
			r.lang = b.lang(ctx, r)
			b.say(ctx, r, messages.Say(r.lang, messages.PhraseBusy))
			b.audit(r, "busy", r.inv.target.Domain)
		},
		failed: func(ctx context.Context) {
			if r.lang == "" {
				r.lang = b.hint(r)
			}
			what := r.inv.target.Display
			if what == "" {
				what = r.inv.target.Input
			}
			b.say(ctx, r, messages.Say(r.lang, messages.PhraseFailed, "domain", what))
			b.audit(r, "panic", r.inv.target.Domain)
		},
	}
}

func (b *Bot) onEvent(evt socketmode.Event) {
	b.ack(evt.Request, nil)
	ev, ok := evt.Data.(slackevents.EventsAPIEvent)
	if !ok {
		return
	}
	if evt.Request != nil && evt.Request.RetryAttempt > 0 {
		b.log.Info("dropped an event redelivery", "retry_attempt", evt.Request.RetryAttempt, "reason", evt.Request.RetryReason)
		return
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" && b.duplicate("event:"+cb.EventID) {
		b.log.Info("dropped a duplicate event", "event_id", cb.EventID)
		return
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" {
			return // never answer bots, ourselves included
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		r := &request{source: "mention", team: teamOf(ev), user: e.User, channel: e.Channel, threadTS: thread,
			inv: parse(e.Text, b.cfg.AllowPrivate), started: b.cfg.Now()}
		r.command = commandName(r.inv)
		b.admitEvent(r)
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "" && e.Tab != "home" {
			return
		}
		r := &request{source: "home", command: "home", team: teamOf(ev), user: e.User, started: b.cfg.Now()}
		if len(b.cfg.AllowedTeams) > 0 && !slices.Contains(b.cfg.AllowedTeams, r.team) {
			b.audit(r, "not_allowed", "")
			return
		}
		b.quick(r, func(ctx context.Context) { b.publishHome(ctx, r) })
	}
}

// refused answers, and reports true for, a request from a workspace or
// a channel the bot is not allowed in.
func (b *Bot) refused(r *request) bool {
	answer, no := b.refusal(r)
	if !no {
		return false
	}
	b.audit(r, "not_allowed", r.inv.target.Domain) // before the job, which sets r.lang
	b.quick(r, func(ctx context.Context) { b.refuse(ctx, r, answer(r.lang)) })
	return true
}

// teamOf is the workspace an event came from.
func teamOf(ev slackevents.EventsAPIEvent) string {
	if ev.TeamID != "" {
		return ev.TeamID
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		return cb.TeamID
	}
	return ""
}

// admitEvent is admit for envelopes already acked.
func (b *Bot) admitEvent(r *request) { b.admit(nil, r, nil) }

func (b *Bot) onInteractive(evt socketmode.Event) {
	b.ack(evt.Request, nil)
	cb, ok := evt.Data.(slack.InteractionCallback)
	if ok && cb.Type == slack.InteractionTypeMessageAction {
		if !b.duplicateEnvelope(evt.Request) {
			b.onMessageAction(cb)
		}
		return
	}
	if !ok || b.duplicateEnvelope(evt.Request) || cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	a := cb.ActionCallback.BlockActions[0]
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	r := &request{source: "action", team: cb.Team.ID, user: cb.User.ID, channel: channel, responseURL: cb.ResponseURL,
		threadTS: cb.Message.ThreadTimestamp, started: b.cfg.Now()}
	v := decodeAction(a.Value)
	if sel := a.SelectedOption.Value; sel != "" {
		v = decodeAction(sel) // the client guide menu: the option carries the client
	}
	r.inv = parse(v.input, b.cfg.AllowPrivate)
	if v.input == "" || r.inv.route.kind != routeCheck {
		r.inv = invocation{route: routeFor(routeCheck), err: &checks.InputError{Reason: checks.InputEmpty}}
	}
	if v.host != "" && r.inv.err == nil {
		t, err := r.inv.target.WithHost(v.host, b.cfg.AllowPrivate)
		if err != nil {
			r.inv.err = &checks.InputError{Reason: checks.InputBadChar, Input: v.host}
		}
		r.inv.target = t
	}
	r.inv.lang, r.inv.client = v.lang, v.client
	if r.inv.err != nil {
		r.command = "stale_action"
		b.quick(r, func(ctx context.Context) {
			b.say(ctx, r, messages.Say(r.lang, messages.PhraseUnknownAction, "domain", v.input))
			b.audit(r, "invalid_action", "")
		})
		return
	}
	switch a.ActionID {
	case actionRerun:
		r.command = "rerun"
		b.admit(nil, r, nil)
	case actionClientGuide:
		r.command = "client_guide"
		b.admitAction(r, b.answerClientGuide)
	case actionCustomerReply:
		r.command = "customer_reply"
		b.admitAction(r, b.answerCustomerReply)
	case actionShare:
		r.command = "share"
		b.admitAction(r, b.answerShare)
	default:
		b.log.Info("ignored an unknown action", "action_id", a.ActionID)
	}
}

// admitAction queues a button's work on the check pool (it may need a
// report). A click on a domain whose report is no longer known (after a
// restart, or long after the answer) runs a check: it counts against
// the user's rate limit like a command.
func (b *Bot) admitAction(r *request, run func(context.Context, *request)) {
	busy := func(verdict string, key messages.Phrase, pairs ...string) {
		b.audit(r, verdict, r.inv.target.Domain) // before the job, which sets r.lang
		b.quick(r, func(ctx context.Context) { b.say(ctx, r, messages.Say(r.lang, key, pairs...)) })
	}
	if b.refused(r) {
		return
	}
	if b.stopping.Load() || !b.checks.room(r.share()) {
		busy("busy", messages.PhraseBusy)
		return
	}
	chooser := r.command == "client_guide" && r.inv.client == "" // no report needed
	if _, known := b.cache.latest(r.inv.target); !known && !chooser {
		if ok, wait := b.limits.allow(r.user); !ok {
			busy("rate_limited", messages.PhraseRateLimited, "wait", humanWait(wait))
			return
		}
	}
	b.checks.put(b.newJob(r, func(ctx context.Context) { run(ctx, r) }))
}
