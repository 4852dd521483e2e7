// Package propagation compares what a domain's authoritative name servers
// serve with each other and with what the configured resolver answers.
//
// A change to a zone reaches the world in two steps. The primary server
// gets the new records and a new SOA serial; the secondaries copy the
// zone when told (NOTIFY, RFC 1996) or when their refresh timer fires
// (RFC 1035 §4.3.5), and compare serials with RFC 1982 arithmetic. Then
// every resolver that cached the old answer keeps it until its TTL runs
// out (RFC 2308 for a cached "no such record", whose lifetime is the
// SOA's minimum). So "I fixed my SPF an hour ago" can be true while a
// receiver still sees the old record: a secondary that did not update
// (the servers disagree), or a resolver still holding the old answer
// (visible everywhere within its remaining TTL).
//
// Check finds the zone of the domain (the closest name up from it with NS
// records, through the resolver), the addresses of at most MaxServers of
// its name servers, and asks each server directly, without recursion, for
// the SOA serial, the MX, the SPF and DMARC TXT records and the mail
// host's A and AAAA: one query per record type per server, all servers at
// once, each query within the step timeout. Every server address is
// judged by the network guard: one on a private or special-use address is
// reported, not dialled. A server that does not answer is "unreachable",
// never a disagreement; one that refuses, fails or answers without
// authority is "lame".
package propagation

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// MaxServers bounds the authoritative servers asked per domain.
const MaxServers = 4

// MaxWalk bounds the NS questions spent finding the zone of a domain.
const MaxWalk = 6

// DefaultTimeout bounds each question when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Kind is a record set compared between servers.
type Kind string

// The record sets compared, in report order.
const (
	KindSOA   Kind = "SOA"   // the zone's SOA: its serial
	KindMX    Kind = "MX"    // the domain's MX
	KindSPF   Kind = "SPF"   // the domain's TXT records that are SPF
	KindDMARC Kind = "DMARC" // _dmarc.<domain>'s TXT records that are DMARC
	KindA     Kind = "A"     // the mail host's IPv4 addresses
	KindAAAA  Kind = "AAAA"  // the mail host's IPv6 addresses
)

// Kinds lists every Kind in report order.
var Kinds = []Kind{KindSOA, KindMX, KindSPF, KindDMARC, KindA, KindAAAA}

// State is how a server answered.
type State string

// Server states.
const (
	StateOK          State = "ok"          // answered with authority
	StateLame        State = "lame"        // REFUSED, SERVFAIL, or an answer without authority for the zone
	StateUnreachable State = "unreachable" // no answer within the timeout, or the network failed
	StateForbidden   State = "forbidden"   // its address is private or special-use: not dialled
	StateNoAddress   State = "no_address"  // its name does not exist or has no address
	StateUnresolved  State = "unresolved"  // its address could not be looked up: nothing known
)

// ErrNotAuthoritative is wrapped by the error of an answer without the AA
// bit: the server does not serve that name itself.
var ErrNotAuthoritative = errors.New("propagation: answer without authority")

// ErrNoZone is wrapped by Report.Err when no name up from the domain has
// NS records: the resolver answered, and there is nothing to compare.
var ErrNoZone = errors.New("propagation: no zone found")

// Options are the dependencies of Check.
type Options struct {
	// Resolver is the configured resolver: it finds the zone and the
	// servers' addresses, and its answers are compared with the servers'.
	Resolver lookup.Resolver
	// Timeout bounds each question; DefaultTimeout when zero.
	Timeout time.Duration
	// AllowPrivate lets servers on loopback and private addresses be
	// asked (the lab, tests).
	AllowPrivate bool
	// MailHost is the mail server's name; the domain when empty.
	MailHost string
	// Ports maps a name server's name to the port it is asked on, 53 for
	// the others: the lab runs each server on its own loopback port.
	Ports map[string]int
}

// RRSet is one record set as a server or the resolver gave it.
type RRSet struct {
	// Name is the name asked, lower-case without the final dot.
	Name string
	// Values are the records in a canonical text form, sorted: "10
	// mx.example.com." for MX, the joined strings for TXT, the address
	// for A/AAAA, "CNAME target." for each alias followed. Empty when
	// the name has none.
	Values []string
	// NXDomain is set when the name does not exist.
	NXDomain bool
	// TTL is the smallest TTL of the records: the full TTL from a server,
	// the remaining one from the resolver. Zero when there are none.
	TTL uint32
	// Partial is set when the server's answer ends at an alias leaving
	// its zone: only the aliases can be compared.
	Partial bool
	// Err is set when the set could not be told (the question failed, or
	// the server does not serve that name): never compared.
	Err error
}

