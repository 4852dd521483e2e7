package lab

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// portMode is how a scenario's server behaves on one standard port.
type portMode int

const (
	serve         portMode = iota // the real protocol with the scenario's certificate
	refuse                        // nothing listens: connecting gets ECONNREFUSED
	silent                        // accepts and never says a word (a tarpit)
	noStartTLS                    // SMTP without the STARTTLS extension
	noAuth                        // SMTP without the AUTH extension
	hostileBanner                 // greets with HostileBanner and hangs up
	slowGreeting                  // SMTP that holds its 220 greeting back for slowGreetingDelay
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
	// mxHosts gives names below the domain (relative owner) that many
	// MX records, to hosts mx1…mxN below the domain.
	mxHosts map[string]int
	// dkim replaces the healthy DKIM record at the default selector;
	// noDKIM publishes none.
	dkim   string
	noDKIM bool

	// Automatic configuration; zero is the healthy domain's: the SRV
	// records and Thunderbird's autoconfig file, no autodiscover.
	noSRV        bool
	noAutoconfig bool
	autodiscover adMode
	// hangSRV is an SRV owner, relative to the domain ("_imaps._tcp"),
	// whose questions the DNS server never answers.
	hangSRV string
	// mx replaces the healthy MX record (MX 10 mx.<domain>).
	mx []labMX
	// noAddress: the domain itself has no A record.
	noAddress bool
	// servfail: the lab's DNS answers SERVFAIL for every name of the
	// domain, as a failing resolver would, while the zone holds its
	// records.
	servfail bool
	// cert25 replaces cert on port 25 only.
	cert25 certKind
	// mtaSTS, when set, is the mode of the MTA-STS policy (RFC 8461) the
	// domain publishes for its MX: the _mta-sts TXT record, and the
	// policy at https://mta-sts.<domain>/.well-known/mta-sts.txt.
	mtaSTS string
	// auth delegates the domain to name servers of its own, ns1, ns2…
	// below it, each on a loopback port (nameservers.go); the lab's own
	// server goes on answering for it as the checks' resolver.
	auth []authServer
	// staleMX, with auth, is the label of the MX host the lab's own
	// server (the resolver) still answers, with staleTTL left, while the
	// name servers serve the scenario's MX: an answer cached before a
	// change. The host has no address any more.
	staleMX string

	// The lab platform's profile (platform.go).
	// elsewhere: the scenario's servers, and its A records, are on
	// otherIP, another provider's, outside the lab platform's ranges.
	elsewhere bool
	// ns are name servers published at the domain: its DNS is run by
	// someone else.
	ns []string
	// dkimAt publishes the lab's key at these selectors only, not at
	// default nor at the platform's selector; platformDKIM replaces the
	// key at the platform's selector.
	dkimAt       []string
	platformDKIM string
	// ownSPF: the SPF record is the scenario's point and is published
	// as is; otherwise the lab puts the platform's term first in every
	// record, so that scenarios about other faults stay about them.
	ownSPF bool
	// outgoing replaces the platform's outgoing addresses (reputation.go)
	// and checks them on the lab's blocklist: smtp.outgoing's scenarios.
	outgoing []netip.Addr
}

// labMX is one MX record of a scenario and its target host.
type labMX struct {
	pref uint16
	// label is the target's first label under the domain ("mx2"); empty
	// is a null MX (RFC 7505), whose target is ".".
	label string
	// addr is the target's A record; nil is 127.0.0.1, where the lab
	// listens.
	addr net.IP
	// port25 is how the target's port 25 behaves, when not like the
	// domain's own.
	port25 portMode
}

// adMode is what answers at autodiscover.<domain>.
type adMode int

const (
	adNone    adMode = iota // no such name
	adService               // an autodiscover service answering Outlook's POX request
	adWebPage               // a wildcard address whose web server answers a web page
)

