// Package blockkit renders a messages.View as Slack Block Kit blocks
// (https://api.slack.com/block-kit): a header with the domain and the
// verdict, one line per check with a status emoji, the remedies, the
// settings card, the time taken and the action buttons of docs/contract.md
// (re-run, client guide, customer reply, share). Explanation renders a
// triage answer (what a customer saw, messages.Explanation) the same way.
//
// Rendering is pure: no Slack call, no clock, no randomness, so the same
// view always gives the same blocks (the golden tests depend on it). It
// is used by the bot and by `mailsetup check --format blocks`.
//
// Two things are enforced here rather than trusted. Everything shown is
// escaped with Escape, because banners, records, error texts, domains
// and addresses come from the network or the user and Slack would
// otherwise read "<!channel>" as a mention and "<https://x|y>" as a
// disguised link. And Slack's limits (50 blocks, 3000 characters of
// section text, 150 of header, 10 fields of 2000, 25 elements per
// actions block, 2000 per button value, 150 per option value) are kept
// by folding and truncating with "…" rather than by failing.
package blockkit

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"golang.org/x/net/idna"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// Action ids of the buttons: the bot routes interactions by them, so
// they are API and never change.
const (
	ActionRerun         = "mailsetup_rerun"
	ActionClientGuide   = "mailsetup_client_guide"
	ActionCustomerReply = "mailsetup_customer_reply"
	ActionShare         = "mailsetup_share"
	// BlockActions is the block id of the actions block.
	BlockActions = "mailsetup_actions"
)

// Limits of Block Kit for messages.
const (
	MaxBlocks          = 50
	MaxSectionText     = 3000
	MaxHeaderText      = 150
	MaxFields          = 10
	MaxFieldText       = 2000
	MaxActionElements  = 25
	MaxContextElements = 10
	MaxButtonValue     = 2000
	MaxOptionValue     = 150
	MaxButtonText      = 75
)

// maxDetail bounds a technical detail shown under a check: enough for an
// error text or a record, short enough that a hostile banner cannot fill
// the message.
const maxDetail = 300

// Options are the choices of a rendering.
type Options struct {
	// NoActions leaves the buttons out: a copy shared in a channel, the
	// command line.
	NoActions bool
	// Shared marks a message already visible to the channel: no Share
	// button.
	Shared bool
	// Client preselects the client guide menu.
	Client messages.Client
}

var statusEmoji = map[checks.Status]string{
	checks.StatusPass:  ":white_check_mark:",
	checks.StatusWarn:  ":warning:",
	checks.StatusFail:  ":x:",
	checks.StatusSkip:  ":fast_forward:",
	checks.StatusError: ":grey_question:",
}

// Emoji returns the Slack emoji of a check status.
func Emoji(s checks.Status) string {
	if e, ok := statusEmoji[s]; ok {
		return e
	}
	return ":grey_question:"
}

