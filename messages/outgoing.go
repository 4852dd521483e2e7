package messages

import (
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/reputation"
)

// OutgoingLine is one line of "/mailsetup status" about an outgoing
// address of the platform: its status and what was seen, in words. Text
// holds untrusted DNS data (a PTR name, a blocklist's reason): the
// renderer escapes it.
type OutgoingLine struct {
	Status checks.Status
	Text   string
}

// Outgoing words what was found of one outgoing address: its reverse DNS
// (fail without a PTR or when no PTR name resolves back to it, as
// receivers such as Gmail require), then its listing on each blocklist
// (fail when listed, with the list's reason). A lookup that got no
// answer is an error, "could not tell": never listed, never clean.
func Outgoing(lang Lang, rev *reputation.Reverse, lists []*reputation.Listing) []OutgoingLine {
	var out []OutgoingLine
	if rev != nil {
		out = append(out, reverseLine(lang, rev))
	}
	for _, l := range lists {
		if l == nil {
			continue
		}
		switch l.Status {
		case reputation.Listed:
			reason := l.Reason
			if reason == "" {
				reason = codesText(l)
			}
			out = append(out, OutgoingLine{checks.StatusFail, Say(lang, PhraseOutgoingListed, "zone", l.Zone, "reason", reason)})
		case reputation.NotListed:
			out = append(out, OutgoingLine{checks.StatusPass, Say(lang, PhraseOutgoingNotListed, "zone", l.Zone)})
		default:
			out = append(out, OutgoingLine{checks.StatusError, Say(lang, PhraseOutgoingListUnknown, "zone", l.Zone)})
		}
	}
	return out
}

func reverseLine(lang Lang, rev *reputation.Reverse) OutgoingLine {
	has, known := rev.HasPTR()
	switch {
	case !known:
		return OutgoingLine{checks.StatusError, Say(lang, PhraseOutgoingPTRUnknown)}
	case !has:
		return OutgoingLine{checks.StatusFail, Say(lang, PhraseOutgoingNoPTR)}
	}
	confirmed, known := rev.FCrDNS()
	switch {
	case !known:
		return OutgoingLine{checks.StatusError, Say(lang, PhraseOutgoingPTRUnknown)}
	case confirmed:
		return OutgoingLine{checks.StatusPass, Say(lang, PhraseOutgoingConfirmed, "name", rev.Confirmed)}
	}
	return OutgoingLine{checks.StatusFail, Say(lang, PhraseOutgoingUnconfirmed, "name", rev.Names[0])}
}

// codesText is a listing's A records, when the list gives no reason.
func codesText(l *reputation.Listing) string {
	var s []string
	for _, c := range l.Codes {
		s = append(s, c.String())
	}
	return strings.Join(s, ", ")
}
