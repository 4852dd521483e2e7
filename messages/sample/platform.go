package sample

import (
	"strconv"

	"github.com/pcmhosting/mailsetup/checks"
)

// The reports of the platform scenarios, as an engine with the provider
// profile of deploy/profile.example.yaml (PCM Hosting, 203.0.113.0/24,
// MX mx1/mx2.example-host.fr, outgoing 203.0.113.25, SPF
// include:_spf.example-host.fr) reports them.

// provider is the sample profile's provider.
const provider = "PCM Hosting"

// platformReport is a healthy report judged against the sample profile:
// its servers are ours unless other.
func platformReport(domain string, other bool) *checks.Report {
	rep := healthy(Target(domain, ""))
	rep.Provider = provider
	party := checks.PartyOurs
	if other {
		party = checks.PartyOther
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		if ep := r.Facts.Endpoint; ep != nil {
			ep.Party = party
		}
		for j := range r.Facts.Endpoints {
			r.Facts.Endpoints[j].Party = party
		}
	}
	return rep
}

// MailElsewhere is a domain whose mail is at Google: the MX is Google's,
// the mail host (the domain's own A record) is a web host's server
// outside the platform's ranges, whose mail ports still work.
func MailElsewhere() *checks.Report {
	rep := platformReport("client.fr", true)
	ip := "198.51.100.20"
	r := set(rep, checks.DNSHost,
		info(checks.HostFound, "client.fr: "+ip, map[string]string{"host": "client.fr", "count": "1"}),
		finding(checks.HostNotOurs, checks.SeverityWarn, "client.fr: "+ip+" is outside the platform's ranges",
			map[string]string{"host": "client.fr", "ip": ip, "provider": provider}))
	r.Facts.Addresses = []string{ip}
	mx := []string{"aspmx.l.google.com", "alt1.aspmx.l.google.com"}
	r = set(rep, checks.DNSMX,
		info(checks.MXFound, "1 aspmx.l.google.com (142.250.27.26); 5 alt1.aspmx.l.google.com (142.250.153.27)", map[string]string{"count": "2"}),
		finding(checks.MXElsewhere, checks.SeverityWarn, "MX aspmx.l.google.com, alt1.aspmx.l.google.com; expected mx1.example-host.fr, mx2.example-host.fr",
			map[string]string{"mx": mx[0], "other": "Google", "provider": provider, "expected_mx": "mx1.example-host.fr, mx2.example-host.fr"}))
	r.Facts.MXHosts = mx
	r = set(rep, checks.DNSSPF,
		info(checks.SPFOutgoingPass, "check_host(203.0.113.25, client.fr) = pass (include:_spf.example-host.fr)",
			map[string]string{"ip": "203.0.113.25", "result": "pass", "matched": "include:_spf.example-host.fr"}),
		info(checks.SPFFound, "3 lookups; include:_spf.google.com, include:_spf.example-host.fr",
			map[string]string{"record": "v=spf1 include:_spf.google.com include:_spf.example-host.fr ~all", "count": "3"}))
	r.Facts.Record = "v=spf1 include:_spf.google.com include:_spf.example-host.fr ~all"
	for i := range rep.Results {
		res := &rep.Results[i]
		if ep := res.Facts.Endpoint; ep != nil {
			ep.Addr = ip + ":" + strconv.Itoa(ep.Port)
		}
	}
	return rep
}

// SPFNotOurs is a domain with its mail here whose SPF record allows
// Google only: our outgoing address gets fail.
func SPFNotOurs() *checks.Report {
	rep := platformReport("client.fr", false)
	rec := "v=spf1 include:_spf.google.com -all"
	r := set(rep, checks.DNSSPF,
		finding(checks.SPFPlatformMissing, checks.SeverityWarn, rec,
			map[string]string{"expected": "include:_spf.example-host.fr", "record": rec, "provider": provider}),
		finding(checks.SPFOutgoingFail, checks.SeverityFail, "check_host(203.0.113.25, client.fr) = fail (-all)",
			map[string]string{"ip": "203.0.113.25", "result": "fail", "matched": "-all", "expected": "include:_spf.example-host.fr", "provider": provider}),
		info(checks.SPFFound, "4 lookups; include:_spf.google.com (4)", map[string]string{"record": rec, "count": "4"}))
	r.Facts.Record = rec
	r.Facts.Lookups = 4
	return rep
}
