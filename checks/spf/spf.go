// Package spf parses and walks Sender Policy Framework records (RFC 7208).
//
// A domain publishes which hosts may send its mail in one TXT record that
// starts with "v=spf1" (§4.5): a list of mechanisms ("ip4:192.0.2.0/24",
// "include:_spf.example.net", "mx", "-all"), each with a qualifier ("+"
// pass, "-" fail, "~" softfail, "?" neutral), and modifiers ("redirect=",
// "exp="). A receiver evaluates the mechanisms in order against the
// connecting address; the terms include, a, mx, ptr, exists and redirect
// make it query DNS, and §4.6.4 caps those at 10 per evaluation and the
// queries that find nothing ("void lookups") at 2. Beyond either limit the
// result is permerror, which most receivers treat like no SPF at all:
// the classic way a customer breaks SPF is one include too many.
//
// Parse is a pure function over the record text. Evaluate fetches a
// domain's record and follows its includes and redirect to count the
// lookups as a receiver would, without a connecting address (so a, mx and
// exists are looked up only to find void lookups, and ptr is counted but
// never followed).
package spf

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Qualifier is the result a mechanism gives when it matches (§4.6.2).
type Qualifier byte

// Qualifiers. A mechanism written without one has QualifierPass.
const (
	QualifierPass     Qualifier = '+'
	QualifierFail     Qualifier = '-'
	QualifierSoftfail Qualifier = '~'
	QualifierNeutral  Qualifier = '?'
)

// Mechanism names a mechanism of §5, lower-case.
type Mechanism string

// The mechanisms of RFC 7208 §5.
const (
	MechAll     Mechanism = "all"
	MechInclude Mechanism = "include"
	MechA       Mechanism = "a"
	MechMX      Mechanism = "mx"
	MechPTR     Mechanism = "ptr"
	MechIP4     Mechanism = "ip4"
	MechIP6     Mechanism = "ip6"
	MechExists  Mechanism = "exists"
)

// Directive is a qualified mechanism.
type Directive struct {
	Qualifier Qualifier
	Mechanism Mechanism
	// DomainSpec is the target of include, exists, and of a, mx and ptr
	// when given; empty means the current domain. It may hold macros
	// (§7), kept as written.
	DomainSpec string
	// Prefix is the network of ip4 and ip6, as written (host bits kept).
	Prefix netip.Prefix
	// CIDR4 and CIDR6 are the dual-cidr-length of a and mx, -1 when
	// absent.
	CIDR4, CIDR6 int
}

// QueriesDNS reports whether the directive counts against the limit of
// 10 DNS-querying terms (§4.6.4).
func (d Directive) QueriesDNS() bool {
	switch d.Mechanism {
	case MechInclude, MechA, MechMX, MechPTR, MechExists:
		return true
	}
	return false
}

// String returns the directive in canonical form, the qualifier omitted
// when it is "+".
func (d Directive) String() string {
	var b strings.Builder
	if d.Qualifier != QualifierPass && d.Qualifier != 0 {
		b.WriteByte(byte(d.Qualifier))
	}
	b.WriteString(string(d.Mechanism))
	switch d.Mechanism {
	case MechIP4, MechIP6:
		b.WriteByte(':')
		b.WriteString(d.Prefix.Addr().String())
		if d.Prefix.Bits() != d.Prefix.Addr().BitLen() {
			b.WriteString("/" + strconv.Itoa(d.Prefix.Bits()))
		}
	case MechAll:
	default:
		if d.DomainSpec != "" {
			b.WriteString(":" + d.DomainSpec)
		}
		if d.CIDR4 >= 0 {
			b.WriteString("/" + strconv.Itoa(d.CIDR4))
		}
		if d.CIDR6 >= 0 {
			b.WriteString("//" + strconv.Itoa(d.CIDR6))
		}
	}
	return b.String()
}

// Modifier is a name=value term other than redirect and exp (§6), kept
// because unknown modifiers must be ignored, not refused.
type Modifier struct {
	Name  string // lower-case
	Value string
}

// Record is a parsed SPF record.
type Record struct {
	Directives []Directive
	// Redirect and Exp are the domain-specs of the redirect= and exp=
	// modifiers, empty when absent. Each may appear at most once (§6).
	Redirect string
	Exp      string
	// Modifiers are the unknown modifiers, in order.
	Modifiers []Modifier
}

