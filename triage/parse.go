package triage

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInput is the most text Parse reads: a bounce with its headers and
// the returned message's headers fits in it.
const MaxInput = 32 << 10

// ErrTooLong is what a *TooLongError matches with errors.Is.
var ErrTooLong = errors.New("triage: text too long")

// TooLongError is the error of Parse for text over MaxInput bytes. The
// caller turns it into a clear message ("paste at most 32 KB: the error
// and the bounce's headers").
type TooLongError struct {
	Size, Max int
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("triage: text of %d bytes is over the limit of %d", e.Size, e.Max)
}

// Is makes errors.Is(err, ErrTooLong) true.
func (e *TooLongError) Is(target error) bool { return target == ErrTooLong }

// Status is an enhanced mail system status code (RFC 3463):
// class.subject.detail, e.g. 5.7.26.
type Status struct {
	Class, Subject, Detail int
}

// String writes the code as in a bounce: "5.7.26".
func (s Status) String() string { return fmt.Sprintf("%d.%d.%d", s.Class, s.Subject, s.Detail) }

// Permanent reports a class 5 code: sending again will not help.
func (s Status) Permanent() bool { return s.Class == 5 }

// Reply is an SMTP reply code (RFC 5321 §4.2), with the enhanced status
// code that followed it, if any: "550 5.7.1" is {550, 5.7.1}.
type Reply struct {
	Code   int
	Status *Status
}

// Result is what Parse recognised in a text. It holds pieces of the
// text (addresses, the DSN's fields): show it only in the answer, and
// log only Audit.
type Result struct {
	// Statuses are the enhanced status codes found, first seen first.
	Statuses []Status
	// Replies are the SMTP reply codes found, first seen first.
	Replies []Reply
	// ErrorNumbers are Outlook-style error numbers ("0x800ccc0e"),
	// lower case.
	ErrorNumbers []string
	// DSN holds the fields of a delivery status notification, when the
	// text carries some.
	DSN *DSN
	// Mentions are the addresses and host names named, with their role.
	Mentions []Mention
	// Matches are the catalog entries the text matched, in catalog
	// order. Fallback entries are kept only when nothing else matched.
	Matches []Entry
}

// Causes returns the distinct causes of the matches, in catalog order.
func (r *Result) Causes() []Cause {
	var out []Cause
	for _, m := range r.Matches {
		if !slices.Contains(out, m.Cause) {
			out = append(out, m.Cause)
		}
	}
	return out
}

// Recognised reports whether anything was recognised: a cause, a code,
// an error number or a DSN field.
func (r *Result) Recognised() bool {
	return len(r.Matches) > 0 || len(r.Statuses) > 0 || len(r.Replies) > 0 || len(r.ErrorNumbers) > 0 || r.DSN != nil
}

// Parse reads pasted text with the embedded catalog. Text over MaxInput
// bytes is refused with a *TooLongError; any other text, even empty or
// garbage, gives a Result.
func Parse(text string) (*Result, error) {
	c, err := Default()
	if err != nil {
		return nil, err
	}
	return c.Parse(text)
}

