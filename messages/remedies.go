package messages

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/dmarc"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// Remedy is what to do about one cause, in one language.
type Remedy struct {
	Code checks.Code
	// Title names the cause, with the ports it was seen on.
	Title string
	// Message says what it means for the customer.
	Message string
	// Steps are the remedy, in order; a step may end with lines to copy
	// as they are (a DNS record) after a "\n".
	Steps []string
	// HostSide is true for causes only the host can fix (certificates,
	// closed ports, a server that stops answering) seen on one of the
	// platform's own servers (the address dialled is in the profile's
	// ranges): the customer reply says the host is fixing them.
	HostSide bool
	// Elsewhere is true for the same causes seen on a server not known
	// to be the platform's: another provider's, or anyone's without a
	// profile. Whoever runs that server fixes them; Reply is empty.
	Elsewhere bool
	// Party is whose server the cause was seen on, as observed.
	Party checks.Party
	// Owner says who must fix the cause, for renderers to mark the
	// remedy with; empty for causes the customer fixes.
	Owner string
	// Reply is what the customer reply says about a cause the customer
	// cannot fix; empty when the customer has steps to follow.
	Reply string
	// Workarounds are the steps the customer can follow meanwhile
	// (another port or protocol that works); they end Steps too.
	Workarounds []string
	// Severity is the worst severity the cause was seen with.
	Severity checks.Severity
	// Ports are the standard ports the cause was seen on, in report order.
	Ports []int
	// Checks are the checks that reported it.
	Checks []checks.ID
}

// hostSide lists the causes on the server's side: the customer can do
// nothing about them but wait, or use a port that works.
var hostSide = map[checks.Code]bool{
	checks.TCPRefused:              true,
	checks.TCPTimeout:              true,
	checks.TCPUnreachable:          true,
	checks.ProtoTimeout:            true,
	checks.ProtoError:              true,
	checks.TLSHandshakeFailed:      true,
	checks.TLSCertExpired:          true,
	checks.TLSCertNotYetValid:      true,
	checks.TLSCertHostnameMismatch: true,
	checks.TLSCertUntrusted:        true,
	checks.TLSCertExpiringSoon:     true,
	checks.TLSProtocolOld:          true,
	checks.SMTPBadGreeting:         true,
	checks.SMTPNoAuth:              true,
	checks.SMTPNoStartTLS:          true,
	checks.SMTPAuthPlaintext:       true,
	checks.IMAPBadGreeting:         true,
	checks.IMAPNoAuth:              true,
	checks.POP3BadGreeting:         true,
	checks.POP3NoAuth:              true,
	checks.SMTPGreetingSlow:        true,
	// Our outgoing addresses (smtp.outgoing): the platform's own.
	checks.OutgoingNoPTR:          true,
	checks.OutgoingPTRUnconfirmed: true,
	checks.OutgoingListed:         true,
}

// workaround names a step that depends on what else works.
type workaround string

const (
	useSubmission workaround = "smtp587" // 465 fails, 587 works (guide 5.3)
	tryPort587    workaround = "try587"  // the 5.3 tip, when 587 works
	preferIMAP    workaround = "imap"    // POP3 fails, IMAP works (sections 2, 6)
	usePOP3       workaround = "pop3"    // IMAP fails, POP3 works (3.B.1)
	port25Blocked workaround = "port25"  // only port 25 times out
	unknownCode   workaround = "unknown" // a code newer than the catalog
	// staleWait replaces the steps of a DNS cause the resolver saw in a
	// record set the domain's servers already publish otherwise
	// (dns.propagation's propagation.resolver_stale): wait, not fix.
	staleWait workaround = "propagation_wait"
)

// cause gathers the findings of one cause across checks.
type cause struct {
	code     checks.Code
	host     string
	severity checks.Severity
	ports    []int
	ids      []checks.ID
	res      checks.Result
	finding  checks.Finding
	order    int
}

