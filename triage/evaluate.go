package triage

import (
	"slices"

	"github.com/pcmhosting/mailsetup/checks"
)

// Outcome is what the live checks say of a cause.
type Outcome string

// Outcomes.
const (
	// Confirmed: a check found what explains the message ("spf.missing"
	// on dns.spf for a Gmail 5.7.26).
	Confirmed Outcome = "confirmed"
	// RuledOut: every check that could show the cause works, so it is
	// not on the server side (a certificate warning while every TLS
	// check passes: the device's date and time).
	RuledOut Outcome = "ruled_out"
	// Unknown: the checks cannot tell, did not run, or concern another
	// domain; the guide's steps for the cause stand.
	Unknown Outcome = "unknown"
)

// Flag is a fact of the live checks that the answer builds on.
type Flag string

// Flags.
const (
	// FlagUse587: smtp.465 does not work and smtp.587 does — the guide's
	// fallback (section 5.3) is there for the customer.
	FlagUse587 Flag = "use_587"
	// FlagServersOK: every check of the cause ran and works: whatever
	// is wrong is on the customer's side (password, settings, device).
	FlagServersOK Flag = "servers_ok"
	// FlagOtherDomain: the cause concerns the recipient's domain, not the
	// one checked, so the checks say nothing of it.
	FlagOtherDomain Flag = "other_domain"
)

// Evidence is what one check said, as far as a cause is concerned.
type Evidence struct {
	Check  checks.ID
	Status checks.Status
	// Codes are the check's finding codes above info severity.
	Codes []checks.Code
	// Confirms lists those of Codes that confirm the cause.
	Confirms []checks.Code
}

// Verdict is a cause and what the live checks say of it.
type Verdict struct {
	Cause    Cause
	Info     CauseInfo
	Outcome  Outcome
	Evidence []Evidence
	Flags    []Flag
}

// Evaluate marks each cause of r confirmed, ruled out or unknown from a
// report. It uses the checks of the entries that matched (an SMTP error
// only looks at the SMTP ports) and, for a recipient-side cause, only a
// report on the recipient's domain. A nil report leaves every cause
// unknown. The causes' confirming codes are the embedded catalog's.
func Evaluate(r *Result, rep *checks.Report) []Verdict {
	var out []Verdict
	for _, cause := range r.Causes() {
		info, ok := LookupCause(cause)
		if !ok {
			continue
		}
		v := Verdict{Cause: cause, Info: info, Outcome: Unknown}
		if info.Scope == ScopeRecipient && (rep == nil || !r.isRecipient(rep.Target.Domain)) {
			v.Flags = append(v.Flags, FlagOtherDomain)
			out = append(out, v)
			continue
		}
		if rep != nil {
			evaluate(&v, r.checksFor(cause), rep)
		}
		out = append(out, v)
	}
	return out
}

// checksFor returns the checks of the entries that matched for cause.
func (r *Result) checksFor(cause Cause) []checks.ID {
	var ids []checks.ID
	for _, m := range r.Matches {
		if m.Cause != cause {
			continue
		}
		for _, id := range m.Checks {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// isRecipient reports whether domain is a recipient's in the text.
func (r *Result) isRecipient(domain string) bool {
	return domain != "" && slices.ContainsFunc(r.Mentions, func(m Mention) bool {
		return m.Role == RoleRecipient && m.Domain() == registered(domain)
	})
}

func evaluate(v *Verdict, ids []checks.ID, rep *checks.Report) {
	ran, works := 0, 0
	for _, id := range ids {
		res, ok := rep.Result(id)
		if !ok || res.Status == checks.StatusSkip {
			continue
		}
		ran++
		ev := Evidence{Check: id, Status: res.Status}
		for _, f := range res.Findings {
			if f.Severity == checks.SeverityInfo || slices.Contains(ev.Codes, f.Code) {
				continue
			}
			ev.Codes = append(ev.Codes, f.Code)
			if slices.Contains(v.Info.Confirm, f.Code) {
				ev.Confirms = append(ev.Confirms, f.Code)
			}
		}
		// A clean smtp.outgoing never clears our servers: the receiver
		// may use a list the profile does not name, or a listing already
		// lifted; it confirms, it does not rule out.
		if res.Status.Works() && len(ev.Confirms) == 0 && id != checks.SMTPOutgoing {
			works++
		}
		v.Evidence = append(v.Evidence, ev)
	}
	switch {
	case slices.ContainsFunc(v.Evidence, func(e Evidence) bool { return len(e.Confirms) > 0 }):
		v.Outcome = Confirmed
	case ran > 0 && ran == len(ids) && works == ran:
		v.Flags = append(v.Flags, FlagServersOK)
		if v.Info.RuleOut {
			v.Outcome = RuledOut
		}
	}
	if s465, ok := rep.Result(checks.SMTP465); ok && !s465.Status.Works() && s465.Status != checks.StatusSkip && slices.Contains(ids, checks.SMTP465) {
		if s587, ok := rep.Result(checks.SMTP587); ok && s587.Status.Works() {
			v.Flags = append(v.Flags, FlagUse587)
		}
	}
}