// Known reports whether the set was told.
func (s RRSet) Known() bool { return s.Err == nil }

// Same reports whether two sets hold the same records.
func (s RRSet) Same(o RRSet) bool { return slices.Equal(s.Values, o.Values) }

// Server is one authoritative server, as asked at one address.
type Server struct {
	// Name is the NS name, lower-case without the final dot.
	Name string
	// Addr is the address asked (IPv4 first); invalid when none.
	Addr  netip.Addr
	State State
	// Rcode is the RCODE of the SOA answer of a lame server.
	Rcode int
	// Err says why the state is not ok.
	Err error
	// Serial is the zone's SOA serial on this server, when State is ok.
	Serial uint32
	// SOA is that SOA record (its TTL and minimum bound negative caching).
	SOA *dns.SOA
	// Records are the sets it serves, by kind, when State is ok.
	Records map[Kind]RRSet
}

// Variant is one version of a record set and the servers serving it.
type Variant struct {
	Values  []string
	Servers []string // server names
	// Serial is the highest serial among those servers.
	Serial uint32
}

// Difference is a record set the servers do not agree on.
type Difference struct {
	Kind     Kind
	Variants []Variant // the freshest (highest serial) first
}

// Stale is a record set the resolver answers differently from the
// freshest authoritative server.
type Stale struct {
	Kind          Kind
	Resolver      RRSet
	Authoritative RRSet
	// SameAs are the servers serving what the resolver holds (a stale
	// secondary it asked), empty when none does any more.
	SameAs []string
	// Within is how long the resolver may keep its answer: the remaining
	// TTL of its records, or for a cached "none", the zone's negative TTL
	// (an upper bound). Zero when unknown.
	Within time.Duration
}

// Report is what Check found.
type Report struct {
	Domain string
	// Zone is the zone the domain is in; empty when it was not found.
	Zone     string
	MailHost string
	// NameServers are all the zone's NS names, sorted; Servers the ones
	// asked (at most MaxServers).
	NameServers []string
	Servers     []Server
	// Resolver are the sets the configured resolver answers, by kind.
	Resolver map[Kind]RRSet
	// SerialsDiffer is set when servers that answered give different
	// serials.
	SerialsDiffer bool
	Differences   []Difference
	// Stale are the sets the resolver answers differently from the
	// freshest server. The SOA is not among them: resolvers cache it
	// apart from the records, so its age says nothing of theirs.
	Stale []Stale
	// Err is set when the zone or its servers could not be found through
	// the resolver: nothing else is known.
	Err error
}

// Check compares the domain's authoritative servers with each other and
// with the resolver. It is bounded: at most MaxWalk NS questions and 2
// address questions per server through the resolver, 6 questions to each
// of at most MaxServers servers, 6 to the resolver, each within the
// timeout, concurrently.
func Check(ctx context.Context, domain string, opts Options) *Report {
	domain = strings.TrimSuffix(strings.ToLower(domain), ".")
	rep := &Report{Domain: domain, MailHost: strings.TrimSuffix(strings.ToLower(opts.MailHost), ".")}
	if rep.MailHost == "" {
		rep.MailHost = domain
	}
	c := &checker{opts: opts}
	zone, ns, err := c.findZone(ctx, domain)
	if err != nil {
		rep.Err = err
		return rep
	}
	rep.Zone, rep.NameServers = zone, ns
	questions := c.questions(rep)

	var wg sync.WaitGroup
	wg.Go(func() { rep.Resolver = c.askResolver(ctx, questions) })
	asked := ns
	if len(asked) > MaxServers {
		asked = asked[:MaxServers]
	}
	rep.Servers = make([]Server, len(asked))
	for i, name := range asked {
		wg.Go(func() { rep.Servers[i] = c.askServer(ctx, name, zone, questions) })
	}
	wg.Wait()
	compare(rep)
	return rep
}

type checker struct{ opts Options }

func (c *checker) timeout() time.Duration {
	if c.opts.Timeout > 0 {
		return c.opts.Timeout
	}
	return DefaultTimeout
}

func (c *checker) resolve(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	return lookup.WithTimeout(c.opts.Resolver, c.timeout()).Query(ctx, name, qtype)
}

