package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/lab/scenario"
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

// recipe is how the real servers play one scenario of the catalog
// (package scenario): the mail set serving its domain and the records
// that differ from a healthy domain's. Zero fields mean healthy.
type recipe struct {
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
}

// spec is a scenario of the catalog and its recipe: what to serve, and
// what a correct engine reports.
type spec struct {
	scenario.Scenario
	recipe
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

// recipes are the real servers' way of playing each scenario the
// catalog marks scenario.RealServers, by name.
var recipes = map[string]recipe{
	// The mail side, each on the mail set of its name (mailSets): the
	// Exim and Dovecot configuration is what breaks it.
	"good":       {},
	"expired":    {},
	"wrongname":  {},
	"selfsigned": {},
	"sni":        {sni: map[string]certKind{"@": certGood, "mx": certGood}},
	"twomx": {
		mail:    "sni",
		records: map[string][]string{kindMX: {"@ MX 10 mx", "mx A 127.0.0.1", "@ MX 20 mx2", "mx2 A 127.0.0.1"}},
		sni:     map[string]certKind{"@": certGood, "mx": certGood, "mx2": certExpired},
	},
	"oldtls":     {}, // tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1
	"badkey":     {}, // the key file is root's alone
	"no465":      {},
	"plain465":   {}, // 465 missing from tls_on_connect_ports
	"nostarttls": {},
	"noauth":     {},
	"authplain":  {}, // auth_advertise_hosts = *

	// The DNS side: records of Knot's zone, mail on the good servers.
	"nxdomain": {absent: true},
	"nomx": {
		records: map[string][]string{kindMX: {}},
	},
	"nullmx": {
		records: map[string][]string{kindMX: {"@ MX 0 ."}},
	},
	"mxdangling": {
		records: map[string][]string{kindMX: {"@ MX 10 mx"}},
	},
	"mxcname": {
		records:   map[string][]string{kindMX: {"@ MX 10 mail", "mail CNAME mx", "mx A 127.0.0.1"}},
		certNames: []string{"mail.mxcname." + Zone},
	},
	"bigtxt": {
		records: map[string][]string{
			kindExtra: bigTXT(8),
		},
	},
	"nospf": {
		records: map[string][]string{kindSPF: {}},
	},
	"twospf": {
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx -all"`, `@ TXT "v=spf1 mx ~all"`}},
	},
	"spfsyntax": {
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx ip4:192.0.2.300 -all"`}},
	},
	"spfall": {
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx +all"`}},
	},
	"spfneutral": {
		records: map[string][]string{kindSPF: {`@ TXT "v=spf1 a mx ?all"`}},
	},
	"spflookups": {
		records: map[string][]string{
			kindSPF:   {`@ TXT "v=spf1 a mx include:s1._spf.spflookups.` + Zone + ` -all"`},
			kindExtra: spfChain("spflookups", 10),
		},
	},
	"spfinclude": {
		records: map[string][]string{
			kindSPF:   {`@ TXT "v=spf1 a mx include:relay.spfinclude.` + Zone + ` -all"`},
			kindExtra: {"relay A 127.0.0.1"},
		},
	},
	"spfvoid": {
		records: map[string][]string{
			kindSPF: {`@ TXT "v=spf1 a mx a:gone1.spfvoid.` + Zone + ` a:gone2.spfvoid.` + Zone + ` a:gone3.spfvoid.` + Zone + ` -all"`},
		},
	},
	"nodkim": {
		records: map[string][]string{kindDKIM: {}},
	},
	"dkimweak": {
		records: map[string][]string{kindDKIM: {"default._domainkey TXT " + weakDKIMToken}},
	},
	"nodmarc": {
		records: map[string][]string{kindDMARC: {}},
	},
	"dmarcnone": {
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@dmarcnone.` + Zone + `"`}},
	},
	"dmarcsyntax": {
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=reject-all"`}},
	},
	"twodmarc": {
		records: map[string][]string{kindDMARC: {`_dmarc TXT "v=DMARC1; p=reject"`, `_dmarc TXT "v=DMARC1; p=none"`}},
	},
	"nosrv": {
		records: map[string][]string{kindSRV: {}},
	},
}

// table returns the scenarios of the catalog the real servers play,
// with their recipes, in catalog order; a scenario without a recipe is
// a test failure.
func table(t *testing.T) []spec {
	t.Helper()
	var out []spec
	for _, sc := range scenario.For(scenario.RealServers) {
		r, ok := recipes[sc.Name]
		if !ok {
			t.Fatalf("no recipe for scenario %q of the catalog", sc.Name)
		}
		out = append(out, spec{sc, r})
	}
	return out
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
		name = s.Name
	}
	for _, m := range mailSets {
		if m.name == name {
			return m
		}
	}
	return mailSets[0]
}

// domain returns the scenario's domain.
func (s *spec) domain() string { return s.Name + "." + Zone }

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

// TestRecipesFollowCatalog: the real servers have a recipe for every
// scenario the catalog says they play, and none for another. It needs
// no server.
func TestRecipesFollowCatalog(t *testing.T) {
	for name := range recipes {
		if s, ok := scenario.Get(name); !ok || !s.Runs(scenario.RealServers) {
			t.Errorf("recipe %q: not a real-server scenario of the catalog", name)
		}
	}
	if got, want := len(table(t)), len(recipes); got != want {
		t.Errorf("%d scenarios in the catalog for the real servers, %d recipes", got, want)
	}
}
