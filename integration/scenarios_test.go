package integration

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// Zone is the zone Knot serves: ".test" is reserved for testing
// (RFC 6761 §6.2), so no name in it can ever be a real one.
const Zone = "realtest.test"

// authMode is when a mail set's Exim advertises AUTH on 465 and 587.
type authMode int

const (
	authAfterTLS authMode = iota // cPanel's default: only over TLS
	authNever                    // no authenticator advertised at all
	authAlways                   // also in clear text on 587, before STARTTLS
)

// mailSet is one Exim instance and its Dovecot: the mail servers of one
// or more scenario domains.
type mailSet struct {
	name string
	// cert is the certificate served when no SNI entry matches.
	cert certKind
	// sni: the servers pick the certificate by the name the client sends
	// (SNI, RFC 6066 §3), as cPanel serves each domain its own; the
	// names come from the scenarios' sni fields, cert is the server's
	// own.
	sni bool
	// no465: Exim does not listen on the implicit-TLS port.
	no465 bool
	// plain465: Exim listens on 465 but speaks plain SMTP there (465
	// left out of tls_on_connect_ports, a classic slip).
	plain465 bool
	// noStartTLS587: Exim does not advertise STARTTLS on 587.
	noStartTLS587 bool
	auth          authMode
	// oldTLS: Exim offers TLS 1.0 and 1.1 only.
	oldTLS bool
	// keyUnreadable: the key file is root's alone, and Exim reads it as
	// Debian-exim, as after a certificate installed by hand.
	keyUnreadable bool
}

// dovecot names the Dovecot instance serving a mail set: one per
// default certificate, and one of its own for a set that serves by SNI.
func (m mailSet) dovecot() string {
	if m.sni {
		return m.name
	}
	return string(m.cert)
}

// mailSets are every Exim configuration the scenarios use.
var mailSets = []mailSet{
	{name: "good", cert: certGood},
	{name: "expired", cert: certExpired},
	{name: "wrongname", cert: certWrongName},
	{name: "selfsigned", cert: certSelfSigned},
	{name: "sni", cert: certWrongName, sni: true},
	{name: "no465", cert: certGood, no465: true},
	{name: "plain465", cert: certGood, plain465: true},
	{name: "nostarttls", cert: certGood, noStartTLS587: true},
	{name: "noauth", cert: certGood, auth: authNever},
	{name: "authplain", cert: certGood, auth: authAlways},
	{name: "oldtls", cert: certGood, oldTLS: true},
	{name: "badkey", cert: certGood, keyUnreadable: true},
}

// spec is one scenario: a domain of the zone, the mail set serving it,
// the records that differ from a healthy domain's, and what a correct
// engine reports. Zero fields mean healthy.
type spec struct {
	name string // the domain is name + "." + Zone
	desc string
	mail string // the mail set; "" is the domain's own name if a set has it, else "good"
	// absent: the name does not exist in the zone (NXDOMAIN from Knot).
	absent bool
	// records replaces the healthy records of a kind (kindMX, kindSPF,
	// kindDKIM, kindDMARC, kindSRV, kindExtra): nil keeps them, an empty
	// slice removes them. Each is "owner TYPE rdata", owner relative to
	// the domain ("@" is the domain itself).
	records map[string][]string
	// certNames are the names the certificate of the mail set must also
	// carry (an MX target other than mx.<domain>).
	certNames []string
	// sni lists, for a mail set serving by SNI, the certificate of each
	// name, relative to the domain ("@" is the domain itself).
	sni map[string]certKind
	// expect lists the checks whose expected outcome is not pass.
	expect map[checks.ID]expectation
}

// Kinds of records of a healthy domain.
const (
	kindMX    = "mx"
	kindSPF   = "spf"
	kindDKIM  = "dkim"
	kindDMARC = "dmarc"
	kindSRV   = "srv"
	kindExtra = "extra" // nothing by default
)

// portFailures is the outcome of a mail set whose client ports all fail
// the same way: the ports fail and smtp.25 warns (RFC 7435: TLS between
// servers is opportunistic). SRV records name the guide's settings,
// which are right: the server is what to fix, so dns.autoconfig passes.
func portFailures(c checks.Code) map[checks.ID]expectation {
	return map[checks.ID]expectation{
		checks.IMAP993: fail(c),
		checks.POP3995: fail(c),
		checks.SMTP465: fail(c),
		checks.SMTP587: fail(c),
		checks.SMTP25:  warn(c),
	}
}

