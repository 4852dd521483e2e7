package dnscheck

// What a provider profile adds to the dns.* checks: the expected MX and
// name servers, the platform's ranges, the SPF term and the outgoing
// addresses check_host is run for, the DKIM keys the platform signs
// with. Each finding says what is observed and what the profile
// expects; without a profile (or without that expectation) none is
// reported, and the checks are the guide's generic ones.

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/platform"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// maxZoneWalk bounds the NS questions spent finding the zone of a domain
// (the domain, then up to two parents: "client.co.uk" is found at most
// at "co.uk", which a profile never expects anyway).
const maxZoneWalk = 3

// hostNotOurs reports a mail host none of whose addresses is in the
// platform's ranges: its servers are someone else's.
func hostNotOurs(r *checks.Result, env *checks.Env, host string, as []netip.Addr) {
	p := env.Profile.Platform
	if !p.HasRanges() {
		return
	}
	for _, a := range as {
		if p.Ours(a) {
			return
		}
	}
	r.Add(checks.Finding{Code: checks.HostNotOurs, Severity: checks.SeverityWarn,
		Params: map[string]string{"host": host, "ip": as[0].String(), "provider": p.Provider},
		Detail: host + ": " + addrList(as) + " is outside the platform's ranges"})
}

// nameServers reports a domain none of whose name servers is one the
// profile expects: its DNS is managed elsewhere, and the customer changes
// records there. A resolver failure says nothing: the other checks
// report it.
func nameServers(ctx context.Context, r *checks.Result, env *checks.Env, domain string) {
	p := env.Profile.Platform
	if len(p.ExpectedNS(domain)) == 0 {
		return
	}
	ns := zoneNS(ctx, resolver(env), domain)
	if len(ns) == 0 {
		return
	}
	for _, n := range ns {
		if ok, _ := p.IsExpectedNS(n, domain); ok {
			return
		}
	}
	r.Add(checks.Finding{Code: checks.NSElsewhere, Severity: checks.SeverityWarn,
		Params: map[string]string{"ns": ns[0], "dns_provider": platform.KnownProvider(ns[0]), "provider": p.Provider,
			"expected_ns": strings.Join(p.ExpectedNS(domain), ", ")},
		Detail: "NS " + strings.Join(ns, ", ") + "; expected " + strings.Join(p.ExpectedNS(domain), ", ")})
}

// zoneNS returns the name servers of the zone domain is in: the NS
// records of the closest name up from it that has some, lower-case
// without the final dot; nil when none was found or the resolver failed.
func zoneNS(ctx context.Context, res lookup.Resolver, domain string) []string {
	name := lookup.Fqdn(domain)
	for range maxZoneWalk {
		a, err := res.Query(ctx, name, dns.TypeNS)
		if err != nil {
			return nil
		}
		var out []string
		for _, rr := range a.Records {
			if n, ok := rr.(*dns.NS); ok {
				out = append(out, strings.TrimSuffix(strings.ToLower(n.Ns), "."))
			}
		}
		if len(out) > 0 {
			return out
		}
		i, end := dns.NextLabel(name, 0)
		if end || name[i:] == "." {
			return nil
		}
		name = name[i:]
	}
	return nil
}

// mxElsewhere reports MX targets none of which the profile expects: the
// domain's mail is handled by another provider, named from the MX host
// when it is a well-known one.
func mxElsewhere(r *checks.Result, env *checks.Env, domain string, targets []*mxTarget) {
	p := env.Profile.Platform
	expected := p.ExpectedMX(domain)
	if len(expected) == 0 || len(targets) == 0 {
		return
	}
	hosts := make([]string, len(targets))
	for i, m := range targets {
		if ok, _ := p.IsExpectedMX(m.host, domain); ok {
			return
		}
		hosts[i] = m.host
	}
	r.Add(checks.Finding{Code: checks.MXElsewhere, Severity: checks.SeverityWarn,
		Params: map[string]string{"mx": targets[0].host, "other": platform.KnownProvider(targets[0].host), "provider": p.Provider,
			"expected_mx": strings.Join(expected, ", ")},
		Detail: "MX " + strings.Join(hosts, ", ") + "; expected " + strings.Join(expected, ", ")})
}

