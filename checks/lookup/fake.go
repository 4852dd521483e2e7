package lookup

import (
	"context"
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// Fake is a map-based Resolver for unit tests, in the manner of mox's
// dns/mock.go. Keys are names (any case, with or without the final dot).
// A name present in no map is NXDOMAIN; a name in Fail makes every
// question about it fail with ErrFailed, as a SERVFAIL would.
type Fake struct {
	A     map[string][]string
	AAAA  map[string][]string
	MX    map[string][]*dns.MX // Mx targets as given
	TXT   map[string][]string
	SRV   map[string][]*dns.SRV
	CNAME map[string]string
	Fail  map[string]bool
}

// Query implements Resolver.
func (f *Fake) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFailed, name, err)
	}
	a := &Answer{Name: Fqdn(name)}
	cur := a.Name
	for range 10 {
		if f.Fail[key(cur)] {
			return nil, fmt.Errorf("%w: %s %s: SERVFAIL", ErrFailed, cur, dns.TypeToString[qtype])
		}
		if t, ok := f.CNAME[key(cur)]; ok && qtype != dns.TypeCNAME {
			cur = Fqdn(t)
			a.CNAMEs = append(a.CNAMEs, cur)
			continue
		}
		break
	}
	hdr := func(t uint16) dns.RR_Header {
		return dns.RR_Header{Name: cur, Rrtype: t, Class: dns.ClassINET, Ttl: 300}
	}
	k := key(cur)
	switch qtype {
	case dns.TypeA:
		for _, s := range f.A[k] {
			rr, err := dns.NewRR(cur + " 300 IN A " + s)
			if err != nil {
				return nil, err
			}
			a.Records = append(a.Records, rr)
		}
	case dns.TypeAAAA:
		for _, s := range f.AAAA[k] {
			rr, err := dns.NewRR(cur + " 300 IN AAAA " + s)
			if err != nil {
				return nil, err
			}
			a.Records = append(a.Records, rr)
		}
	case dns.TypeMX:
		for _, m := range f.MX[k] {
			c := *m
			c.Hdr = hdr(dns.TypeMX)
			a.Records = append(a.Records, &c)
		}
	case dns.TypeTXT:
		for _, s := range f.TXT[k] {
			a.Records = append(a.Records, &dns.TXT{Hdr: hdr(dns.TypeTXT), Txt: []string{s}})
		}
	case dns.TypeSRV:
		for _, s := range f.SRV[k] {
			c := *s
			c.Hdr = hdr(dns.TypeSRV)
			a.Records = append(a.Records, &c)
		}
	}
	if len(a.Records) == 0 && !f.exists(k) {
		a.Rcode = dns.RcodeNameError
	}
	return a, nil
}

func (f *Fake) exists(k string) bool {
	if _, ok := f.CNAME[k]; ok {
		return true
	}
	for _, m := range []map[string][]string{f.A, f.AAAA, f.TXT} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	if _, ok := f.MX[k]; ok {
		return true
	}
	if _, ok := f.SRV[k]; ok {
		return true
	}
	// A name with children exists (empty non-terminal, RFC 8020).
	suffix := "." + strings.TrimSuffix(k, ".")
	for _, m := range []map[string][]string{f.A, f.AAAA, f.TXT} {
		for n := range m {
			if strings.HasSuffix(strings.TrimSuffix(n, "."), suffix) {
				return true
			}
		}
	}
	return false
}

func key(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }
