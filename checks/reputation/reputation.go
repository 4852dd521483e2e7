// Package reputation looks at what receiving servers judge a sending
// address by: its reverse DNS and its listing on DNS blocklists.
//
// Receivers such as Gmail refuse or mark as spam mail from an address
// without a PTR record, or whose PTR name does not resolve back to the
// address: forward-confirmed reverse DNS (FCrDNS, RFC 1912 §2.1 asks every
// host to have matching PTR and A records; RFC 8601 §2.7.3 names the
// check "iprev"). Reverse looks up the PTR names of an address and asks
// each for its addresses.
//
// A DNS blocklist (DNSBL, RFC 5782) publishes the addresses it lists as
// names under its zone: 192.0.2.99 is listed on bl.example.org when
// 99.2.0.192.bl.example.org has an A record, by convention in
// 127.0.0.0/8 (§2.1), often with a TXT record saying why (§2.1.1); IPv6
// addresses are written as 32 reversed nibbles (§2.4). NXDOMAIN means
// not listed. A list that cannot be asked (a timeout, SERVFAIL) or that
// answers outside its conventions (an address outside 127.0.0.0/8, the
// 127.0.0.1 test value that lists must never return, Spamhaus's
// 127.255.255.x "query refused" codes) leaves the question open: Unknown,
// never Listed nor NotListed.
//
// Every query goes through the run's resolver, each within the step
// timeout: Reverse asks 1 PTR question and at most MaxPTRNames address
// questions; DNSBL asks 1 A question per zone, and 1 TXT question when
// listed.
package reputation

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// MaxPTRNames bounds the PTR names of one address whose addresses are
// looked up.
const MaxPTRNames = 5

// MaxZones bounds the blocklists one address is looked up in.
const MaxZones = 6

// MaxReason bounds the listing reason kept from a TXT record, in bytes.
const MaxReason = 512

// DefaultTimeout bounds each question when Checker.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Checker looks up addresses through one resolver.
type Checker struct {
	Resolver lookup.Resolver
	// Timeout bounds each question; DefaultTimeout when zero.
	Timeout time.Duration
}

func (c *Checker) query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	return c.resolver().Query(ctx, name, qtype)
}

// resolver is the Resolver with each question under the Timeout.
func (c *Checker) resolver() lookup.Resolver {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return lookup.WithTimeout(c.Resolver, timeout)
}

// Forward is what one PTR name resolves to.
type Forward struct {
	Name  string
	Addrs []netip.Addr
	// NXDomain is set when the name does not exist.
	NXDomain bool
	// Err is set when the lookup failed (wraps lookup.ErrFailed).
	Err error
}

// Reverse is the reverse DNS of an address.
type Reverse struct {
	Addr netip.Addr
	// Name is the PTR name asked (in-addr.arpa or ip6.arpa).
	Name string
	// Names are the PTR targets, lower-case without the final dot, in
	// the order of the answer.
	Names []string
	// NXDomain is set when the PTR name does not exist.
	NXDomain bool
	// Forward holds the lookups of the first MaxPTRNames names, in the
	// address's family (A for IPv4, AAAA for IPv6).
	Forward []Forward
	// Confirmed is the first name whose addresses include Addr: the
	// forward-confirmed name; empty when none.
	Confirmed string
	// Err is set when the PTR lookup failed: nothing is known.
	Err error
}

// HasPTR reports whether the address has a PTR name; known is false when
// the lookup failed.
func (r *Reverse) HasPTR() (has, known bool) { return len(r.Names) > 0, r.Err == nil }

// FCrDNS reports whether a PTR name resolves back to the address. known
// is false when that could not be told: the PTR lookup failed, or no name
// confirmed and the lookup of one of them failed.
func (r *Reverse) FCrDNS() (confirmed, known bool) {
	if r.Err != nil {
		return false, false
	}
	if r.Confirmed != "" {
		return true, true
	}
	for _, f := range r.Forward {
		if f.Err != nil {
			return false, false
		}
	}
	return false, true
}

// Reverse looks up the PTR names of ip and the addresses of each (at most
// MaxPTRNames, concurrently).
func (c *Checker) Reverse(ctx context.Context, ip netip.Addr) *Reverse {
	ip = ip.Unmap().WithZone("")
	rev := &Reverse{Addr: ip}
	name, err := dns.ReverseAddr(ip.String())
	if err != nil || !ip.IsValid() {
		rev.Err = fmt.Errorf("reputation: %q is not an IP address", ip)
		return rev
	}
	rev.Name = name
	a, err := c.query(ctx, name, dns.TypePTR)
	if err != nil {
		rev.Err = fmt.Errorf("reputation: PTR %s: %w", ip, err)
		return rev
	}
	rev.NXDomain = a.NXDomain()
	seen := map[string]bool{}
	for _, rr := range a.Records {
		if p, ok := rr.(*dns.PTR); ok {
			n := strings.TrimSuffix(strings.ToLower(p.Ptr), ".")
			if n != "" && !seen[n] {
				seen[n] = true
				rev.Names = append(rev.Names, n)
			}
		}
	}
	names := rev.Names
	if len(names) > MaxPTRNames {
		names = names[:MaxPTRNames]
	}
	rev.Forward = make([]Forward, len(names))
	qtype := dns.TypeA
	if ip.Is6() {
		qtype = dns.TypeAAAA
	}
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() {
			f := Forward{Name: n}
			a, err := c.query(ctx, n, qtype)
			if err != nil {
				f.Err = fmt.Errorf("reputation: %s %s: %w", dns.TypeToString[qtype], n, err)
			} else {
				f.NXDomain = a.NXDomain()
				f.Addrs = lookup.Addresses(a.Records)
			}
			rev.Forward[i] = f
		})
	}
	wg.Wait()
	for _, f := range rev.Forward {
		for _, ad := range f.Addrs {
			if ad == ip && rev.Confirmed == "" {
				rev.Confirmed = f.Name
			}
		}
	}
	return rev
}

