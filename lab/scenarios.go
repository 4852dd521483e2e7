package lab

import (
	"fmt"
	"net"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/lab/scenario"
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

// spec is how the lab plays one scenario of the catalog (package
// scenario): what differs from a healthy domain. Zero fields mean
// healthy.
type spec struct {
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

	// elsewhere: the scenario's servers, and its A records, are on
	// otherIP, another provider's, outside the lab platform's ranges.
	elsewhere bool
	// mx replaces the MX host's label under the domain ("mx").
	mx string
	// ns are name servers published at the domain: its DNS is run by
	// someone else.
	ns []string
	// dkimAt publishes the key at these selectors instead of
	// dkimSelector; dkim replaces the key record.
	dkimAt []string
	dkim   string
	// manyMX names an owner, relative to the domain, given eleven MX
	// records: one more than an SPF mx term may name (RFC 7208 §4.6.4).
	manyMX string
}

// Healthy records, RFC 7208 and RFC 7489. %s is the domain.
const (
	healthySPF   = "v=spf1 a mx " + labSPFTerm + " -all"
	healthyDMARC = "v=DMARC1; p=quarantine; rua=mailto:dmarc@%s"
	dkimSelector = "default"
)

// recipes are the lab's way of playing each scenario the catalog marks
// scenario.Lab, by name; what a correct engine reports is the catalog's.
var recipes = map[string]spec{
	"good":        {},
	"expired":     {cert: certExpired},
	"wrongname":   {cert: certWrongName},
	"selfsigned":  {cert: certSelfSigned},
	"expiring":    {cert: certExpiring},
	"notyetvalid": {cert: certNotYetValid},
	"no465":       {ports: map[int]portMode{checks.PortSubmissions: refuse}},
	"nostarttls":  {ports: map[int]portMode{checks.PortSubmission: noStartTLS}},
	"noauth":      {ports: map[int]portMode{checks.PortSubmissions: noAuth, checks.PortSubmission: noAuth}},
	"nopop3":      {ports: map[int]portMode{checks.PortPOP3S: refuse}},
	"tarpit":      {ports: map[int]portMode{checks.PortIMAPS: silent}},
	"nomx":        {noMX: true},
	"twospf":      {spf: []string{healthySPF, "v=spf1 mx ~all"}},
	"spflookups":  {spf: []string{spfChainRoot("spflookups")}, txt: spfChain("spflookups", 9)},
	"spfall":      {spf: []string{"v=spf1 " + labSPFTerm + " +all"}},
	"nodmarc":     {noDMARC: true},
	"dmarcnone":   {dmarc: "v=DMARC1; p=none; rua=mailto:dmarc@%s"},
	"nxdomain":    {absent: true},

	// The lab platform's profile (platform.go) at work.
	"elsewhere":        {elsewhere: true, mx: "mx.othermail", spf: []string{"v=spf1 mx " + labSPFTerm + " -all"}},
	"dnselsewhere":     {ns: []string{"ns1.otherdns.example", "ns2.otherdns.example"}},
	"spfours":          {spf: []string{"v=spf1 " + labSPFTerm + " -all"}},
	"spfnotours":       {spf: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
	"spfsoftfail":      {spf: []string{"v=spf1 ip4:192.0.2.0/24 ~all"}},
	"spfnotsaid":       {spf: []string{"v=spf1 ip4:192.0.2.0/24 ?all"}},
	"spfmxlimit":       {spf: []string{"v=spf1 mx:many.spfmxlimit.lab.test " + labSPFTerm + " -all"}, manyMX: "many"},
	"spfdnsfail":       {spf: []string{"v=spf1 exists:%{i}._spf.outside.example " + labSPFTerm + " -all"}},
	"dkimnotours":      {dkimAt: []string{"mail"}},
	"dkimother":        {dkim: otherDKIM},
	"expiredelsewhere": {elsewhere: true, cert: certExpired},
}

// labScenario is a scenario of the catalog and the lab's recipe for it.
type labScenario struct {
	scenario.Scenario
	spec
}

// spfChainRoot is the SPF record of a chain scenario: a, mx and the lab
// platform's include (three lookups) and an include that starts the
// chain.
func spfChainRoot(name string) string {
	return fmt.Sprintf("v=spf1 a mx %s include:s1._spf.%s.%s -all", labSPFTerm, name, Zone)
}

// spfChain returns n include records s1._spf … sn._spf, each including
// the next, the last one authorising the loopback address: with the
// root's three, n+3 lookups.
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

// ip is the address the scenario's servers listen on and its A records
// point to.
func (s *spec) ip() net.IP {
	if s.elsewhere {
		return otherIP
	}
	return ourIP
}

// mxHost returns the MX host of the scenario's domain d.
func (s *spec) mxHost(d string) string {
	if s.mx != "" {
		return s.mx + "." + d
	}
	return "mx." + d
}

// mode returns how a row serves a standard port.
func (s *spec) mode(port int) portMode {
	if m, ok := s.ports[port]; ok {
		return m
	}
	return serve
}