// Parse reads pasted text with this catalog; see the package function.
func (c *Catalog) Parse(text string) (*Result, error) {
	if len(text) > MaxInput {
		return nil, &TooLongError{Size: len(text), Max: MaxInput}
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	r := &Result{}
	r.Statuses, r.Replies = scanCodes(text)
	r.DSN = parseDSN(text)
	if r.DSN != nil {
		// A DSN's Status field is a code of its own line ("Status: 5.1.1").
		for _, rc := range r.DSN.Recipients {
			if s, ok := parseStatus(rc.Status); ok && !slices.Contains(r.Statuses, s) {
				r.Statuses = append(r.Statuses, s)
			}
		}
	}
	for _, m := range errorNumber.FindAllString(text, maxCodes) {
		m = strings.ToLower(m)
		if !slices.Contains(r.ErrorNumbers, m) {
			r.ErrorNumbers = append(r.ErrorNumbers, m)
		}
	}
	r.Mentions = mentions(text, r.DSN)
	r.Matches = c.match(normalize(text), r)
	return r, nil
}

// errorNumber is an Outlook (HRESULT failure) error number.
var errorNumber = regexp.MustCompile(`\b0[xX]8[0-9a-fA-F]{7}\b`)

// match returns the entries the text matches, fallbacks only when no
// other entry does.
func (c *Catalog) match(norm string, r *Result) []Entry {
	var strong, weak []Entry
	for _, e := range c.entries {
		if !e.matches(norm, r) {
			continue
		}
		e.parts = nil
		if e.Fallback {
			weak = append(weak, e)
		} else {
			strong = append(strong, e)
		}
	}
	if len(strong) > 0 {
		return strong
	}
	return weak
}

func (e *Entry) matches(norm string, r *Result) bool {
	switch e.Kind {
	case KindStatus:
		s, _ := parseStatus(e.Pattern)
		if e.Fallback {
			// A fallback code needs its context: "build 5.4.1" is not
			// a bounce, "550 5.4.1" or "Status: 5.4.1" is.
			return r.inContext(s)
		}
		return slices.Contains(r.Statuses, s)
	case KindReply:
		code, _ := strconv.Atoi(e.Pattern)
		return slices.ContainsFunc(r.Replies, func(rp Reply) bool { return rp.Code == code })
	case KindText:
		return containsParts(norm, e.parts)
	}
	return false
}

// inContext reports whether a status code came after a reply code or
// in a DSN's Status field.
func (r *Result) inContext(s Status) bool {
	for _, rp := range r.Replies {
		if rp.Status != nil && *rp.Status == s {
			return true
		}
	}
	if r.DSN != nil {
		for _, rc := range r.DSN.Recipients {
			if st, ok := parseStatus(rc.Status); ok && st == s {
				return true
			}
		}
	}
	return false
}

// window is how far apart two parts of a text pattern may be.
const window = 200

// containsParts reports whether parts occur in s in order, each within
// window bytes of the end of the one before. Every occurrence of the
// first part is tried; the rest is searched in a bounded window, so the
// cost stays linear in len(s) times a constant.
func containsParts(s string, parts []string) bool {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], parts[0])
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(parts[0])
		ok := true
		for _, p := range parts[1:] {
			lim := min(len(s), end+window+len(p))
			j := strings.Index(s[end:lim], p)
			if j < 0 {
				ok = false
				break
			}
			end += j + len(p)
		}
		if ok {
			return true
		}
		from = start + 1
	}
	return false
}

// parseStatus reads an enhanced status code as a whole string.
func parseStatus(s string) (Status, bool) {
	st, n, ok := statusAt(s, 0)
	return st, ok && n == len(s)
}

// statusAt reads an enhanced status code starting at s[i]: class 2, 4
// or 5, subject 0 to 7 (RFC 3463 §3 defines no other), detail of one to
// three digits. It returns the code and the index after it.
func statusAt(s string, i int) (Status, int, bool) {
	if i >= len(s) || (s[i] != '2' && s[i] != '4' && s[i] != '5') || i+1 >= len(s) || s[i+1] != '.' {
		return Status{}, 0, false
	}
	subj, j := digits(s, i+2, 1)
	if j < 0 || subj > 7 || j >= len(s) || s[j] != '.' {
		return Status{}, 0, false
	}
	det, k := digits(s, j+1, 3)
	if k < 0 {
		return Status{}, 0, false
	}
	return Status{Class: int(s[i] - '0'), Subject: subj, Detail: det}, k, true
}

// digits reads one to max digits at s[i], refusing a longer run.
func digits(s string, i, max int) (int, int) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i || j-i > max {
		return 0, -1
	}
	n, _ := strconv.Atoi(s[i:j])
	return n, j
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isWordByte(b byte) bool {
	return isDigit(b) || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || b == '.' || b >= utf8.RuneSelf
}

// maxCodes bounds how many distinct status and reply codes a text
// yields: a real bounce has a handful.
const maxCodes = 32

