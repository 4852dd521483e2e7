// Package notify posts what the on-call channel should know after a run
// of "mailsetup check --notify CHANNEL": the failing domains, or the
// domains whose status or failing checks changed since the previous run.
//
// It keeps the state --notify-on change compares against: the run's
// reports as JSON lines, written beside the previous state and put in
// its place only once the run is complete and the notification posted,
// so a change is never lost (if the post fails, the next run sees the
// change again).
//
// Posts go through the bot's Web API client and retry policy
// (bot.NewWebAPI); the message is laid out by bot/blockkit, its words
// come from package messages.
package notify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot"
	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
)

// When to post, the values of --notify-on.
const (
	OnFail   = "fail"   // the failing domains, if any
	OnChange = "change" // what changed since Config.Previous
	OnAlways = "always" // the failing domains, or that none failed
)

// Limits of one notification.
const (
	maxTransitions = 5       // check changes listed for a domain
	maxStateLine   = 1 << 20 // one JSON report of the state
)

// Poster posts a message to a channel; bot.NewWebAPI's does.
type Poster interface {
	PostMessage(ctx context.Context, channel string, m bot.Message) error
}

// Config is a notification's settings, validated by the caller.
type Config struct {
	// Channel is the channel id or #name posted to.
	Channel string
	// On is OnFail, OnChange or OnAlways.
	On string
	// Previous is the state file of OnChange; "" keeps no state.
	Previous string
	// Lang is the language of the reports and of the notification.
	Lang messages.Lang
	// Poster posts the notification.
	Poster Poster
	// Logger receives what was posted and why nothing was; nil discards.
	Logger *slog.Logger
}

// domainState is what a notification says of a domain, and what
// OnChange compares from one run to the next.
type domainState struct {
	domain string
	status checks.Status
	checks map[checks.ID]checks.Status
	remedy string // the first remedy's title, in the report's language
}

// stateOf reads a report's JSON, this run's or a previous one's.
func stateOf(j *messages.JSONReport) domainState {
	s := domainState{domain: j.Domain, status: j.Status, checks: make(map[checks.ID]checks.Status, len(j.Checks))}
	for _, c := range j.Checks {
		s.checks[c.ID] = c.Status
	}
	if len(j.Remedies) > 0 {
		s.remedy = j.Remedies[0].Title
	}
	return s
}

// failing lists the failing checks in report order.
func (s domainState) failing() []checks.ID {
	var out []checks.ID
	for _, id := range checks.AllIDs {
		if s.checks[id] == checks.StatusFail {
			out = append(out, id)
		}
	}
	return out
}

// notice is one domain of a notification.
type notice struct {
	cur  domainState
	prev *domainState // OnChange, when the previous run had it
}

// Notifier collects a run's reports and, at the end, posts the
// notification. Its methods are no-ops on a nil *Notifier, the notifier
// of a run without --notify.
type Notifier struct {
	cfg Config
	// prev is the previous run by domain; nil when there was none.
	prev map[string]domainState

	mu       sync.Mutex
	total    int
	failing  int
	notices  []notice
	next     *os.File // the next state, until it replaces cfg.Previous
	stateErr error
}

// New reads the previous state, if any, and opens the next one beside
// it, so a directory that cannot be written is an error now.
func New(cfg Config) (*Notifier, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Poster == nil {
		return nil, errors.New("notify: no poster")
	}
	n := &Notifier{cfg: cfg}
	if cfg.Previous == "" {
		return n, nil
	}
	if err := n.loadPrevious(); err != nil {
		return nil, err
	}
	next, err := os.CreateTemp(filepath.Dir(cfg.Previous), "."+filepath.Base(cfg.Previous)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("--previous %s: cannot write beside it: %w", cfg.Previous, err)
	}
	n.next = next
	return n, nil
}

// loadPrevious reads cfg.Previous into n.prev; a missing file is a first
// run.
func (n *Notifier) loadPrevious() error {
	log := n.cfg.Logger
	f, err := os.Open(n.cfg.Previous)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		log.Info("no previous run: every failing domain is new", "previous", n.cfg.Previous)
		return nil
	case err != nil:
		return fmt.Errorf("reading the previous run: %w", err)
	}
	defer f.Close()
	prev, bad, err := readPrevious(f)
	if err != nil {
		return fmt.Errorf("reading the previous run %s: %w", n.cfg.Previous, err)
	}
	if bad > 0 {
		log.Warn("previous run: lines skipped, their domains count as new", "previous", n.cfg.Previous, "lines", bad)
	}
	n.prev = prev
	return nil
}

