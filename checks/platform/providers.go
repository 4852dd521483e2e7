package platform

import "strings"

// knownProviders names the well-known mail and DNS providers by the
// domain their MX and NS host names end with. It is data: a host name is
// all a checker sees of another provider, and naming it ("this domain's
// mail is handled by Google") tells a support agent at once where the
// customer must go.
var knownProviders = []struct{ suffix, name string }{
	// Mail.
	{"google.com", "Google"},
	{"googlemail.com", "Google"},
	{"outlook.com", "Microsoft 365"}, // *.mail.protection.outlook.com
	{"ovh.net", "OVH"},
	{"ovh.com", "OVH"},
	{"gandi.net", "Gandi"},
	{"ionos.fr", "Ionos"},
	{"ionos.de", "Ionos"},
	{"ionos.com", "Ionos"},
	{"ionos.co.uk", "Ionos"},
	{"kundenserver.de", "Ionos"},
	{"ui-dns.com", "Ionos"},
	{"ui-dns.de", "Ionos"},
	{"ui-dns.org", "Ionos"},
	{"ui-dns.biz", "Ionos"},
	{"zoho.com", "Zoho"},
	{"zoho.eu", "Zoho"},
	{"zohomail.com", "Zoho"},
	{"protonmail.ch", "Proton"},
	{"proton.me", "Proton"},
	{"messagingengine.com", "Fastmail"},
	{"icloud.com", "Apple iCloud"},
	{"infomaniak.ch", "Infomaniak"},
	{"infomaniak.com", "Infomaniak"},
	{"yandex.net", "Yandex"},
	// DNS.
	{"googledomains.com", "Google"},
	{"cloudflare.com", "Cloudflare"},
	{"azure-dns.com", "Azure DNS"},
	{"azure-dns.net", "Azure DNS"},
	{"azure-dns.org", "Azure DNS"},
	{"azure-dns.info", "Azure DNS"},
	{"domaincontrol.com", "GoDaddy"},
	{"registrar-servers.com", "Namecheap"},
}

// KnownProvider names the well-known provider a host name (an MX target
// or a name server) belongs to, "" when it is none of them. Amazon Route
// 53's servers are named ns-N.awsdns-NN.tld under several tlds.
func KnownProvider(host string) string {
	host = normalizeHost(host)
	for _, p := range knownProviders {
		if host == p.suffix || strings.HasSuffix(host, "."+p.suffix) {
			return p.name
		}
	}
	if i := strings.Index(host, ".awsdns-"); i >= 0 {
		return "Amazon Route 53"
	}
	return ""
}