// All returns the record's "all" directive, if it has one. Terms after
// the first "all" are never reached, and redirect is ignored when "all"
// is present (§6.1).
func (r *Record) All() (Directive, bool) {
	for _, d := range r.Directives {
		if d.Mechanism == MechAll {
			return d, true
		}
	}
	return Directive{}, false
}

// Lookups returns how many of the record's own terms query DNS (§4.6.4),
// its redirect included when it applies.
func (r *Record) Lookups() int {
	n := 0
	for _, d := range r.Directives {
		if d.QueriesDNS() {
			n++
		}
	}
	if r.Redirect != "" {
		if _, ok := r.All(); !ok {
			n++
		}
	}
	return n
}

// String returns the record in canonical form: version, directives in
// order, then redirect, exp and the unknown modifiers. Parse(r.String())
// gives back an equal Record.
func (r *Record) String() string {
	parts := []string{"v=spf1"}
	for _, d := range r.Directives {
		parts = append(parts, d.String())
	}
	if r.Redirect != "" {
		parts = append(parts, "redirect="+r.Redirect)
	}
	if r.Exp != "" {
		parts = append(parts, "exp="+r.Exp)
	}
	for _, m := range r.Modifiers {
		parts = append(parts, m.Name+"="+m.Value)
	}
	return strings.Join(parts, " ")
}

// WithAll returns the SPF record raw with its "all" given qualifier q,
// every other term kept as written: the first "all" is replaced, or one
// is appended when there is none. A record with a redirect= and no "all"
// is returned unchanged: an "all" would silence the redirect (§6.1), so
// the fix belongs in the redirect target's record.
func WithAll(raw string, q Qualifier) string {
	terms := strings.Fields(raw)
	if len(terms) == 0 || !IsRecord(raw) {
		return raw
	}
	all := string(MechAll)
	if q != QualifierPass {
		all = string(q) + all
	}
	for i, t := range terms[1:] {
		if strings.EqualFold(strings.TrimLeft(t, "+-~?"), string(MechAll)) && len(t)-len(strings.TrimLeft(t, "+-~?")) <= 1 {
			terms[i+1] = all
			return strings.Join(terms, " ")
		}
	}
	for _, t := range terms[1:] {
		if name, _, ok := strings.Cut(t, "="); ok && strings.EqualFold(name, "redirect") {
			return strings.Join(terms, " ")
		}
	}
	return strings.Join(append(terms, all), " ")
}

// SyntaxError is an SPF record that does not follow the grammar of
// RFC 7208 §12; receivers treat it as permerror (§4.6).
type SyntaxError struct {
	Term string // the offending term, as written
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("spf: invalid term %q: %s", e.Term, e.Msg)
}

// IsRecord reports whether a TXT string is an SPF version 1 record: it
// starts with "v=spf1" (any case) followed by a space or its end (§4.5).
// Other TXT records at the domain are not SPF's concern.
func IsRecord(txt string) bool {
	if len(txt) < 6 || !strings.EqualFold(txt[:6], "v=spf1") {
		return false
	}
	return len(txt) == 6 || txt[6] == ' '
}

