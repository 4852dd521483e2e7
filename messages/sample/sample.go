// Package sample builds hand-made checks.Reports of the situations the
// guide's remedies are about — a healthy domain, an expired certificate,
// a closed port, a missing MX, a broken SPF record… — as the engine would
// report them, with realistic parameters, facts and technical details.
//
// Each is the report of a scenario of the project's one catalog
// (package lab/scenario), by its name: All gives them in catalog order.
// The reports feed the golden tests of messages and bot/blockkit, whose
// files are named after the scenarios, so that wording and layout are
// checked without a network. Every call builds fresh values: callers may
// change them.
package sample

import (
	"strconv"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// Scenario is the report of one scenario of the catalog.
type Scenario struct {
	// Name is the scenario's name in the catalog (package scenario).
	Name   string
	Report *checks.Report
}

// All builds the report of every scenario the catalog marks
// scenario.Sample, in catalog order.
func All() []Scenario {
	var out []Scenario
	for _, name := range scenario.Names(scenario.Sample) {
		if build, ok := builders[name]; ok {
			out = append(out, Scenario{name, build()})
		}
	}
	return out
}

// builders build the report of each scenario of the catalog marked
// scenario.Sample, by name.
var builders = map[string]func() *checks.Report{
	"good":         Good,
	"expired":      CertExpired,
	"no465":        SMTP465Closed,
	"nostarttls":   SMTP587NoStartTLS,
	"noauth":       NoAuth,
	"nopop3":       POP3Closed,
	"tarpit":       IMAPTarpit,
	"nomx":         NoMX,
	"twospf":       SPFMultiple,
	"spflookups":   SPFTooManyLookups,
	"spfall":       SPFPlusAll,
	"nodmarc":      NoDMARC,
	"dmarcnone":    DMARCNone,
	"nxdomain":     NXDomain,
	"spfredirect":  SPFRedirectNoAll,
	"dmarcnonespf": DMARCNoneSPFMissing,
	"srvonly":      SRVOnly,
	"autodiscover": Autodiscover,
	"resolverdown": ResolverFailure,
	"nomxnoaddr":   NoMXNoAddress,
	"nullmxmixed":  NullMXMixed,
	"mxbackupdown": MXBackupDown,
	"mxprivate":    MXPrivate,
	"slowgreeting": SlowGreeting,
	"twomx":        TwoMXExpired,
	"mtasts":       MTASTSEnforced,
	"elsewhere":    MailElsewhere,
	"spfnotours":   SPFNotOurs,
}

// Started is the start time of every sample report.
var Started = time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)

// Target builds a target as checks.ParseTarget would for an address or
// a domain.
func Target(domain, address string) checks.Target {
	in := domain
	if address != "" {
		in = address
	}
	return checks.Target{Input: in, Domain: domain, Display: domain, Address: address, Host: domain}
}

// elapsed gives each check a stable, plausible duration.
var elapsed = map[checks.ID]time.Duration{
	checks.DNSHost:        18 * time.Millisecond,
	checks.DNSMX:          21 * time.Millisecond,
	checks.DNSSPF:         64 * time.Millisecond,
	checks.DNSDKIM:        97 * time.Millisecond,
	checks.DNSDMARC:       19 * time.Millisecond,
	checks.DNSAutoconfig:  212 * time.Millisecond,
	checks.DNSPropagation: 48 * time.Millisecond,
	checks.IMAP993:        143 * time.Millisecond,
	checks.POP3995:        131 * time.Millisecond,
	checks.SMTP465:        187 * time.Millisecond,
	checks.SMTP587:        204 * time.Millisecond,
	checks.SMTP25:         236 * time.Millisecond,
	checks.SMTPOutgoing:   33 * time.Millisecond,
}

func endpoint(protocol string, host string, port int, sec checks.Security, greeting string, auth ...string) *checks.Endpoint {
	return &checks.Endpoint{
		Protocol: protocol, Host: host, Port: port, Security: sec,
		Addr: "203.0.113.10:" + strconv.Itoa(port), Greeting: greeting,
		AuthMechs: auth, TLSVersion: "TLS 1.3", Works: true,
	}
}

func info(code checks.Code, detail string, params map[string]string) checks.Finding {
	return checks.Finding{Code: code, Severity: checks.SeverityInfo, Params: params, Detail: detail}
}

