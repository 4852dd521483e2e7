package checks

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Target is what a run checks: the customer's domain, the address given
// (it becomes the username of the settings) and the mail host, which the
// guide says is the domain itself ("Adresse du serveur : votre_domaine.com").
type Target struct {
	// Input is what the user typed, trimmed.
	Input string `json:"input"`
	// Domain is the domain checked, lower-case ASCII (punycode).
	Domain string `json:"domain"`
	// Display is Domain in Unicode, for people.
	Display string `json:"display"`
	// Address is the e-mail address given, if any.
	Address string `json:"address,omitempty"`
	// Host is the mail server host name (Domain unless overridden).
	Host string `json:"host"`
	// FromURL is set when the input was a web address whose host was
	// taken (and a leading "www." dropped, which WWWDropped says).
	FromURL    bool `json:"from_url,omitempty"`
	WWWDropped bool `json:"www_dropped,omitempty"`
}

// InputReason says why an input was refused. Like finding codes, reasons
// are stable and the messages catalog words them.
type InputReason string

// Input refusal reasons.
const (
	InputEmpty        InputReason = "input.empty"
	InputTooLong      InputReason = "input.too_long"
	InputLabelTooLong InputReason = "input.label_too_long"
	InputBadChar      InputReason = "input.bad_char"
	InputIPLiteral    InputReason = "input.ip_literal"
	InputPort         InputReason = "input.port"
	InputSingleLabel  InputReason = "input.single_label"
	InputSeveralWords InputReason = "input.several_words"
	InputSpecialUse   InputReason = "input.special_use"
	InputBadAddress   InputReason = "input.bad_address"
	// InputNotPublic is a name that does not end in a public suffix of
	// the ICANN section of the Public Suffix List (x.lan, x.corp,
	// kubernetes.default.svc): an internal name, which a split-horizon
	// resolver would answer with internal records.
	InputNotPublic InputReason = "input.not_public"
)

// AllInputReasons lists every reason, for the catalog's completeness test.
var AllInputReasons = []InputReason{InputEmpty, InputTooLong, InputLabelTooLong, InputBadChar, InputIPLiteral, InputPort, InputSingleLabel, InputSeveralWords, InputSpecialUse, InputBadAddress, InputNotPublic}

// InputError is a refused input. Nothing is run for it.
type InputError struct {
	Reason InputReason
	Input  string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("invalid input %q: %s", e.Input, e.Reason)
}

// MaxInput bounds what is even looked at: a domain is at most 253
// characters, an address adds a local part of at most 64 and an "@",
// and a chat client's link markup around it may double that.
const MaxInput = 1024

// idnaProfile converts to punycode and enforces RFC 1035 lengths, which
// idna.Lookup alone does not.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.VerifyDNSLength(true),
	idna.StrictDomainName(true),
)

var displayProfile = idna.New(idna.MapForLookup())

// specialUse are suffixes of RFC 6761/6762/8375/9476 names that never
// belong to a customer.
var specialUse = []string{"localhost", "local", "internal", "invalid", "test", "example", "home.arpa", "onion", "alt"}

// ParseTarget turns what a user typed (a domain, an address, a pasted
// web or mailto: address) into a Target, or explains with an *InputError
// why it cannot be checked. Special-use names are accepted only when
// allowPrivate is set, for the lab.
func ParseTarget(input string, allowPrivate bool) (Target, error) {
	in := strings.TrimSpace(input)
	if len(in) > MaxInput {
		return Target{}, &InputError{InputTooLong, in[:64] + "…"}
	}
	fail := func(r InputReason) (Target, error) { return Target{}, &InputError{r, in} }
	switch {
	case in == "":
		return fail(InputEmpty)
	case !utf8.ValidString(in) || strings.IndexFunc(in, unicode.IsControl) >= 0:
		return fail(InputBadChar)
	case strings.IndexFunc(in, unicode.IsSpace) >= 0:
		return fail(InputSeveralWords)
	}
	t := Target{Input: in}
	name, reason := t.hostPart(in)
	if reason != "" {
		return fail(reason)
	}
	domain, reason := normalizeDomain(name, allowPrivate)
	if reason != "" {
		return fail(reason)
	}
	t.Domain = domain
	t.Host = domain
	t.Display = domain
	if u, err := displayProfile.ToUnicode(domain); err == nil {
		t.Display = u
	}
	if t.Address != "" {
		t.Address += domain
	}
	return t, nil
}

