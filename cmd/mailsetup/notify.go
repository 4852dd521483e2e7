package main

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
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// notifyConfig is --notify CHANNEL, --notify-on, --previous and the
// Slack settings they need.
type notifyConfig struct {
	channel  string
	on       string // fail (the default, also ""), change, always
	previous string
	// token is SLACK_BOT_TOKEN. It goes into one HTTP header and nowhere
	// else: never into an error, a log line or the output.
	token  string
	apiURL string
	// client carries chat.postMessage; nil means one with a 15 s timeout.
	client *http.Client
}

// Limits of one notification, below Slack's: 50 blocks a message, 3000
// characters a section (https://api.slack.com/reference/block-kit/blocks).
const (
	maxSectionText   = 2900
	maxSections      = 40
	maxTransitions   = 5
	maxStateLine     = 1 << 20 // one JSON report
	maxSlackAnswer   = 1 << 20
	maxRetryAfter    = time.Minute
	notifyHTTPTimout = 15 * time.Second
)

// validate checks the notification settings; called only with --notify
// or its companions set.
func (n *notifyConfig) validate() error {
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
	switch n.on {
	case "":
		n.on = "fail"
	case "fail", "change", "always":
	default:
		return usageError("--notify-on %q: want fail, change or always", n.on)
	}
	if n.on == "change" && n.previous == "" {
		return usageError("--notify-on change needs --previous FILE, the state kept from one run to the next")
	}
	if n.on != "change" && n.previous != "" {
		return usageError("--previous is read by --notify-on change only")
	}
	switch {
	case n.token == "":
		return usageError("SLACK_BOT_TOKEN is not set: --notify needs the Slack app's bot token (xoxb-…)")
	case !strings.HasPrefix(n.token, "xoxb-") || strings.ContainsAny(n.token, " \t\r\n"):
		return usageError("SLACK_BOT_TOKEN is not the Slack app's bot token: it should start with xoxb-")
	}
	if n.apiURL == "" {
		n.apiURL = "https://slack.com/api/"
	}
	if !strings.HasPrefix(n.apiURL, "https://") && !strings.HasPrefix(n.apiURL, "http://") {
		return usageError("SLACK_API_URL=%q: want an http(s) URL such as https://slack.com/api/", n.apiURL)
	}
	if !strings.HasSuffix(n.apiURL, "/") {
		n.apiURL += "/"
	}
	return nil
}

// domainState is what a notification says of a domain, and what
// --notify-on change compares from one run to the next.
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
	prev *domainState // --notify-on change, when the previous run had it
}

// notifier collects a run's reports and, at the end, posts what the
// on-call channel should know: the failing domains (fail, always), or
// those whose status or failing checks changed since the previous run
// (change). With --previous it also writes this run's reports as JSON
// lines, the next run's previous state, and puts the file in place only
// once the run is complete and the notification posted, so a change is
// never lost: if the post fails, the next run sees the change again.
type notifier struct {
	cfg  notifyConfig
	lang messages.Lang
	log  *slog.Logger
	// prev is the previous run by domain; nil when there was none.
	prev map[string]domainState

	mu       sync.Mutex
	total    int
	failing  int
	notices  []notice
	next     *os.File // the next state, until it replaces cfg.previous
	stateErr error
}

// newNotifier reads the previous state, if any, and opens the next one
// beside it, so a directory that cannot be written is an error now.
func newNotifier(cfg notifyConfig, lang messages.Lang, log *slog.Logger) (*notifier, error) {
	n := &notifier{cfg: cfg, lang: lang, log: log}
	if cfg.client == nil {
		n.cfg.client = &http.Client{Timeout: notifyHTTPTimout}
	}
	if cfg.previous == "" {
		return n, nil
	}
	f, err := os.Open(cfg.previous)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		log.Info("no previous run: every failing domain is new", "previous", cfg.previous)
	case err != nil:
		return nil, fmt.Errorf("reading the previous run: %w", err)
	default:
		prev, bad, err := readPrevious(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the previous run %s: %w", cfg.previous, err)
		}
		if bad > 0 {
			log.Warn("previous run: lines skipped, their domains count as new", "previous", cfg.previous, "lines", bad)
		}
		n.prev = prev
	}
	next, err := os.CreateTemp(filepath.Dir(cfg.previous), "."+filepath.Base(cfg.previous)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("--previous %s: cannot write beside it: %w", cfg.previous, err)
	}
	n.next = next
	return n, nil
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

