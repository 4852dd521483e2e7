package dnscheck

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
)

// maxMX bounds the MX targets looked at: a sender tries them in
// preference order and gives up long before ten.
const maxMX = 10

// MX returns dns.mx: the domain has MX records (RFC 5321 §5.1) whose
// targets resolve to usable addresses. With no MX record the domain
// itself is the implicit MX (§5.1): a warning when it has a usable
// address (smtp.25 then probes it), a failure when it has none. A lone
// "." target is a null MX (RFC 7505): the domain says it accepts no
// mail; a null MX beside other MX records breaks RFC 7505 §3 and fails,
// the other targets still going to smtp.25. A target that is a CNAME
// breaks RFC 5321 §5.1 and RFC 2181 §10.3 and some senders refuse it. A
// target that does not resolve, or only to private or reserved
// addresses, fails the check when no other target works, and only warns
// when another target takes the mail.
func MX() checks.Check {
	return checks.Check{ID: checks.DNSMX, Run: runMX}
}

type mxTarget struct {
	pref   uint16
	host   string
	addrs  []netip.Addr
	usable []netip.Addr // addrs the checks may dial
	nx     bool
	cnames []string
	err    error
}

func runMX(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.DNSMX, Status: checks.StatusPass}
	res := resolver(env)
	domain := map[string]string{"domain": t.Domain}
	mxs, ans, err := lookup.MX(ctx, res, t.Domain)
	switch {
	case err != nil:
		r.Add(resolverFailed(err, domain))
		return r
	case ans.NXDomain():
		r.Add(checks.Finding{Code: checks.MXMissing, Severity: checks.SeverityFail, Params: domain, Detail: "NXDOMAIN"})
		return r
	case len(mxs) == 0:
		implicitMX(ctx, env, res, &r, t.Domain)
		return r
	}

	targets, skipped, nulls := mxTargets(mxs)
	switch {
	case len(targets) == 0: // one or several null MX records
		r.Add(checks.Finding{Code: checks.MXNull, Severity: checks.SeverityFail, Params: domain, Detail: "MX " + strconv.Itoa(int(mxs[0].Preference)) + " ."})
		return r
	case nulls > 0:
		// RFC 7505 §3: a domain that advertises a null MX must not
		// advertise any other MX. Senders then disagree: some deliver to
		// the other hosts, others take the domain at its word. smtp.25
		// still says whether the other hosts accept mail.
		r.Add(checks.Finding{Code: checks.MXNullMixed, Severity: checks.SeverityFail, Params: domain,
			Detail: "MX . beside " + strconv.Itoa(len(targets)+skipped) + " other MX record(s)"})
	}
	resolveTargets(ctx, env, res, targets)
	judgeTargets(&r, targets)
	mxElsewhere(&r, env, t.Domain, targets)
	r.Add(checks.Finding{Code: checks.MXFound, Severity: checks.SeverityInfo,
		Params: map[string]string{"count": strconv.Itoa(len(targets))}, Detail: mxSummary(targets, skipped)})
	return r
}

// mxTargets returns the targets of the MX records a sender would try, in
// its order (preference, then name), each once, at most maxMX of them,
// how many more there were, and how many null MX records ("." targets)
// were left out.
func mxTargets(mxs []*dns.MX) (targets []*mxTarget, skipped, nulls int) {
	for _, m := range mxs {
		if m.Mx == "." {
			nulls++
			continue
		}
		targets = append(targets, &mxTarget{pref: m.Preference, host: strings.TrimSuffix(strings.ToLower(m.Mx), ".")})
	}
	slices.SortStableFunc(targets, func(a, b *mxTarget) int {
		if a.pref != b.pref {
			return int(a.pref) - int(b.pref)
		}
		return strings.Compare(a.host, b.host)
	})
	targets = slices.CompactFunc(targets, func(a, b *mxTarget) bool { return a.host == b.host })
	if len(targets) > maxMX {
		skipped = len(targets) - maxMX
		targets = targets[:maxMX]
	}
	return targets, skipped, nulls
}