// hostPart finds the host name in an input: the host of a web address
// (noting FromURL, and WWWDropped for a leading "www."), the domain of a
// mailto: or e-mail address (setting t.Address to its local part and
// "@", completed by the caller). reason is set when the input cannot
// name a host.
func (t *Target) hostPart(in string) (name string, reason InputReason) {
	s := in
	if rest, ok := cutPrefixFold(s, "mailto:"); ok {
		s = rest
		if i := strings.IndexByte(s, '?'); i >= 0 {
			s = s[:i]
		}
	}
	if rest, ok := mistypedScheme(s); ok {
		s = "https://" + rest // "http:/client.com", "https:client.com": a web address
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Hostname() == "" {
			return "", InputBadChar
		}
		s = u.Hostname()
		t.FromURL = true
		if rest, ok := cutPrefixFold(s, "www."); ok && strings.Contains(rest, ".") {
			s = rest
			t.WWWDropped = true
		}
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		local := s[:at]
		s = s[at+1:]
		if local == "" || len(local) > 64 || strings.ContainsAny(local, "@<>()[]\\,;:\"") {
			return "", InputBadAddress
		}
		t.Address = local + "@"
	}
	if strings.HasPrefix(s, "[") || isIP(s) {
		return "", InputIPLiteral
	}
	if strings.Contains(s, ":") {
		host, _, found := strings.Cut(s, ":")
		if found && isIP(host) {
			return "", InputIPLiteral
		}
		return "", InputPort
	}
	return s, ""
}

// mistypedScheme returns what follows "http:" or "https:" when the two
// slashes after it are missing or one short, so that the input is read
// as the web address it is, not as a host and a port.
func mistypedScheme(s string) (string, bool) {
	for _, scheme := range []string{"https:", "http:"} {
		if rest, ok := cutPrefixFold(s, scheme); ok && !strings.HasPrefix(rest, "//") {
			return strings.TrimPrefix(rest, "/"), true
		}
	}
	return "", false
}

// normalizeDomain turns a host name into the lower-case ASCII (punycode)
// domain that is checked, or says why it cannot be one. Special-use names
// pass only when allowPrivate is set.
func normalizeDomain(s string, allowPrivate bool) (string, InputReason) {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", InputEmpty
	}
	domain, err := idnaProfile.ToASCII(s)
	if err != nil {
		return "", classifyIDNA(s)
	}
	domain = strings.ToLower(domain)
	if len(domain) > 253 {
		return "", InputTooLong
	}
	for _, l := range strings.Split(domain, ".") {
		if len(l) > 63 {
			return "", InputLabelTooLong
		}
		if l == "" {
			return "", InputBadChar
		}
	}
	if isIP(domain) {
		return "", InputIPLiteral
	}
	if _, err := idnaProfile.ToUnicode(domain); err != nil {
		return "", InputBadChar // e.g. a punycode label that decodes to nothing valid
	}
	if tld := domain[strings.LastIndexByte(domain, '.')+1:]; strings.Trim(tld, "0123456789") == "" {
		return "", InputBadChar // an all-numeric top-level label is no host name (RFC 3696 §2)
	}
	if !strings.Contains(domain, ".") && !(allowPrivate && domain == "localhost") {
		return "", InputSingleLabel
	}
	if !allowPrivate && IsSpecialUse(domain) {
		return "", InputSpecialUse
	}
	if !allowPrivate && !IsPublic(domain) {
		return "", InputNotPublic
	}
	return domain, ""
}

// WithHost returns t with another mail host (the --host flag), checked
// like a domain.
func (t Target) WithHost(host string, allowPrivate bool) (Target, error) {
	h, err := ParseTarget(host, allowPrivate)
	if err != nil {
		return t, err
	}
	if h.Address != "" {
		return t, &InputError{InputBadChar, host}
	}
	t.Host = h.Domain
	return t, nil
}

// IsSpecialUse reports whether a name is under a special-use suffix.
func IsSpecialUse(domain string) bool {
	for _, s := range specialUse {
		if domain == s || strings.HasSuffix(domain, "."+s) {
			return true
		}
	}
	return false
}

// IsPublic reports whether an ASCII domain ends in a public suffix of the
// ICANN section of the Public Suffix List (golang.org/x/net/publicsuffix),
// that is, could exist on the Internet. A suffix of the list's private
// section (github.io, dyndns.org) is accepted when its top-level domain
// is an ICANN one: those names are on the public Internet, delegated by
// their registrant. Anything else (lan, corp, home, intranet, svc) is
// no top-level domain of the root zone.
func IsPublic(domain string) bool {
	if _, icann := publicsuffix.PublicSuffix(domain); icann {
		return true
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	ps, icann := publicsuffix.PublicSuffix(tld)
	return icann && ps == tld
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return err == nil
}

// classifyIDNA names the most useful reason for a name idna refused.
func classifyIDNA(s string) InputReason {
	if a, err := idna.Punycode.ToASCII(s); err == nil {
		s = a
	}
	if len(s) > 253 {
		return InputTooLong
	}
	for _, l := range strings.Split(s, ".") {
		if len(l) > 63 {
			return InputLabelTooLong
		}
	}
	return InputBadChar
}