// scanCodes finds the enhanced status codes and SMTP reply codes of a
// text. A status code stands alone: not inside a version number or an
// IP address ("10.5.2.4"); a class 2 (success) code counts only after a
// reply code ("250 2.0.0"). A reply code is three digits followed by a
// space or a hyphen and either a status code ("550 5.7.1", "550-5.7.26")
// or, at the start of a line or after ":" or ";", a word
// ("535 Authentication failed").
func scanCodes(s string) ([]Status, []Reply) {
	var statuses []Status
	var replies []Reply
	addStatus := func(st Status) {
		if len(statuses) < maxCodes && !slices.Contains(statuses, st) {
			statuses = append(statuses, st)
		}
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && isWordByte(s[i-1]) {
			continue
		}
		if st, j, ok := statusAt(s, i); ok && standsAlone(s, j) {
			// Alone, a success code is more likely a version ("Dovecot
			// 2.3.21"); after a reply code or in a DSN it still counts.
			if st.Class != 2 {
				addStatus(st)
			}
			i = j - 1
			continue
		}
		if code, j, ok := replyAt(s, i); ok {
			rp := Reply{Code: code}
			if st, k, ok := statusAt(s, j); ok && standsAlone(s, k) {
				rp.Status = &st
				addStatus(st)
				j = k
			} else if !lineStart(s, i) || j >= len(s) || !unicode.IsLetter(rune(s[j])) && s[j] != '<' && s[j] != '[' {
				continue
			}
			if len(replies) < maxCodes && !slices.ContainsFunc(replies, func(r Reply) bool { return r.Code == rp.Code && sameStatus(r.Status, rp.Status) }) {
				replies = append(replies, rp)
			}
			i = j - 1
		}
	}
	return statuses, replies
}

// standsAlone reports whether a code ending at s[j] is not followed by
// more of a number ("5.2.2-1", "5.2.2.4").
func standsAlone(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	if isDigit(s[j]) || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') {
		return false
	}
	return !((s[j] == '.' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]))
}

// replyAt reads a reply code at s[i] followed by " " or "-"; it returns
// the index after the separator.
func replyAt(s string, i int) (int, int, bool) {
	if i+4 > len(s) || s[i] < '2' || s[i] > '5' || s[i+1] < '0' || s[i+1] > '5' || !isDigit(s[i+2]) || (s[i+3] != ' ' && s[i+3] != '-') {
		return 0, 0, false
	}
	code, _ := strconv.Atoi(s[i : i+3])
	return code, i + 4, true
}

// lineStart reports whether s[i] starts a line, or follows ":" or ";"
// and spaces ("said: 550 …", "smtp; 550 …").
func lineStart(s string, i int) bool {
	j := i - 1
	for j >= 0 && (s[j] == ' ' || s[j] == '\t') {
		j--
	}
	return j < 0 || s[j] == '\n' || s[j] == '\r' || s[j] == ':' || s[j] == ';' || s[j] == '(' || s[j] == '"'
}

func sameStatus(a, b *Status) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func validReply(s string) bool {
	code, j, ok := replyAt(s+" ", 0)
	return ok && j == len(s)+1 && code >= 200
}

// normalize prepares text for catalog patterns: lower case, French
// accents and typographic quotes folded, every run of spaces (line
// breaks, non-breaking spaces) one space.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// folds maps the letters and signs normalize replaces.
var folds = func() map[rune]string {
	m := map[rune]string{
		'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '`': "'",
		'“': `"`, '”': `"`, '„': `"`, '«': `"`, '»': `"`,
		'–': "-", '—': "-", '‐': "-", '…': "...",
		'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss",
	}
	for base, accented := range map[string]string{
		"a": "àáâãäåÀÁÂÃÄÅ", "c": "çÇ", "e": "èéêëÈÉÊË", "i": "ìíîïÌÍÎÏ",
		"n": "ñÑ", "o": "òóôõöÒÓÔÕÖ", "u": "ùúûüÙÚÛÜ", "y": "ÿýÝŸ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
