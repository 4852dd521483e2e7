package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
)

// callTimeout bounds one Slack call made while answering.
const callTimeout = 10 * time.Second

// answerTimeout bounds the delivery of an answer: the response_url, then
// a fallback that may wait out one Retry-After (maxRetryAfter). An answer
// is what the user is waiting for, worth a worker's time.
const answerTimeout = callTimeout + maxRetryAfter

// localeTimeout bounds the users.info call of a command: the language is
// a nicety, not worth delaying the answer for long.
const localeTimeout = 3 * time.Second

// lang is the language of an answer: the one the command named, else the
// user's Slack locale (fr-* is French, anything else English), else the
// configured default.
func (b *Bot) lang(ctx context.Context, r *request) messages.Lang {
	if r.inv.lang != "" {
		return r.inv.lang
	}
	if r.user == "" {
		return b.cfg.Lang
	}
	if l, ok := b.locales.get(r.user); ok {
		return l
	}
	if b.cfg.Now().UnixNano() < b.localeLimited.Load() {
		return b.cfg.Lang // users.info is rate-limited: do not ask meanwhile
	}
	ctx, cancel := context.WithTimeout(ctx, localeTimeout)
	defer cancel()
	loc, err := b.poster.Locale(ctx, r.user)
	if err != nil || loc == "" {
		if err != nil {
			var rl *slack.RateLimitedError
			if errors.As(err, &rl) {
				b.localeLimited.Store(b.cfg.Now().Add(rl.RetryAfter).UnixNano())
			}
			b.log.Warn("could not read the user's locale", "user", r.user, "error", errString(err))
		}
		return b.cfg.Lang // not cached: the next command asks again
	}
	l := messages.EN
	if fr, ok := messages.ParseLang(loc); ok && fr == messages.FR {
		l = messages.FR
	}
	b.locales.put(r.user, l)
	return l
}

// say answers with a plain text, escaped: values in it cannot format.
func (b *Bot) say(ctx context.Context, r *request, text string) {
	b.send(ctx, r, Message{Text: text, Blocks: []slack.Block{mrkdwnSection(slackEscape(text))}})
}

// send delivers an answer the way the request calls for: in the thread
// of a mention (visible), else through the response_url while its budget
// lasts, else with chat.postEphemeral. A refused response_url falls back
// too.
func (b *Bot) send(ctx context.Context, r *request, m Message) {
	ctx, cancel := context.WithTimeout(ctx, answerTimeout)
	defer cancel()
	if r.source == "shortcut" {
		b.sendInThread(ctx, r, m)
		return
	}
	if r.source == "mention" {
		m.ThreadTS = r.threadTS
		m.Replace, m.InChannel = false, false
		if err := b.poster.PostMessage(ctx, r.channel, m); err != nil {
			b.log.Warn("could not answer in the thread", "channel", r.channel, "error", errString(err))
		}
		return
	}
	if r.responseURL != "" && b.budget.take(r.responseURL) {
		err := b.poster.Respond(ctx, r.responseURL, m)
		if err == nil {
			return
		}
		var sc slack.StatusCodeError
		if errors.As(err, &sc) && (sc.Code == http.StatusNotFound || sc.Code == http.StatusGone) {
			b.budget.spend(r.responseURL) // expired or used up
		}
		b.log.Warn("response_url refused the answer, falling back", "command", r.command, "error", errString(err))
	}
	if r.channel == "" {
		return
	}
	if m.InChannel {
		m.InChannel, m.Replace = false, false
		m.ThreadTS = r.threadTS
		if err := b.poster.PostMessage(ctx, r.channel, m); err != nil {
			b.log.Warn("could not share the answer", "channel", r.channel, "error", errString(err))
		}
		return
	}
	m.Replace = false
	m.ThreadTS = r.threadTS
	if err := b.poster.PostEphemeral(ctx, r.channel, r.user, m); err != nil {
		b.log.Warn("could not answer", "channel", r.channel, "error", errString(err))
	}
}