// healthy builds a report where every check passes, for a target.
func healthy(t checks.Target) *checks.Report {
	h := t.Host
	d := t.Domain
	results := []checks.Result{
		{ID: checks.DNSHost, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.HostFound, "A 203.0.113.10", map[string]string{"host": h, "count": "1"})},
			Facts:    checks.Facts{Addresses: []string{"203.0.113.10"}}},
		{ID: checks.DNSMX, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.MXFound, "10 "+h+".", map[string]string{"count": "1"})},
			Facts:    checks.Facts{MXHosts: []string{h}}},
		{ID: checks.DNSSPF, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.SPFFound, "2 lookups; a, mx", map[string]string{"record": "v=spf1 a mx ~all", "count": "2"})},
			Facts:    checks.Facts{Record: "v=spf1 a mx ~all", Lookups: 2}},
		{ID: checks.DNSDKIM, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.DKIMFound, "default._domainkey."+d+": rsa 2048 bits", map[string]string{"selectors": "default", "count": "1"})},
			Facts:    checks.Facts{Record: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwq…"}},
		{ID: checks.DNSDMARC, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.DMARCFound, "v=DMARC1; p=quarantine; rua=mailto:postmaster@"+d, map[string]string{"policy": "quarantine"})},
			Facts:    checks.Facts{Record: "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + d}},
		{ID: checks.DNSAutoconfig, Status: checks.StatusPass,
			Findings: []checks.Finding{
				info(checks.AutoconfigFound, autodiscoverNotes(d), map[string]string{"domain": d, "url": "https://autoconfig." + d + "/mail/config-v1.1.xml"}),
				info(checks.AutodiscoverMissing, autodiscoverNotes(d), map[string]string{"domain": d}),
			},
			Facts: checks.Facts{
				Advertised: []checks.Advertised{
					{Source: "srv", Protocol: "IMAP", Host: h, Port: 993, Security: checks.SecurityTLS},
					{Source: "srv", Protocol: "SMTP", Host: h, Port: 465, Security: checks.SecurityTLS},
					{Source: "autoconfig", Protocol: "IMAP", Host: h, Port: 993, Security: checks.SecurityTLS},
					{Source: "autoconfig", Protocol: "SMTP", Host: h, Port: 465, Security: checks.SecurityTLS},
				},
				Clients: clients("autoconfig", "none"),
			}},
		{ID: checks.DNSPropagation, Status: checks.StatusPass,
			Findings: []checks.Finding{info(checks.PropagationFound, "zone "+d+"; NS ns1.dns-host.net ns2.dns-host.net\nns1.dns-host.net (198.51.100.53): serial 2025011501\nns2.dns-host.net (203.0.113.53): serial 2025011501",
				map[string]string{"zone": d, "servers": "ns1.dns-host.net, ns2.dns-host.net", "count": "2", "serial": "2025011501"})}},
		{ID: checks.IMAP993, Status: checks.StatusPass, Facts: checks.Facts{Endpoint: endpoint("IMAP", h, 993, checks.SecurityTLS,
			"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE AUTH=PLAIN AUTH=LOGIN] Dovecot ready.", "PLAIN", "LOGIN")}},
		{ID: checks.POP3995, Status: checks.StatusPass, Facts: checks.Facts{Endpoint: endpoint("POP3", h, 995, checks.SecurityTLS,
			"+OK Dovecot ready.", "PLAIN", "LOGIN")}},
		{ID: checks.SMTP465, Status: checks.StatusPass, Facts: checks.Facts{Endpoint: endpoint("SMTP", h, 465, checks.SecurityTLS,
			"220 "+h+" ESMTP Exim 4.97 Wed, 15 Jan 2025 10:00:00 +0000", "PLAIN", "LOGIN")}},
		{ID: checks.SMTP587, Status: checks.StatusPass, Facts: checks.Facts{Endpoint: endpoint("SMTP", h, 587, checks.SecurityStartTLS,
			"220 "+h+" ESMTP Exim 4.97 Wed, 15 Jan 2025 10:00:00 +0000", "PLAIN", "LOGIN")}},
		{ID: checks.SMTP25, Status: checks.StatusPass, Facts: checks.Facts{Endpoints: []checks.Endpoint{*endpoint("SMTP", h, 25, checks.SecurityStartTLS,
			"220 "+h+" ESMTP Exim 4.97 Wed, 15 Jan 2025 10:00:00 +0000")}}},
		{ID: checks.SMTPOutgoing, Status: checks.StatusPass},
	}
	var total time.Duration
	for i := range results {
		results[i].Elapsed = elapsed[results[i].ID]
		total = max(total, results[i].Elapsed)
	}
	return &checks.Report{Target: t, Status: checks.StatusPass, Results: results, Started: Started, Elapsed: total + 9*time.Millisecond}
}