// Remedies returns one remedy per cause found in the report, the worst
// first, then in report order. A code seen on several ports of the same
// host is one cause (an expired certificate is one problem, whatever the
// number of ports). Skipped checks and info findings give no remedy: the
// cause that blocked them has its own. Steps that depend on what else
// was observed are added only when they would work: port 587 with
// STARTTLS when 465 fails and smtp.587 works, IMAP when POP3 fails and
// IMAP works.
func Remedies(rep *checks.Report, lang Lang) []Remedy {
	c := cat(lang)
	var causes []*cause
	index := map[string]*cause{}
	gone := domainMissing(rep)
	for _, res := range rep.Results {
		if res.Status == checks.StatusSkip {
			continue
		}
		if gone && res.ID != checks.DNSHost {
			// One cause: the domain does not exist. No MX, SPF, DKIM,
			// DMARC or autoconfig can be added to a name that is not
			// there, so those remedies would only be noise.
			continue
		}
		for _, f := range res.Findings {
			if f.Code == checks.CheckSkipped || f.Severity.Status() == checks.StatusPass {
				continue
			}
			host := findingHost(rep, res, f)
			key := string(f.Code) + " " + host
			k, ok := index[key]
			if !ok {
				k = &cause{code: f.Code, host: host, severity: f.Severity, res: res, finding: f, order: len(causes)}
				index[key] = k
				causes = append(causes, k)
			}
			if rank(f.Severity) < rank(k.severity) {
				k.severity = f.Severity
			}
			if p := findingPort(res, f); p > 0 && !slices.Contains(k.ports, p) {
				k.ports = append(k.ports, p)
			}
			if !slices.Contains(k.ids, res.ID) {
				k.ids = append(k.ids, res.ID)
			}
		}
	}
	causes = dropCovered(causes)
	slices.SortStableFunc(causes, func(a, b *cause) int {
		if d := rank(a.severity) - rank(b.severity); d != 0 {
			return d
		}
		return a.order - b.order
	})

	stale := staleByCheck(rep)
	out := make([]Remedy, 0, len(causes))
	for _, k := range causes {
		e, ok := c.entry(k.code, variantFor(k.code, k.severity, k.ports))
		if !ok {
			// A code newer than this catalog: say what we can.
			e = Entry{Title: string(k.code), Steps: []string{c.workarounds[unknownCode]}}
		}
		v := findingVars(rep, k.res, k.finding, lang)
		if len(k.ports) > 0 {
			v["ports"] = c.ports(k.ports)
		}
		r := Remedy{
			Code:     k.code,
			Title:    fill(e.Title, v, lang),
			Message:  fill(e.Meaning, v, lang),
			Reply:    fill(e.Reply, v, lang),
			Severity: k.severity,
			Ports:    k.ports,
			Checks:   k.ids,
		}
		attribute(&r, c, hostSide[k.code], findingParty(k.res, k.finding), v, lang)
		if len(k.ports) > 0 {
			r.Title += " (" + portList(c, k.ports) + ")"
		}
		steps := authSteps(rep, k, e.Steps, c, v)
		if f, ok := staleCause(stale, k); ok {
			// The record judged is an old one the resolver still holds:
			// the servers already publish another. Wait, then look again.
			for p, val := range f.Params {
				if val != "" {
					v[p] = val
				}
			}
			steps = []string{c.workarounds[staleWait]}
		}
		for _, s := range steps {
			r.Steps = append(r.Steps, fill(s, v, lang))
		}
		if k.code == checks.TCPTimeout && slices.Equal(k.ports, []int{checks.PortSMTP}) {
			r.Steps = append(r.Steps, c.workarounds[port25Blocked])
		}
		for _, w := range workaroundsFor(rep, k.ids) {
			s := c.workarounds[w]
			r.Steps = append(r.Steps, s)
			r.Workarounds = append(r.Workarounds, s)
		}
		out = append(out, r)
	}
	return out
}

// spfOutgoingHurt are the check_host results for our outgoing addresses
// whose remedy is to add the profile's SPF term.
var spfOutgoingHurt = []checks.Code{checks.SPFOutgoingFail, checks.SPFOutgoingSoftfail, checks.SPFOutgoingNeutral, checks.SPFOutgoingPermerror}

// dropCovered leaves out causes another cause's remedy already covers:
// a missing SPF term, when an outgoing address is hurt by it (that
// remedy adds the term, and says why it matters).
func dropCovered(causes []*cause) []*cause {
	hurt := slices.ContainsFunc(causes, func(k *cause) bool { return slices.Contains(spfOutgoingHurt, k.code) })
	if !hurt {
		return causes
	}
	return slices.DeleteFunc(causes, func(k *cause) bool { return k.code == checks.SPFPlatformMissing })
}

// attribute says who must fix a cause on a server's side, from what was
// observed: the host only when the address dialled is one of the
// platform's; otherwise whoever runs the server of the domain, named as
// another provider when the profile's ranges show it is not ours, and
// never "we are fixing it".
func attribute(r *Remedy, c *catalog, serverSide bool, party checks.Party, v map[string]string, lang Lang) {
	r.Party = party
	if !serverSide {
		return
	}
	if party == checks.PartyOurs {
		r.HostSide = true
		r.Owner = c.words.HostSide
		return
	}
	r.Elsewhere = true
	r.Reply = ""
	r.Owner = fill(c.party.OwnerNeutral, v, lang)
	if party == checks.PartyOther {
		r.Owner = fill(c.party.OwnerOther, v, lang)
	}
}

