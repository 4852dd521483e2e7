package messages

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pcmhosting/mailsetup/checks"
)

// TextOptions are the choices of the terminal rendering. The command
// line decides Color: standard output is a terminal and NO_COLOR is
// unset.
type TextOptions struct {
	// Color adds ANSI colours and status symbols.
	Color bool
	// Width is the line width; 0 or more than MaxWidth means MaxWidth.
	Width int
}

// MaxWidth is the widest a text rendering gets, whatever the terminal.
const MaxWidth = 80

const minWidth = 40

// ANSI styles.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

var statusSymbol = map[checks.Status]string{
	checks.StatusPass:  "✔",
	checks.StatusWarn:  "⚠",
	checks.StatusFail:  "✘",
	checks.StatusSkip:  "↷",
	checks.StatusError: "?",
}

var statusColor = map[checks.Status]string{
	checks.StatusPass:  ansiGreen,
	checks.StatusWarn:  ansiYellow,
	checks.StatusFail:  ansiRed,
	checks.StatusSkip:  ansiDim,
	checks.StatusError: ansiCyan,
}

// RenderText writes a view for a terminal: the verdict, one aligned line
// per check with the problems under it, the remedies, the settings card
// and the time taken, within opts.Width columns. Text from the network is
// cleaned of control characters so a banner cannot drive the terminal.
func RenderText(w io.Writer, v *View, opts TextOptions) error {
	width := opts.Width
	if width <= 0 || width > MaxWidth {
		width = MaxWidth
	}
	if width < minWidth {
		width = minWidth
	}
	t := &textWriter{w: bufio.NewWriter(w), width: width, color: opts.Color}
	t.header(v)
	t.changes(v)
	t.checks(v)
	t.certificates(v)
	t.remedies(v)
	t.tips(v)
	t.settings(v)
	t.blank()
	t.line(0, 0, t.style(ansiDim, v.ElapsedText))
	return t.w.Flush()
}

// RenderGuideText writes a client guide for a terminal: its title, then
// each section's steps, one "- step" a line, unwrapped so that a step can
// be copied whole.
func RenderGuideText(w io.Writer, g Guide) error {
	b := bufio.NewWriter(w)
	b.WriteString(Clean(g.Title) + "\n")
	for _, s := range g.Sections {
		if s.Title != "" {
			b.WriteString("\n" + Clean(s.Title) + "\n")
		}
		for _, st := range s.Steps {
			b.WriteString("- " + Clean(st) + "\n")
		}
	}
	return b.Flush()
}

// RenderReplyText writes the customer reply for a terminal under a
// heading ("Réponse client"): each line as the reply has it, so that it
// is pasted as written.
func RenderReplyText(w io.Writer, heading, reply string) error {
	b := bufio.NewWriter(w)
	b.WriteString("── " + heading + " ──\n")
	for _, l := range strings.Split(strings.TrimRight(reply, "\n"), "\n") {
		b.WriteString(Clean(l) + "\n")
	}
	return b.Flush()
}

// header writes the verdict, who was checked and the notes.
func (t *textWriter) header(v *View) {
	words := v.Words
	colon := words.Colon
	t.line(0, 0, t.style(ansiBold, Clean(v.Headline)))
	var who []string
	if v.Address != "" {
		who = append(who, words.Address+colon+Clean(v.Address))
	}
	who = append(who, words.Host+colon+Clean(v.Host))
	t.line(0, 0, strings.Join(who, " · "))
	for _, n := range v.Notes {
		t.line(0, 2, words.Note+colon+Clean(n))
	}
}

// checks writes one line per check: a status column, then "label :
// summary", the problems below.
func (t *textWriter) checks(v *View) {
	words := v.Words
	t.blank()
	t.line(0, 0, t.style(ansiBold, words.Checks))
	col := 0
	for _, s := range []checks.Status{checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip, checks.StatusError} {
		col = max(col, utf8.RuneCountInString(t.statusWord(words, s)))
	}
	indent := 2 + col + 1
	for _, l := range v.Checks {
		word := t.statusWord(words, l.Status)
		pad := strings.Repeat(" ", col-utf8.RuneCountInString(word))
		head := "  " + t.style(statusColor[l.Status], word) + pad + " "
		t.hanging(head, indent, l.Label+words.Colon+Clean(l.Summary))
		for _, f := range l.Findings {
			if !f.Shown() {
				continue
			}
			t.line(indent, indent+2, "- "+Clean(f.Title))
			for _, d := range strings.Split(f.Evidence, "\n") {
				if d = strings.TrimSpace(d); d != "" {
					t.verbatim(indent+2, ansiDim, d)
				}
			}
		}
	}
}

// certificates writes each distinct certificate the checks saw once,
// its values on their own lines so that they can be copied.
func (t *textWriter) certificates(v *View) {
	if len(v.Certificates) == 0 {
		return
	}
	t.blank()
	t.line(0, 0, t.style(ansiBold, v.CertificatesHeading()))
	for _, c := range v.Certificates {
		t.line(2, 4, c.Title)
		for _, f := range c.Fields {
			t.verbatim(4, "", f.Label+v.Words.Colon+f.Value)
		}
	}
}

// remedies writes the numbered remedies, those for the host flagged.
func (t *textWriter) remedies(v *View) {
	if len(v.Remedies) == 0 {
		return
	}
	words := v.Words
	t.blank()
	t.line(0, 0, t.style(ansiBold, words.Remedies))
	for i, r := range v.Remedies {
		n := strconv.Itoa(i+1) + ". "
		title := t.style(ansiBold, Clean(r.Title))
		if r.Owner != "" {
			title += " — " + t.style(ansiYellow, Clean(r.Owner))
		}
		t.line(2, 2+len(n), n+title)
		t.line(2+len(n), 2+len(n), Clean(r.Message))
		for _, s := range r.Steps {
			t.step(2+len(n), s)
		}
	}
}

// tips writes the guide's troubleshooting tips.
func (t *textWriter) tips(v *View) {
	if len(v.Tips) == 0 {
		return
	}
	t.blank()
	t.line(0, 0, t.style(ansiBold, v.Words.Tips))
	for _, r := range v.Tips {
		t.line(2, 4, "- "+r.Title)
		for _, s := range r.Steps {
			t.step(4, s)
		}
	}
}

// settings writes the settings card of section 2, the servers in
// aligned columns.
func (t *textWriter) settings(v *View) {
	words := v.Words
	colon := words.Colon
	t.blank()
	t.line(0, 0, t.style(ansiBold, words.Settings))
	t.line(2, 4, words.Username+colon+Clean(v.Settings.Username))
	t.line(2, 4, words.Password+colon+words.PasswordValue)
	hostWidth := 0
	for _, s := range slices.Concat(v.Settings.Incoming, v.Settings.Outgoing) {
		hostWidth = max(hostWidth, utf8.RuneCountInString(Clean(s.Host)))
	}
	servers := func(label string, list []Server) {
		t.line(2, 4, label+strings.TrimRight(colon, " "))
		for _, s := range list {
			state := t.style(ansiRed, words.Fails)
			switch {
			case s.Works:
				state = t.style(ansiGreen, words.Works)
			case !s.Checked:
				state = words.NotChecked
			}
			if s.Recommended {
				state += " (" + words.Recommended + ")"
			}
			host := Clean(s.Host)
			host += strings.Repeat(" ", hostWidth-utf8.RuneCountInString(host))
			t.line(4, 6, fmt.Sprintf("%-4s  %-3d  %-8s  %s  %s", s.Protocol, s.Port, s.Security, host, state))
		}
	}
	servers(words.Incoming, v.Settings.Incoming)
	servers(words.Outgoing+" ("+words.AuthRequired+")", v.Settings.Outgoing)
}

// textWriter lays out wrapped lines.
type textWriter struct {
	w     *bufio.Writer
	width int
	color bool
}

func (t *textWriter) style(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) statusWord(words Words, s checks.Status) string {
	if t.color {
		return statusSymbol[s]
	}
	if w, ok := words.Status[s]; ok {
		return w
	}
	return strings.ToUpper(string(s))
}

func (t *textWriter) blank() { t.w.WriteString("\n") }