// Parse parses an SPF record (RFC 7208 §4.6, §5, §6, §12). It checks the
// version, every mechanism and modifier name, qualifiers, ip4/ip6
// addresses and CIDR lengths, the macro syntax of domain-specs (§7.1) and
// that redirect and exp appear at most once. Unknown modifiers are kept.
// Errors are *SyntaxError.
func Parse(txt string) (*Record, error) {
	if !IsRecord(txt) {
		first, _, _ := strings.Cut(txt, " ")
		return nil, &SyntaxError{first, "not an SPF version 1 record (v=spf1)"}
	}
	r := &Record{}
	for _, term := range strings.Split(txt[6:], " ") {
		if term == "" {
			continue // terms are separated by 1*SP
		}
		if err := r.parseTerm(term); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// parseTerm parses one term of a record (§4.6.1): a modifier or a
// directive, and adds it to r.
func (r *Record) parseTerm(term string) error {
	if name, value, ok := strings.Cut(term, "="); ok && isModifierName(name) {
		if err := r.addModifier(strings.ToLower(name), value); err != nil {
			return &SyntaxError{term, err.Error()}
		}
		return nil
	}
	d, err := parseDirective(term)
	if err != nil {
		return &SyntaxError{term, err.Error()}
	}
	r.Directives = append(r.Directives, d)
	return nil
}

// addModifier adds a modifier (§6): redirect and exp at most once each,
// with a domain-spec; any other name with a macro-string, kept as is.
func (r *Record) addModifier(name, value string) error {
	switch name {
	case "redirect", "exp":
		if err := checkDomainSpec(value); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		p := &r.Redirect
		if name == "exp" {
			p = &r.Exp
		}
		if *p != "" {
			return fmt.Errorf("%s= appears more than once", name)
		}
		*p = value
	default:
		if err := checkMacroString(value); err != nil {
			return err
		}
		r.Modifiers = append(r.Modifiers, Modifier{name, value})
	}
	return nil
}

// parseDirective parses a directive (§4.6.2, §5): an optional qualifier,
// a mechanism and its argument.
func parseDirective(term string) (Directive, error) {
	d := Directive{Qualifier: QualifierPass, CIDR4: -1, CIDR6: -1}
	s := term
	switch Qualifier(s[0]) {
	case QualifierPass, QualifierFail, QualifierSoftfail, QualifierNeutral:
		d.Qualifier = Qualifier(s[0])
		s = s[1:]
	}
	end := strings.IndexAny(s, ":/")
	if end < 0 {
		end = len(s)
	}
	d.Mechanism = Mechanism(strings.ToLower(s[:end]))
	rest := s[end:]
	var err error
	switch d.Mechanism {
	case MechAll:
		if rest != "" {
			err = errors.New("all takes no argument")
		}
	case MechInclude, MechExists, MechPTR:
		err = d.parseDomainArg(rest)
	case MechA, MechMX:
		err = d.parseHostArg(rest)
	case MechIP4, MechIP6:
		err = d.parseIPArg(rest)
	default:
		err = fmt.Errorf("unknown mechanism %q", s[:end])
	}
	return d, err
}

// parseDomainArg parses the ":domain-spec" of include, exists (both
// required) and ptr (optional); none takes a CIDR length.
func (d *Directive) parseDomainArg(rest string) error {
	if rest == "" {
		if d.Mechanism != MechPTR {
			return fmt.Errorf("%s needs a domain", d.Mechanism)
		}
		return nil
	}
	if rest[0] != ':' {
		return fmt.Errorf("%s takes no CIDR length", d.Mechanism)
	}
	d.DomainSpec = rest[1:]
	return checkDomainSpec(d.DomainSpec)
}

// parseHostArg parses the argument of a and mx: an optional
// ":domain-spec", then optional "/ip4-cidr" and "//ip6-cidr" lengths.
func (d *Directive) parseHostArg(rest string) error {
	var err error
	if rest, d.CIDR6, err = cutCIDR(rest, "//", 128); err != nil {
		return err
	}
	if rest, d.CIDR4, err = cutCIDR(rest, "/", 32); err != nil {
		return err
	}
	if rest == "" {
		return nil
	}
	if rest[0] != ':' {
		return fmt.Errorf("unexpected %q after %s", rest, d.Mechanism)
	}
	d.DomainSpec = rest[1:]
	return checkDomainSpec(d.DomainSpec)
}

// parseIPArg parses the ":address[/length]" of ip4 and ip6; the address
// must be of the mechanism's family.
func (d *Directive) parseIPArg(rest string) error {
	if rest == "" || rest[0] != ':' {
		return fmt.Errorf("%s needs an address", d.Mechanism)
	}
	max := 32
	if d.Mechanism == MechIP6 {
		max = 128
	}
	addrText, bits, err := cutCIDR(rest[1:], "/", max)
	if err != nil {
		return err
	}
	addr, err := netip.ParseAddr(addrText)
	if err != nil {
		return fmt.Errorf("invalid address %q", addrText)
	}
	if (d.Mechanism == MechIP4) != addr.Is4() || addr.Zone() != "" {
		return fmt.Errorf("%q is not an %s address", addrText, map[Mechanism]string{MechIP4: "IPv4", MechIP6: "IPv6"}[d.Mechanism])
	}
	if bits < 0 {
		bits = max
	}
	d.Prefix = netip.PrefixFrom(addr, bits)
	return nil
}

// cutCIDR removes a trailing sep+digits from s and checks that length
// (no leading zero, at most max). It returns -1 when s has none. A
// domain-spec never ends with "/" and digits (it ends with a top label or
// a macro), so trailing digits after sep are always a length.
func cutCIDR(s, sep string, max int) (string, int, error) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, -1, nil
	}
	num := s[i+len(sep):]
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return s, -1, nil
	}
	if (len(num) > 1 && num[0] == '0') || len(num) > 3 {
		return s, -1, fmt.Errorf("invalid CIDR length %q", s[i:])
	}
	n, _ := strconv.Atoi(num)
	if n > max {
		return s, -1, fmt.Errorf("CIDR length %d above %d", n, max)
	}
	return s[:i], n, nil
}