// Status is what a blocklist says of an address.
type Status string

// The statuses of a blocklist lookup.
const (
	NotListed Status = "not_listed"
	Listed    Status = "listed"
	// Unknown: the list could not be asked, or answered outside its
	// conventions. Never read as listed or as clean.
	Unknown Status = "unknown"
)

// Errors of an Unknown listing beyond the resolver's (lookup.ErrFailed).
var (
	// ErrListAnswer is an answer outside 127.0.0.0/8, or the test value
	// 127.0.0.1 that lists must never return (RFC 5782 §5): a broken
	// list, or a resolver that rewrites NXDOMAIN.
	ErrListAnswer = errors.New("reputation: blocklist answer outside its conventions")
	// ErrQueryRefused is a 127.255.255.x answer: Spamhaus and others say
	// so that they refuse the query (a public resolver, too many
	// queries), not that the address is listed.
	ErrQueryRefused = errors.New("reputation: blocklist refused the query")
)

var (
	loopback8    = netip.MustParsePrefix("127.0.0.0/8")
	refusedCodes = netip.MustParsePrefix("127.255.255.0/24")
	testValue    = netip.MustParseAddr("127.0.0.1")
)

// Listing is what one blocklist says of an address.
type Listing struct {
	Zone string
	// Name is the name asked (reversed address + zone).
	Name   string
	Status Status
	// Codes are the A records of a listing (127.0.0.2...): many lists
	// tell why by the code.
	Codes []netip.Addr
	// Reason is the listing's TXT record, as published (strings joined,
	// at most MaxReason bytes): untrusted text, to be escaped when shown.
	Reason string
	// Err says why the Status is Unknown.
	Err error
}

// QueryName returns the name that lists ip in zone (RFC 5782 §2.1,
// §2.4): the octets of an IPv4 address, or the nibbles of an IPv6 one,
// reversed, then the zone.
func QueryName(ip netip.Addr, zone string) string {
	ip = ip.Unmap().WithZone("")
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	var labels []string
	if ip.Is4() {
		b := ip.As4()
		for i := 3; i >= 0; i-- {
			labels = append(labels, fmt.Sprint(b[i]))
		}
	} else {
		const hex = "0123456789abcdef"
		b := ip.As16()
		for i := 15; i >= 0; i-- {
			labels = append(labels, string(hex[b[i]&0xf]), string(hex[b[i]>>4]))
		}
	}
	return strings.Join(labels, ".") + "." + zone + "."
}

// DNSBL looks ip up in one blocklist zone.
func (c *Checker) DNSBL(ctx context.Context, ip netip.Addr, zone string) *Listing {
	l := &Listing{Zone: strings.TrimSuffix(strings.ToLower(zone), "."), Status: Unknown}
	if !ip.IsValid() {
		l.Err = fmt.Errorf("reputation: invalid address")
		return l
	}
	l.Name = QueryName(ip, zone)
	a, err := c.query(ctx, l.Name, dns.TypeA)
	if err != nil {
		l.Err = fmt.Errorf("reputation: %s: %w", l.Zone, err)
		return l
	}
	l.Codes = lookup.Addresses(a.Records)
	if len(l.Codes) == 0 {
		l.Status = NotListed
		return l
	}
	for _, code := range l.Codes {
		switch {
		case refusedCodes.Contains(code):
			l.Err = fmt.Errorf("%w: %s answered %s", ErrQueryRefused, l.Zone, code)
			return l
		case !loopback8.Contains(code) || code == testValue:
			l.Err = fmt.Errorf("%w: %s answered %s", ErrListAnswer, l.Zone, code)
			return l
		}
	}
	l.Status = Listed
	if txts, _, err := lookup.TXT(ctx, c.resolver(), l.Name); err == nil && len(txts) > 0 {
		reason := strings.Join(txts, "; ")
		if len(reason) > MaxReason {
			reason = strings.ToValidUTF8(reason[:MaxReason], "")
		}
		l.Reason = reason
	}
	return l
}

// DNSBLs looks ip up in each zone concurrently, at most MaxZones of them;
// the results are in the order of zones.
func (c *Checker) DNSBLs(ctx context.Context, ip netip.Addr, zones []string) []*Listing {
	if len(zones) > MaxZones {
		zones = zones[:MaxZones]
	}
	out := make([]*Listing, len(zones))
	var wg sync.WaitGroup
	for i, z := range zones {
		wg.Go(func() { out[i] = c.DNSBL(ctx, ip, z) })
	}
	wg.Wait()
	return out
}
