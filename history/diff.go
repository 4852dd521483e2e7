package history

import (
	"slices"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/store"
)

// Kind names a change. Kinds are API: the messages catalog is keyed by
// them.
type Kind string

// The kinds of change, in the order Diff lists them.
const (
	// CheckStatus: a check's status changed (Check, From, To).
	CheckStatus Kind = "check_status"
	// CheckCodes: a check kept its status for other reasons (Check,
	// From and To the status, FromValues and ToValues the codes).
	CheckCodes Kind = "check_codes"
	// HostAddresses: the mail host's addresses changed (FromValues,
	// ToValues).
	HostAddresses Kind = "host_addresses_changed"
	// MXChanged: the MX set changed (FromValues, ToValues).
	MXChanged Kind = "mx_changed"
	// SPFChanged, DMARCChanged: the record changed (From, To; empty when
	// absent).
	SPFChanged   Kind = "spf_changed"
	DMARCChanged Kind = "dmarc_changed"
	// PortAnswering, PortSilent: a port (Check, Host, Port) now accepts
	// connections, or no longer does.
	PortAnswering Kind = "port_answering"
	PortSilent    Kind = "port_silent"
	// CertRenewed: a port's certificate was replaced by one valid longer
	// (NotAfter, PrevNotAfter; From and To the fingerprints when known).
	CertRenewed Kind = "cert_renewed"
	// CertChanged: a port's certificate was replaced by one not valid
	// longer (a different, or older, certificate).
	CertChanged Kind = "cert_changed"
)

// Change is one difference between two checks of a domain.
type Change struct {
	Kind  Kind      `json:"kind"`
	Check checks.ID `json:"check,omitempty"`
	Host  string    `json:"host,omitempty"`
	Port  int       `json:"port,omitempty"`
	// From and To are the single values before and after: statuses,
	// records, fingerprints.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// FromValues and ToValues are the sets before and after: addresses,
	// MX hosts, codes (sorted, except codes).
	FromValues []string `json:"from_values,omitempty"`
	ToValues   []string `json:"to_values,omitempty"`
	// NotAfter and PrevNotAfter are the certificates' ends of validity.
	NotAfter     time.Time `json:"not_after,omitzero"`
	PrevNotAfter time.Time `json:"prev_not_after,omitzero"`
	// Previous is the time of the previous check, the one compared with;
	// the change happened between it and the current check.
	Previous time.Time `json:"previous"`
}

// Diff lists what changed from prev to cur, two checks of one domain,
// in a stable order: checks in cur's order, then the addresses, MX, SPF,
// DMARC, then the ports in cur's order. Nothing changed, nil.
//
// Address and MX sets are compared as sets: resolvers rotate the order
// of equal answers. A check or port in only one of the two is not a
// change, nor are the values of a check that could not tell or was
// skipped in either: there is no basis to compare.
func Diff(prev, cur store.Record) []Change {
	var out []Change
	add := func(c Change) {
		c.Previous = prev.At
		out = append(out, c)
	}
	for _, c := range cur.Checks {
		i := slices.IndexFunc(prev.Checks, func(p store.Check) bool { return p.ID == c.ID })
		if i < 0 {
			continue
		}
		p := prev.Checks[i]
		switch {
		case p.Status != c.Status:
			add(Change{Kind: CheckStatus, Check: c.ID, From: string(p.Status), To: string(c.Status)})
		case !slices.Equal(sortedCodes(p.Codes), sortedCodes(c.Codes)):
			add(Change{Kind: CheckCodes, Check: c.ID, From: string(p.Status), To: string(c.Status),
				FromValues: codeStrings(p.Codes), ToValues: codeStrings(c.Codes)})
		}
	}
	seen := func(id checks.ID) bool { return observed(prev, id) && observed(cur, id) }
	if from, to := set(prev.Addresses), set(cur.Addresses); seen(checks.DNSHost) && !slices.Equal(from, to) {
		add(Change{Kind: HostAddresses, FromValues: from, ToValues: to})
	}
	if from, to := set(prev.MX), set(cur.MX); seen(checks.DNSMX) && !slices.Equal(from, to) {
		add(Change{Kind: MXChanged, FromValues: from, ToValues: to})
	}
	if seen(checks.DNSSPF) && prev.SPF != cur.SPF {
		add(Change{Kind: SPFChanged, From: prev.SPF, To: cur.SPF})
	}
	if seen(checks.DNSDMARC) && prev.DMARC != cur.DMARC {
		add(Change{Kind: DMARCChanged, From: prev.DMARC, To: cur.DMARC})
	}
	for _, c := range cur.Ports {
		if !seen(c.Check) {
			continue
		}
		i := slices.IndexFunc(prev.Ports, func(p store.Port) bool {
			return p.Check == c.Check && p.Host == c.Host && p.Port == c.Port
		})
		if i < 0 {
			continue
		}
		for _, ch := range diffPort(prev.Ports[i], c) {
			add(ch)
		}
	}
	return out
}

// observed reports whether check id of r saw something: it passed,
// warned or failed. A check that could not tell (a resolver failure) or
// was skipped observed nothing, and an empty value from it is no change.
func observed(r store.Record, id checks.ID) bool {
	switch status(r, id) {
	case checks.StatusPass, checks.StatusWarn, checks.StatusFail:
		return true
	}
	return false
}

// diffPort compares one port in two checks.
func diffPort(p, c store.Port) []Change {
	at := Change{Check: c.Check, Host: c.Host, Port: c.Port}
	var out []Change
	if p.Answered != c.Answered {
		ch := at
		ch.Kind = PortSilent
		if c.Answered {
			ch.Kind = PortAnswering
		}
		out = append(out, ch)
	}
	// A certificate is compared only when both checks saw it: by
	// fingerprint when both know it, else by end of validity.
	replaced := p.Fingerprint != "" && c.Fingerprint != "" && p.Fingerprint != c.Fingerprint
	if p.Fingerprint == "" || c.Fingerprint == "" {
		replaced = !p.NotAfter.IsZero() && !c.NotAfter.IsZero() && !p.NotAfter.Equal(c.NotAfter)
	}
	if replaced {
		ch := at
		ch.Kind, ch.From, ch.To, ch.NotAfter, ch.PrevNotAfter = CertChanged, p.Fingerprint, c.Fingerprint, c.NotAfter, p.NotAfter
		if c.NotAfter.After(p.NotAfter) {
			ch.Kind = CertRenewed
		}
		out = append(out, ch)
	}
	return out
}

// set returns the values sorted, each once, hosts without a final dot.
func set(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, normHost(v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedCodes(cs []checks.Code) []checks.Code {
	out := slices.Clone(cs)
	slices.Sort(out)
	return out
}

func codeStrings(cs []checks.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