// isModifierName reports whether s is a modifier name (§12):
// ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
func isModifierName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// HasMacro reports whether a domain-spec holds a macro (§7), which only
// a receiver knowing the sender and the connecting address can expand.
func HasMacro(spec string) bool { return strings.Contains(spec, "%") }

// checkMacroString checks the macro-string of an unknown modifier
// (§7.1): visible ASCII, and every "%" starts "%%", "%_", "%-" or "%{"
// letter digits ["r"] delimiters "}". Unknown modifiers are ignored by
// receivers, so every letter is let through.
func checkMacroString(s string) error {
	_, err := scanMacroString(s, true)
	return err
}

// scanMacroString checks a macro-string and returns whether it ended
// with a macro. explain allows the letters c, r and t, which §7.2 allows
// only in explanation text: in a domain-spec (of a mechanism, redirect=
// or exp=) they make the record a permerror, as the RFC 7208 test suite
// has it ("exp-only-macro-char": "v=spf1 -all exp=%{r}.example.com").
func scanMacroString(s string, explain bool) (endsWithMacro bool, err error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			return false, fmt.Errorf("invalid character %q", c)
		}
		if c != '%' {
			i++
			endsWithMacro = false
			continue
		}
		if i+1 >= len(s) {
			return false, fmt.Errorf("lone %% at end")
		}
		switch s[i+1] {
		case '%', '_', '-':
			i += 2
			endsWithMacro = true
			continue
		case '{':
		default:
			return false, fmt.Errorf("invalid macro %q", s[i:i+2])
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return false, fmt.Errorf("unterminated macro %q", s[i:])
		}
		if err := checkMacroBody(s[i+2:i+j], explain); err != nil {
			return false, fmt.Errorf("invalid macro %q: %v", s[i:i+j+1], err)
		}
		i += j + 1
		endsWithMacro = true
	}
	return endsWithMacro, nil
}

// checkMacroBody checks what is between "%{" and "}":
// macro-letter transformers *delimiter. c, r and t pass only in
// explanation text (explain).
func checkMacroBody(b string, explain bool) error {
	if b == "" || !strings.ContainsRune("slodiphcrtvSLODIPHCRTV", rune(b[0])) {
		return fmt.Errorf("unknown macro letter")
	}
	if !explain && strings.ContainsRune("crtCRT", rune(b[0])) {
		return fmt.Errorf("%%{%c} is allowed only in the text of an explanation (RFC 7208 §7.2)", b[0])
	}
	b = b[1:]
	digits := 0
	for digits < len(b) && isDigit(b[digits]) {
		digits++
	}
	if digits > 0 {
		n, err := strconv.Atoi(b[:digits])
		if err != nil || n == 0 {
			return fmt.Errorf("invalid digit transformer")
		}
	}
	b = b[digits:]
	b = strings.TrimPrefix(b, "r")
	b = strings.TrimPrefix(b, "R")
	if strings.Trim(b, ".-+,/_=") != "" {
		return fmt.Errorf("invalid delimiter")
	}
	return nil
}

// checkDomainSpec checks a domain-spec (§7.1): a macro-string that ends
// with a macro or with "." and a top label (not all digits), an optional
// final dot allowed.
func checkDomainSpec(s string) error {
	if s == "" {
		return fmt.Errorf("empty domain")
	}
	endsWithMacro, err := scanMacroString(s, false)
	if err != nil {
		return err
	}
	if endsWithMacro {
		return nil
	}
	t := strings.TrimSuffix(s, ".")
	i := strings.LastIndexByte(t, '.')
	if i < 0 {
		return fmt.Errorf("%q is not a fully qualified domain", s)
	}
	if !isTopLabel(t[i+1:]) {
		return fmt.Errorf("%q does not end with a valid top label", s)
	}
	return nil
}

// isTopLabel: ( *alphanum ALPHA *alphanum ) /
// ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
func isTopLabel(l string) bool {
	if l == "" || len(l) > 63 {
		return false
	}
	alpha, hyphen := false, false
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case isAlpha(c):
			alpha = true
		case isDigit(c):
		case c == '-':
			hyphen = true
		default:
			return false
		}
	}
	if hyphen {
		return l[0] != '-' && l[len(l)-1] != '-'
	}
	return alpha
}
