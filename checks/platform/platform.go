// Package platform describes the hosting platform a domain is judged
// against: the provider profile.
//
// Without a profile the engine knows only the guide's generic rules (the
// mail host is the domain itself, on the standard ports) and cannot say
// whose server it is talking to. A profile adds what only the provider
// knows: its name, its address ranges ("our servers"), the MX hosts and
// name servers it expects, the addresses it sends customers' mail from,
// the SPF mechanism that authorises them, its DKIM selectors and keys,
// the autoconfig URLs it publishes, and the DNS blocklists to watch.
// Every field is optional; the zero Platform (and a nil *Platform) is the
// guide's generic rules.
//
// Parse reads the YAML file (the example with every field is
// deploy/profile.example.yaml) and validates it at start, each mistake
// reported on one line naming the field.
package platform

import (
	"crypto/sha256"
	"encoding/base64"
	"net/netip"
	"strings"

	"github.com/pcmhosting/mailsetup/checks/spf"
)

// DomainPlaceholder stands for the customer's domain in the host and URL
// templates of a profile.
const DomainPlaceholder = "{domain}"

// Protocol names a mail service of the guide.
type Protocol string

// The services of the guide (section 2) and their standard ports
// (RFC 8314, RFC 6409, RFC 5321).
const (
	IMAPS       Protocol = "imaps"       // 993
	POP3S       Protocol = "pop3s"       // 995
	Submissions Protocol = "submissions" // 465
	Submission  Protocol = "submission"  // 587
	SMTP        Protocol = "smtp"        // 25
)

// StandardPorts are the ports of the guide, used for a protocol the
// profile does not set.
var StandardPorts = map[Protocol]int{IMAPS: 993, POP3S: 995, Submissions: 465, Submission: 587, SMTP: 25}

// Bounds on the lists of a profile: each entry costs queries or
// connections for every domain checked.
const (
	MaxRanges      = 64
	MaxHosts       = 8 // mx, name_servers
	MaxOutgoing    = 16
	MaxDKIM        = 8
	MaxURLs        = 4 // autoconfig, autodiscover
	MaxDNSBLZones  = 6
	maxProviderLen = 100
)

// Platform is a provider profile. The zero value is the guide's generic
// rules; every method accepts a nil *Platform as the zero value.
type Platform struct {
	// Provider is the provider's name as messages show it ("PCM
	// Hosting"); empty when unknown.
	Provider string
	// MailHostTemplate is the template of the mail server's name,
	// DomainPlaceholder when empty (the guide: "Adresse du serveur :
	// votre_domaine.com").
	MailHostTemplate string
	// Ports are the ports of the services, the standard one for a
	// protocol absent from the map.
	Ports map[Protocol]int
	// Ranges are the platform's networks, IPv4 and IPv6: an address in
	// one of them is one of our servers.
	Ranges []netip.Prefix
	// MX are the expected MX hosts (templates); none means no
	// expectation.
	MX []string
	// NameServers are the expected name servers; none means no
	// expectation.
	NameServers []string
	// Outgoing are the addresses the platform sends customers' mail
	// from.
	Outgoing []netip.Addr
	// SPF is the term customers' SPF records must have to authorise
	// Outgoing ("include:_spf.example-host.fr"); nil when not set.
	SPF *spf.Directive
	// DKIM are the selectors the platform signs with, and the keys it
	// expects to find published.
	DKIM []DKIMKey
	// Autoconfig and Autodiscover are the URLs (templates) the platform
	// publishes client configuration at.
	Autoconfig, Autodiscover []string
	// DNSBL are the blocklist zones (RFC 5782) the outgoing addresses are
	// looked up in.
	DNSBL []string
}

// DKIMKey is a selector the platform signs with, and what its published
// key must be when known.
type DKIMKey struct {
	Selector string
	// PublicKey is the expected key: the decoded p= value (a
	// SubjectPublicKeyInfo for RSA, the raw key for ed25519); nil when
	// not given.
	PublicKey []byte
	// SHA256 is the SHA-256 (32 bytes) of the decoded p= value, given
	// instead of (or with) PublicKey; nil when not given.
	SHA256 []byte
}

// Known reports whether the profile says what the selector's key must be.
func (k DKIMKey) Known() bool { return k.PublicKey != nil || k.SHA256 != nil }

// Matches compares a published p= value (base64, spaces allowed) with
// the expected key. known is false when the profile gives no key for the
// selector, or when p does not decode (then match is false too).
func (k DKIMKey) Matches(p string) (match, known bool) {
	if !k.Known() {
		return false, false
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(p), ""))
	if err != nil {
		return false, true
	}
	sum := sha256.Sum256(der)
	if k.SHA256 != nil && string(sum[:]) != string(k.SHA256) {
		return false, true
	}
	if k.PublicKey != nil && string(der) != string(k.PublicKey) {
		return false, true
	}
	return true, true
}

// Generic reports whether p is the guide's generic rules: no profile, or
// one that says nothing about the platform's servers. Attributions must
// then stay neutral.
func (p *Platform) Generic() bool {
	return p == nil || (p.Provider == "" && len(p.Ranges) == 0 && len(p.Outgoing) == 0 &&
		len(p.MX) == 0 && len(p.NameServers) == 0)
}