// readPrevious reads JSON lines of "check --format json" (what --previous
// holds) into states by domain. Lines that are not a report (an invalid
// input's line, a truncated write) are counted and skipped.
func readPrevious(r io.Reader) (prev map[string]domainState, bad int, err error) {
	prev = map[string]domainState{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxStateLine)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		j, err := messages.DecodeJSON(bytes.NewReader(line))
		if err != nil || j.Domain == "" {
			bad++
			continue
		}
		prev[j.Domain] = stateOf(j)
	}
	return prev, bad, sc.Err()
}

// Add takes one report of the run. It is safe for concurrent use.
func (n *Notifier) Add(rep *checks.Report) {
	if n == nil {
		return
	}
	n.add(rep, nil, false)
}

// AddAfter is Add for a run whose previous state is the store's rather
// than a --previous file: prev is the domain's previous check as
// recorded, nil when it has none.
func (n *Notifier) AddAfter(rep *checks.Report, prev *store.Record) {
	if n == nil {
		return
	}
	if prev == nil {
		n.add(rep, nil, true)
		return
	}
	s := domainState{domain: prev.Domain, status: prev.Status, checks: make(map[checks.ID]checks.Status, len(prev.Checks))}
	for _, c := range prev.Checks {
		s.checks[c.ID] = c.Status
	}
	n.add(rep, &s, true)
}

// add takes one report; fromStore says prev (nil: none) replaces the
// previous file's state.
func (n *Notifier) add(rep *checks.Report, fromStore *domainState, useStore bool) {
	j := messages.NewView(rep, n.cfg.Lang).JSON()
	cur := stateOf(&j)
	var line []byte
	if n.next != nil {
		var err error
		if line, err = json.Marshal(j); err == nil {
			line = append(line, '\n')
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.total++
	if line != nil && n.stateErr == nil {
		_, n.stateErr = n.next.Write(line)
	}
	failing := len(cur.failing()) > 0
	if failing {
		n.failing++
	}
	if n.cfg.On != OnChange {
		if failing {
			n.notices = append(n.notices, notice{cur: cur})
		}
		return
	}
	prev, seen := n.prev[cur.domain]
	if useStore {
		seen = fromStore != nil
		if seen {
			prev = *fromStore
		}
	}
	switch {
	case !seen && failing: // new, or first run: a failure is news
		n.notices = append(n.notices, notice{cur: cur})
	case seen && (prev.status != cur.status || !slices.Equal(prev.failing(), cur.failing())):
		n.notices = append(n.notices, notice{cur: cur, prev: &prev})
	}
}

// Finish posts the notification, if there is anything to say, then puts
// the next state in place. On error the previous state is left as it
// was.
func (n *Notifier) Finish(ctx context.Context) error {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if msg, ok := n.message(); ok {
		if err := n.post(ctx, msg); err != nil {
			n.discardLocked()
			return err
		}
		n.cfg.Logger.Info("notification posted", "channel", n.cfg.Channel, "notify_on", n.cfg.On, "domains", len(n.notices), "checked", n.total)
	} else {
		n.cfg.Logger.Info("nothing to notify", "notify_on", n.cfg.On, "checked", n.total, "failing", n.failing)
	}
	return n.commitLocked()
}

// Discard drops the next state, keeping the previous one: the run did
// not complete.
func (n *Notifier) Discard() {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.discardLocked()
}

func (n *Notifier) discardLocked() {
	if n.next == nil {
		return
	}
	n.next.Close()
	os.Remove(n.next.Name())
	n.next = nil
}

// commitLocked replaces cfg.Previous with this run's state, atomically:
// a crash leaves the old file or the new one, never half of one.
func (n *Notifier) commitLocked() error {
	if n.next == nil {
		return nil
	}
	f := n.next
	err := n.stateErr
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), n.cfg.Previous)
	}
	n.next = nil
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("saving the state for the next run: %w", err)
	}
	n.cfg.Logger.Debug("state saved for the next run", "previous", n.cfg.Previous, "domains", n.total)
	return nil
}