// findZone walks up from domain to the first name with NS records of its
// own (not through an alias): the zone cut. The TLD is not a zone to
// report on.
func (c *checker) findZone(ctx context.Context, domain string) (zone string, ns []string, err error) {
	name := domain
	for range MaxWalk {
		if !strings.Contains(name, ".") {
			break
		}
		a, err := c.resolve(ctx, name, dns.TypeNS)
		if err != nil {
			return "", nil, fmt.Errorf("propagation: NS %s: %w", name, err)
		}
		if len(a.CNAMEs) == 0 {
			for _, rr := range a.Records {
				if n, ok := rr.(*dns.NS); ok {
					host := strings.TrimSuffix(strings.ToLower(n.Ns), ".")
					if host != "" && !slices.Contains(ns, host) {
						ns = append(ns, host)
					}
				}
			}
		}
		if len(ns) > 0 {
			sort.Strings(ns)
			return name, ns, nil
		}
		_, rest, _ := strings.Cut(name, ".")
		name = rest
	}
	return "", nil, fmt.Errorf("%w for %s", ErrNoZone, domain)
}

// question is one record set to ask for.
type question struct {
	kind  Kind
	name  string
	qtype uint16
}

// questions are the sets compared; the mail host's addresses only when
// the host is in the zone (its servers do not serve other zones).
func (c *checker) questions(rep *Report) []question {
	qs := []question{
		{KindSOA, rep.Zone, dns.TypeSOA},
		{KindMX, rep.Domain, dns.TypeMX},
		{KindSPF, rep.Domain, dns.TypeTXT},
		{KindDMARC, "_dmarc." + rep.Domain, dns.TypeTXT},
	}
	if dns.IsSubDomain(dns.Fqdn(rep.Zone), dns.Fqdn(rep.MailHost)) {
		qs = append(qs, question{KindA, rep.MailHost, dns.TypeA}, question{KindAAAA, rep.MailHost, dns.TypeAAAA})
	}
	return qs
}