// set replaces the findings of a check; its status follows them, and the
// report's status follows its checks.
func set(rep *checks.Report, id checks.ID, findings ...checks.Finding) *checks.Result {
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.ID != id {
			continue
		}
		r.Status = checks.StatusPass
		r.Findings = nil
		for _, f := range findings {
			r.Add(f)
		}
		if ep := r.Facts.Endpoint; ep != nil {
			ep.Works = r.Status.Works()
		}
		rep.Status = checks.Overall(rep.Results)
		return r
	}
	panic("sample: no check " + string(id))
}

// skip marks a check skipped because dep failed.
func skip(rep *checks.Report, dep checks.ID, ids ...checks.ID) {
	for _, id := range ids {
		r := set(rep, id, info(checks.CheckSkipped, "", map[string]string{"dependency": string(dep)}))
		r.Status = checks.StatusSkip
		r.Facts = checks.Facts{}
		r.Elapsed = 0
	}
	rep.Status = checks.Overall(rep.Results)
}

func finding(code checks.Code, sev checks.Severity, detail string, params map[string]string) checks.Finding {
	return checks.Finding{Code: code, Severity: sev, Params: params, Detail: detail}
}

// clients is dns.autoconfig's per-app outcomes: Apple Mail and the
// Gmail app always guess.
func clients(thunderbird, outlook string) map[string]string {
	return map[string]string{"thunderbird": thunderbird, "outlook": outlook, "apple": "guess", "gmail": "guess"}
}

// autodiscoverNotes is the technical detail of a domain without an
// autodiscover service.
func autodiscoverNotes(d string) string {
	return "autodiscover https://" + d + "/autodiscover/autodiscover.xml: not an autodiscover service: status 404 Not Found; " +
		"autodiscover https://autodiscover." + d + "/autodiscover/autodiscover.xml: dial autodiscover." + d + ":443: netguard: no address: autodiscover." + d + " does not exist (NXDOMAIN)"
}

// SRVOnly publishes its settings in SRV records only: no autoconfig
// file, no autodiscover service, and no mainstream app reads SRV.
func SRVOnly() *checks.Report {
	rep := healthy(Target("client.com", "jane@client.com"))
	d := "client.com"
	r := set(rep, checks.DNSAutoconfig, finding(checks.AutoconfigSRVOnly, checks.SeverityWarn,
		"https://autoconfig."+d+"/mail/config-v1.1.xml: dial autoconfig."+d+":443: netguard: no address: autoconfig."+d+" does not exist (NXDOMAIN); "+
			"https://"+d+"/.well-known/autoconfig/mail/config-v1.1.xml: status 404 Not Found; "+autodiscoverNotes(d),
		map[string]string{"domain": d}))
	r.Facts.Advertised = r.Facts.Advertised[:2]
	r.Facts.Clients = clients("guess", "none")
	return rep
}

// Autodiscover has an autodiscover service answering Outlook, and
// neither SRV records nor an autoconfig file.
func Autodiscover() *checks.Report {
	rep := healthy(Target("client.com", "jane@client.com"))
	d := "client.com"
	url := "https://autodiscover." + d + "/autodiscover/autodiscover.xml"
	r := set(rep, checks.DNSAutoconfig, info(checks.AutodiscoverFound,
		"https://autoconfig."+d+"/mail/config-v1.1.xml: dial autoconfig."+d+":443: netguard: no address: autoconfig."+d+" does not exist (NXDOMAIN); "+
			"https://"+d+"/.well-known/autoconfig/mail/config-v1.1.xml: status 404 Not Found",
		map[string]string{"domain": d, "url": url}))
	r.Facts.Advertised = []checks.Advertised{{Source: "autodiscover", Host: "autodiscover." + d, Port: 443, Security: checks.SecurityTLS}}
	r.Facts.Clients = clients("guess", "autodiscover")
	return rep
}

// Good is a healthy setup checked with an address: everything passes.
func Good() *checks.Report {
	return healthy(Target("client.com", "jane@client.com"))
}

// CertExpired has one expired certificate behind every port: one cause,
// four ports failing, and a warning on port 25 (opportunistic TLS).
func CertExpired() *checks.Report {
	rep := healthy(Target("client.com", ""))
	// As tlscheck.Inspect writes it.
	detail := `expired 2025-01-03T23:59:59Z; subject="client.com" san="client.com,www.client.com" issuer="R11" not_after=2025-01-03 version=TLS 1.3 cipher=TLS_AES_128_GCM_SHA256`
	for _, p := range []struct {
		id   checks.ID
		port string
	}{{checks.IMAP993, "993"}, {checks.POP3995, "995"}, {checks.SMTP465, "465"}, {checks.SMTP587, "587"}} {
		set(rep, p.id, finding(checks.TLSCertExpired, checks.SeverityFail, detail,
			map[string]string{"host": "client.com", "port": p.port, "not_after": "2025-01-03", "days": "12"}))
	}
	set(rep, checks.SMTP25, finding(checks.TLSCertExpired, checks.SeverityWarn, detail,
		map[string]string{"host": "client.com", "port": "25", "not_after": "2025-01-03", "days": "12"}))
	return rep
}

// SMTP465Closed refuses connections on 465 while 587 works: the guide's
// fallback (section 5.3) applies.
func SMTP465Closed() *checks.Report {
	rep := healthy(Target("client.com", "jane@client.com"))
	set(rep, checks.SMTP465, finding(checks.TCPRefused, checks.SeverityFail,
		"dial tcp 203.0.113.10:465: connect: connection refused", map[string]string{"host": "client.com", "port": "465"}))
	return rep
}

// SMTP587NoStartTLS offers no STARTTLS on 587; 465 works, so no 587
// advice.
func SMTP587NoStartTLS() *checks.Report {
	rep := healthy(Target("client.com", ""))
	set(rep, checks.SMTP587, finding(checks.SMTPNoStartTLS, checks.SeverityFail,
		"EHLO: 250-client.com Hello, 250-SIZE 52428800, 250-8BITMIME, 250 HELP", map[string]string{"host": "client.com", "port": "587"}))
	return rep
}

// NoAuth offers no SMTP authentication on 465 nor 587: one cause.
func NoAuth() *checks.Report {
	rep := healthy(Target("client.com", ""))
	for _, p := range []struct {
		id   checks.ID
		port string
	}{{checks.SMTP465, "465"}, {checks.SMTP587, "587"}} {
		r := set(rep, p.id, finding(checks.SMTPNoAuth, checks.SeverityFail,
			"EHLO: 250-client.com Hello, 250-PIPELINING, 250 HELP (no AUTH)", map[string]string{"host": "client.com", "port": p.port}))
		r.Facts.Endpoint.AuthMechs = nil
	}
	return rep
}

// POP3Closed refuses POP3 while IMAP, which the guide recommends, works.
func POP3Closed() *checks.Report {
	rep := healthy(Target("client.com", "jane@client.com"))
	set(rep, checks.POP3995, finding(checks.TCPRefused, checks.SeverityFail,
		"dial tcp 203.0.113.10:995: connect: connection refused", map[string]string{"host": "client.com", "port": "995"}))
	return rep
}

// IMAPTarpit accepts connections on 993 then stays silent.
func IMAPTarpit() *checks.Report {
	rep := healthy(Target("client.com", "jane@client.com"))
	r := set(rep, checks.IMAP993, finding(checks.ProtoTimeout, checks.SeverityFail,
		"waiting for the IMAP greeting: read tcp 198.51.100.7:41234->203.0.113.10:993: i/o timeout", map[string]string{"host": "client.com", "port": "993"}))
	r.Facts.Endpoint.Greeting = ""
	r.Elapsed = 5012 * time.Millisecond
	rep.Elapsed = 5021 * time.Millisecond
	return rep
}

// NoMX publishes no MX, but the domain has an address that accepts mail
// on port 25: senders deliver there (RFC 5321 §5.1), the missing MX is a
// warning and smtp.25 probes the domain.
func NoMX() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSMX, finding(checks.MXMissing, checks.SeverityWarn,
		"no MX record; senders fall back to client.com (203.0.113.10)", map[string]string{"domain": "client.com"}))
	r.Facts.MXHosts = []string{"client.com"}
	return rep
}

