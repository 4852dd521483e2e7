package mailwire

import (
	"fmt"
	"strings"
)

// ReadSMTPReply reads one SMTP reply (RFC 5321 §4.2): lines "ddd-text"
// followed by a last line "ddd text" (or a bare "ddd"), every line with the
// same three-digit code. It returns the code and the text of each line. A
// line that is not a reply line, or a code that changes mid-reply, is an
// error wrapping ErrMalformed; the LineReader bounds the reply's size.
func ReadSMTPReply(l *LineReader) (code int, lines []string, err error) {
	for {
		line, err := l.ReadLine()
		if err != nil {
			return code, lines, fmt.Errorf("SMTP reply: %w", err)
		}
		c, text, last, ok := splitSMTPLine(line)
		if !ok {
			return code, lines, fmt.Errorf("SMTP reply: %w: %q", ErrMalformed, Truncate(line, 64))
		}
		if len(lines) > 0 && c != code {
			return code, lines, fmt.Errorf("SMTP reply: %w: code %d after %d", ErrMalformed, c, code)
		}
		code = c
		lines = append(lines, text)
		if last {
			return code, lines, nil
		}
	}
}

// splitSMTPLine splits a reply line into its code, its text and whether it
// is the last line of the reply.
func splitSMTPLine(line string) (code int, text string, last, ok bool) {
	if len(line) < 3 {
		return 0, "", false, false
	}
	for i := range 3 {
		if line[i] < '0' || line[i] > '9' {
			return 0, "", false, false
		}
	}
	// RFC 5321 §4.2: the first digit is 2 to 5, the second 0 to 5.
	if line[0] < '2' || line[0] > '5' || line[1] > '5' {
		return 0, "", false, false
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if len(line) == 3 {
		return code, "", true, true
	}
	switch line[3] {
	case ' ':
		return code, line[4:], true, true
	case '-':
		return code, line[4:], false, true
	}
	return 0, "", false, false
}

// EHLO is what an EHLO reply (RFC 5321 §4.1.1.1) tells a client that is
// about to submit mail.
type EHLO struct {
	// Domain is the server's name, the first word of the first line.
	Domain string
	// Keywords are the extension lines after the first, upper-cased
	// keyword and parameters as sent ("SIZE 35882577", "AUTH PLAIN LOGIN").
	Keywords []string
	// StartTLS: the server offers STARTTLS (RFC 3207).
	StartTLS bool
	// AuthMechs are the SASL mechanisms of AUTH (RFC 4954), upper-cased,
	// in order, without duplicates. The pre-standard "AUTH=PLAIN LOGIN"
	// form some servers still send counts too.
	AuthMechs []string
}

// ParseEHLO parses the text lines of a 250 reply to EHLO, as returned by
// ReadSMTPReply.
func ParseEHLO(lines []string) EHLO {
	var e EHLO
	if len(lines) == 0 {
		return e
	}
	if f := strings.Fields(lines[0]); len(f) > 0 {
		e.Domain = f[0]
	}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		kw := strings.ToUpper(f[0])
		args := f[1:]
		if rest, ok := strings.CutPrefix(kw, "AUTH="); ok {
			kw = "AUTH"
			args = append([]string{rest}, args...)
		}
		e.Keywords = append(e.Keywords, strings.Join(append([]string{kw}, args...), " "))
		switch kw {
		case "STARTTLS":
			e.StartTLS = true
		case "AUTH":
			for _, m := range args {
				e.AuthMechs = appendUnique(e.AuthMechs, strings.ToUpper(m))
			}
		}
	}
	return e
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Truncate returns s cut to at most n bytes, on a UTF-8 boundary when s is
// valid UTF-8, with "…" appended when something was cut. Banners go into
// findings' details raw; this keeps them short.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && i > n-4 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