// Render builds the blocks of a view.
func Render(v *messages.View, opts Options) []slack.Block {
	w := v.Words
	colon := w.Colon
	var blocks []slack.Block
	blocks = append(blocks, header(Emoji(v.Status)+" "+noEmoji(headline(v))))

	var ctx []string
	if v.Address != "" {
		ctx = append(ctx, "*"+w.Address+"*"+colon+Code(v.Address))
	}
	ctx = append(ctx, "*"+w.Host+"*"+colon+Code(Name(hostDisplay(v.Host), v.Host)))
	line := strings.Join(ctx, "  ·  ")
	elems := []slack.MixedElement{mrkdwn(line, MaxSectionText)}
	for _, n := range v.Notes {
		if len(elems) == MaxContextElements {
			break
		}
		elems = append(elems, mrkdwn(":information_source: "+Escape(n), MaxSectionText))
	}
	blocks = append(blocks, slack.NewContextBlock("", elems...))
	blocks = append(blocks, changesBlocks(v)...)

	// One line per check, packed into as few sections as fit.
	var lines []string
	for _, l := range v.Checks {
		lines = append(lines, checkEntry(l, colon))
	}
	if len(v.Certificates) > 0 {
		lines = append(lines, certificatesEntry(v))
	}
	checksBlocks := pack(lines, "\n")

	// One section per remedy; folded into packed sections if too many.
	var remedies []string
	for i, r := range v.Remedies {
		remedies = append(remedies, remedyEntry(i+1, r, w))
	}
	tips := tipsEntry(v.Tips, w)
	settings := settingsBlock(v, w)
	footer := slack.NewContextBlock("", mrkdwn(":stopwatch: "+Escape(v.ElapsedText), MaxSectionText))

	var actions []slack.Block
	if !opts.NoActions {
		actions = append(actions, actionsBlock(v, opts))
	}

	assemble := func(remedyBlocks []slack.Block) []slack.Block {
		out := append([]slack.Block(nil), blocks...)
		out = append(out, checksBlocks...)
		if len(remedyBlocks) > 0 {
			out = append(out, slack.NewDividerBlock(), section("*"+w.Remedies+"*"))
			out = append(out, remedyBlocks...)
		}
		if tips != "" {
			out = append(out, slack.NewDividerBlock(), section(tips))
		}
		out = append(out, slack.NewDividerBlock(), settings, footer)
		return append(out, actions...)
	}
	var each []slack.Block
	for _, r := range remedies {
		each = append(each, section(r))
	}
	out := assemble(each)
	if len(out) > MaxBlocks {
		out = assemble(pack(remedies, "\n\n"))
	}
	if len(out) > MaxBlocks {
		// Cannot happen with the checks of docs/contract.md; keep the head
		// and the buttons rather than fail.
		keep := MaxBlocks - 1 - len(actions)
		out = append(append(out[:keep:keep], section("…")), actions...)
	}
	return out
}

// checkEntry is one check line: emoji, label, summary, then its problems.
func checkEntry(l messages.CheckLine, colon string) string {
	var b strings.Builder
	b.WriteString(Emoji(l.Status) + " *" + Escape(l.Label) + "*" + colon + Escape(l.Summary))
	for _, f := range l.Findings {
		if !f.Shown() {
			continue
		}
		b.WriteString("\n        • " + Escape(f.Title))
		if d := oneLine(f.Evidence); d != "" {
			b.WriteString(" — " + Code(truncate(d, maxDetail)))
		}
	}
	return b.String()
}

// certificatesEntry describes each distinct certificate once, the
// findings' evidence referring to it; the values came from the network.
func certificatesEntry(v *messages.View) string {
	var b strings.Builder
	b.WriteString(":lock: *" + Escape(v.CertificatesHeading()) + "*")
	for _, c := range v.Certificates {
		b.WriteString("\n        • " + Escape(c.Title))
		for _, f := range c.Fields {
			b.WriteString("\n              " + Escape(f.Label) + v.Words.Colon + Code(truncate(oneLine(f.Value), maxDetail)))
		}
	}
	return b.String()
}

// remedyEntry is one remedy: numbered bold title, meaning, steps.
func remedyEntry(n int, r messages.Remedy, w messages.Words) string {
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(n) + ". " + Escape(r.Title) + "*")
	if r.Owner != "" {
		b.WriteString("  _(" + Escape(r.Owner) + ")_")
	}
	if r.Message != "" {
		b.WriteString("\n" + Escape(r.Message))
	}
	for _, s := range r.Steps {
		b.WriteString("\n" + step(s))
	}
	return b.String()
}

// step writes a remedy step: a bullet, and its copy-as-is lines in a
// code block.
func step(s string) string {
	first, rest, ok := strings.Cut(s, "\n")
	out := "• " + Escape(first)
	if ok {
		out += "\n" + fence(rest)
	}
	return out
}

func tipsEntry(tips []messages.Remedy, w messages.Words) string {
	if len(tips) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("*" + Escape(w.Tips) + "*")
	for _, t := range tips {
		b.WriteString("\n*" + Escape(t.Title) + "*")
		for _, s := range t.Steps {
			b.WriteString("\n" + step(s))
		}
	}
	return b.String()
}

