package dnscheck

import (
	"context"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// SPF returns dns.spf: the domain publishes exactly one valid SPF record
// (RFC 7208 §4.5), its evaluation stays within 10 DNS-querying terms, 2
// void lookups and 10 MX hosts per mx term (§4.6.4), every include and
// redirect leads to a usable record, every target is a name DNS can be
// asked about, no ptr term is published (§5.5, a warning), and it does
// not let the whole Internet send as the domain ("+all") nor leave the
// verdict open ("?all", or no "all" at all).
func SPF() checks.Check {
	return checks.Check{ID: checks.DNSSPF, Run: runSPF}
}

func runSPF(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.DNSSPF, Status: checks.StatusPass}
	ev, err := spf.Evaluate(ctx, resolver(env), t.Domain)
	r.Facts.Record = ev.Raw
	if err != nil {
		r.Add(resolverFailed(err, map[string]string{"domain": t.Domain}))
		return r
	}
	for _, p := range ev.Problems {
		if f, ok := problemFinding(p); ok {
			r.Add(f)
		}
	}
	if ev.Record == nil {
		for _, p := range ev.Problems {
			if p.Term == "" && len(p.Records) > 0 {
				r.Facts.Record = strings.Join(p.Records, "\n") // the invalid or competing records
			}
		}
		return r
	}
	r.Facts.Lookups = ev.Lookups
	tree := ev.Tree.String()
	count := strconv.Itoa(ev.Lookups)
	if ev.Truncated || ev.Loop() {
		count = ">" + count
	}
	if ev.Lookups > spf.MaxLookups || ev.Loop() {
		r.Add(checks.Finding{Code: checks.SPFTooManyLookups, Severity: checks.SeverityFail,
			Params: map[string]string{"count": count, "limit": strconv.Itoa(spf.MaxLookups), "record": ev.Raw}, Detail: tree})
	}
	// §4.6.4: "Exceeding the limit produces a "permerror" result."
	if ev.VoidLookups > spf.MaxVoidLookups {
		r.Add(checks.Finding{Code: checks.SPFVoidLookups, Severity: checks.SeverityFail,
			Params: map[string]string{"count": strconv.Itoa(ev.VoidLookups), "limit": strconv.Itoa(spf.MaxVoidLookups), "record": ev.Raw}, Detail: tree})
	}
	seenPTR := map[string]bool{}
	for _, p := range ev.PTR {
		if !seenPTR[p.Domain] {
			seenPTR[p.Domain] = true
			r.Add(checks.Finding{Code: checks.SPFPTR, Severity: checks.SeverityWarn,
				Params: map[string]string{"where": p.Domain, "term": p.Term}, Detail: p.Domain + ": " + p.Term})
		}
	}
	if d, found, known := ev.All(); known {
		params := permissiveParams(ev, d, found)
		switch {
		case !found:
			params["all"] = "none"
			r.Add(checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn, Params: params, Detail: ev.Raw})
		case d.Qualifier == spf.QualifierPass:
			params["all"] = "+all"
			r.Add(checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityFail, Params: params, Detail: ev.Raw})
		case d.Qualifier == spf.QualifierNeutral:
			params["all"] = "?all"
			r.Add(checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn, Params: params, Detail: ev.Raw})
		}
	}
	spfPlatform(ctx, &r, env, t.Domain, ev)
	r.Add(checks.Finding{Code: checks.SPFFound, Severity: checks.SeverityInfo,
		Params: map[string]string{"record": ev.Raw, "count": count}, Detail: count + " lookups; " + tree})
	return r
}

// permissiveParams are the parameters of spf.permissive: the record, and
// where the final "all" is to be fixed with the record to publish there.
// When the domain's record ends in a redirect=, the "all" that applies is
// the target's (§6.1): the fix belongs there and the domain's record,
// redirect included, stays as it is.
func permissiveParams(ev *spf.Evaluation, d spf.Directive, found bool) map[string]string {
	params := map[string]string{"record": ev.Raw}
	final := ev.Final()
	if final == nil {
		return params
	}
	params["suggest"] = spf.WithAll(final.Record, spf.QualifierSoftfail)
	if final.Redirected() {
		params["redirect"] = final.Domain
		params["target_record"] = final.Record
	}
	return params
}

// problemFinding maps a record the evaluation could not use to its code.
// A loop is reported with the lookup count, as a receiver would end it.
func problemFinding(p spf.Problem) (checks.Finding, bool) {
	params := map[string]string{"domain": p.Domain}
	if p.Term != "" {
		params["include"] = p.Term
	}
	f := checks.Finding{Severity: checks.SeverityFail, Params: params, Detail: p.Detail}
	switch {
	case p.Kind == spf.ProblemLoop:
		return f, false
	case p.Term == "" && p.Kind == spf.ProblemMissing:
		f.Code = checks.SPFMissing
	case p.Kind == spf.ProblemMissing:
		f.Code = checks.SPFIncludeMissing
		if f.Detail == "" {
			f.Detail = p.Term + ": no v=spf1 record"
		} else {
			f.Detail = p.Term + ": " + f.Detail
		}
	case p.Kind == spf.ProblemMultiple:
		f.Code = checks.SPFMultiple
		params["count"] = strconv.Itoa(len(p.Records))
	case p.Kind == spf.ProblemSyntax:
		f.Code = checks.SPFSyntax
		if len(p.Records) > 0 {
			params["record"] = p.Records[0]
		}
	case p.Kind == spf.ProblemInvalidName, p.Kind == spf.ProblemMXLimit:
		// The term is in p.Domain's record; Detail names it already.
		f.Code = checks.SPFInvalidName
		if p.Kind == spf.ProblemMXLimit {
			f.Code = checks.SPFMXLimit
			params["count"] = strconv.Itoa(p.Count)
			params["limit"] = strconv.Itoa(spf.MaxAddressLookups)
		}
		delete(params, "include")
		params["where"], params["term"], params["name"] = p.Domain, p.Term, p.Name
		return f, true
	default:
		return f, false
	}
	if p.Term != "" && f.Code != checks.SPFIncludeMissing {
		f.Detail = p.Term + ": " + f.Detail
	}
	return f, true
}