// Healthy records, RFC 7208 and RFC 7489. %s is the domain.
const (
	healthySPF   = "v=spf1 a mx -all"
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
	"spfall":      {spf: []string{"v=spf1 +all"}},
	"nodmarc":     {noDMARC: true},
	"dmarcnone":   {dmarc: "v=DMARC1; p=none; rua=mailto:dmarc@%s"},
	"nxdomain":    {absent: true},

	// Issue 10, items 7 to 9.
	"spfvoid":       {spf: []string{"v=spf1 a:nx1.%[1]s a:nx2.%[1]s mx:nx3.%[1]s mx -all"}},
	"nodkim":        {noDKIM: true},
	"dkimweak":      {dkim: "v=DKIM1; k=rsa; p=" + rsa1024},
	"spfmxlimit":    {spf: []string{"v=spf1 a mx mx:many.%s -all"}, mxHosts: map[string]int{"many": 11}},
	"spfmacro":      {spf: []string{"v=spf1 a mx exists:%%{c}.x.%s -all"}},
	"spfbadname":    {spf: []string{"v=spf1 a mx a:x..%s -all"}},
	"spfptr":        {spf: []string{"v=spf1 a mx ptr -all"}},
	"spfredirect":   {spf: []string{"v=spf1 redirect=_spf.%s"}, txt: map[string][]string{"_spf": {"v=spf1 a mx"}}},
	"dkimshort":     {dkim: "v=DKIM1; k=rsa; p=" + rsa512},
	"dmarcnonespf":  {spf: []string{}, dmarc: "v=DMARC1; p=none; rua=mailto:dmarc@%s"},
	"srvonly":       {noAutoconfig: true},
	"autoconfigxml": {noSRV: true},
	"autodiscover":  {noSRV: true, noAutoconfig: true, autodiscover: adService},
	"adwildcard":    {noSRV: true, noAutoconfig: true, autodiscover: adWebPage},
	"srvtimeout":    {hangSRV: "_imaps._tcp"},
	"hostile":       {ports: map[int]portMode{checks.PortSubmission: hostileBanner}},
	// Mail routing as senders follow it (issue 10).
	"nomxnoaddr":   {noMX: true, noAddress: true},
	"nullmxmixed":  {mx: []labMX{{pref: 0}, {pref: 10, label: "mx"}}},
	"mxbackupdown": {mx: []labMX{{pref: 10, label: "mx"}, {pref: 20, label: "mx2", port25: refuse}}},
	"mxprivate":    {mx: []labMX{{pref: 10, label: "mx", addr: net.IPv4zero}}},
	"slowgreeting": {ports: map[int]portMode{checks.PortSMTP: slowGreeting}},
	"resolverdown": {servfail: true},
	"mtasts":       {cert25: certWrongName, mtaSTS: "enforce"},
	// DNS propagation (issue 12).
	"stalesecondary": {auth: []authServer{{serial: 2026010200}, {serial: 2026010100, spf: "v=spf1 mx ~all"}}},
	"staleresolver":  {auth: []authServer{{serial: 2026010200}, {serial: 2026010200}}, staleMX: "oldmx"},
	"lamens":         {auth: []authServer{{serial: 2026010200}, {addr: net.IPv4zero}, {rcode: dns.RcodeRefused}}},
	// The lab platform's profile (platform.go) at work.
	"elsewhere": {elsewhere: true, ownSPF: true, mx: []labMX{{pref: 10, label: "mx.othermail"}},
		spf: []string{"v=spf1 mx " + labSPFTerm + " -all"}},
	"dnselsewhere":     {ns: []string{"ns1.otherdns.example", "ns2.otherdns.example"}},
	"spfours":          {ownSPF: true, spf: []string{"v=spf1 " + labSPFTerm + " -all"}},
	"spfnotours":       {ownSPF: true, spf: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
	"spfsoftfail":      {ownSPF: true, spf: []string{"v=spf1 ip4:192.0.2.0/24 ~all"}},
	"spfnotsaid":       {ownSPF: true, spf: []string{"v=spf1 ip4:192.0.2.0/24 ?all"}},
	"spfdnsfail":       {ownSPF: true, spf: []string{"v=spf1 exists:%%{i}._spf.%[1]s.outside.example " + labSPFTerm + " -all"}},
	"dkimnotours":      {dkimAt: []string{"mail"}},
	"dkimother":        {platformDKIM: otherDKIM},
	"expiredelsewhere": {elsewhere: true, cert: certExpired},
	// Our outgoing addresses (smtp.outgoing, issue 12).
	"outgoinglisted":      {outgoing: []netip.Addr{OutgoingGood, OutgoingListed}},
	"outgoingnoptr":       {outgoing: []netip.Addr{OutgoingGood, OutgoingNoPTR}},
	"outgoingunconfirmed": {outgoing: []netip.Addr{OutgoingGood, OutgoingUnconfirmed}},
}

// RSA public keys (SubjectPublicKeyInfo, base64) shorter than the lab's
// healthy 2048: crypto/rsa refuses to generate one under 1024 bits, and
// no lab ever signs with them.
const (
	rsa512  = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMLMNK+zb3opvxR47NwHsouXns54XXh5UNT4z0Z16zS6gXPhwGAwRg+DjlVL5kqcT/pO8MbtbkuiA8heElCYDMsCAwEAAQ=="
	rsa1024 = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCjUSaFdaIJoRAaTnqXgC3EQ95C8znyyYsdyxuqsixEsdVA7QFOMKKlNX90/KDHSJcLojt90GHYYIcgBn8cyqmeQENQyaL/o4mxTa+KrJDGHule7VNmBGDtPmtsYR3+faVMC0PtvQKfZgY0Kn62D0kIsEisz8CHE7cnnRxodd5GCwIDAQAB"
)

// HostileBanner is the greeting of the hostile scenario's port 587: what
// a hostile mail server can make a renderer print if it does not escape
// it (a screen clear, a window title, an OSC 8 link, a right-to-left
// override and an isolate).
const HostileBanner = "554 \x1b[2J\x1b]0;pwned\x07 \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ \u202egnp.exe\u2066 go away\r\n"

// labScenario is a scenario of the catalog and the lab's recipe for it.
type labScenario struct {
	scenario.Scenario
	spec
}

// spfChainRoot is the SPF record of a chain scenario: a and mx (two
// lookups) and an include that starts the chain; the lab adds the
// platform's include (platformFirst), a third.
func spfChainRoot(name string) string {
	return fmt.Sprintf("v=spf1 a mx include:s1._spf.%s.%s -all", name, Zone)
}

// platformFirst puts the lab platform's SPF term first in an SPF record:
// check_host for the platform's outgoing address passes at once, and a
// scenario about another fault of the record stays about that fault.
func platformFirst(rec string) string {
	const v = "v=spf1"
	if len(rec) < len(v) || !strings.EqualFold(rec[:len(v)], v) {
		return rec
	}
	return v + " " + labSPFTerm + rec[len(v):]
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

// extraNames are the names the scenario's certificate holds beyond the
// usual ones: MX hosts with more than one label under the domain.
func (s *spec) extraNames(d string) []string {
	var out []string
	for _, mx := range s.mx {
		if strings.Contains(mx.label, ".") {
			out = append(out, mx.label+"."+d)
		}
	}
	return out
}

// mode returns how a row serves a standard port.
func (s *spec) mode(port int) portMode {
	if m, ok := s.ports[port]; ok {
		return m
	}
	return serve
}

// mxRecords returns the MX records of a scenario: its own, or the
// healthy MX 10 mx.<domain>; none with noMX.
func (s *spec) mxRecords() []labMX {
	switch {
	case s.noMX:
		return nil
	case s.mx != nil:
		return s.mx
	}
	return []labMX{{pref: 10, label: "mx"}}
}

// stsPolicy is the MTA-STS policy a scenario serves, "" for none: its
// mode, its MX host, a day's max_age.
func stsPolicy(s *spec, domain string) string {
	if s == nil || s.mtaSTS == "" {
		return ""
	}
	return "version: STSv1\nmode: " + s.mtaSTS + "\nmx: mx." + domain + "\nmax_age: 86400\n"
}
