// Package checks is the mail-setup check engine's vocabulary: the check ids,
// statuses, severities and finding codes of docs/contract.md, the Result of one
// check and the Report of a run, the Target being checked and the Env of
// dependencies every checker receives.
//
// A misconfigured domain is data, not a Go error: a checker reports what it
// saw as Findings, each with a stable Code, a Severity, parameters and a
// technical detail. The package holds no wording for people and knows
// nothing of Slack; the messages package turns codes into the guide's words.
//
// The checks themselves live in sub-packages (dnscheck, mailcheck,
// autoconfig) and are put in order and run by checks/suite.
package checks

import (
	"context"
	"time"
)

// ID names a check. IDs are API: docs/contract.md lists them and they never change.
type ID string

// The checks of docs/contract.md, in report order.
const (
	DNSHost       ID = "dns.host"
	DNSMX         ID = "dns.mx"
	DNSSPF        ID = "dns.spf"
	DNSDKIM       ID = "dns.dkim"
	DNSDMARC      ID = "dns.dmarc"
	DNSAutoconfig ID = "dns.autoconfig"
	// DNSPropagation compares the authoritative servers with each other
	// and with the resolver (checks/propagation).
	DNSPropagation ID = "dns.propagation"
	IMAP993        ID = "imap.993"
	POP3995        ID = "pop3.995"
	SMTP465        ID = "smtp.465"
	SMTP587        ID = "smtp.587"
	SMTP25         ID = "smtp.25"
	// SMTPOutgoing looks at the profile's outgoing addresses: reverse
	// DNS and blocklists (checks/reputation).
	SMTPOutgoing ID = "smtp.outgoing"
)

// AllIDs lists every check id in report order.
var AllIDs = []ID{DNSHost, DNSMX, DNSSPF, DNSDKIM, DNSDMARC, DNSAutoconfig, DNSPropagation, IMAP993, POP3995, SMTP465, SMTP587, SMTP25, SMTPOutgoing}

// Status is the verdict of one check, or of a whole report.
type Status string

// Statuses, from best to worst as far as Worse is concerned.
const (
	StatusPass  Status = "pass"
	StatusSkip  Status = "skip"  // not applicable, or blocked by a check it depends on
	StatusWarn  Status = "warn"  // works, but something should be fixed
	StatusError Status = "error" // the checker itself could not tell (e.g. resolver failure)
	StatusFail  Status = "fail"
)

func (s Status) rank() int {
	switch s {
	case StatusPass:
		return 0
	case StatusSkip:
		return 1
	case StatusWarn:
		return 2
	case StatusError:
		return 3
	case StatusFail:
		return 4
	}
	return 0
}

