package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
)

// History is the bot's memory of checks, the same for every replica
// when its store is shared; *history.Recorder implements it. Its
// methods never fail the answer: an unavailable store is said in the
// report (Memory.Unavailable) or by the caller.
type History interface {
	// Record keeps a check that just ran and returns what changed.
	Record(ctx context.Context, rep *checks.Report, source store.Source, user string) history.Memory
	// Memory is what changed as of a domain's latest check, recording
	// nothing (a report reused from the cache).
	Memory(ctx context.Context, domain string) history.Memory
	// Domain returns a domain's latest checks, newest first.
	Domain(ctx context.Context, domain string, limit int) ([]store.Record, error)
	// User returns the latest checks a user asked for, newest first.
	User(ctx context.Context, user string, limit int) ([]store.Record, error)
}

// historyLimit is how many checks "/mailsetup history" folds into its
// timeline.
const historyLimit = 50

// clock is when and where the bot's answers are read.
func (b *Bot) clock() messages.Clock {
	return messages.Clock{Now: b.cfg.Now(), Loc: b.cfg.Location}
}

// sourceOf is what a request is recorded as.
func sourceOf(r *request) store.Source {
	switch r.source {
	case "mention":
		return store.SourceMention
	case "action":
		return store.SourceButton
	case "home":
		return store.SourceHome
	}
	return store.SourceSlash
}

// remember records a check that ran for r (or, for a report reused from
// the cache, only reads the domain's memory) and returns what changed.
func (b *Bot) remember(ctx context.Context, r *request, rep *checks.Report, cached bool) history.Memory {
	if b.cfg.History == nil {
		return history.Memory{}
	}
	var mem history.Memory
	if cached {
		mem = b.cfg.History.Memory(ctx, rep.Target.Domain)
	} else {
		mem = b.cfg.History.Record(ctx, rep, sourceOf(r), r.user)
	}
	return hidePrivateChanges(mem, r.lang)
}

// hidePrivateChanges keeps private addresses out of what changed, as
// hidePrivate keeps them out of the report: Slack shows neither.
func hidePrivateChanges(mem history.Memory, lang messages.Lang) history.Memory {
	for i, e := range mem.Events {
		if e.Kind == history.HostAddresses {
			e.FromValues, e.ToValues = hideAddresses(e.FromValues, lang), hideAddresses(e.ToValues, lang)
			mem.Events[i] = e
		}
	}
	return mem
}

// answerHistory is "/mailsetup history DOMAIN": the domain's last checks
// as a short timeline of its changes of state.
func (b *Bot) answerHistory(ctx context.Context, r *request) {
	if r.inv.err != nil {
		text := messages.InputMessage(r.lang, r.inv.err, command+" history")
		b.say(ctx, r, slackEscape(text))
		b.audit(r, "invalid_input", "", "reason", string(r.inv.err.Reason))
		return
	}
	domain := r.inv.target.Domain
	if b.cfg.History == nil {
		b.say(ctx, r, slackEscape(messages.Say(r.lang, messages.PhraseHistoryOff)))
		b.audit(r, "history_off", domain)
		return
	}
	recs, err := b.cfg.History.Domain(ctx, domain, historyLimit)
	switch {
	case err != nil:
		b.say(ctx, r, slackEscape(messages.Say(r.lang, messages.PhraseHistoryUnavailable)))
		b.audit(r, "history_unavailable", domain)
		return
	case len(recs) == 0:
		b.say(ctx, r, slackEscape(messages.Say(r.lang, messages.PhraseHistoryNone, "domain", r.inv.target.Display)))
		b.audit(r, "history_none", domain)
		return
	}
	lines := messages.TimelineLines(r.inv.target.Display, history.Timeline(recs), b.clock(), r.lang)
	title := "*" + slackEscape(lines[0]) + "*"
	var body []string
	for _, l := range lines[1:] {
		body = append(body, "• "+slackEscape(l))
	}
	blocks := []slack.Block{mrkdwnSection(title)}
	for _, chunk := range chunkLines(body, 2900) {
		blocks = append(blocks, mrkdwnSection(chunk))
	}
	b.send(ctx, r, Message{Text: lines[0], Blocks: blocks})
	b.audit(r, "history", domain, "checks", len(recs))
}

// recentChecks are the App Home's recent checks of a user: the store's
// when there is one (the same whichever replica answers), else this
// process's.
func (b *Bot) recentChecks(ctx context.Context, user string) []recentCheck {
	if b.cfg.History == nil {
		return b.recent.list(user)
	}
	recs, err := b.cfg.History.User(ctx, user, maxRecent)
	if err != nil {
		return b.recent.list(user)
	}
	out := make([]recentCheck, len(recs))
	for i, rec := range recs {
		out[i] = recentCheck{Domain: rec.Domain, Status: rec.Status, At: rec.At}
	}
	return out
}

// recordStatus records the check of a platform host of "/mailsetup
// status" and returns, per check in trouble, since when (""
// without history).
func (b *Bot) recordStatus(ctx context.Context, r *request, rep *checks.Report) map[checks.ID]string {
	if b.cfg.History == nil || rep == nil {
		return nil
	}
	if mem := b.cfg.History.Record(ctx, rep, sourceOf(r), r.user); mem.Unavailable {
		return nil
	}
	recs, err := b.cfg.History.Domain(ctx, rep.Target.Domain, historyLimit)
	if err != nil {
		return nil
	}
	out := map[checks.ID]string{}
	for _, s := range history.Streaks(recs) {
		out[s.Check] = messages.StreakText(s, b.clock(), r.lang)
	}
	return out
}

// since says since when a status line is in trouble.
func since(s map[checks.ID]string, id checks.ID) string {
	if t, ok := s[id]; ok && t != "" {
		return fmt.Sprintf(" — %s", slackEscape(t))
	}
	return ""
}