// table is every scenario.
var table = []spec{
	// The mail side, each on servers of its own.
	{
		name: "good",
		desc: "everything right: A, MX, SPF, DKIM, DMARC, SRV; Dovecot on 993/995, Exim on 465, 587 (STARTTLS, AUTH after TLS) and 25 (STARTTLS), certificates from the test CA",
	},
	{
		name:   "expired",
		desc:   "Dovecot and Exim present a certificate that expired yesterday",
		expect: portFailures(checks.TLSCertExpired),
	},
	{
		name:   "wrongname",
		desc:   "Dovecot and Exim present a valid certificate for " + wrongCertName + " only",
		expect: portFailures(checks.TLSCertHostnameMismatch),
	},
	{
		name:   "selfsigned",
		desc:   "Dovecot and Exim present a self-signed certificate for the right names",
		expect: portFailures(checks.TLSCertUntrusted),
	},
	{
		name: "sni",
		desc: "Dovecot and Exim serve the server's own certificate (" + wrongCertName + ") by default and the domain's by SNI, as cPanel does",
		sni:  map[string]certKind{"@": certGood, "mx": certGood},
	},
	{
		name:    "twomx",
		mail:    "sni",
		desc:    "two MX hosts on SNI-serving Exim: mx is fine, mx2's certificate expired yesterday",
		records: map[string][]string{kindMX: {"@ MX 10 mx", "mx A 127.0.0.1", "@ MX 20 mx2", "mx2 A 127.0.0.1"}},
		sni:     map[string]certKind{"@": certGood, "mx": certGood, "mx2": certExpired},
		expect: map[checks.ID]expectation{
			checks.SMTP25: warn(checks.TLSCertExpired),
		},
	},
	{
		name: "oldtls",
		desc: "Exim offers TLS 1.0 and 1.1 only (tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1)",
		expect: map[checks.ID]expectation{
			checks.SMTP465: fail(checks.TLSProtocolOld),
			checks.SMTP587: fail(checks.TLSProtocolOld),
			checks.SMTP25:  warn(checks.TLSProtocolOld),
		},
	},
	{
		name: "badkey",
		desc: "Exim cannot read its private key: 465 breaks the handshake, 587 and 25 advertise STARTTLS and answer it 454",
		expect: map[checks.ID]expectation{
			checks.SMTP465: fail(checks.TLSHandshakeFailed),
			checks.SMTP587: fail(checks.SMTPNoStartTLS),
			checks.SMTP25:  warn(checks.SMTPNoStartTLS),
		},
	},
	{
		name: "no465",
		desc: "Exim does not listen on 465; 587 with STARTTLS works",
		expect: map[checks.ID]expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMismatch), // SRV _submissions names the dead 465
			checks.SMTP465:       fail(checks.TCPRefused),
		},
	},
	{
		name: "plain465",
		desc: "Exim listens on 465 but answers in clear text there (465 missing from tls_on_connect_ports); 587 works",
		expect: map[checks.ID]expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMismatch), // SRV _submissions names the broken 465
			checks.SMTP465:       fail(checks.TLSHandshakeFailed),
		},
	},
	{
		name: "nostarttls",
		desc: "Exim does not advertise STARTTLS on 587, hence no AUTH there either",
		expect: map[checks.ID]expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMismatch), // SRV _submission names the broken 587
			checks.SMTP587:       fail(checks.SMTPNoStartTLS),
		},
	},
	{
		name: "noauth",
		desc: "Exim advertises no AUTH on 465 nor 587, even over TLS",
		expect: map[checks.ID]expectation{
			checks.SMTP465: fail(checks.SMTPNoAuth),
			checks.SMTP587: fail(checks.SMTPNoAuth),
		},
	},
	{
		name: "authplain",
		desc: "Exim advertises AUTH on 587 before STARTTLS (auth_advertise_hosts = *)",
		expect: map[checks.ID]expectation{
			checks.SMTP587: warn(checks.SMTPAuthPlaintext),
		},
	},

	// The DNS side: records of Knot's zone, mail on the good servers.
	{
		name:   "nxdomain",
		desc:   "the name does not exist in the zone: Knot answers NXDOMAIN",
		absent: true,
		expect: map[checks.ID]expectation{
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
	{
		name:    "nomx",
		desc:    "no MX record",
		records: map[string][]string{kindMX: {}},
		expect: map[checks.ID]expectation{
			checks.DNSMX:  fail(checks.MXMissing),
			checks.SMTP25: skip(),
		},
	},
	{
		name:    "nullmx",
		desc:    "a null MX, MX 0 . (RFC 7505): the domain takes no mail",
		records: map[string][]string{kindMX: {"@ MX 0 ."}},
		expect: map[checks.ID]expectation{
			checks.DNSMX:  fail(checks.MXNull),
			checks.SMTP25: skip(),
		},
	},
	{
		name:    "mxdangling",
		desc:    "the only MX target has no address record",
		records: map[string][]string{kindMX: {"@ MX 10 mx"}},
		expect: map[checks.ID]expectation{
			checks.DNSMX:  fail(checks.MXUnresolvable),
			checks.SMTP25: skip(),
		},
	},
	{
		name:      "mxcname",
		desc:      "the MX target is a CNAME to the mail server (RFC 2181 §10.3)",
		records:   map[string][]string{kindMX: {"@ MX 10 mail", "mail CNAME mx", "mx A 127.0.0.1"}},
		certNames: []string{"mail.mxcname." + Zone},
		expect: map[checks.ID]expectation{
			checks.DNSMX: warn(checks.MXCNAME),
		},
	},
	{
		name: "bigtxt",
		desc: "the SPF record among eight 250-octet verification TXT records: the answer exceeds 1232 octets, Knot truncates it over UDP and the engine asks again over TCP (RFC 7766)",
		records: map[string][]string{
			kindExtra: bigTXT(8),
		},
	},
	{
		name:    "nospf",
		desc:    "no SPF record",
		records: map[string][]string{kindSPF: {}},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFMissing),
		},
	},
	{
		name:    "twospf",
		desc:    "two SPF records (RFC 7208 §3.2 permerror)",
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx -all"`, `@ TXT "v=spf1 mx ~all"`}},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFMultiple),
		},
	},
	{
		name:    "spfsyntax",
		desc:    "an SPF record with a malformed address, ip4:192.0.2.300",
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx ip4:192.0.2.300 -all"`}},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFSyntax),
		},
	},
	{
		name:    "spfall",
		desc:    "SPF +all: anyone may send as the domain",
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx +all"`}},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFPermissive),
		},
	},
	{
		name:    "spfneutral",
		desc:    "SPF ending in ?all: says nothing about strangers",
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx ?all"`}},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: warn(checks.SPFPermissive),
		},
	},
	{
		name: "spflookups",
		desc: "SPF needs 12 DNS lookups (a, mx and 10 chained includes), over the limit of 10 (RFC 7208 §4.6.4)",
		records: map[string][]string{
			kindSPF:   {`@ TXT "v=spf1 a mx include:s1._spf.spflookups.` + Zone + ` -all"`},
			kindExtra: spfChain("spflookups", 10),
		},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFTooManyLookups),
		},
	},
	{
		name: "spfinclude",
		desc: "SPF includes a name that has no SPF record (RFC 7208 §5.2 permerror)",
		records: map[string][]string{
			kindSPF:   {`@ TXT "v=spf1 a mx include:relay.spfinclude.` + Zone + ` -all"`},
			kindExtra: {"relay A 127.0.0.1"},
		},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: fail(checks.SPFIncludeMissing),
		},
	},
	{
		name: "spfvoid",
		desc: "SPF names three hosts that do not exist: more than 2 void lookups (RFC 7208 §4.6.4)",
		records: map[string][]string{
			kindSPF: {`@ TXT "v=spf1 a mx a:gone1.spfvoid.` + Zone + ` a:gone2.spfvoid.` + Zone + ` a:gone3.spfvoid.` + Zone + ` -all"`},
		},
		expect: map[checks.ID]expectation{
			checks.DNSSPF: warn(checks.SPFVoidLookups),
		},
	},
	{
		name:    "nodkim",
		desc:    "no DKIM key at any common selector",
		records: map[string][]string{kindDKIM: {}},
		expect: map[checks.ID]expectation{
			checks.DNSDKIM: warn(checks.DKIMMissing),
		},
	},
	{
		name:    "dkimweak",
		desc:    "the DKIM key is RSA 1024 (RFC 8301 §3.2 asks for 2048)",
		records: map[string][]string{kindDKIM: {"default._domainkey TXT " + weakDKIMToken}},
		expect: map[checks.ID]expectation{
			checks.DNSDKIM: warn(checks.DKIMWeakKey),
		},
	},
	{
		name:    "nodmarc",
		desc:    "no DMARC record at _dmarc",
		records: map[string][]string{kindDMARC: {}},
		expect: map[checks.ID]expectation{
			checks.DNSDMARC: warn(checks.DMARCMissing),
		},
	},
	{
		name:    "dmarcnone",
		desc:    "DMARC p=none: failing mail is delivered anyway",
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@dmarcnone.` + Zone + `"`}},
		expect: map[checks.ID]expectation{
			checks.DNSDMARC: warn(checks.DMARCPolicyNone),
		},
	},
	{
		name:    "dmarcsyntax",
		desc:    "DMARC with an unknown policy, p=reject-all",
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=reject-all"`}},
		expect: map[checks.ID]expectation{
			checks.DNSDMARC: fail(checks.DMARCSyntax),
		},
	},
	{
		name:    "twodmarc",
		desc:    "two DMARC records at _dmarc (RFC 7489 §6.6.3: no policy applies)",
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=reject"`, `_dmarc TXT "v=DMARC1; p=none"`}},
		expect: map[checks.ID]expectation{
			checks.DNSDMARC: fail(checks.DMARCMultiple),
		},
	},
	{
		name:    "nosrv",
		desc:    "no SRV record, no autoconfig and no autodiscover: clients must be told the settings",
		records: map[string][]string{kindSRV: {}},
		expect: map[checks.ID]expectation{
			checks.DNSAutoconfig: warn(checks.AutoconfigMissing),
		},
	},
}