func settingsBlock(v *messages.View, w messages.Words) slack.Block {
	card := v.Settings
	servers := func(list []messages.Server) string {
		var lines []string
		for _, s := range list {
			e := ":x:"
			switch {
			case s.Works:
				e = ":white_check_mark:"
			case !s.Checked:
				e = Emoji(checks.StatusSkip)
			}
			l := e + " " + s.Protocol + " · " + Code(s.Host) + " · " + strconv.Itoa(s.Port) + " · " + Escape(string(s.Security))
			if s.Recommended {
				l += " _(" + Escape(w.Recommended) + ")_"
			}
			if !s.Works && !s.Checked {
				l += " _(" + Escape(w.NotChecked) + ")_"
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	fields := []*slack.TextBlockObject{
		field("*" + w.Username + "*\n" + Code(card.Username)),
		field("*" + w.Password + "*\n" + Escape(w.PasswordValue)),
		field("*" + w.Incoming + "*\n" + servers(card.Incoming)),
		field("*" + w.Outgoing + "* _(" + Escape(w.AuthRequired) + ")_\n" + servers(card.Outgoing)),
	}
	return slack.NewSectionBlock(mrkdwn("*"+Escape(w.Settings)+"*", MaxSectionText), fields, nil)
}

func actionsBlock(v *messages.View, opts Options) slack.Block {
	w := v.Words
	val := ValueOf(v, opts.Client).Encode()
	elems := []slack.BlockElement{
		slack.NewButtonBlockElement(ActionRerun, val, plain(w.Rerun, MaxButtonText)),
	}
	var options []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, c := range messages.Clients {
		ov := ValueOf(v, c).Encode()
		if len(ov) > MaxOptionValue {
			// A target this long cannot ride in a menu option: leave the
			// menu out; "/mailsetup domain outlook" still works.
			options = nil
			break
		}
		name := messages.ClientGuide(v.Settings, c, v.Lang).Menu
		o := slack.NewOptionBlockObject(ov, plain(name, MaxButtonText), nil)
		options = append(options, o)
		if c == opts.Client {
			initial = o
		}
	}
	if len(options) > 0 {
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(w.ChooseClient, MaxButtonText), ActionClientGuide, options...)
		if initial != nil {
			sel.InitialOption = initial
		}
		elems = append(elems, sel)
	}
	elems = append(elems, slack.NewButtonBlockElement(ActionCustomerReply, val, plain(w.CustomerReply, MaxButtonText)))
	if !opts.Shared {
		elems = append(elems, slack.NewButtonBlockElement(ActionShare, val, plain(w.Share, MaxButtonText)))
	}
	return slack.NewActionBlock(BlockActions, elems...)
}

// Fallback is the message's plain text, shown in notifications and read
// by screen readers. It is not escaped: the poster escapes every text
// field it sends.
func Fallback(v *messages.View) string { return headline(v) }

// headline is the view's headline, its domain shown with Name: a
// homograph gets its punycode beside it.
func headline(v *messages.View) string {
	name := Name(v.Display, v.Domain)
	if name == v.Display {
		return v.Headline
	}
	return strings.Replace(v.Headline, v.Display, name, 1)
}

// hostDisplay is a host name's Unicode form, for Name.
func hostDisplay(host string) string {
	if u, err := idna.Lookup.ToUnicode(host); err == nil {
		return u
	}
	return host
}

// Guide renders the where-to-click steps of a client guide.
func Guide(g messages.Guide) []slack.Block {
	var lines []string
	for _, s := range g.Sections {
		var b strings.Builder
		if s.Title != "" {
			b.WriteString("*" + Escape(s.Title) + "*\n")
		}
		for i, st := range s.Steps {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(strconv.Itoa(i+1) + ". " + Escape(st))
		}
		lines = append(lines, b.String())
	}
	blocks := []slack.Block{section("*" + Escape(g.Title) + "*")}
	return append(blocks, pack(lines, "\n\n")...)
}

// Reply renders a customer reply ready to copy: a short title, then the
// text in code blocks, split at line ends to fit Slack's limits.
func Reply(title, reply string) []slack.Block {
	blocks := []slack.Block{section("*" + Escape(title) + "*")}
	var chunk []string
	size := 0
	flush := func() {
		if len(chunk) > 0 {
			blocks = append(blocks, section(fence(strings.Join(chunk, "\n"))))
		}
		chunk, size = nil, 0
	}
	for _, l := range strings.Split(strings.TrimRight(reply, "\n"), "\n") {
		n := len(Escape(l)) + 1
		if size+n > MaxSectionText-10 {
			flush()
		}
		chunk = append(chunk, l)
		size += n
	}
	flush()
	if len(blocks) > MaxBlocks {
		blocks = append(blocks[:MaxBlocks-1:MaxBlocks-1], section("…"))
	}
	return blocks
}

// Room kept in a notification: its sections stop short of Slack's limits
// (3000 characters, 50 blocks) so the last line and the "more" context
// always fit.
const (
	noticeSectionText = MaxSectionText - 100
	noticeSections    = MaxBlocks - 10
)

// Notice renders an on-call notification (bot/notify): the title in
// bold, then lines of already-escaped mrkdwn packed into sections. Past
// the sections a message may hold, the lines left out are summed up by
// more(left) in a context block.
func Notice(title string, lines []string, more func(left int) string) []slack.Block {
	blocks := []slack.Block{section("*" + Escape(title) + "*")}
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			blocks = append(blocks, section(cur.String()))
			cur.Reset()
		}
	}
	for i, l := range lines {
		if cur.Len()+len(l)+1 > noticeSectionText {
			flush()
			if len(blocks) > noticeSections {
				return append(blocks, slack.NewContextBlock("", mrkdwn(Escape(more(len(lines)-i)), MaxSectionText)))
			}
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(l)
	}
	flush()
	return blocks
}

// InputError renders why an input was refused, with an example.
func InputError(lang messages.Lang, e *checks.InputError, command string) []slack.Block {
	return []slack.Block{section(":warning: " + Escape(messages.InputMessage(lang, e, command)))}
}

// header is a header block, its text cut to Slack's limit.
func header(s string) slack.Block {
	return slack.NewHeaderBlock(plain(s, MaxHeaderText))
}

// section is a mrkdwn section, cut to Slack's limit.
func section(s string) slack.Block {
	return slack.NewSectionBlock(mrkdwn(s, MaxSectionText), nil, nil)
}

// plain is escaped plain text cut to n characters. Plain text is not
// formatted, but its emoji are drawn: callers break the shortcodes of
// text that did not come from the catalog (noEmoji).
func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, truncate(escapeEntities(s), n), true, false)
}

