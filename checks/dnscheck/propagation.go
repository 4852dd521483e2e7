package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/propagation"
)

// propagationSteps bounds dns.propagation: the zone's NS (one or two
// questions up the tree), the servers' addresses, then the servers
// themselves, each step under the step timeout; the run's own deadline
// (3 steps and a second) stays later, so the check says itself that it
// could not finish rather than being cut.
const propagationSteps = 3

// Propagation returns dns.propagation: the domain's authoritative name
// servers (at most propagation.MaxServers), asked directly for the SOA
// serial, the MX, the SPF and DMARC TXT records and the mail host's
// addresses, compared with each other (a secondary not updated) and with
// the resolver (an old answer still cached, and for how long). It
// depends on no other check: its questions run beside theirs and the
// run lasts as long as its slowest chain. A server that does not answer
// is reported, never counted as a disagreement; when no server answers,
// or the check runs out of time, it could not tell (status error).
func Propagation() checks.Check {
	return checks.Check{ID: checks.DNSPropagation, Run: runPropagation}
}

func runPropagation(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.DNSPropagation, Status: checks.StatusPass}
	ctx, cancel := context.WithTimeout(ctx, propagationSteps*env.StepTimeout())
	defer cancel()
	rep := propagation.Check(ctx, t.Domain, propagation.Options{
		Resolver:     env.Resolver,
		Timeout:      env.StepTimeout(),
		AllowPrivate: env.AllowPrivate,
		MailHost:     t.Host,
		Ports:        env.Profile.NameServerPorts,
	})
	cut := ctx.Err() != nil
	domain := map[string]string{"domain": t.Domain}
	if rep.Err != nil {
		if errors.Is(rep.Err, propagation.ErrNoZone) && !cut {
			r.Add(checks.Finding{Code: checks.PropagationNoZone, Severity: checks.SeverityInfo, Params: domain, Detail: rep.Err.Error()})
			r.Status = checks.StatusSkip
			return r
		}
		// The resolver could not tell where the zone is: the checker's
		// fault, as for every DNS check.
		r.Add(resolverFailed(rep.Err, domain))
		return r
	}
	answered := 0
	for _, s := range rep.Servers {
		if s.State == propagation.StateOK {
			answered++
		}
	}
	r.Add(checks.Finding{Code: checks.PropagationFound, Severity: checks.SeverityInfo, Params: map[string]string{
		"zone": rep.Zone, "servers": strings.Join(rep.NameServers, ", "), "count": strconv.Itoa(len(rep.NameServers)),
		"serial": serials(rep),
	}, Detail: serverLines(rep)})
	for _, s := range rep.Servers {
		if f, ok := serverFinding(s, cut); ok {
			r.Add(f)
		}
	}
	if answered == 0 || cut {
		reason := "no name server answered"
		if cut {
			reason = fmt.Sprintf("not finished within %s", propagationSteps*env.StepTimeout())
		}
		r.Add(checks.Finding{Code: checks.PropagationUnknown, Severity: checks.SeverityError, Params: domain, Detail: reason})
	}
	if f, ok := disagreement(rep); ok {
		r.Add(f)
	}
	for _, st := range rep.Stale {
		r.Add(staleFinding(rep, st))
	}
	return r
}