// implicitMX judges a domain that publishes no MX record. RFC 5321 §5.1
// makes the domain itself the implicit MX: senders deliver to its A or
// AAAA addresses. With a usable address, mail can still arrive (smtp.25
// probes the domain on port 25 and says whether it does) and the missing
// MX is a warning; without one, nothing can receive the mail.
func implicitMX(ctx context.Context, env *checks.Env, res lookup.Resolver, r *checks.Result, domain string) {
	params := map[string]string{"domain": domain}
	m := &mxTarget{host: domain}
	resolveTargets(ctx, env, res, []*mxTarget{m})
	switch {
	case m.err != nil:
		r.Add(resolverFailed(m.err, params))
	case len(m.usable) > 0:
		r.Facts.MXHosts = []string{domain}
		r.Add(checks.Finding{Code: checks.MXMissing, Severity: checks.SeverityWarn, Params: params,
			Detail: "no MX record; senders fall back to " + chain(domain, m.cnames) + " (" + addrList(m.usable) + ")"})
	default:
		detail := "no MX record, and " + domain + " has no A or AAAA record"
		if len(m.addrs) > 0 {
			detail = "no MX record, and " + domain + " has only private or reserved addresses (" + strconv.Itoa(len(m.addrs)) + ")"
		}
		r.Add(checks.Finding{Code: checks.MXMissing, Severity: checks.SeverityFail, Params: params, Detail: detail})
	}
}

// resolveTargets looks up the addresses of every target at once, and
// keeps those the checks may dial as usable.
func resolveTargets(ctx context.Context, env *checks.Env, res lookup.Resolver, targets []*mxTarget) {
	parallel(len(targets), maxMX, func(i int) struct{} {
		m := targets[i]
		m.addrs, m.nx, m.cnames, m.err = addrs(ctx, res, m.host)
		for _, a := range m.addrs {
			if deliverable(a) && (env.AllowPrivate || !netguard.Forbidden(a)) {
				m.usable = append(m.usable, a)
			}
		}
		return struct{}{}
	})
}

// deliverable reports whether a sender could ever connect to a: not the
// unspecified address, a multicast group or the IPv4 broadcast address,
// which name no server even where private addresses are allowed.
func deliverable(a netip.Addr) bool {
	a = a.Unmap()
	return !a.IsUnspecified() && !a.IsMulticast() && a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// judgeTargets records the usable targets in r's facts and adds the
// findings about the targets: CNAMEs, targets without a usable address,
// and a resolver failure when it leaves the check unable to tell.
func judgeTargets(r *checks.Result, targets []*mxTarget) {
	var failed []*mxTarget
	for _, m := range targets {
		if len(m.usable) > 0 {
			r.Facts.MXHosts = append(r.Facts.MXHosts, m.host)
		}
		if m.err != nil {
			failed = append(failed, m)
		}
	}
	for _, m := range targets {
		if len(m.cnames) > 0 {
			r.Add(checks.Finding{Code: checks.MXCNAME, Severity: checks.SeverityWarn,
				Params: map[string]string{"host": m.host}, Detail: chain(m.host, m.cnames)})
		}
	}
	// Unresolvable targets fail the check when none resolves and the
	// resolver answered for all of them; otherwise they only warn.
	sev := checks.SeverityWarn
	if len(r.Facts.MXHosts) == 0 && len(failed) == 0 {
		sev = checks.SeverityFail
	}
	for _, m := range targets {
		if m.err != nil || len(m.usable) > 0 {
			continue
		}
		if len(m.addrs) > 0 {
			// Say what was found, without the addresses: a private
			// address is not for a Slack channel.
			n := strconv.Itoa(len(m.addrs))
			r.Add(checks.Finding{Code: checks.MXPrivateAddress, Severity: sev,
				Params: map[string]string{"host": m.host, "count": n},
				Detail: chain(m.host, m.cnames) + ": " + n + " private or reserved address(es), no public one"})
			continue
		}
		detail := "no A or AAAA record"
		if m.nx {
			detail = "NXDOMAIN"
		}
		r.Add(checks.Finding{Code: checks.MXUnresolvable, Severity: sev,
			Params: map[string]string{"host": m.host}, Detail: chain(m.host, m.cnames) + ": " + detail})
	}
	// A target the resolver could not answer for matters only when no
	// other target works: then the check cannot tell.
	if len(r.Facts.MXHosts) == 0 && len(failed) > 0 {
		r.Add(resolverFailed(failed[0].err, map[string]string{"host": failed[0].host}))
	}
}

// mxSummary is the detail of mx.found: each target checked with its
// addresses, and how many were not.
func mxSummary(targets []*mxTarget, skipped int) string {
	lines := make([]string, 0, len(targets)+1)
	for _, m := range targets {
		s := strconv.Itoa(int(m.pref)) + " " + m.host
		switch {
		case m.err != nil:
			s += " (lookup failed)"
		case len(m.addrs) > 0:
			s += " (" + addrList(m.addrs) + ")"
		default:
			s += " (no address)"
		}
		lines = append(lines, s)
	}
	if skipped > 0 {
		lines = append(lines, strconv.Itoa(skipped)+" more not checked")
	}
	return strings.Join(lines, "; ")
}
