package blockkit

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack/slackutilsx"
	"golang.org/x/net/idna"
)

// This file is the bot's one escaper. Text shown in Slack mixes the
// catalog's wording with values from the network or the user: host
// names and records from DNS, banners, certificate names, the address
// typed. Slack reads that text as mrkdwn, so such a value could mention
// ("<!here>"), link ("<https://x|click here>"), format ("*URGENT*",
// "_x_", "~x~", "`x`") or draw (":rotating_light:"). Three forms:
//
//   - Escape, for prose (sentences, labels, the text fallback of a
//     message): "&", "<", ">" become entities, and the formatting
//     characters are made inert by a zero-width space (U+200B) on each
//     side, which breaks the word boundary Slack needs to open or close
//     a span (when the line has two of it, the least a span needs, and
//     it stands at a word's edge, where a span opens or closes), and
//     after the first colon of an ":emoji:" shortcode. Only those
//     characters get one. The catalog's sentences are plain text
//     (messages/ knows no markup), and the values inside them cannot be
//     told apart once filled in, so the whole sentence is escaped: the
//     invisible spaces cost nothing to read, and prose is not copied.
//   - Code, for values meant to be copied (a host, a username, a record's
//     detail): an inline code span, in which Slack formats nothing; only
//     a backtick, which would end the span, is replaced (by a prime).
//   - Name, for a domain shown to people: its Unicode form, and beside it
//     the punycode when the Unicode form could pass for another name (a
//     homograph: Cyrillic "аррӏе.com", scripts mixed in a label).

// zwsp is the zero-width space that makes a formatting character inert.
const zwsp = "\u200b"

// shortcode matches an emoji shortcode such as ":rotating_light:".
var shortcode = regexp.MustCompile(`:([A-Za-z0-9_+'-]+):`)

// Escape makes prose safe for Slack mrkdwn: no mention, link, formatting
// or emoji can come out of it.
func Escape(s string) string {
	s = noEmoji(slackutilsx.EscapeMessage(s))
	if !strings.ContainsAny(s, markers) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = inertLine(l)
	}
	return strings.Join(lines, "\n")
}

// markers are the characters that open and close a mrkdwn span.
const markers = "*_~`"

// inertLine neutralises the markers of one line that could format: a
// span needs two of the same marker on a line, and Slack opens or closes
// one only at a word's edge. So a lone "~all", "_dmarc" or the
// underscores inside "jean_le_roux" are left as they are, copyable.
func inertLine(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); i++ { // bytes: the markers are ASCII, and invalid UTF-8 stays as it is
		c := l[i]
		if canFormat(l, i) {
			b.WriteString(zwsp)
			b.WriteByte(c)
			b.WriteString(zwsp)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// canFormat reports whether the byte at i of line l is a marker that
// could open or close a span: another one like it is on the line, and
// it is not inside a word (a letter or digit on each side).
func canFormat(l string, i int) bool {
	c := l[i]
	if strings.IndexByte(markers, c) < 0 || strings.Count(l, string(c)) < 2 {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(l[:i])
	after, _ := utf8.DecodeRuneInString(l[i+1:])
	return !(wordRune(before) && wordRune(after))
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// noEmoji breaks emoji shortcodes: plain_text with emoji on renders them
// too.
func noEmoji(s string) string {
	if !strings.Contains(s, ":") {
		return s
	}
	// ":a:b:" holds two: a colon may close one and open the next.
	for shortcode.MatchString(s) {
		s = shortcode.ReplaceAllString(s, ":"+zwsp+"$1:")
	}
	return s
}

// escapeEntities only turns "&", "<" and ">" into entities: the escape
// of text Slack does not format (code spans, code blocks).
func escapeEntities(s string) string { return slackutilsx.EscapeMessage(s) }

// Code puts text in an inline code span, escaped. A backtick inside would
// end the span early, so it becomes a prime.
func Code(s string) string {
	return "`" + strings.ReplaceAll(escapeEntities(s), "`", "ʹ") + "`"
}

// Name is a domain for people: display (Unicode), followed by its ASCII
// form in parentheses when display is a possible homograph. It is not
// escaped.
func Name(display, ascii string) string {
	if display == "" {
		return ascii
	}
	if ascii == "" {
		if a, err := idna.Lookup.ToASCII(display); err == nil {
			ascii = a
		}
	}
	if ascii == "" || strings.EqualFold(display, ascii) || !Homograph(display) {
		return display
	}
	return display + " (" + ascii + ")"
}

// Homograph reports whether a Unicode domain could pass for another: a
// label mixes scripts ("pаypal", Latin and Cyrillic), or the name's
// labels are in different scripts ("аррӏе.com", Cyrillic under a Latin
// top-level domain). Digits, hyphens and marks belong to every script.
// A name in one script throughout ("exämple.fr", "пример.рф") is not.
func Homograph(domain string) bool {
	all := map[string]bool{}
	for _, label := range strings.Split(domain, ".") {
		seen := map[string]bool{}
		for _, r := range label {
			if s := script(r); s != "" {
				seen[s], all[s] = true, true
			}
		}
		if len(seen) > 1 {
			return true
		}
	}
	return len(all) > 1
}

// script names the script of a letter, "" for anything else (digits,
// hyphens, marks, common and inherited characters).
func script(r rune) string {
	if !unicode.IsLetter(r) {
		return ""
	}
	for name, table := range unicode.Scripts {
		if name == "Common" || name == "Inherited" {
			continue
		}
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}