// serials lists the distinct serials of the servers that answered,
// freshest first as the report has them.
func serials(rep *propagation.Report) string {
	var out []string
	for _, s := range rep.Servers {
		if s.State == propagation.StateOK {
			v := strconv.FormatUint(uint64(s.Serial), 10)
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return strings.Join(out, ", ")
}

// serverLines is the technical detail: each server asked and what it did.
func serverLines(rep *propagation.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "zone %s; NS %s", rep.Zone, strings.Join(rep.NameServers, " "))
	for _, s := range rep.Servers {
		fmt.Fprintf(&b, "\n%s", s.Name)
		if s.Addr.IsValid() {
			fmt.Fprintf(&b, " (%s)", s.Addr)
		}
		if s.State == propagation.StateOK {
			fmt.Fprintf(&b, ": serial %d", s.Serial)
		} else {
			fmt.Fprintf(&b, ": %s", s.State)
		}
	}
	return b.String()
}

// serverFinding is the finding of a server that did not answer with
// authority. When the check ran out of time, a server without an answer
// says nothing: the check could not tell.
func serverFinding(s propagation.Server, cut bool) (checks.Finding, bool) {
	p := map[string]string{"server": s.Name}
	if s.Addr.IsValid() {
		p["addr"] = s.Addr.String()
	}
	detail := ""
	if s.Err != nil {
		detail = s.Err.Error()
	}
	switch s.State {
	case propagation.StateUnreachable:
		if cut {
			return checks.Finding{}, false
		}
		return checks.Finding{Code: checks.PropagationUnreachable, Severity: checks.SeverityWarn, Params: p, Detail: detail}, true
	case propagation.StateForbidden:
		return checks.Finding{Code: checks.PropagationForbidden, Severity: checks.SeverityWarn, Params: p, Detail: detail}, true
	case propagation.StateLame:
		p["reason"] = "lame"
		return checks.Finding{Code: checks.PropagationLame, Severity: checks.SeverityWarn, Params: p, Detail: detail}, true
	case propagation.StateNoAddress:
		p["reason"] = "no_address"
		return checks.Finding{Code: checks.PropagationLame, Severity: checks.SeverityWarn, Params: p, Detail: detail}, true
	}
	// ok, or unresolved: its address could not be looked up, nothing
	// is known of it.
	return checks.Finding{}, false
}

// disagreement is the finding of servers that answered differently: the
// freshest serial, the servers behind it and the record sets that differ.
func disagreement(rep *propagation.Report) (checks.Finding, bool) {
	if !rep.SerialsDiffer && len(rep.Differences) == 0 {
		return checks.Finding{}, false
	}
	var fresh uint32
	first := true
	for _, s := range rep.Servers {
		if s.State == propagation.StateOK && (first || newerSerial(s.Serial, fresh)) {
			fresh, first = s.Serial, false
		}
	}
	var behind, behindSerials []string
	for _, s := range rep.Servers {
		if s.State == propagation.StateOK && s.Serial != fresh {
			behind = append(behind, s.Name)
			behindSerials = append(behindSerials, strconv.FormatUint(uint64(s.Serial), 10))
		}
	}
	var kinds []string
	var b strings.Builder
	for _, d := range rep.Differences {
		kinds = append(kinds, string(d.Kind))
		for _, v := range d.Variants {
			fmt.Fprintf(&b, "%s on %s (serial %d): %s\n", d.Kind, strings.Join(v.Servers, ", "), v.Serial, valuesText(v.Values))
		}
		if len(behind) == 0 {
			// Same serial, different records: the servers behind are
			// those outside the first variant.
			for _, v := range d.Variants[1:] {
				for _, n := range v.Servers {
					if !slices.Contains(behind, n) {
						behind = append(behind, n)
					}
				}
			}
		}
	}
	p := map[string]string{
		"stale":        strings.Join(behind, ", "),
		"serial":       strconv.FormatUint(uint64(fresh), 10),
		"stale_serial": strings.Join(behindSerials, ", "),
		"kinds":        strings.Join(kinds, ", "),
		"count":        strconv.Itoa(len(behind)),
	}
	return checks.Finding{Code: checks.PropagationDisagree, Severity: checks.SeverityWarn, Params: p, Detail: strings.TrimSuffix(b.String(), "\n")}, true
}

// newerSerial is RFC 1982 serial arithmetic: a is newer than b.
func newerSerial(a, b uint32) bool { return a != b && int32(a-b) > 0 }

// staleChecks are the checks whose verdict rests on each record set: a
// stale answer makes them judge the old one.
var staleChecks = map[propagation.Kind]checks.ID{
	propagation.KindMX:    checks.DNSMX,
	propagation.KindSPF:   checks.DNSSPF,
	propagation.KindDMARC: checks.DNSDMARC,
	propagation.KindA:     checks.DNSHost,
	propagation.KindAAAA:  checks.DNSHost,
}

// staleFinding is the finding of a record set the resolver still answers
// in an older version, with how long it may keep it.
func staleFinding(rep *propagation.Report, st propagation.Stale) checks.Finding {
	p := map[string]string{
		"kind":       string(st.Kind),
		"name":       st.Resolver.Name,
		"check":      string(staleChecks[st.Kind]),
		"minutes":    strconv.Itoa(minutes(within(st))),
		"new_record": valuesText(st.Authoritative.Values),
	}
	detail := fmt.Sprintf("resolver: %s (TTL %d s)\nauthoritative (serial %s): %s",
		valuesText(st.Resolver.Values), st.Resolver.TTL, serials(rep), valuesText(st.Authoritative.Values))
	if len(st.SameAs) > 0 {
		detail += "\nstill served by " + strings.Join(st.SameAs, ", ")
	}
	return checks.Finding{Code: checks.PropagationStale, Severity: checks.SeverityWarn, Params: p, Detail: detail}
}

// within is how long the old answer may stay: the resolver's remaining
// TTL, or when unknown the servers' TTL for the set.
func within(st propagation.Stale) time.Duration {
	if st.Within > 0 {
		return st.Within
	}
	return time.Duration(st.Authoritative.TTL) * time.Second
}

// minutes rounds a cache lifetime up to whole minutes, at least 1.
func minutes(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// valuesText joins a record set for the detail; "none" when empty.
func valuesText(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, " | ")
}