func (c *checker) askResolver(ctx context.Context, qs []question) map[Kind]RRSet {
	out := make(map[Kind]RRSet, len(qs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, q := range qs {
		wg.Go(func() {
			s := RRSet{Name: q.name}
			a, err := c.resolve(ctx, q.name, q.qtype)
			if err != nil {
				s.Err = err
			} else {
				s.NXDomain = a.NXDomain()
				for _, t := range a.CNAMEs {
					s.Values = append(s.Values, "CNAME "+t)
				}
				s.Values, s.TTL = values(q.kind, s.Values, a.Records)
			}
			mu.Lock()
			out[q.kind] = s
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// askServer resolves a server's name and asks it every question.
func (c *checker) askServer(ctx context.Context, name, zone string, qs []question) Server {
	srv := Server{Name: name}
	addrs, nx, _, err := lookup.Addrs(ctx, lookup.WithTimeout(c.opts.Resolver, c.timeout()), name)
	switch {
	case err != nil:
		srv.State, srv.Err = StateUnresolved, fmt.Errorf("propagation: addresses of %s: %w", name, err)
		return srv
	case nx || len(addrs) == 0:
		srv.State, srv.Err = StateNoAddress, fmt.Errorf("propagation: %s has no address", name)
		return srv
	}
	srv.Addr = pick(addrs)
	guard := &netguard.Dialer{AllowPrivate: c.opts.AllowPrivate, Timeout: c.timeout()}
	if !guard.Allowed(srv.Addr) {
		srv.State, srv.Err = StateForbidden, &netguard.ForbiddenError{Host: name, Addr: srv.Addr}
		return srv
	}
	port := 53
	if p, ok := c.opts.Ports[name]; ok {
		port = p
	}
	d := &lookup.Direct{Server: netip.AddrPortFrom(srv.Addr, uint16(port)), Dial: guard.DialNameServer, Timeout: c.timeout()}
	type reply struct {
		m   *dns.Msg
		err error
	}
	replies := make([]reply, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Go(func() {
			m, err := d.Exchange(ctx, q.name, q.qtype)
			replies[i] = reply{m, err}
		})
	}
	wg.Wait()
	// The SOA answer (always the first question) tells whether the
	// server serves the zone at all.
	soa := replies[0]
	switch {
	case soa.err != nil:
		srv.State, srv.Err = StateUnreachable, soa.err
		if errors.Is(soa.err, netguard.ErrForbidden) {
			srv.State = StateForbidden
		}
		return srv
	case soa.m.Rcode != dns.RcodeSuccess:
		srv.State, srv.Rcode = StateLame, soa.m.Rcode
		srv.Err = fmt.Errorf("propagation: %s answered %s for %s SOA", name, dns.RcodeToString[soa.m.Rcode], zone)
		return srv
	case !soa.m.Authoritative:
		srv.State, srv.Err = StateLame, fmt.Errorf("%w: %s for %s", ErrNotAuthoritative, name, zone)
		return srv
	}
	for _, rr := range soa.m.Answer {
		if s, ok := rr.(*dns.SOA); ok && strings.EqualFold(s.Hdr.Name, dns.Fqdn(zone)) {
			srv.SOA, srv.Serial = s, s.Serial
		}
	}
	if srv.SOA == nil {
		srv.State, srv.Err = StateLame, fmt.Errorf("%w: %s gave no SOA for %s", ErrNotAuthoritative, name, zone)
		return srv
	}
	srv.State = StateOK
	srv.Records = make(map[Kind]RRSet, len(qs))
	for i, q := range qs {
		srv.Records[q.kind] = authoritativeSet(q, zone, replies[i].m, replies[i].err)
	}
	return srv
}

// pick chooses the address to ask: the first IPv4 one, else the first.
func pick(addrs []netip.Addr) netip.Addr {
	for _, a := range addrs {
		if a.Unmap().Is4() {
			return a.Unmap()
		}
	}
	return addrs[0]
}

// authoritativeSet reads one record set from a server's response.
func authoritativeSet(q question, zone string, m *dns.Msg, err error) RRSet {
	s := RRSet{Name: q.name}
	switch {
	case err != nil:
		s.Err = err
		return s
	case m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError:
		s.Err = fmt.Errorf("propagation: %s %s answered %s", q.name, dns.TypeToString[q.qtype], dns.RcodeToString[m.Rcode])
		return s
	case !m.Authoritative:
		s.Err = fmt.Errorf("%w: %s %s", ErrNotAuthoritative, q.name, dns.TypeToString[q.qtype])
		return s
	}
	s.NXDomain = m.Rcode == dns.RcodeNameError
	// Follow the aliases inside the answer, as the resolver would.
	cur := dns.Fqdn(q.name)
	var aliases []string
	for range lookup.MaxCNAMEs {
		next := ""
		for _, rr := range m.Answer {
			if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, cur) && q.qtype != dns.TypeCNAME {
				next = lookup.Fqdn(c.Target)
			}
		}
		if next == "" {
			break
		}
		aliases = append(aliases, "CNAME "+next)
		cur = next
	}
	var rrs []dns.RR
	for _, rr := range m.Answer {
		if rr.Header().Rrtype == q.qtype && strings.EqualFold(rr.Header().Name, cur) {
			rrs = append(rrs, rr)
		}
	}
	s.Values, s.TTL = values(q.kind, aliases, rrs)
	s.Partial = len(aliases) > 0 && len(rrs) == 0 && !dns.IsSubDomain(dns.Fqdn(zone), cur)
	return s
}

// values gives the canonical, sorted text of the records that matter for
// kind, after the aliases, and their smallest TTL.
func values(kind Kind, aliases []string, rrs []dns.RR) ([]string, uint32) {
	out := append([]string{}, aliases...)
	var ttl uint32
	for _, rr := range rrs {
		var v string
		switch r := rr.(type) {
		case *dns.SOA:
			v = fmt.Sprint(r.Serial)
		case *dns.MX:
			v = fmt.Sprintf("%d %s", r.Preference, lookup.Fqdn(r.Mx))
		case *dns.A:
			v = r.A.String()
		case *dns.AAAA:
			v = r.AAAA.String()
		case *dns.TXT:
			t := strings.Join(r.Txt, "")
			if kind == KindSPF && !spf.IsRecord(t) || kind == KindDMARC && !isDMARC(t) {
				continue
			}
			v = t
		default:
			continue
		}
		out = append(out, v)
		if ttl == 0 || rr.Header().Ttl < ttl {
			ttl = rr.Header().Ttl
		}
	}
	sort.Strings(out)
	return slices.Compact(out), ttl
}

// isDMARC: a DMARC record starts with "v=DMARC1" (RFC 7489 §6.4).
func isDMARC(t string) bool {
	return len(t) >= 8 && strings.EqualFold(t[:8], "v=DMARC1") && (len(t) == 8 || t[8] == ';' || t[8] == ' ')
}
