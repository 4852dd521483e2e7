// Package lookup is the one DNS resolver of a check run.
//
// Answers carry the RCODE and the CNAME chain as data: NXDOMAIN (RFC 1035
// RCODE 3) and an empty answer (no data, RFC 2308) are things a check
// reports, while a SERVFAIL, a REFUSED or a timeout mean the resolver could
// not tell, and come back as an error wrapping ErrFailed, so a check says
// "could not check" (status error, resolver.failed) and never a false
// "missing".
//
// Client speaks to a recursive resolver with github.com/miekg/dns (UDP, TCP
// on truncation, one retry), Cache makes identical queries of one run go
// out once, and Fake is a map-based resolver for unit tests.
package lookup

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// ErrFailed is wrapped by every error meaning the resolver could not
// answer (timeout, SERVFAIL, REFUSED, network error).
var ErrFailed = errors.New("DNS lookup failed")

// Answer is the answer to one question, after following CNAMEs.
type Answer struct {
	// Name is the name asked, fully qualified and lower-case.
	Name string
	// Rcode is the response code of the last response (dns.RcodeSuccess,
	// dns.RcodeNameError for NXDOMAIN).
	Rcode int
	// CNAMEs is the chain of canonical names followed, in order, without
	// the name asked.
	CNAMEs []string
	// Records are the answer records of the type asked, at the end of
	// the chain.
	Records []dns.RR
}

// NXDomain reports whether the name does not exist.
func (a *Answer) NXDomain() bool { return a.Rcode == dns.RcodeNameError }

// Resolver answers one DNS question. Implementations are safe for
// concurrent use and honour ctx.
type Resolver interface {
	Query(ctx context.Context, name string, qtype uint16) (*Answer, error)
}

// Fqdn returns name lower-cased and fully qualified.
func Fqdn(name string) string { return dns.Fqdn(strings.ToLower(name)) }

// TXT returns the TXT records of name, each record's strings joined as
// RFC 7208 §3.3 says, with the answer for its RCODE.
func TXT(ctx context.Context, r Resolver, name string) ([]string, *Answer, error) {
	a, err := r.Query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for _, rr := range a.Records {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out, a, nil
}

// MX returns the MX records of name, with the answer for its RCODE.
func MX(ctx context.Context, r Resolver, name string) ([]*dns.MX, *Answer, error) {
	a, err := r.Query(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, nil, err
	}
	var out []*dns.MX
	for _, rr := range a.Records {
		if m, ok := rr.(*dns.MX); ok {
			out = append(out, m)
		}
	}
	return out, a, nil
}

// SRV returns the SRV records of name, with the answer for its RCODE.
func SRV(ctx context.Context, r Resolver, name string) ([]*dns.SRV, *Answer, error) {
	a, err := r.Query(ctx, name, dns.TypeSRV)
	if err != nil {
		return nil, nil, err
	}
	var out []*dns.SRV
	for _, rr := range a.Records {
		if s, ok := rr.(*dns.SRV); ok {
			out = append(out, s)
		}
	}
	return out, a, nil
}

// Addrs returns the IPv4 and IPv6 addresses of name, asking A and AAAA at
// once. nxdomain is true when the name does not exist; cnames is the chain
// followed. One family failing while the other gives addresses, or says
// NXDOMAIN (which is about the name, whatever the type), is not an error;
// an error is returned when neither question could be answered, or when
// one failed and the other found no data: the failed question might have
// shown addresses, so that is no "no address".
func Addrs(ctx context.Context, r Resolver, name string) (addrs []netip.Addr, nxdomain bool, cnames []string, err error) {
	type res struct {
		a   *Answer
		err error
	}
	var wg sync.WaitGroup
	results := make([]res, 2)
	for i, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := r.Query(ctx, name, qt)
			results[i] = res{a, err}
		}()
	}
	wg.Wait()
	if results[0].err != nil && results[1].err != nil {
		return nil, false, nil, results[0].err
	}
	var failed error
	nxdomain = true
	for _, res := range results {
		if res.err != nil {
			failed = res.err
			continue
		}
		if !res.a.NXDomain() {
			nxdomain = false
		}
		if len(res.a.CNAMEs) > len(cnames) {
			cnames = res.a.CNAMEs
		}
		for _, rr := range res.a.Records {
			switch v := rr.(type) {
			case *dns.A:
				if ip, ok := netip.AddrFromSlice(v.A.To4()); ok {
					addrs = append(addrs, ip)
				}
			case *dns.AAAA:
				if ip, ok := netip.AddrFromSlice(v.AAAA); ok {
					addrs = append(addrs, ip)
				}
			}
		}
	}
	if failed != nil && len(addrs) == 0 && !nxdomain {
		return nil, false, nil, failed
	}
	return addrs, nxdomain, cnames, nil
}