// mrkdwn is already-escaped mrkdwn cut to n characters. Verbatim keeps
// Slack from turning plain names into links (a domain, an address).
func mrkdwn(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, truncate(s, n), false, true)
}

func field(s string) *slack.TextBlockObject { return mrkdwn(s, MaxFieldText) }

// pack joins entries into as few sections as fit the text limit; an
// entry too long on its own is cut.
func pack(entries []string, sep string) []slack.Block {
	var out []slack.Block
	var cur string
	for _, e := range entries {
		switch {
		case cur == "":
			cur = e
		case len([]rune(cur))+len([]rune(sep))+len([]rune(e)) <= MaxSectionText:
			cur += sep + e
		default:
			out = append(out, section(cur))
			cur = e
		}
	}
	if cur != "" {
		out = append(out, section(cur))
	}
	return out
}

// fence puts escaped lines in a code block; "```" inside would end it.
func fence(s string) string {
	return "```" + strings.ReplaceAll(escapeEntities(s), "```", "ʹʹʹ") + "```"
}

// oneLine flattens a detail: its line breaks become spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to at most n characters, ending with "…". It never
// cuts an entity ("&lt;") in two and closes a code block it cut open.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n - 1
	const closeFence = "```"
	cutAt := func(c int) string { return string(r[:c]) }
	out := cutAt(cut)
	if amp := strings.LastIndexByte(out, '&'); amp >= 0 && !strings.Contains(out[amp:], ";") {
		out = out[:amp]
	}
	if strings.Count(out, closeFence)%2 == 1 {
		// Room for the closing fence.
		rr := []rune(out)
		keep := max(0, n-1-len(closeFence))
		if len(rr) > keep {
			out = string(rr[:keep])
		}
		if amp := strings.LastIndexByte(out, '&'); amp >= 0 && !strings.Contains(out[amp:], ";") {
			out = out[:amp]
		}
		if strings.Count(out, closeFence)%2 == 1 {
			return out + "…" + closeFence
		}
	}
	return out + "…"
}