// findingParty is whose server a finding of a port check was seen on:
// the party of the endpoint probed, or on smtp.25 of the finding's MX
// host.
func findingParty(res checks.Result, f checks.Finding) checks.Party {
	if res.ID == checks.SMTPOutgoing {
		// The addresses the profile names as the platform's own
		// sending addresses: ours, as observed by the profile.
		return checks.PartyOurs
	}
	if ep := res.Facts.Endpoint; ep != nil {
		return ep.Party
	}
	for _, ep := range res.Facts.Endpoints {
		if ep.Host == f.Params["host"] {
			return ep.Party
		}
	}
	return checks.PartyUnknown
}

// workaroundsFor chooses, for a cause seen on these checks, the other
// ports or protocols that the report shows working.
func workaroundsFor(rep *checks.Report, ids []checks.ID) []workaround {
	var out []workaround
	for _, id := range ids {
		if !failsByID(rep, id) {
			continue
		}
		switch id {
		case checks.SMTP465:
			// Guide 5.3: "Essayez de changer le port SMTP en 587 avec
			// STARTTLS si 465 ne fonctionne pas" — only if 587 works.
			if worksByID(rep, checks.SMTP587) {
				out = append(out, useSubmission)
			}
		case checks.POP3995:
			// Sections 2 and 6: IMAP is recommended anyway.
			if worksByID(rep, checks.IMAP993) {
				out = append(out, preferIMAP)
			}
		case checks.IMAP993:
			// Step 3.B.1: POP3, on one device, until IMAP is back.
			if worksByID(rep, checks.POP3995) {
				out = append(out, usePOP3)
			}
		}
	}
	return out
}

// rank orders severities for remedies: fail, then error, then warn.
func rank(s checks.Severity) int {
	switch s {
	case checks.SeverityFail:
		return 0
	case checks.SeverityError:
		return 1
	case checks.SeverityWarn:
		return 2
	}
	return 3
}

// tip names one of the guide's troubleshooting entries (section 5).
type tip string

const (
	tipAuth       tip = "auth"       // 5.1
	tipConnection tip = "connection" // 5.2
	tipSending    tip = "sending"    // 5.3
	tipSlowIMAP   tip = "slow_imap"  // 5.4
)

// Tips returns the guide's troubleshooting steps (section 5) that fit a
// report where the servers work: when nothing fails on the host's side,
// what still goes wrong is on the customer's (username, password, ports,
// firewall, SMTP authentication, slow IMAP). It returns nil when a check
// fails or could not tell, or when no incoming or no outgoing server
// works: that comes first.
func Tips(rep *checks.Report, lang Lang) []Remedy {
	for _, r := range rep.Results {
		if r.Status == checks.StatusFail || r.Status == checks.StatusError {
			return nil
		}
	}
	if !(worksByID(rep, checks.IMAP993) || worksByID(rep, checks.POP3995)) ||
		!(worksByID(rep, checks.SMTP465) || worksByID(rep, checks.SMTP587)) {
		return nil
	}
	c := cat(lang)
	v := baseVars(rep, lang)
	mk := func(t tip, extra ...string) Remedy {
		e := c.tips[t]
		r := Remedy{Title: e.Title}
		for _, s := range e.Steps {
			r.Steps = append(r.Steps, fill(s, v, lang))
		}
		r.Steps = append(r.Steps, extra...)
		return r
	}
	out := []Remedy{mk(tipAuth), mk(tipConnection)}
	var extra []string
	if worksByID(rep, checks.SMTP587) {
		extra = append(extra, c.workarounds[tryPort587])
	}
	out = append(out, mk(tipSending, extra...))
	if worksByID(rep, checks.IMAP993) {
		out = append(out, mk(tipSlowIMAP))
	}
	return out
}

// domainMissing reports whether the domain itself does not exist: the
// mail host is the domain and dns.host found NXDOMAIN.
func domainMissing(rep *checks.Report) bool {
	if rep.Target.Host != rep.Target.Domain {
		return false
	}
	res, ok := rep.Result(checks.DNSHost)
	return ok && res.Has(checks.HostNXDomain)
}

// authStep names the steps of the SPF and DMARC remedies that depend on
// what else the report shows.
type authStep string

