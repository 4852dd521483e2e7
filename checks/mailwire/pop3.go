package mailwire

import (
	"fmt"
	"strings"
)

// ParsePOP3Greeting reports whether a POP3 greeting is positive: "+OK",
// alone or followed by a space and text (RFC 1939 §4). "-ERR" or anything
// else means the server will not serve this connection.
func ParsePOP3Greeting(line string) bool {
	return line == "+OK" || strings.HasPrefix(line, "+OK ")
}

// ReadPOP3Multi reads the body of a POP3 multi-line response (RFC 1939
// §3), after its status line: lines up to a line holding a single ".",
// with byte-stuffing undone (a leading "." removed).
func ReadPOP3Multi(l *LineReader) ([]string, error) {
	var lines []string
	for {
		line, err := l.ReadLine()
		if err != nil {
			return lines, fmt.Errorf("POP3 multi-line response: %w", err)
		}
		if line == "." {
			return lines, nil
		}
		lines = append(lines, strings.TrimPrefix(line, "."))
	}
}

// ParsePOP3Capa parses the capability lines of a CAPA response (RFC 2449
// §5): one capability per line, a tag and its arguments ("SASL PLAIN
// LOGIN", "USER", "TOP"). The tag is upper-cased, empty lines dropped.
func ParsePOP3Capa(lines []string) []string {
	var caps []string
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		f[0] = strings.ToUpper(f[0])
		caps = append(caps, strings.Join(f, " "))
	}
	return caps
}

// POP3AuthMechs returns what a POP3 server's capabilities offer to log in
// with: the SASL mechanisms of its SASL capability (RFC 2449 §6.3,
// upper-cased) and whether USER/PASS is available (the USER capability,
// RFC 2449 §6.2).
func POP3AuthMechs(caps []string) (mechs []string, user bool) {
	for _, c := range caps {
		f := strings.Fields(strings.ToUpper(c))
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "USER":
			user = true
		case "SASL":
			for _, m := range f[1:] {
				mechs = appendUnique(mechs, m)
			}
		}
	}
	return mechs, user
}