// SPFMultiple publishes two SPF records.
func SPFMultiple() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSSPF, finding(checks.SPFMultiple, checks.SeverityFail,
		`"v=spf1 a mx ~all" | "v=spf1 include:_spf.google.com ~all"`, map[string]string{"count": "2"}))
	r.Facts.Record = ""
	return rep
}

// SPFTooManyLookups needs 12 DNS lookups.
func SPFTooManyLookups() *checks.Report {
	rep := healthy(Target("client.com", ""))
	rec := "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:servers.mcsv.net include:sendgrid.net include:mailgun.org ~all"
	r := set(rep, checks.DNSSPF, finding(checks.SPFTooManyLookups, checks.SeverityFail,
		"12 lookups: a, mx, include:_spf.google.com (4), include:spf.protection.outlook.com (2), include:servers.mcsv.net, include:sendgrid.net, include:mailgun.org (2)",
		map[string]string{"count": "12", "record": rec}))
	r.Facts.Record = rec
	r.Facts.Lookups = 12
	return rep
}

// SPFPlusAll ends its SPF record with +all.
func SPFPlusAll() *checks.Report {
	rep := healthy(Target("client.com", ""))
	rec := "v=spf1 a mx include:_spf.google.com +all"
	r := set(rep, checks.DNSSPF, finding(checks.SPFPermissive, checks.SeverityFail, rec,
		map[string]string{"qualifier": "+all", "record": rec}))
	r.Facts.Record = rec
	return rep
}

// NoDMARC publishes no DMARC record: a warning.
func NoDMARC() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSDMARC, finding(checks.DMARCMissing, checks.SeverityWarn,
		"_dmarc.client.com. TXT: NXDOMAIN", map[string]string{"domain": "client.com"}))
	r.Facts.Record = ""
	return rep
}

// DMARCNone has a monitoring-only DMARC policy, and was asked for with
// a pasted web address.
func DMARCNone() *checks.Report {
	t := Target("client.com", "")
	t.Input = "https://www.client.com/contact"
	t.FromURL = true
	t.WWWDropped = true
	rep := healthy(t)
	rec := "v=DMARC1; p=none; rua=mailto:dmarc@client.com"
	r := set(rep, checks.DNSDMARC, finding(checks.DMARCPolicyNone, checks.SeverityWarn, rec,
		map[string]string{"policy": "none", "record": rec}))
	r.Facts.Record = rec
	return rep
}

// SPFRedirectNoAll hands SPF over to _spf.client.com with redirect=, and
// that record ends without an "all": the fix belongs in the target's
// record, the redirect stays (RFC 7208 §6.1).
func SPFRedirectNoAll() *checks.Report {
	rep := healthy(Target("client.com", ""))
	rec := "v=spf1 redirect=_spf.client.com"
	r := set(rep, checks.DNSSPF,
		finding(checks.SPFPermissive, checks.SeverityWarn, rec, map[string]string{"record": rec, "all": "none",
			"redirect": "_spf.client.com", "target_record": "v=spf1 a mx", "suggest": "v=spf1 a mx ~all"}),
		info(checks.SPFFound, "3 lookups; client.com (3) → redirect=_spf.client.com (2)", map[string]string{"record": rec, "count": "3"}))
	r.Facts.Record = rec
	r.Facts.Lookups = 3
	return rep
}

// DMARCNoneSPFMissing has a monitoring-only DMARC policy with reports to
// the customer's own address, and no SPF record: no stricter policy may
// be advised while the domain's own mail fails SPF.
func DMARCNoneSPFMissing() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSSPF, finding(checks.SPFMissing, checks.SeverityFail, "client.com: no v=spf1 record", map[string]string{"domain": "client.com"}))
	r.Facts = checks.Facts{}
	rec := "v=DMARC1; p=none; rua=mailto:dmarc-reports@client.com; fo=1"
	r = set(rep, checks.DNSDMARC, finding(checks.DMARCPolicyNone, checks.SeverityWarn, rec,
		map[string]string{"policy": "none", "record": rec, "rua": "mailto:dmarc-reports@client.com"}))
	r.Facts.Record = rec
	return rep
}