// spfChain returns n records s1._spf … sn._spf of domain name, each
// including the next, the last authorising the loopback address.
func spfChain(name string, n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		rec := fmt.Sprintf("v=spf1 include:s%d._spf.%s.%s -all", i+1, name, Zone)
		if i == n {
			rec = "v=spf1 ip4:127.0.0.1 -all"
		}
		out = append(out, fmt.Sprintf("s%d._spf TXT %s", i, quoteTXT(rec)))
	}
	return out
}

// bigTXT returns n TXT records at the domain like the site-verification
// tokens that pile up there, 250 octets each.
func bigTXT(n int) []string {
	var out []string
	for i := range n {
		token := fmt.Sprintf("site-verification-%d=", i)
		out = append(out, "@ TXT "+quoteTXT(token+strings.Repeat(string(rune('a'+i)), 250-len(token))))
	}
	return out
}

// weakDKIMToken stands in the table for the 1024-bit DKIM key record
// made at each run; zoneFile replaces it.
const weakDKIMToken = "$WEAK_DKIM"

// mailSetOf returns the mail set serving a scenario.
func (s *spec) mailSetOf() mailSet {
	name := s.mail
	if name == "" {
		name = s.name
	}
	for _, m := range mailSets {
		if m.name == name {
			return m
		}
	}
	return mailSets[0]
}

