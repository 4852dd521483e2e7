package dnscheck

import (
	"context"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/dmarc"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// DMARC returns dns.dmarc: one valid DMARC record at _dmarc.<domain>
// (RFC 7489 §6.1) whose policy asks receivers to act (quarantine or
// reject), not only to report (none). A subdomain without its own record
// is covered by its organizational domain's (§6.6.3), whose sp= applies.
func DMARC() checks.Check {
	return checks.Check{ID: checks.DNSDMARC, Run: runDMARC}
}

func runDMARC(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.DNSDMARC, Status: checks.StatusPass}
	res := resolver(env)
	name := "_dmarc." + t.Domain
	recs, nx, err := dmarcRecords(ctx, res, name)
	if err != nil {
		r.Add(resolverFailed(err, map[string]string{"domain": t.Domain}))
		return r
	}
	inherited := false
	if len(recs) == 0 {
		// §6.6.3: no record at the domain; the organizational domain's
		// applies to it.
		if org, err := publicsuffix.EffectiveTLDPlusOne(t.Domain); err == nil && org != t.Domain {
			orgRecs, _, err := dmarcRecords(ctx, res, "_dmarc."+org)
			if err != nil {
				r.Add(resolverFailed(err, map[string]string{"domain": org}))
				return r
			}
			if len(orgRecs) > 0 {
				recs, name, inherited = orgRecs, "_dmarc."+org, true
			}
		}
	}
	switch len(recs) {
	case 0:
		detail := name + ": no v=DMARC1 record"
		if nx {
			detail = name + ": NXDOMAIN"
		}
		r.Add(checks.Finding{Code: checks.DMARCMissing, Severity: checks.SeverityWarn, Params: map[string]string{"domain": t.Domain, "dmarc_name": name}, Detail: detail})
		return r
	case 1:
	default:
		r.Facts.Record = strings.Join(recs, "\n")
		r.Add(checks.Finding{Code: checks.DMARCMultiple, Severity: checks.SeverityFail,
			Params: map[string]string{"domain": t.Domain, "count": strconv.Itoa(len(recs)), "dmarc_name": name}, Detail: name + ": " + strings.Join(recs, " | ")})
		return r
	}
	raw := recs[0]
	r.Facts.Record = raw
	rec, err := dmarc.Parse(raw)
	if err != nil {
		r.Add(checks.Finding{Code: checks.DMARCSyntax, Severity: checks.SeverityFail,
			Params: map[string]string{"domain": t.Domain, "record": raw, "dmarc_name": name}, Detail: err.Error()})
		return r
	}
	policy := rec.Policy
	if inherited && rec.SubdomainPolicy != "" {
		policy = rec.SubdomainPolicy
	}
	// dmarc_name is where the record that applies lives: the domain's, or
	// its organizational domain's (§6.6.3).
	params := map[string]string{"policy": string(policy), "rua": strings.Join(rec.ReportURIAggregate, ","), "record": raw, "dmarc_name": name}
	if policy == "none" {
		r.Add(checks.Finding{Code: checks.DMARCPolicyNone, Severity: checks.SeverityWarn, Params: params, Detail: name + ": " + raw})
	}
	detail := name + ": " + raw
	if inherited {
		detail += " (organizational domain, RFC 7489 §6.6.3)"
	}
	r.Add(checks.Finding{Code: checks.DMARCFound, Severity: checks.SeverityInfo, Params: params, Detail: detail})
	return r
}

// dmarcRecords returns the TXT records at name that are meant as DMARC.
func dmarcRecords(ctx context.Context, res lookup.Resolver, name string) (recs []string, nxdomain bool, err error) {
	txts, ans, err := lookup.TXT(ctx, res, name)
	if err != nil {
		return nil, false, err
	}
	for _, txt := range txts {
		if dmarc.IsRecord(txt) {
			recs = append(recs, txt)
		}
	}
	return recs, ans.NXDomain(), nil
}