// NXDomain checks a misspelt domain: nothing else can be checked.
func NXDomain() *checks.Report {
	rep := healthy(Target("clinet.com", "jane@clinet.com"))
	r := set(rep, checks.DNSHost, finding(checks.HostNXDomain, checks.SeverityFail,
		"clinet.com. A: NXDOMAIN", map[string]string{"domain": "clinet.com"}))
	r.Facts.Addresses = nil
	// The engine runs the other DNS checks anyway: each finds nothing.
	d := map[string]string{"domain": "clinet.com"}
	set(rep, checks.DNSMX, finding(checks.MXMissing, checks.SeverityFail, "NXDOMAIN", d)).Facts = checks.Facts{}
	set(rep, checks.DNSSPF, finding(checks.SPFMissing, checks.SeverityFail, "NXDOMAIN", d)).Facts = checks.Facts{}
	set(rep, checks.DNSDKIM, finding(checks.DKIMMissing, checks.SeverityWarn, "no key at default, mail",
		map[string]string{"domain": "clinet.com", "selectors": "default, mail"})).Facts = checks.Facts{}
	set(rep, checks.DNSDMARC, finding(checks.DMARCMissing, checks.SeverityWarn, "_dmarc.clinet.com: NXDOMAIN", d)).Facts = checks.Facts{}
	set(rep, checks.DNSAutoconfig, finding(checks.AutoconfigMissing, checks.SeverityWarn, "", d)).Facts = checks.Facts{}
	skip(rep, checks.DNSHost, checks.IMAP993, checks.POP3995, checks.SMTP465, checks.SMTP587)
	skip(rep, checks.DNSMX, checks.SMTP25)
	return rep
}

// ResolverFailure could not get DNS answers: the DNS checks could not
// tell, the port checks were not run.
func ResolverFailure() *checks.Report {
	rep := healthy(Target("client.com", ""))
	for _, id := range []checks.ID{checks.DNSHost, checks.DNSMX, checks.DNSSPF, checks.DNSDKIM, checks.DNSDMARC, checks.DNSAutoconfig, checks.DNSPropagation} {
		r := set(rep, id, finding(checks.ResolverFailed, checks.SeverityError,
			"lookup client.com. on 192.0.2.53:53: read udp 192.0.2.1:53124->192.0.2.53:53: i/o timeout", map[string]string{"domain": "client.com"}))
		r.Facts = checks.Facts{}
	}
	skip(rep, checks.DNSHost, checks.IMAP993, checks.POP3995, checks.SMTP465, checks.SMTP587, checks.SMTP25)
	return rep
}

// NoMXNoAddress publishes neither an MX nor an address: nowhere to
// deliver, and no server to check.
func NoMXNoAddress() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSHost, finding(checks.HostNoAddress, checks.SeverityFail,
		"client.com: no A or AAAA record", map[string]string{"host": "client.com"}))
	r.Facts.Addresses = nil
	r = set(rep, checks.DNSMX, finding(checks.MXMissing, checks.SeverityFail,
		"no MX record, and client.com has no A or AAAA record", map[string]string{"domain": "client.com"}))
	r.Facts.MXHosts = nil
	skip(rep, checks.DNSHost, checks.IMAP993, checks.POP3995, checks.SMTP465, checks.SMTP587)
	skip(rep, checks.DNSMX, checks.SMTP25)
	return rep
}

// NullMXMixed publishes a null MX beside a working one (RFC 7505 §3
// forbids it); smtp.25 still probes the working host.
func NullMXMixed() *checks.Report {
	rep := healthy(Target("client.com", ""))
	set(rep, checks.DNSMX, finding(checks.MXNullMixed, checks.SeverityFail,
		"MX . beside 1 other MX record(s)", map[string]string{"domain": "client.com"}),
		info(checks.MXFound, "10 client.com (203.0.113.10)", map[string]string{"count": "1"}))
	return rep
}

// MXBackupDown has a working primary MX and a backup MX that refuses
// connections on 25: senders deliver to the primary.
func MXBackupDown() *checks.Report {
	rep := healthy(Target("client.com", ""))
	mx := set(rep, checks.DNSMX, info(checks.MXFound, "10 client.com (203.0.113.10); 20 mx2.client.com (203.0.113.20)", map[string]string{"count": "2"}))
	mx.Facts.MXHosts = []string{"client.com", "mx2.client.com"}
	r := set(rep, checks.SMTP25, finding(checks.TCPRefused, checks.SeverityWarn,
		"dial mx2.client.com port 25: dial tcp 203.0.113.20:25: connect: connection refused", map[string]string{"host": "mx2.client.com", "port": "25"}))
	dead := *endpoint("SMTP", "mx2.client.com", 25, checks.SecurityNone, "")
	dead.Addr, dead.TLSVersion, dead.Works = "", "", false
	r.Facts.Endpoints = append(r.Facts.Endpoints, dead)
	return rep
}