// domain returns the scenario's domain.
func (s *spec) domain() string { return s.name + "." + Zone }

// expectation is the outcome a correct engine reports for one check.
type expectation struct {
	Status checks.Status
	// Codes are the non-info finding codes, sorted.
	Codes []checks.Code
}

// expectations returns the full expectation of a scenario: every id of
// checks.AllIDs, pass unless the table says otherwise.
func (s *spec) expectations() map[checks.ID]expectation {
	m := make(map[checks.ID]expectation, len(checks.AllIDs))
	for _, id := range checks.AllIDs {
		e, ok := s.expect[id]
		if !ok {
			e = expectation{Status: checks.StatusPass}
		}
		m[id] = e
	}
	return m
}

func skip() expectation                 { return expectation{Status: checks.StatusSkip} }
func warn(c ...checks.Code) expectation { return newExpectation(checks.StatusWarn, c) }
func fail(c ...checks.Code) expectation { return newExpectation(checks.StatusFail, c) }
func newExpectation(s checks.Status, c []checks.Code) expectation {
	c = slices.Clone(c)
	slices.Sort(c)
	return expectation{Status: s, Codes: c}
}

// quoteTXT writes text as the character-strings of a TXT record in
// zone-file syntax (RFC 1035 §5.1), cut into strings of at most 255
// octets (§3.3.14); SPF, DKIM and DMARC readers join them back.
func quoteTXT(text string) string {
	var parts []string
	for len(text) > 255 {
		parts = append(parts, text[:255])
		text = text[255:]
	}
	parts = append(parts, text)
	for i, p := range parts {
		p = strings.ReplaceAll(p, `\`, `\\`)
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `\"`) + `"`
	}
	return strings.Join(parts, " ")
}