// line writes s indented by first, wrapping at the width with the
// following lines indented by rest.
func (t *textWriter) line(first, rest int, s string) {
	t.hanging(strings.Repeat(" ", first), rest, s)
}

// hanging writes head then s, wrapped, the following lines indented by
// rest. head's visible width is where s starts.
func (t *textWriter) hanging(head string, rest int, s string) {
	start := visibleLen(head)
	lines := wrap(s, t.width-start, t.width-rest)
	for i, l := range lines {
		if i == 0 {
			t.w.WriteString(strings.TrimRight(head+l, " "))
		} else {
			t.w.WriteString(strings.Repeat(" ", rest) + l)
		}
		t.w.WriteString("\n")
	}
}

// step writes a remedy step: "- text", and its copy-as-is lines below
// (a DNS record), each on its own indented line, never wrapped.
func (t *textWriter) step(at int, s string) {
	parts := strings.Split(s, "\n")
	t.line(at, at+2, "- "+Clean(parts[0]))
	for _, p := range parts[1:] {
		t.verbatim(at+4, ansiCyan, p)
	}
}

// verbatim writes s alone on a line indented by at, whole even past the
// width: a record or a value is copied, and a terminal that wraps it
// keeps it one line for the clipboard, where a line break would not.
func (t *textWriter) verbatim(at int, style, s string) {
	t.w.WriteString(strings.Repeat(" ", at) + t.style(style, Clean(s)) + "\n")
}

// nbsp glues French punctuation to its word while wrapping, so that
// "« IMAP »" or "client.com :" never breaks before the mark.
const nbsp = "\u00a0"

var glue = strings.NewReplacer("« ", "«"+nbsp, " »", nbsp+"»", " :", nbsp+":", " ;", nbsp+";", " ?", nbsp+"?", " !", nbsp+"!")

// wrap splits s into lines of at most firstWidth then restWidth visible
// runes, at spaces, cutting words longer than a line.
func wrap(s string, firstWidth, restWidth int) (lines []string) {
	firstWidth = max(firstWidth, 10)
	restWidth = max(restWidth, 10)
	if visibleLen(s) <= firstWidth {
		return []string{s} // keeps the spaces of aligned columns
	}
	var cur strings.Builder
	curLen := 0
	limit := firstWidth
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curLen = 0
		limit = restWidth
	}
	s = glue.Replace(s)
	defer func() {
		for i := range lines {
			lines[i] = strings.ReplaceAll(lines[i], nbsp, " ")
		}
	}()
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' }) {
		wl := visibleLen(word)
		if curLen > 0 && curLen+1+wl > limit {
			flush()
		}
		for wl > limit && curLen == 0 {
			head, tail := splitVisible(word, limit)
			cur.WriteString(head)
			curLen = limit
			flush()
			word, wl = tail, visibleLen(tail)
		}
		if wl == 0 {
			continue
		}
		if curLen > 0 {
			cur.WriteByte(' ')
			curLen++
		}
		cur.WriteString(word)
		curLen += wl
	}
	if curLen > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// splitVisible cuts s after n visible runes.
func splitVisible(s string, n int) (string, string) {
	count := 0
	for i := range visibleRunes(s) {
		if count == n {
			return s[:i], s[i:]
		}
		count++
	}
	return s, ""
}

// visibleLen counts the runes of s that take a column: ANSI sequences
// take none.
func visibleLen(s string) int {
	n := 0
	for range visibleRunes(s) {
		n++
	}
	return n
}

// visibleRunes yields the byte offset and rune of each rune of s that
// takes a column, skipping the ANSI SGR sequences (ESC … m) of style.
func visibleRunes(s string) iter.Seq2[int, rune] {
	return func(yield func(int, rune) bool) {
		inEsc := false
		for i, r := range s {
			switch {
			case r == '\x1b':
				inEsc = true
			case inEsc:
				if r == 'm' {
					inEsc = false
				}
			default:
				if !yield(i, r) {
					return
				}
			}
		}
	}
}

// Clean makes text from the network or the user safe for a terminal:
// control characters (an escape sequence in a banner, a screen clear, an
// OSC 8 link, a window title) and bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) are written as visible escapes such as
// \x1b and \u202e. It is the one escaper of every text the CLI prints.
func Clean(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