const (
	// spfAtRedirect replaces the spf.permissive steps when the "all" to
	// fix is in the record a redirect= hands over to (RFC 7208 §6.1):
	// the domain's record, redirect included, stays as it is.
	spfAtRedirect authStep = "spf_redirect"
	// dmarcEnforce ends the dmarc.policy_none steps when the report
	// shows SPF and DKIM in place: the next policy, only p= changed.
	dmarcEnforce authStep = "dmarc_enforce"
	// dmarcWait ends them when SPF or DKIM is not shown in place: no
	// stricter policy until the domain's own mail passes.
	dmarcWait authStep = "dmarc_wait"
)

// authSteps returns the steps of a cause, the SPF and DMARC ones chosen
// from the whole report, and fills in v the records they suggest: the
// customer's own record with only the term or tag that must change
// changed (checks/spf.WithAll, checks/dmarc.Suggest).
func authSteps(rep *checks.Report, k *cause, steps []string, c *catalog, v map[string]string) []string {
	f := k.finding
	switch k.code {
	case checks.SPFPermissive:
		if s := f.Params["suggest"]; s != "" {
			v["spf_suggest"] = s
		} else if rec := cmp.Or(f.Params["record"], k.res.Facts.Record); rec != "" {
			v["spf_suggest"] = spf.WithAll(rec, spf.QualifierSoftfail)
		}
		if f.Params["redirect"] != "" {
			return c.authSteps[spfAtRedirect]
		}
	case checks.DMARCMissing, checks.DMARCMultiple, checks.DMARCSyntax, checks.DMARCPolicyNone:
		ok := ownMailAuthenticated(rep)
		if v["dmarc_name"] == "" {
			v["dmarc_name"] = "_dmarc." + rep.Target.Domain
		}
		// Never a stricter policy than the customer's while SPF or DKIM
		// is not shown in place: their own mail would go to spam.
		policy := ""
		if !ok || k.code == checks.DMARCMissing {
			policy = "none"
		}
		raw := cmp.Or(f.Params["record"], k.res.Facts.Record)
		if k.code == checks.DMARCMultiple {
			raw = firstValidDMARC(k.res.Facts.Record)
		}
		if k.code == checks.DMARCPolicyNone {
			policy = "quarantine"
		}
		v["dmarc_record"] = dmarc.Suggest(raw, rep.Target.Domain, policy)
		if k.code == checks.DMARCPolicyNone {
			next := dmarcWait
			if ok {
				next = dmarcEnforce
			}
			return append(slices.Clone(steps), c.authSteps[next]...)
		}
	}
	return steps
}

// ownMailAuthenticated reports whether the report shows SPF and DKIM in
// place for the domain's own mail: dns.spf neither failing nor unable to
// tell, and dns.dkim with a usable key (a warning only for its length).
// A DKIM key not found at the usual selectors is not shown in place.
func ownMailAuthenticated(rep *checks.Report) bool {
	spfRes, ok := rep.Result(checks.DNSSPF)
	if !ok || (spfRes.Status != checks.StatusPass && spfRes.Status != checks.StatusWarn) {
		return false
	}
	dk, ok := rep.Result(checks.DNSDKIM)
	if !ok || !dk.Has(checks.DKIMFound) {
		return false
	}
	return dk.Status == checks.StatusPass || dk.Status == checks.StatusWarn && !dk.Has(checks.DKIMRevoked) && !dk.Has(checks.DKIMMissing)
}

// firstValidDMARC returns the first of several DMARC records (one a
// line) that parses, else the first.
func firstValidDMARC(records string) string {
	list := strings.Split(records, "\n")
	for _, r := range list {
		if _, err := dmarc.Parse(r); err == nil {
			return r
		}
	}
	return list[0]
}

// staleByCheck maps each DNS check to the propagation.resolver_stale
// finding of the record set it judged: the resolver's answer is older
// than what the domain's servers publish.
func staleByCheck(rep *checks.Report) map[checks.ID]checks.Finding {
	res, ok := rep.Result(checks.DNSPropagation)
	if !ok {
		return nil
	}
	out := map[checks.ID]checks.Finding{}
	for _, f := range res.Findings {
		if f.Code == checks.PropagationStale && f.Params["check"] != "" {
			out[checks.ID(f.Params["check"])] = f
		}
	}
	return out
}

// staleCause returns the stale finding behind a cause when every check
// that reported it judged a stale record set. A resolver failure is no
// verdict on the record and keeps its own steps.
func staleCause(stale map[checks.ID]checks.Finding, k *cause) (checks.Finding, bool) {
	if len(stale) == 0 || k.code == checks.ResolverFailed || k.code == checks.CheckInternal || len(k.ids) == 0 {
		return checks.Finding{}, false
	}
	var f checks.Finding
	for _, id := range k.ids {
		s, ok := stale[id]
		if !ok {
			return checks.Finding{}, false
		}
		f = s
	}
	return f, true
}