// add takes one report of the run. It is safe for concurrent use, and a
// no-op on a nil *notifier.
func (n *notifier) add(rep *checks.Report) {
	if n == nil {
		return
	}
	j := messages.NewView(rep, n.lang).JSON()
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
	if n.cfg.on != "change" {
		if failing {
			n.notices = append(n.notices, notice{cur: cur})
		}
		return
	}
	prev, seen := n.prev[cur.domain]
	switch {
	case !seen && failing: // new, or first run: a failure is news
		n.notices = append(n.notices, notice{cur: cur})
	case seen && (prev.status != cur.status || !slices.Equal(prev.failing(), cur.failing())):
		n.notices = append(n.notices, notice{cur: cur, prev: &prev})
	}
}

// finish posts the notification, if there is anything to say, then puts
// the next state in place. On error the previous state is left as it was.
func (n *notifier) finish(ctx context.Context) error {
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
		n.log.Info("notification posted", "channel", n.cfg.channel, "notify_on", n.cfg.on, "domains", len(n.notices), "checked", n.total)
	} else {
		n.log.Info("nothing to notify", "notify_on", n.cfg.on, "checked", n.total, "failing", n.failing)
	}
	return n.commitLocked()
}

// discard drops the next state, keeping the previous one: the run did
// not complete.
func (n *notifier) discard() {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.discardLocked()
}

func (n *notifier) discardLocked() {
	if n.next == nil {
		return
	}
	n.next.Close()
	os.Remove(n.next.Name())
	n.next = nil
}

// commitLocked replaces --previous with this run's state, atomically:
// a crash leaves the old file or the new one, never half of one.
func (n *notifier) commitLocked() error {
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
		err = os.Rename(f.Name(), n.cfg.previous)
	}
	n.next = nil
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("saving the state for the next run: %w", err)
	}
	n.log.Debug("state saved for the next run", "previous", n.cfg.previous, "domains", n.total)
	return nil
}

// notifyTexts are the notification's few words, in the report's
// language.
var notifyTexts = map[messages.Lang]struct {
	failing     func(failing, total int) string
	allPass     func(total int) string
	changed     func(changed, total int) string
	more        func(n int) string
	new, remedy string
}{
	messages.EN: {
		failing: func(f, t int) string {
			return fmt.Sprintf("mailsetup: %d of %d %s failing", f, t, plural(t, "domain", "domains"))
		},
		allPass: func(t int) string {
			return fmt.Sprintf("mailsetup: %s, no failing check", count(t, "domain checked", "domains checked"))
		},
		changed: func(c, t int) string {
			return fmt.Sprintf("mailsetup: %s since the previous run (%d checked)", count(c, "domain changed", "domains changed"), t)
		},
		more:   func(n int) string { return fmt.Sprintf("… and %s", count(n, "more domain", "more domains")) },
		new:    "new",
		remedy: "fix",
	},
	messages.FR: {
		failing: func(f, t int) string {
			return fmt.Sprintf("mailsetup : %s sur %d", count(f, "domaine en échec", "domaines en échec"), t)
		},
		allPass: func(t int) string {
			return fmt.Sprintf("mailsetup : %s, aucun contrôle en échec", count(t, "domaine vérifié", "domaines vérifiés"))
		},
		changed: func(c, t int) string {
			return fmt.Sprintf("mailsetup : %s depuis le contrôle précédent (%s)", count(c, "domaine a changé", "domaines ont changé"), count(t, "vérifié", "vérifiés"))
		},
		more:   func(n int) string { return fmt.Sprintf("… et %s", count(n, "autre domaine", "autres domaines")) },
		new:    "nouveau",
		remedy: "à faire",
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func count(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

// slackText and slackBlock are the few Block Kit shapes a notification
// uses.
type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

// slackMessage is the body of chat.postMessage.
type slackMessage struct {
	Channel     string       `json:"channel"`
	Text        string       `json:"text"`
	Blocks      []slackBlock `json:"blocks,omitempty"`
	UnfurlLinks bool         `json:"unfurl_links"`
	UnfurlMedia bool         `json:"unfurl_media"`
}

// message builds the notification; ok is false when there is nothing to
// say: no failure (fail), no change (change).
func (n *notifier) message() (msg slackMessage, ok bool) {
	tx := notifyTexts[n.lang]
	var header string
	switch {
	case n.cfg.on == "change" && len(n.notices) == 0:
		return msg, false
	case n.cfg.on == "change":
		header = tx.changed(len(n.notices), n.total)
	case n.failing > 0:
		header = tx.failing(n.failing, n.total)
	case n.cfg.on == "always":
		header = tx.allPass(n.total)
	default:
		return msg, false
	}
	slices.SortFunc(n.notices, func(a, b notice) int { return strings.Compare(a.cur.domain, b.cur.domain) })
	msg = slackMessage{Channel: n.cfg.channel, Text: header,
		Blocks: []slackBlock{{Type: "section", Text: &slackText{"mrkdwn", "*" + escapeSlack(header) + "*"}}}}
	var section strings.Builder
	flush := func() {
		if section.Len() > 0 {
			msg.Blocks = append(msg.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", section.String()}})
			section.Reset()
		}
	}
	for i, no := range n.notices {
		line := n.line(no)
		if section.Len()+len(line)+1 > maxSectionText {
			flush()
			if len(msg.Blocks) > maxSections {
				msg.Blocks = append(msg.Blocks, slackBlock{Type: "context", Elements: []slackText{{"mrkdwn", tx.more(len(n.notices) - i)}}})
				return msg, true
			}
		}
		if section.Len() > 0 {
			section.WriteByte('\n')
		}
		section.WriteString(line)
	}
	flush()
	return msg, true
}

// line is one domain of the notification, in Slack mrkdwn, e.g.
//
//	"• *client.com*: smtp.465, imap.993 — fix: Renew the certificate"
//	"• *client.com* pass → fail: smtp.465 pass → fail — fix: …"
//	"• *client.com* (new) fail: dns.mx — fix: …"
func (n *notifier) line(no notice) string {
	tx := notifyTexts[n.lang]
	var b strings.Builder
	fmt.Fprintf(&b, "• *%s*", escapeSlack(no.cur.domain))
	var what []string // failing checks, or changes
	switch {
	case n.cfg.on != "change":
	case no.prev == nil:
		fmt.Fprintf(&b, " (%s) %s", tx.new, no.cur.status)
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
		fmt.Fprintf(&b, " — %s: %s", tx.remedy, escapeSlack(no.cur.remedy))
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

// escapeSlack escapes the three characters Slack's mrkdwn reserves
// (https://api.slack.com/reference/surfaces/formatting#escaping).
func escapeSlack(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// post calls chat.postMessage (https://api.slack.com/methods/chat.postMessage).
// A 429 is retried once, after the Retry-After Slack asks for.
func (n *notifier) post(ctx context.Context, msg slackMessage) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("chat.postMessage: %w", err)
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.cfg.apiURL+"chat.postMessage", bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("chat.postMessage: %w", err)
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("Authorization", "Bearer "+n.cfg.token)
		resp, err := n.cfg.client.Do(req)
		if err != nil {
			return fmt.Errorf("chat.postMessage: %w", err)
		}
		answer, err := io.ReadAll(io.LimitReader(resp.Body, maxSlackAnswer))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("chat.postMessage: reading the answer: %w", err)
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt == 0 {
			wait := retryAfter(resp.Header.Get("Retry-After"))
			n.log.Warn("Slack rate limit: retrying once", "method", "chat.postMessage", "retry_after", wait.String())
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("chat.postMessage: %w", ctx.Err())
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("chat.postMessage: HTTP %d", resp.StatusCode)
		}
		var r struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(answer, &r); err != nil {
			return fmt.Errorf("chat.postMessage: reading the answer: %w", err)
		}
		if !r.OK {
			switch r.Error {
			case "not_in_channel", "channel_not_found":
				return fmt.Errorf("chat.postMessage: %s: invite the app to %s (or give it chat:write.public)", r.Error, n.cfg.channel)
			case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
				return fmt.Errorf("chat.postMessage: Slack refused SLACK_BOT_TOKEN (%s)", r.Error)
			}
			return fmt.Errorf("chat.postMessage: %s", r.Error)
		}
		return nil
	}
}

// retryAfter reads Retry-After in seconds (Slack sends seconds), 1 s when
// absent or unreadable, at most a minute.
func retryAfter(v string) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || s < 0 {
		return time.Second
	}
	return min(time.Duration(s)*time.Second, maxRetryAfter)
}