// MXPrivate names an MX target that resolves to a private address only.
func MXPrivate() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.DNSMX, finding(checks.MXPrivateAddress, checks.SeverityFail,
		"mx.client.com: 1 private or reserved address(es), no public one", map[string]string{"host": "mx.client.com", "count": "1"}),
		info(checks.MXFound, "10 mx.client.com (1 private address)", map[string]string{"count": "1"}))
	r.Facts.MXHosts = nil
	skip(rep, checks.DNSMX, checks.SMTP25)
	return rep
}

// SlowGreeting has a port 25 that accepts the connection and sends no
// greeting within the step timeout.
func SlowGreeting() *checks.Report {
	rep := healthy(Target("client.com", ""))
	r := set(rep, checks.SMTP25, finding(checks.SMTPGreetingSlow, checks.SeverityWarn,
		"greeting: read tcp 198.51.100.7:41234->203.0.113.10:25: i/o timeout", map[string]string{"host": "client.com", "port": "25", "seconds": "5"}))
	r.Facts.Endpoints[0].Greeting = ""
	r.Facts.Endpoints[0].Security = checks.SecurityNone
	r.Elapsed = 5012 * time.Millisecond
	rep.Elapsed = 5021 * time.Millisecond
	return rep
}

// TwoMXExpired has two MX hosts; the backup's certificate on port 25
// expired, which most senders do not check there: a warning worded for
// servers, not mail apps.
func TwoMXExpired() *checks.Report {
	rep := healthy(Target("client.com", ""))
	mx := set(rep, checks.DNSMX, info(checks.MXFound, "10 client.com (203.0.113.10); 20 mx2.client.com (203.0.113.20)", map[string]string{"count": "2"}))
	mx.Facts.MXHosts = []string{"client.com", "mx2.client.com"}
	r := set(rep, checks.SMTP25, finding(checks.TLSCertExpired, checks.SeverityWarn,
		"x509: certificate has expired or is not yet valid: current time 2025-01-15T10:00:00Z is after 2025-01-14T23:59:59Z",
		map[string]string{"host": "mx2.client.com", "port": "25", "not_after": "2025-01-14", "days": "1"}))
	r.Facts.Endpoints = append(r.Facts.Endpoints, *endpoint("SMTP", "mx2.client.com", 25, checks.SecurityStartTLS,
		"220 mx2.client.com ESMTP Exim 4.97 Wed, 15 Jan 2025 10:00:00 +0000"))
	return rep
}

// MTASTSEnforced publishes an MTA-STS policy in enforce mode while port
// 25 presents a certificate for another name: senders that honour the
// policy do not deliver (RFC 8461 §5.1).
func MTASTSEnforced() *checks.Report {
	rep := healthy(Target("client.com", ""))
	set(rep, checks.SMTP25, finding(checks.TLSCertHostnameMismatch, checks.SeverityFail,
		"x509: certificate is valid for server.hosting.example, not client.com",
		map[string]string{"host": "client.com", "port": "25", "mta_sts": "enforce"}))
	return rep
}

// Hostile is a report whose network text tries to inject markup: a
// banner with a channel mention and a disguised link, a record with a
// user mention, an SPF detail with an escape sequence. Renderers must
// show all of it as text.
func Hostile() *checks.Report {
	t := Target("client.com", "jane@client.com")
	rep := healthy(t)
	set(rep, checks.SMTP465, finding(checks.SMTPBadGreeting, checks.SeverityFail,
		"554 <!channel> <https://evil.example/|click here> & go away",
		map[string]string{"host": "client.com", "port": "465"}))
	rec := "v=spf1 <@U012AB3CD> include:<!here> +all"
	r := set(rep, checks.DNSSPF, finding(checks.SPFPermissive, checks.SeverityFail, rec+"\x1b[2J\x1b]0;pwned\x07",
		map[string]string{"qualifier": "+all", "record": rec}))
	r.Facts.Record = rec
	return rep
}