// spfPlatform judges the domain's SPF record against the profile: the
// required term at its top level, then RFC 7208 check_host for each
// outgoing address. A record the static analysis already found broken
// (fail findings) is not evaluated again: every receiver gets permerror,
// and the finding says why.
func spfPlatform(ctx context.Context, r *checks.Result, env *checks.Env, domain string, ev *spf.Evaluation) {
	p := env.Profile.Platform
	if p == nil || ev.Record == nil {
		return
	}
	expected := ""
	if p.SPF != nil {
		expected = p.SPF.String()
		if ok, _ := p.SPFAuthorises(ev.Record); !ok {
			r.Add(checks.Finding{Code: checks.SPFPlatformMissing, Severity: checks.SeverityWarn,
				Params: map[string]string{"expected": expected, "record": ev.Raw, "provider": p.Provider}, Detail: ev.Raw})
		}
	}
	if len(p.Outgoing) == 0 || r.Status == checks.StatusFail {
		return
	}
	results := parallel(len(p.Outgoing), len(p.Outgoing), func(i int) *spf.CheckResult {
		return spf.CheckHost(ctx, resolver(env), p.Outgoing[i], domain, "",
			spf.CheckOptions{Timeout: env.StepTimeout(), Now: env.Now})
	})
	for i, cr := range results {
		r.Add(outgoingFinding(p.Outgoing[i], cr, expected, p.Provider))
	}
}

// outgoingFinding is the finding of check_host's result for one of the
// platform's outgoing addresses.
func outgoingFinding(ip netip.Addr, cr *spf.CheckResult, expected, provider string) checks.Finding {
	params := map[string]string{"ip": ip.String(), "result": string(cr.Result), "provider": provider}
	if expected != "" {
		params["expected"] = expected
	}
	detail := "check_host(" + ip.String() + ", " + cr.Domain + ") = " + string(cr.Result)
	if cr.Matched != nil {
		params["matched"] = cr.Matched.String()
		detail += " (" + cr.Matched.String() + ")"
	}
	if cr.Err != nil {
		detail += ": " + cr.Err.Error()
	}
	f := checks.Finding{Params: params, Detail: detail}
	switch cr.Result {
	case spf.ResultPass:
		f.Code, f.Severity = checks.SPFOutgoingPass, checks.SeverityInfo
	case spf.ResultFail:
		f.Code, f.Severity = checks.SPFOutgoingFail, checks.SeverityFail
	case spf.ResultSoftfail:
		f.Code, f.Severity = checks.SPFOutgoingSoftfail, checks.SeverityWarn
	case spf.ResultPermError:
		f.Code, f.Severity = checks.SPFOutgoingPermerror, checks.SeverityFail
	case spf.ResultTempError:
		f.Code, f.Severity = checks.SPFOutgoingTemperror, checks.SeverityError
	default: // neutral, none
		f.Code, f.Severity = checks.SPFOutgoingNeutral, checks.SeverityWarn
	}
	return f
}

// dkimPlatform judges the keys published at the platform's selectors:
// absent, or different from the key the profile says the platform signs
// with. A selector whose lookup failed says nothing, and when no key is
// found anywhere dkim.missing already says so.
func dkimPlatform(r *checks.Result, env *checks.Env, domain string, results []selectorResult) {
	p := env.Profile.Platform
	if p == nil || !slices.ContainsFunc(results, func(sr selectorResult) bool { return len(sr.records) > 0 }) {
		return
	}
	for _, k := range p.DKIM {
		for _, sr := range results {
			if !strings.EqualFold(sr.selector, k.Selector) || sr.err != nil {
				continue
			}
			params := map[string]string{"selector": sr.selector, "domain": domain, "provider": p.Provider}
			if len(sr.records) == 0 {
				r.Add(checks.Finding{Code: checks.DKIMPlatformMissing, Severity: checks.SeverityWarn, Params: params,
					Detail: "no key at " + sr.selector + "._domainkey." + domain})
				continue
			}
			if match, known := k.Matches(dkimP(sr.records[0])); known && !match {
				r.Add(checks.Finding{Code: checks.DKIMKeyMismatch, Severity: checks.SeverityFail, Params: params,
					Detail: sr.selector + "._domainkey." + domain + ": the published key differs from the profile's"})
			}
		}
	}
}

// dkimP returns the p= tag of a DKIM key record (RFC 6376 §3.6.1).
func dkimP(record string) string {
	for _, tag := range strings.Split(record, ";") {
		k, v, ok := strings.Cut(tag, "=")
		if ok && strings.TrimSpace(k) == "p" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
