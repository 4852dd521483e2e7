package lookup

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// Fake is a map-based Resolver for unit tests, in the manner of mox's
// dns/mock.go. Keys are names (any case, with or without the final dot).
// A name present in no map is NXDOMAIN, unless a name below it is present
// (an empty non-terminal, RFC 8020); a name in Fail makes every question
// about it fail with ErrFailed, as a SERVFAIL would. CNAMEs are followed as
// a resolver does, and a loop fails like Client's, with ErrCNAMELoop.
// A and AAAA values are addresses in text form.
//
// The maps are read, never written: fill them before the first Query.
type Fake struct {
	A     map[string][]string
	AAAA  map[string][]string
	MX    map[string][]*dns.MX // Mx targets as given
	TXT   map[string][]string
	SRV   map[string][]*dns.SRV
	CNAME map[string]string
	Fail  map[string]bool
	// PTR maps a reverse name ("14.215.184.93.in-addr.arpa") to its PTR
	// targets.
	PTR map[string][]string
}

// Query implements Resolver.
func (f *Fake) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	a := &Answer{Name: Fqdn(name)}
	typ := typeString(qtype)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrFailed, a.Name, typ, err)
	}
	cur := a.Name
	seen := map[string]bool{cur: true}
	for {
		if fail, _ := get(f.Fail, cur); fail {
			return nil, fmt.Errorf("%w: %s %s: SERVFAIL", ErrFailed, cur, typ)
		}
		t, ok := get(f.CNAME, cur)
		if !ok || qtype == dns.TypeCNAME {
			break
		}
		next := Fqdn(t)
		if seen[next] || len(a.CNAMEs) >= MaxCNAMEs {
			return nil, fmt.Errorf("%w: %s %s: %w", ErrFailed, a.Name, typ, ErrCNAMELoop)
		}
		seen[next] = true
		cur = next
		a.CNAMEs = append(a.CNAMEs, cur)
	}
	hdr := func(t uint16) dns.RR_Header {
		return dns.RR_Header{Name: cur, Rrtype: t, Class: dns.ClassINET, Ttl: 300}
	}
	switch qtype {
	case dns.TypeA, dns.TypeAAAA:
		m := f.A
		if qtype == dns.TypeAAAA {
			m = f.AAAA
		}
		vals, _ := get(m, cur)
		for _, s := range vals {
			ip, err := netip.ParseAddr(s)
			if err != nil || ip.Is4() != (qtype == dns.TypeA) {
				return nil, fmt.Errorf("lookup.Fake: %s %s: bad address %q", cur, typ, s)
			}
			if qtype == dns.TypeA {
				a.Records = append(a.Records, &dns.A{Hdr: hdr(qtype), A: ip.AsSlice()})
			} else {
				a.Records = append(a.Records, &dns.AAAA{Hdr: hdr(qtype), AAAA: ip.AsSlice()})
			}
		}
	case dns.TypeMX:
		vals, _ := get(f.MX, cur)
		for _, m := range vals {
			c := *m
			c.Hdr = hdr(dns.TypeMX)
			a.Records = append(a.Records, &c)
		}
	case dns.TypeTXT:
		vals, _ := get(f.TXT, cur)
		for _, s := range vals {
			a.Records = append(a.Records, &dns.TXT{Hdr: hdr(dns.TypeTXT), Txt: []string{s}})
		}
	case dns.TypeSRV:
		vals, _ := get(f.SRV, cur)
		for _, s := range vals {
			c := *s
			c.Hdr = hdr(dns.TypeSRV)
			a.Records = append(a.Records, &c)
		}
	case dns.TypePTR:
		vals, _ := get(f.PTR, cur)
		for _, s := range vals {
			a.Records = append(a.Records, &dns.PTR{Hdr: hdr(dns.TypePTR), Ptr: Fqdn(s)})
		}
	case dns.TypeCNAME:
		if t, ok := get(f.CNAME, cur); ok {
			a.Records = append(a.Records, &dns.CNAME{Hdr: hdr(dns.TypeCNAME), Target: Fqdn(t)})
		}
	}
	if len(a.Records) == 0 && !f.exists(cur) {
		a.Rcode = dns.RcodeNameError
	}
	return a, nil
}

// exists reports whether name has records of any type, or names below it.
func (f *Fake) exists(name string) bool {
	k := key(name)
	suffix := "." + k
	found := false
	visit := func(n string) {
		n = key(n)
		if n == k || strings.HasSuffix(n, suffix) {
			found = true
		}
	}
	for _, m := range []map[string][]string{f.A, f.AAAA, f.TXT} {
		for n := range m {
			visit(n)
		}
	}
	for n := range f.MX {
		visit(n)
	}
	for n := range f.SRV {
		visit(n)
	}
	for n := range f.CNAME {
		visit(n)
	}
	return found
}

// get finds name in m whatever the case and final dot of m's keys.
func get[V any](m map[string]V, name string) (V, bool) {
	k := key(name)
	if v, ok := m[k]; ok {
		return v, true
	}
	for n, v := range m {
		if key(n) == k {
			return v, true
		}
	}
	var zero V
	return zero, false
}

func key(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }
