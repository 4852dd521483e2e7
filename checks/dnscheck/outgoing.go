package dnscheck

import (
	"context"
	"net/netip"
	"strings"
	"sync"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/reputation"
)

// outgoingSteps bounds smtp.outgoing: a PTR question then its names'
// addresses, and beside them a blocklist question then its TXT reason,
// each under the step timeout; the run's deadline (3 steps and a second)
// stays later.
const outgoingSteps = 2

// Outgoing returns smtp.outgoing: for each outgoing address of the
// provider profile (at most platform.MaxOutgoing), its reverse DNS (a
// PTR name that resolves back to it, RFC 8601 §2.7.3 "iprev") and its
// listing on each of the profile's blocklist zones (RFC 5782), asked
// concurrently through the run's resolver. It depends on no other check.
// A lookup that gives no answer is "could not tell" (outgoing.unknown),
// never listed nor clean; the check says so with status error only when
// every lookup failed. Without outgoing addresses in the profile there
// is nothing to look at: pass, with the info outgoing.none.
func Outgoing() checks.Check {
	return checks.Check{ID: checks.SMTPOutgoing, Run: runOutgoing}
}

// outgoingLook is what was found of one outgoing address.
type outgoingLook struct {
	rev   *reputation.Reverse
	lists []*reputation.Listing
}

func runOutgoing(ctx context.Context, env *checks.Env, _ checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.SMTPOutgoing, Status: checks.StatusPass}
	pl := env.Profile.Platform
	if pl == nil || len(pl.Outgoing) == 0 {
		r.Add(checks.Finding{Code: checks.OutgoingNone, Severity: checks.SeverityInfo})
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, outgoingSteps*env.StepTimeout())
	defer cancel()
	rc := &reputation.Checker{Resolver: env.Resolver, Timeout: env.StepTimeout()}
	looks := make([]outgoingLook, len(pl.Outgoing))
	var wg sync.WaitGroup
	for i, ip := range pl.Outgoing {
		wg.Go(func() { looks[i].rev = rc.Reverse(ctx, ip) })
		wg.Go(func() { looks[i].lists = rc.DNSBLs(ctx, ip, pl.DNSBL) })
	}
	wg.Wait()
	var found, unknown []checks.Finding
	lookups := 0
	for i, l := range looks {
		ip := pl.Outgoing[i]
		f, u := reverseFindings(ip, l.rev)
		found, unknown = append(found, f...), append(unknown, u...)
		lookups++
		for _, li := range l.lists {
			lookups++
			p := map[string]string{"ip": ip.String(), "zone": li.Zone}
			switch li.Status {
			case reputation.Listed:
				p["reason"] = li.Reason
				found = append(found, checks.Finding{Code: checks.OutgoingListed, Severity: checks.SeverityFail, Params: p,
					Detail: strings.TrimSuffix(li.Name, ".") + " A " + joinAddrs(li.Codes)})
			case reputation.Unknown:
				p["what"] = li.Zone
				unknown = append(unknown, checks.Finding{Code: checks.OutgoingUnknown, Params: p, Detail: errText(li.Err)})
			}
		}
	}
	sev := checks.SeverityInfo
	if len(unknown) == lookups {
		sev = checks.SeverityError
	}
	for _, f := range found {
		r.Add(f)
	}
	for _, f := range unknown {
		f.Severity = sev
		r.Add(f)
	}
	return r
}

// reverseFindings words the reverse DNS of one outgoing address: a
// finding when it has no PTR or none resolves back, an unknown one when
// that could not be told.
func reverseFindings(ip netip.Addr, rev *reputation.Reverse) (found, unknown []checks.Finding) {
	p := map[string]string{"ip": ip.String()}
	has, known := rev.HasPTR()
	switch {
	case !known:
		p["what"] = "PTR"
		return nil, []checks.Finding{{Code: checks.OutgoingUnknown, Params: p, Detail: errText(rev.Err)}}
	case !has:
		return []checks.Finding{{Code: checks.OutgoingNoPTR, Severity: checks.SeverityWarn, Params: p, Detail: rev.Name + ": no PTR record"}}, nil
	}
	ok, known := rev.FCrDNS()
	switch {
	case !known:
		p["what"] = "PTR"
		return nil, []checks.Finding{{Code: checks.OutgoingUnknown, Params: p,
			Detail: rev.Name + " PTR " + strings.Join(rev.Names, ", ") + ": the address lookup of a name failed"}}
	case !ok:
		p["name"] = rev.Names[0]
		return []checks.Finding{{Code: checks.OutgoingPTRUnconfirmed, Severity: checks.SeverityWarn, Params: p,
			Detail: rev.Name + " PTR " + strings.Join(rev.Names, ", ") + "; none resolves back to " + ip.String()}}, nil
	}
	return nil, nil
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
