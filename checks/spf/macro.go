package spf

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ErrMacro is wrapped by the error of a macro that cannot be expanded: a
// malformed one, or c, r or t outside an explanation (§7.1). The result
// is permerror.
var ErrMacro = errors.New("spf: invalid macro")

// macroValues are what the macro letters of §7.2 stand for during one
// evaluation. p is looked up on first use.
type macroValues struct {
	sender       string // s: <sender>, local-part@domain
	local        string // l
	senderDomain string // o
	ip           netip.Addr
	helo         string // h
	receiver     string // r
	timestamp    int64  // t
	validated    func() string
}

// expandMacros expands the macro-string s of domain (§7.3); explain is
// true for the text of an explanation, the only place c, r and t are
// allowed.
func (v *macroValues) expandMacros(s, domain string, explain bool) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("%w: lone %% at the end of %q", ErrMacro, s)
		}
		switch s[i+1] {
		case '%':
			b.WriteByte('%')
			i += 2
			continue
		case '_':
			b.WriteByte(' ')
			i += 2
			continue
		case '-':
			b.WriteString("%20")
			i += 2
			continue
		case '{':
		default:
			return "", fmt.Errorf("%w: %q", ErrMacro, s[i:i+2])
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("%w: unterminated %q", ErrMacro, s[i:])
		}
		out, err := v.expandOne(s[i+2:i+j], domain, explain)
		if err != nil {
			return "", fmt.Errorf("%w: %q: %v", ErrMacro, s[i:i+j+1], err)
		}
		b.WriteString(out)
		i += j + 1
	}
	return b.String(), nil
}

// expandOne expands the body of one "%{...}": a letter, then an optional
// number of parts to keep, "r" to reverse, and delimiters.
func (v *macroValues) expandOne(body, domain string, explain bool) (string, error) {
	if body == "" {
		return "", errors.New("empty macro")
	}
	letter := body[0]
	upper := 'A' <= letter && letter <= 'Z'
	if upper {
		letter += 'a' - 'A'
	}
	var value string
	switch letter {
	case 's':
		value = v.sender
	case 'l':
		value = v.local
	case 'o':
		value = v.senderDomain
	case 'd':
		value = domain
	case 'i':
		value = dottedIP(v.ip)
	case 'p':
		value = v.validated()
	case 'v':
		value = "in-addr"
		if v.ip.Is6() {
			value = "ip6"
		}
	case 'h':
		value = v.helo
	case 'c', 'r', 't':
		if !explain {
			return "", fmt.Errorf("%c is allowed only in an explanation", letter)
		}
		switch letter {
		case 'c':
			value = v.ip.String()
		case 'r':
			value = v.receiver
		default:
			value = strconv.FormatInt(v.timestamp, 10)
		}
	default:
		return "", fmt.Errorf("unknown letter %q", body[0])
	}
	rest := body[1:]
	n := 0
	for n < len(rest) && isDigit(rest[n]) {
		n++
	}
	keep := 0
	if n > 0 {
		k, err := strconv.Atoi(rest[:n])
		if err != nil || k == 0 {
			return "", errors.New("invalid number of parts")
		}
		keep = k
	}
	rest = rest[n:]
	reverse := false
	if rest != "" && (rest[0] == 'r' || rest[0] == 'R') {
		reverse = true
		rest = rest[1:]
	}
	delims := rest
	if strings.Trim(delims, ".-+,/_=") != "" {
		return "", errors.New("invalid delimiter")
	}
	if delims == "" {
		delims = "."
	}
	// Split keeping empty parts: with no transformer the value is
	// unchanged ("a..b" stays "a..b").
	var parts []string
	start := 0
	for i := 0; i < len(value); i++ {
		if strings.IndexByte(delims, value[i]) >= 0 {
			parts = append(parts, value[start:i])
			start = i + 1
		}
	}
	parts = append(parts, value[start:])
	if reverse {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
	}
	if keep > 0 && keep < len(parts) {
		parts = parts[len(parts)-keep:]
	}
	out := strings.Join(parts, ".")
	if upper {
		out = urlEscape(out)
	}
	return out, nil
}

// dottedIP is the i macro: an IPv4 address in dotted form, an IPv6
// address as 32 dot-separated nibbles (§7.3).
func dottedIP(ip netip.Addr) string {
	if ip.Is4() {
		return ip.String()
	}
	const hex = "0123456789abcdef"
	b := ip.As16()
	out := make([]byte, 0, 63)
	for i, x := range b {
		if i > 0 {
			out = append(out, '.')
		}
		out = append(out, hex[x>>4], '.', hex[x&0xf])
	}
	return string(out)
}

// urlEscape escapes every octet but the URI unreserved characters, as
// uppercase macros ask (§7.3, RFC 3986 §2.3).
func urlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// truncateDomain drops labels from the left of an expanded domain name
// longer than 253 octets until it fits (§7.3), and removes a final dot.
func truncateDomain(name string) string {
	name = strings.TrimSuffix(name, ".")
	for len(name) > 253 {
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return ""
		}
		name = name[i+1:]
	}
	return name
}