// Ours reports whether addr is in one of the platform's ranges. Without
// ranges nothing is known to be ours.
func (p *Platform) Ours(addr netip.Addr) bool {
	if p == nil {
		return false
	}
	addr = addr.Unmap().WithZone("")
	for _, r := range p.Ranges {
		if r.Contains(addr) {
			return true
		}
	}
	return false
}

// HasRanges reports whether the profile tells our servers from others.
func (p *Platform) HasRanges() bool { return p != nil && len(p.Ranges) > 0 }

// MailHost returns the mail server's name for domain: the template with
// the domain in place, the domain itself by default.
func (p *Platform) MailHost(domain string) string {
	t := DomainPlaceholder
	if p != nil && p.MailHostTemplate != "" {
		t = p.MailHostTemplate
	}
	return expand(t, domain)
}

// Port returns the port of a protocol: the profile's, else the
// standard one (0 for an unknown protocol).
func (p *Platform) Port(proto Protocol) int {
	if p != nil {
		if n, ok := p.Ports[proto]; ok && n > 0 {
			return n
		}
	}
	return StandardPorts[proto]
}

// ExpectedMX returns the MX hosts expected for domain, lower-case without
// the final dot; nil when the profile expects none in particular.
func (p *Platform) ExpectedMX(domain string) []string {
	if p == nil {
		return nil
	}
	return expandAll(p.MX, domain)
}

// ExpectedNS returns the name servers expected for domain, nil when
// none.
func (p *Platform) ExpectedNS(domain string) []string {
	if p == nil {
		return nil
	}
	return expandAll(p.NameServers, domain)
}

// IsExpectedMX reports whether host is one of the MX hosts expected for
// domain; known is false when the profile expects none in particular.
func (p *Platform) IsExpectedMX(host, domain string) (ok, known bool) {
	return isOneOf(normalizeHost(host), p.ExpectedMX(domain))
}

// IsExpectedNS reports whether host is one of the name servers expected
// for domain; known is false when the profile expects none in particular.
func (p *Platform) IsExpectedNS(host, domain string) (ok, known bool) {
	return isOneOf(normalizeHost(host), p.ExpectedNS(domain))
}

func isOneOf(host string, expected []string) (ok, known bool) {
	if len(expected) == 0 {
		return false, false
	}
	for _, e := range expected {
		if e == host {
			return true, true
		}
	}
	return false, true
}

// AutoconfigURLs returns the autoconfig URLs the platform publishes for
// domain, nil when none.
func (p *Platform) AutoconfigURLs(domain string) []string {
	if p == nil {
		return nil
	}
	return expandURLs(p.Autoconfig, domain)
}

// AutodiscoverURLs returns the autodiscover URLs the platform publishes
// for domain, nil when none.
func (p *Platform) AutodiscoverURLs(domain string) []string {
	if p == nil {
		return nil
	}
	return expandURLs(p.Autodiscover, domain)
}

// DKIMSelectors returns the platform's selectors, in the profile's order.
func (p *Platform) DKIMSelectors() []string {
	if p == nil {
		return nil
	}
	out := make([]string, len(p.DKIM))
	for i, k := range p.DKIM {
		out[i] = k.Selector
	}
	return out
}

// DKIMKeyFor returns what the profile says of selector.
func (p *Platform) DKIMKeyFor(selector string) (DKIMKey, bool) {
	if p != nil {
		for _, k := range p.DKIM {
			if strings.EqualFold(k.Selector, selector) {
				return k, true
			}
		}
	}
	return DKIMKey{}, false
}

// SPFAuthorises reports whether rec has the profile's SPF term at its
// top level, with a pass qualifier. known is false when the profile sets
// no SPF term. A term reached only through another include is not
// counted: customers are asked for the term itself, and check_host on
// the outgoing addresses judges the rest.
func (p *Platform) SPFAuthorises(rec *spf.Record) (ok, known bool) {
	if p == nil || p.SPF == nil {
		return false, false
	}
	if rec == nil {
		return false, true
	}
	want := *p.SPF
	for _, d := range rec.Directives {
		if d.Qualifier != spf.QualifierPass || d.Mechanism != want.Mechanism {
			continue
		}
		if d.Prefix == want.Prefix && d.CIDR4 == want.CIDR4 && d.CIDR6 == want.CIDR6 &&
			normalizeHost(d.DomainSpec) == normalizeHost(want.DomainSpec) {
			return true, true
		}
	}
	return false, true
}

func expand(template, domain string) string {
	return normalizeHost(strings.ReplaceAll(template, DomainPlaceholder, normalizeHost(domain)))
}

func expandAll(templates []string, domain string) []string {
	return expandEach(templates, func(t string) string { return expand(t, domain) })
}

func expandURLs(templates []string, domain string) []string {
	return expandEach(templates, func(t string) string {
		return strings.ReplaceAll(t, DomainPlaceholder, normalizeHost(domain))
	})
}

// expandEach applies f to each template; nil when there are none.
func expandEach(templates []string, f func(string) string) []string {
	if len(templates) == 0 {
		return nil
	}
	out := make([]string, len(templates))
	for i, t := range templates {
		out[i] = f(t)
	}
	return out
}

// normalizeHost lower-cases a host name and drops its final dot.
func normalizeHost(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }
