package dnscheck

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/netguard"
)

// Host returns dns.host: the mail host (the domain itself, as the guide
// says, unless overridden) has A or AAAA records that a client can reach.
// An address in a private, loopback or otherwise special-use range is
// refused unless env.AllowPrivate: a customer's mail server is never
// there, and probing it would let the bot scan the provider's own network.
func Host() checks.Check {
	return checks.Check{ID: checks.DNSHost, Run: runHost}
}

func runHost(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	// The name servers are asked meanwhile: the port checks wait for
	// this one.
	var ns checks.Result
	nsDone := make(chan struct{})
	go func() {
		defer close(nsDone)
		nameServers(ctx, &ns, env, t.Domain)
	}()
	r := judgeHost(ctx, env, t)
	<-nsDone
	if r.Status.Works() {
		for _, f := range ns.Findings {
			r.Add(f)
		}
	}
	return r
}

// judgeHost looks up the mail host's addresses and judges them.
func judgeHost(ctx context.Context, env *checks.Env, t checks.Target) checks.Result {
	r := checks.Result{ID: checks.DNSHost, Status: checks.StatusPass}
	params := map[string]string{"host": t.Host}
	as, nx, cnames, err := addrs(ctx, resolver(env), t.Host)
	switch {
	case err != nil:
		r.Add(resolverFailed(err, params))
		return r
	case nx:
		r.Add(checks.Finding{Code: checks.HostNXDomain, Severity: checks.SeverityFail, Params: params, Detail: chain(t.Host, cnames) + ": NXDOMAIN"})
		return r
	case len(as) == 0:
		r.Add(checks.Finding{Code: checks.HostNoAddress, Severity: checks.SeverityFail, Params: params, Detail: chain(t.Host, cnames) + ": no A or AAAA record"})
		return r
	}
	for _, a := range as {
		r.Facts.Addresses = append(r.Facts.Addresses, a.String())
	}
	detail := chain(t.Host, cnames) + ": " + addrList(as)
	r.Add(checks.Finding{Code: checks.HostFound, Severity: checks.SeverityInfo,
		Params: map[string]string{"host": t.Host, "count": strconv.Itoa(len(as))}, Detail: detail})
	if !env.AllowPrivate && allForbidden(as) {
		r.Add(checks.Finding{Code: checks.HostPrivateAddress, Severity: checks.SeverityFail, Params: params, Detail: detail})
	}
	hostNotOurs(&r, env, t.Host, as)
	return r
}

func allForbidden(as []netip.Addr) bool {
	for _, a := range as {
		if !netguard.Forbidden(a) {
			return false
		}
	}
	return len(as) > 0
}
