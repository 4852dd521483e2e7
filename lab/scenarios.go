package lab

import (
	"fmt"
	"slices"

	"github.com/pcmhosting/mailsetup/checks"
)

// portMode is how a scenario's server behaves on one standard port.
type portMode int

const (
	serve      portMode = iota // the real protocol with the scenario's certificate
	refuse                     // nothing listens: connecting gets ECONNREFUSED
	silent                     // accepts and never says a word (a tarpit)
	noStartTLS                 // SMTP without the STARTTLS extension
	noAuth                     // SMTP without the AUTH extension
)

// spec is one row of the scenario table: what differs from a healthy
// domain, and what a correct engine reports for it. Zero fields mean
// healthy.
type spec struct {
	name string
	desc string
	cert certKind
	// ports lists the standard ports that are not served normally.
	ports map[int]portMode
	// absent: the domain does not exist, no record and no server at all.
	absent bool
	noMX   bool
	// spf replaces the healthy SPF record; several strings are several
	// TXT records.
	spf []string
	// txt adds TXT records, keyed by owner name relative to the domain.
	txt     map[string][]string
	noDMARC bool
	// dmarc replaces the healthy DMARC record.
	dmarc string
	// expect lists the checks whose expected outcome is not pass.
	expect map[checks.ID]Expectation
}

// Healthy records, RFC 7208 and RFC 7489. %s is the domain.
const (
	healthySPF   = "v=spf1 a mx -all"
	healthyDMARC = "v=DMARC1; p=quarantine; rua=mailto:dmarc@%s"
	dkimSelector = "default"
)

// portFailures is the expectation of a scenario whose client ports all
// fail with the same code: the ports fail and smtp.25 warns (RFC 7435:
// server-to-server TLS is opportunistic). SRV and autoconfig advertise
// the guide's settings, which are right: the servers are what to fix, so
// dns.autoconfig passes.
func portFailures(c checks.Code) map[checks.ID]Expectation {
	return map[checks.ID]Expectation{
		checks.IMAP993: fail(c),
		checks.POP3995: fail(c),
		checks.SMTP465: fail(c),
		checks.SMTP587: fail(c),
		checks.SMTP25:  warn(c),
	}
}

// table is every scenario, in the order Lab.Scenarios gives them.
var table = []spec{
	{
		name: "good",
		desc: "everything right: A, MX, SPF, DKIM, DMARC, SRV, autoconfig; IMAPS, POP3S, SMTPS, submission and MX with STARTTLS, certificates from the lab CA",
	},
	{
		name:   "expired",
		desc:   "the certificate of every TLS port expired yesterday",
		cert:   certExpired,
		expect: portFailures(checks.TLSCertExpired),
	},
	{
		name:   "wrongname",
		desc:   "every TLS port presents a valid certificate for " + wrongCertName + " only",
		cert:   certWrongName,
		expect: portFailures(checks.TLSCertHostnameMismatch),
	},
	{
		name:   "selfsigned",
		desc:   "every TLS port presents a self-signed certificate, not issued by the lab CA",
		cert:   certSelfSigned,
		expect: portFailures(checks.TLSCertUntrusted),
	},
	{
		name: "expiring",
		desc: "the certificate of every TLS port expires in 5 days",
		cert: certExpiring,
		expect: map[checks.ID]Expectation{
			checks.IMAP993: warn(checks.TLSCertExpiringSoon),
			checks.POP3995: warn(checks.TLSCertExpiringSoon),
			checks.SMTP465: warn(checks.TLSCertExpiringSoon),
			checks.SMTP587: warn(checks.TLSCertExpiringSoon),
			checks.SMTP25:  warn(checks.TLSCertExpiringSoon),
		},
	},
	{
		name:   "notyetvalid",
		desc:   "the certificate of every TLS port becomes valid tomorrow",
		cert:   certNotYetValid,
		expect: portFailures(checks.TLSCertNotYetValid),
	},
	{
		name:  "no465",
		desc:  "port 465 refuses connections; submission on 587 with STARTTLS works",
		ports: map[int]portMode{checks.PortSubmissions: refuse},
		expect: map[checks.ID]Expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMismatch),
			checks.SMTP465:       fail(checks.TCPRefused),
		},
	},
	{
		name:  "nostarttls",
		desc:  "submission on 587 does not offer STARTTLS (and so no AUTH either)",
		ports: map[int]portMode{checks.PortSubmission: noStartTLS},
		expect: map[checks.ID]Expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMismatch),
			checks.SMTP587:       fail(checks.SMTPNoStartTLS),
		},
	},
	{
		name:  "noauth",
		desc:  "465 and 587 do not offer AUTH, even over TLS",
		ports: map[int]portMode{checks.PortSubmissions: noAuth, checks.PortSubmission: noAuth},
		expect: map[checks.ID]Expectation{
			checks.SMTP465: fail(checks.SMTPNoAuth),
			checks.SMTP587: fail(checks.SMTPNoAuth),
		},
	},
	{
		name:  "nopop3",
		desc:  "port 995 refuses connections",
		ports: map[int]portMode{checks.PortPOP3S: refuse},
		expect: map[checks.ID]Expectation{
			checks.POP3995: fail(checks.TCPRefused),
		},
	},
	{
		name:  "tarpit",
		desc:  "port 993 accepts connections and never answers the TLS handshake",
		ports: map[int]portMode{checks.PortIMAPS: silent},
		expect: map[checks.ID]Expectation{
			checks.IMAP993: fail(checks.ProtoTimeout),
		},
	},
	{
		name: "nomx",
		desc: "no MX record (the host itself still has its A record)",
		noMX: true,
		expect: map[checks.ID]Expectation{
			checks.DNSMX:  fail(checks.MXMissing),
			checks.SMTP25: skip(),
		},
	},
	{
		name: "twospf",
		desc: "two SPF TXT records at the domain (RFC 7208 §3.2 permerror)",
		spf:  []string{healthySPF, "v=spf1 mx ~all"},
		expect: map[checks.ID]Expectation{
			checks.DNSSPF: fail(checks.SPFMultiple),
		},
	},
	{
		name: "spfchain",
		desc: "SPF needs 12 DNS lookups (a, mx and a chain of 10 includes), over the limit of 10 (RFC 7208 §4.6.4)",
		spf:  []string{spfChainRoot("spfchain")},
		txt:  spfChain("spfchain", 10),
		expect: map[checks.ID]Expectation{
			checks.DNSSPF: fail(checks.SPFTooManyLookups),
		},
	},
	{
		name: "spfall",
		desc: "SPF v=spf1 +all: every host on the Internet may send as the domain",
		spf:  []string{"v=spf1 +all"},
		expect: map[checks.ID]Expectation{
			checks.DNSSPF: fail(checks.SPFPermissive),
		},
	},
	{
		name:    "nodmarc",
		desc:    "no DMARC record at _dmarc",
		noDMARC: true,
		expect: map[checks.ID]Expectation{
			checks.DNSDMARC: warn(checks.DMARCMissing),
		},
	},
	{
		name:  "dmarcnone",
		desc:  "DMARC policy p=none: failing mail is delivered anyway",
		dmarc: "v=DMARC1; p=none; rua=mailto:dmarc@%s",
		expect: map[checks.ID]Expectation{
			checks.DNSDMARC: warn(checks.DMARCPolicyNone),
		},
	},
	{
		name:   "nxdomain",
		desc:   "the domain does not exist (NXDOMAIN): no record, no server",
		absent: true,
		expect: map[checks.ID]Expectation{
			checks.DNSHost:       fail(checks.HostNXDomain),
			checks.DNSMX:         fail(checks.MXMissing),
			checks.DNSSPF:        fail(checks.SPFMissing),
			checks.DNSDKIM:       warn(checks.DKIMMissing),
			checks.DNSDMARC:      warn(checks.DMARCMissing),
			checks.DNSAutoconfig: warn(checks.AutoconfigMissing),
			checks.IMAP993:       skip(),
			checks.POP3995:       skip(),
			checks.SMTP465:       skip(),
			checks.SMTP587:       skip(),
			checks.SMTP25:        skip(),
		},
	},
}

// spfChainRoot is the SPF record of a chain scenario: a and mx (two
// lookups) and an include that starts the chain.
func spfChainRoot(name string) string {
	return fmt.Sprintf("v=spf1 a mx include:s1._spf.%s.%s -all", name, Zone)
}

// spfChain returns n include records s1._spf … sn._spf, each including
// the next, the last one authorising the loopback address: with the
// root's a and mx, n+2 lookups.
func spfChain(name string, n int) map[string][]string {
	txt := make(map[string][]string, n)
	for i := 1; i <= n; i++ {
		rec := fmt.Sprintf("v=spf1 include:s%d._spf.%s.%s -all", i+1, name, Zone)
		if i == n {
			rec = "v=spf1 ip4:127.0.0.1 -all"
		}
		txt[fmt.Sprintf("s%d._spf", i)] = []string{rec}
	}
	return txt
}

func pass() Expectation                 { return Expectation{Status: checks.StatusPass} }
func skip() Expectation                 { return Expectation{Status: checks.StatusSkip} }
func warn(c ...checks.Code) Expectation { return expectation(checks.StatusWarn, c) }
func fail(c ...checks.Code) Expectation { return expectation(checks.StatusFail, c) }
func expectation(s checks.Status, c []checks.Code) Expectation {
	c = slices.Clone(c)
	slices.Sort(c)
	return Expectation{Status: s, Codes: c}
}

// expectations returns the full expectation of a row: every id of
// checks.AllIDs, pass unless the row says otherwise. The map is new.
func (s *spec) expectations() map[checks.ID]Expectation {
	m := make(map[checks.ID]Expectation, len(checks.AllIDs))
	for _, id := range checks.AllIDs {
		e, ok := s.expect[id]
		if !ok {
			e = pass()
		}
		m[id] = Expectation{Status: e.Status, Codes: slices.Clone(e.Codes)}
	}
	return m
}

// mode returns how a row serves a standard port.
func (s *spec) mode(port int) portMode {
	if m, ok := s.ports[port]; ok {
		return m
	}
	return serve
}
