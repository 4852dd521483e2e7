// Package dnscheck holds the DNS checks of a mail setup: the mail host's
// addresses (dns.host), the MX records that route incoming mail
// (dns.mx, RFC 5321 §5.1, RFC 7505), and the three records that let
// receivers trust the domain's outgoing mail: SPF (dns.spf, RFC 7208),
// DKIM keys (dns.dkim, RFC 6376) and the DMARC policy (dns.dmarc,
// RFC 7489). The guide asks for MX, SPF and DKIM in its section 6.
//
// Every check asks env.Resolver through checks/lookup, each query bounded
// by env.StepTimeout(). What the DNS says (NXDOMAIN, no data, a bad
// record) is a finding; a resolver that could not answer is
// resolver.failed with status error, never a false "missing".
package dnscheck

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// stepResolver bounds each query by the step timeout, so that a check
// made of several lookups (an SPF include tree) is bounded at each step.
type stepResolver struct {
	r       lookup.Resolver
	timeout time.Duration
}

func (s stepResolver) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.r.Query(ctx, name, qtype)
}

func resolver(env *checks.Env) lookup.Resolver {
	return stepResolver{env.Resolver, env.StepTimeout()}
}

// resolverFailed is the finding of a lookup the resolver could not answer.
func resolverFailed(err error, params map[string]string) checks.Finding {
	return checks.Finding{Code: checks.ResolverFailed, Severity: checks.SeverityError, Params: params, Detail: err.Error()}
}

// addrs resolves name's A and AAAA records at once. Unlike lookup.Addrs,
// a failure of either family is an error when the other found no
// address: "no address" must mean the DNS said so.
func addrs(ctx context.Context, r lookup.Resolver, name string) (out []netip.Addr, nxdomain bool, cnames []string, err error) {
	answers := make([]*lookup.Answer, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		wg.Go(func() { answers[i], errs[i] = r.Query(ctx, name, qt) })
	}
	wg.Wait()
	nxdomain = true
	for i, a := range answers {
		if errs[i] != nil {
			nxdomain = false
			continue
		}
		nxdomain = nxdomain && a.NXDomain()
		if len(a.CNAMEs) > len(cnames) {
			cnames = a.CNAMEs
		}
		out = append(out, lookup.Addresses(a.Records)...)
	}
	if len(out) == 0 {
		for _, e := range errs {
			if e != nil {
				return nil, false, cnames, e
			}
		}
	}
	return out, nxdomain, cnames, nil
}

// parallel runs f for 0..n-1, at most limit at a time, and returns the
// results in order.
func parallel[T any](n, limit int, f func(i int) T) []T {
	out := make([]T, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = f(i)
		})
	}
	wg.Wait()
	return out
}

// chain renders a name and the CNAMEs it leads through: "a.com → b.net".
func chain(name string, cnames []string) string {
	parts := []string{strings.TrimSuffix(name, ".")}
	for _, c := range cnames {
		parts = append(parts, strings.TrimSuffix(c, "."))
	}
	return strings.Join(parts, " → ")
}

func addrList(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