// audit logs the one line every command leaves.
func (b *Bot) audit(r *request, verdict, domain string, attrs ...any) {
	args := []any{"user", r.user, "channel", r.channel, "source", r.source, "command", r.command,
		"domain", domain, "verdict", verdict, "duration_ms", b.cfg.Now().Sub(r.started).Milliseconds()}
	if r.lang != "" {
		args = append(args, "lang", string(r.lang))
	}
	b.log.Info("audit", append(args, attrs...)...)
	b.cfg.Observer.CommandDone(r.command, verdict)
}

// report returns the report of a request's target: from the cache when
// fresh enough (or, for fresh, a new run).
func (b *Bot) report(ctx context.Context, r *request, fresh bool) (*checks.Report, bool) {
	// A slow domain costs its requester a worker for this long at most.
	ctx, cancel := context.WithTimeout(ctx, b.cfg.CheckTimeout)
	defer cancel()
	rep, cached := b.cache.get(ctx, r.inv.target, fresh, b.cfg.Checker.Check)
	if rep == nil {
		panic(fmt.Sprintf("checker returned no report for %s", r.inv.target.Domain))
	}
	return rep, cached
}

// answerCheck runs (or reuses) a check and answers with its report. A
// re-run replaces the message its button is on and says first what
// changed since the previous report.
func (b *Bot) answerCheck(ctx context.Context, r *request, fresh bool) {
	if r.inv.err != nil {
		text := messages.InputMessage(r.lang, r.inv.err, command)
		b.send(ctx, r, Message{Text: text, Blocks: blockkit.InputError(r.lang, r.inv.err, command)})
		b.audit(r, "invalid_input", "", "reason", string(r.inv.err.Reason))
		return
	}
	prev, hadPrev := b.cache.latest(r.inv.target)
	rep, cached := b.report(ctx, r, fresh)
	mem := b.remember(ctx, r, rep, cached)
	blocks, text := render(rep, r.lang, r.inv.client, r.source == "mention", mem, b.clock())
	if fresh && hadPrev && b.cfg.History == nil {
		// Without history, a re-run compares with the report it replaces.
		blocks = withChanges(blocks, changes(prev, rep, r.lang))
	}
	b.recent.add(r.user, recentCheck{Domain: rep.Target.Display, Status: rep.Status, At: b.cfg.Now()})
	m := Message{Text: text, Blocks: blocks, Replace: fresh && r.source == "action"}
	b.send(ctx, r, m)
	b.audit(r, string(rep.Status), rep.Target.Domain, "cached", cached, "check_ms", rep.Elapsed.Milliseconds())
}

func statusWord(s checks.Status, lang messages.Lang) string {
	if w, ok := messages.WordsFor(lang).Status[s]; ok && w != "" {
		return w
	}
	return string(s)
}

// changes says what differs between two reports of a domain, one line
// per check whose status changed: "smtp.465: fail → pass".
func changes(prev, cur *checks.Report, lang messages.Lang) string {
	var lines []string
	for _, res := range cur.Results {
		old, ok := prev.Result(res.ID)
		if !ok || old.Status == res.Status {
			continue
		}
		lines = append(lines, fmt.Sprintf("• `%s`: %s → %s", res.ID, old.Status, res.Status))
	}
	if len(lines) == 0 {
		return messages.Say(lang, messages.PhraseUnchanged)
	}
	return messages.Say(lang, messages.PhraseChanged) + "\n" + strings.Join(lines, "\n")
}

func (b *Bot) answerHelp(ctx context.Context, r *request) {
	b.send(ctx, r, Message{Text: messages.Say(r.lang, messages.PhraseHelpTitle), Blocks: []slack.Block{mrkdwnSection(helpText(r.lang))}})
	b.audit(r, "help", "")
}

// statusIDs are the checks "/mailsetup status" shows per platform host:
// the ports customers' mail clients and other servers use.
var statusIDs = []checks.ID{checks.IMAP993, checks.POP3995, checks.SMTP465, checks.SMTP587, checks.SMTP25}

// answerStatus checks every platform host at once and answers with one
// line per host and port.
func (b *Bot) answerStatus(ctx context.Context, r *request) {
	if !b.statusAllowed(ctx, r) {
		b.refuse(ctx, r, whereMessage(r.lang, messages.PhraseStatusOnly, b.cfg.StatusChannels, b.cfg.OnCallGroup != ""))
		b.audit(r, "not_allowed", "")
		return
	}
	if len(b.cfg.Fleet) == 0 && (b.cfg.Platform == nil || len(b.cfg.Platform.Outgoing) == 0) {
		b.say(ctx, r, messages.Say(r.lang, messages.PhraseStatusNone))
		b.audit(r, "no_fleet", "")
		return
	}
	reports := make([]*checks.Report, len(b.cfg.Fleet))
	streaks := make([]map[checks.ID]string, len(b.cfg.Fleet))
	errs := make([]string, len(b.cfg.Fleet))
	var wg sync.WaitGroup
	for i, host := range b.cfg.Fleet {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					b.log.Error("status check panicked", "host", host, "panic", redact(fmt.Sprint(p)))
					errs[i] = "internal error"
				}
			}()
			t, err := checks.ParseTarget(host, b.cfg.AllowPrivate)
			if err != nil {
				errs[i] = err.Error()
				return
			}
			reports[i] = b.cfg.StatusChecker.Check(ctx, t)
			streaks[i] = b.recordStatus(ctx, r, reports[i])
		})
	}
	var outgoing []string
	worst := checks.StatusPass
	wg.Go(func() { outgoing, worst = b.outgoingLines(ctx, r.lang) })
	wg.Wait()
	var lines []string
	for i, host := range b.cfg.Fleet {
		rep := reports[i]
		if rep == nil {
			worst = checks.Worse(worst, checks.StatusError)
			lines = append(lines, fmt.Sprintf("%s %s %s", statusEmoji(checks.StatusError), blockkit.Code(host), slackEscape(errs[i])))
			continue
		}
		if res, ok := rep.Result(checks.DNSHost); ok && !res.Status.Works() {
			// A platform host that does not resolve takes its ports down
			// with it (they are skipped): the title must say so.
			worst = checks.Worse(worst, res.Status)
			lines = append(lines, statusLine(host, res)+since(streaks[i], res.ID))
		}
		for _, id := range statusIDs {
			res, ok := rep.Result(id)
			if !ok {
				continue
			}
			if res.Status != checks.StatusSkip {
				worst = checks.Worse(worst, res.Status)
			}
			lines = append(lines, statusLine(host, res)+since(streaks[i], res.ID))
		}
	}
	lines = append(lines, outgoing...)
	title := fmt.Sprintf("%s *%s*", statusEmoji(worst), messages.Say(r.lang, messages.PhraseStatusTitle))
	blocks := []slack.Block{mrkdwnSection(title)}
	for _, chunk := range chunkLines(lines, 2900) {
		blocks = append(blocks, mrkdwnSection(chunk))
	}
	b.send(ctx, r, Message{Text: messages.Say(r.lang, messages.PhraseStatusTitle), Blocks: blocks})
	b.audit(r, string(worst), "", "hosts", len(b.cfg.Fleet))
}

// statusLine is one host and port: "✅ `mail1.example.net` imap.993 pass (12 ms)".
func statusLine(host string, res checks.Result) string {
	s := fmt.Sprintf("%s %s %s %s", statusEmoji(res.Status), blockkit.Code(host), res.ID, res.Status)
	for _, f := range res.Findings {
		if f.Severity != checks.SeverityInfo {
			s += ": " + string(f.Code)
			break
		}
	}
	return s + fmt.Sprintf(" (%d ms)", res.Elapsed.Milliseconds())
}

// chunkLines joins lines into texts of at most max bytes (a section's
// text is limited to 3000 characters).
func chunkLines(lines []string, max int) []string {
	var out []string
	var cur strings.Builder
	for _, l := range lines {
		if cur.Len() > 0 && cur.Len()+1+len(l) > max {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(l)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// actionReport is the report a button acts on: the latest of its domain
// (what the user saw), or a new one after a restart.
func (b *Bot) actionReport(ctx context.Context, r *request) *checks.Report {
	if rep, ok := b.cache.latest(r.inv.target); ok {
		return retarget(rep, r.inv.target)
	}
	rep, _ := b.report(ctx, r, false)
	return rep
}

func (b *Bot) answerClientGuide(ctx context.Context, r *request) {
	if r.inv.client == "" {
		b.send(ctx, r, Message{Text: messages.WordsFor(r.lang).ChooseClient, Blocks: clientChooser(r)})
		b.audit(r, "choose_client", r.inv.target.Domain)
		return
	}
	rep := b.actionReport(ctx, r)
	g := messages.ClientGuide(messages.Settings(rep), r.inv.client, r.lang)
	b.send(ctx, r, Message{Text: g.Title, Blocks: renderGuide(rep, r.lang, r.inv.client)})
	b.audit(r, string(rep.Status), rep.Target.Domain, "client", string(r.inv.client))
}

func (b *Bot) answerCustomerReply(ctx context.Context, r *request) {
	rep := b.actionReport(ctx, r)
	text := messages.CustomerReply(hidePrivate(rep, r.lang), r.lang, r.inv.client)
	if b.cfg.History != nil {
		// "Nous constatons que votre enregistrement MX a été modifié hier
		// soir.": the customer's own change, first.
		if s := messages.ReplyChanges(b.cfg.History.Memory(ctx, rep.Target.Domain), b.clock(), r.lang); s != "" {
			text = s + "\n\n" + text
		}
	}
	blocks := blockkit.Reply(messages.Say(r.lang, messages.PhraseCustomerReply), text)
	b.send(ctx, r, Message{Text: messages.Say(r.lang, messages.PhraseCustomerReply), Blocks: blocks})
	b.audit(r, string(rep.Status), rep.Target.Domain)
}

func (b *Bot) answerShare(ctx context.Context, r *request) {
	rep := b.actionReport(ctx, r)
	intro := messages.Say(r.lang, messages.PhraseShared, "user", "<@"+r.user+">", "domain", slackEscape(blockkit.Name(rep.Target.Display, rep.Target.Domain)))
	var mem history.Memory
	if b.cfg.History != nil {
		mem = hidePrivateChanges(b.cfg.History.Memory(ctx, rep.Target.Domain), r.lang)
	}
	blocks, text := render(rep, r.lang, r.inv.client, true, mem, b.clock())
	b.send(ctx, r, Message{Text: text, Blocks: withChanges(blocks, intro), InChannel: true})
	b.audit(r, string(rep.Status), rep.Target.Domain)
}

// publishHome shows the App Home tab: the usage and the user's recent
// checks.
func (b *Bot) publishHome(ctx context.Context, r *request) {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, messages.Say(r.lang, messages.PhraseHomeTitle), false, false)),
		mrkdwnSection(helpText(r.lang)),
		slack.NewDividerBlock(),
		mrkdwnSection("*" + messages.Say(r.lang, messages.PhraseHomeRecent) + "*"),
	}
	recent := b.recentChecks(ctx, r.user)
	if len(recent) == 0 {
		blocks = append(blocks, mrkdwnSection(messages.Say(r.lang, messages.PhraseHomeNone)))
	} else {
		var lines []string
		for _, c := range recent {
			lines = append(lines, fmt.Sprintf("%s %s %s <!date^%d^{date_short_pretty} {time}|%s>", statusEmoji(c.Status),
				blockkit.Code(blockkit.Name(c.Domain, "")), statusWord(c.Status, r.lang), c.At.Unix(), c.At.UTC().Format(time.RFC3339)))
		}
		blocks = append(blocks, mrkdwnSection(strings.Join(lines, "\n")))
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if err := b.poster.PublishHome(ctx, r.user, blocks); err != nil {
		b.log.Warn("could not publish the App Home", "user", r.user, "error", errString(err))
	}
}

func mrkdwnSection(text string) *slack.SectionBlock {
	if r := []rune(text); len(r) > 3000 {
		text = string(r[:2999]) + "…"
	}
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}