// message builds the notification; ok is false when there is nothing to
// say: no failure (OnFail), no change (OnChange).
func (n *Notifier) message() (msg bot.Message, ok bool) {
	w := messages.NoticeWordsFor(n.cfg.Lang)
	var title string
	switch {
	case n.cfg.On == OnChange && len(n.notices) == 0:
		return msg, false
	case n.cfg.On == OnChange:
		title = w.Changed(len(n.notices), n.total)
	case n.failing > 0:
		title = w.Failing(n.failing, n.total)
	case n.cfg.On == OnAlways:
		title = w.AllPass(n.total)
	default:
		return msg, false
	}
	slices.SortFunc(n.notices, func(a, b notice) int { return strings.Compare(a.cur.domain, b.cur.domain) })
	lines := make([]string, len(n.notices))
	for i, no := range n.notices {
		lines[i] = n.line(no, w)
	}
	return bot.Message{Text: title, Blocks: blockkit.Notice(title, lines, w.More)}, true
}

// line is one domain of the notification, in Slack mrkdwn, e.g.
//
//	"• *client.com*: smtp.465, imap.993 — fix: Renew the certificate"
//	"• *client.com* pass → fail: smtp.465 pass → fail — fix: …"
//	"• *client.com* (new) fail: dns.mx — fix: …"
func (n *Notifier) line(no notice, w messages.NoticeWords) string {
	var b strings.Builder
	fmt.Fprintf(&b, "• *%s*", blockkit.Escape(no.cur.domain))
	var what []string // failing checks, or changes
	switch {
	case n.cfg.On != OnChange:
	case no.prev == nil:
		fmt.Fprintf(&b, " (%s) %s", w.New, no.cur.status)
	default:
		if no.prev.status != no.cur.status {
			fmt.Fprintf(&b, " %s → %s", no.prev.status, no.cur.status)
		}
		what = transitions(*no.prev, no.cur)
	}
	if len(what) == 0 { // not a change, or the previous run did not say
		for _, id := range no.cur.failing() {
			what = append(what, string(id))
		}
	}
	if len(what) > 0 {
		b.WriteString(": " + strings.Join(what, ", "))
	}
	if no.cur.remedy != "" && len(no.cur.failing()) > 0 {
		fmt.Fprintf(&b, " — %s: %s", w.Fix, blockkit.Escape(no.cur.remedy))
	}
	return b.String()
}

// transitions lists the checks whose status changed, "smtp.465 fail →
// pass", in report order. Changes to or from skip are left out: they
// follow from another check's change, which is listed.
func transitions(prev, cur domainState) []string {
	var out []string
	for _, id := range checks.AllIDs {
		p, c := prev.checks[id], cur.checks[id]
		if p == c || p == checks.StatusSkip || c == checks.StatusSkip || p == "" || c == "" {
			continue
		}
		if len(out) == maxTransitions {
			out = append(out, "…")
			break
		}
		out = append(out, fmt.Sprintf("%s %s → %s", id, p, c))
	}
	return out
}

// post sends the notification and says, for the errors an operator can
// fix, what to do.
func (n *Notifier) post(ctx context.Context, msg bot.Message) error {
	err := n.cfg.Poster.PostMessage(ctx, n.cfg.Channel, msg)
	if err == nil {
		return nil
	}
	var refused slack.SlackErrorResponse
	var status slack.StatusCodeError
	var limited *slack.RateLimitedError
	switch {
	case errors.As(err, &refused):
		switch refused.Err {
		case "not_in_channel", "channel_not_found":
			return fmt.Errorf("%w: invite the app to %s (or give it chat:write.public)", err, n.cfg.Channel)
		case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
			return fmt.Errorf("chat.postMessage: Slack refused SLACK_BOT_TOKEN (%s)", refused.Err)
		}
	case errors.As(err, &status):
		return fmt.Errorf("%w (HTTP %d)", err, status.Code)
	case errors.As(err, &limited):
		return fmt.Errorf("%w (HTTP 429, retried)", err)
	}
	return err
}