// Worse returns the worse of two statuses (fail > error > warn > skip > pass).
func Worse(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Works reports whether a check with this status found the thing usable:
// pass or warn. A port whose check works can be given to a customer.
func (s Status) Works() bool { return s == StatusPass || s == StatusWarn }

// Severity is how bad a finding is.
type Severity string

// Severities. Info findings carry observations (a skip reason, what was
// found) and never change a status.
const (
	SeverityInfo  Severity = "info"
	SeverityWarn  Severity = "warn"
	SeverityFail  Severity = "fail"
	SeverityError Severity = "error"
)

// Status returns the check status a finding of this severity implies.
func (s Severity) Status() Status {
	switch s {
	case SeverityWarn:
		return StatusWarn
	case SeverityFail:
		return StatusFail
	case SeverityError:
		return StatusError
	}
	return StatusPass
}

// Finding is one observation of a check: a stable code, its severity,
// parameters the wording is filled with (port, host, selector, count…),
// and a technical detail (an error text, a record) that is shown as is.
type Finding struct {
	Code     Code              `json:"code"`
	Severity Severity          `json:"severity"`
	Params   map[string]string `json:"params,omitempty"`
	Detail   string            `json:"detail,omitempty"`
}

// Result is the outcome of one check.
type Result struct {
	ID       ID            `json:"id"`
	Status   Status        `json:"status"`
	Findings []Finding     `json:"findings"`
	Elapsed  time.Duration `json:"-"`
	// Facts are the machine-readable observations other checks and the
	// renderers build on (addresses, MX hosts, what a port offered).
	Facts Facts `json:"-"`
}

// Add appends a finding and worsens the status accordingly.
func (r *Result) Add(f Finding) {
	r.Findings = append(r.Findings, f)
	r.Status = Worse(r.Status, f.Severity.Status())
}

// Has reports whether the result carries a finding with this code.
func (r *Result) Has(c Code) bool {
	for _, f := range r.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// Facts are what a check observed, kept typed for the checks that depend
// on it and for the renderers (the settings card, the summaries).
type Facts struct {
	// Addresses of the mail host (dns.host).
	Addresses []string `json:"addresses,omitempty"`
	// MXHosts are the MX targets by preference (dns.mx).
	MXHosts []string `json:"mx_hosts,omitempty"`
	// Endpoint is what a port check saw (imap/pop3/smtp checks).
	Endpoint *Endpoint `json:"endpoint,omitempty"`
	// Endpoints are the per-MX endpoints of smtp.25.
	Endpoints []Endpoint `json:"endpoints,omitempty"`
	// Advertised are the client settings automatic configuration
	// announces (dns.autoconfig).
	Advertised []Advertised `json:"advertised,omitempty"`
	// Clients says what each mail app's automatic setup does for the
	// domain (dns.autoconfig), keyed by app: thunderbird, outlook, apple,
	// gmail (values in package checks/autoconfig).
	Clients map[string]string `json:"clients,omitempty"`
	// Record is the DNS record a dns.* check judged (SPF, DMARC, DKIM).
	Record string `json:"record,omitempty"`
	// Lookups is the SPF DNS-lookup count.
	Lookups int `json:"lookups,omitempty"`
}

// Security is how a mail client protects a connection.
type Security string

// Securities as the guide names them.
const (
	SecurityTLS      Security = "SSL/TLS"  // implicit TLS from the first byte
	SecurityStartTLS Security = "STARTTLS" // plain, then upgraded
	SecurityNone     Security = "none"
)

// Endpoint is one mail server port as a probe saw it.
type Endpoint struct {
	Protocol string   `json:"protocol"` // IMAP, POP3, SMTP
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	Addr     string   `json:"addr,omitempty"` // the address actually dialled
	// Party is whose server Addr is, as the provider profile tells.
	Party      Party    `json:"party,omitempty"`
	Greeting   string   `json:"greeting,omitempty"`
	Caps       []string `json:"caps,omitempty"`
	AuthMechs  []string `json:"auth_mechs,omitempty"`
	TLSVersion string   `json:"tls_version,omitempty"`
	// CertSHA256 is the SHA-256 of the server's leaf certificate (DER,
	// lower-case hex) and CertNotAfter its end of validity, when the TLS
	// handshake completed.
	CertSHA256   string    `json:"cert_sha256,omitempty"`
	CertNotAfter time.Time `json:"cert_not_after,omitzero"`
	Works        bool      `json:"works"`
}

// Party says whose server a check talked to: the platform's (its
// ranges hold the address actually dialled), someone else's, or unknown
// (no profile with ranges, or nothing was dialled). Only PartyOurs lets
// the wording say the host is fixing it.
type Party string

// Parties.
const (
	PartyUnknown Party = ""
	PartyOurs    Party = "ours"
	PartyOther   Party = "other"
)

// Advertised is one client setting announced by autoconfig, autodiscover
// or an SRV record.
type Advertised struct {
	Source   string   `json:"source"`   // "srv", "autoconfig", "autodiscover"
	Protocol string   `json:"protocol"` // IMAP, POP3, SMTP
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
}

// Check is one entry of the suite: an id, the checks whose results it may
// wait for, and the function that runs it.
type Check struct {
	ID ID
	// DependsOn lists the checks Run may wait for through Deps; the suite
	// rejects cycles.
	DependsOn []ID
	Run       func(ctx context.Context, env *Env, t Target, deps Deps) Result
}

// Deps lets a running check wait for the result of a check it depends on.
// Waiting only blocks on that one check, so independent checks overlap.
type Deps interface {
	Wait(ctx context.Context, id ID) (Result, error)
}

// Report is the result of one run over a target, results in AllIDs order.
type Report struct {
	Target Target `json:"target"`
	// Provider is the provider profile's name, empty without one.
	Provider string        `json:"provider,omitempty"`
	Status   Status        `json:"status"`
	Results  []Result      `json:"results"`
	Started  time.Time     `json:"started"`
	Elapsed  time.Duration `json:"elapsed"`
}

// Result returns the result of the check with this id, if it ran.
func (r *Report) Result(id ID) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// Overall folds check statuses into the report verdict of docs/contract.md:
// fail when any check fails; error when none fails but one could not
// tell (the checker's fault, never the customer's: a resolver that did
// not answer says nothing about the domain); warn when one warns; pass
// otherwise. Skips do not count.
func Overall(results []Result) Status {
	s := StatusPass
	for _, r := range results {
		switch r.Status {
		case StatusFail:
			return StatusFail
		case StatusError:
			s = StatusError
		case StatusWarn:
			s = Worse(s, StatusWarn)
		}
	}
	return s
}
