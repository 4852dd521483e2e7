package integration

import (
	"fmt"
	"strings"
)

// kinds are the kinds of records of a healthy domain, in zone-file order.
var kinds = []string{kindMX, kindSPF, kindDKIM, kindDMARC, kindSRV, kindExtra}

// healthy returns the records of a kind for a healthy domain d: MX 10
// mx.d with its address, SPF "a mx -all" (RFC 7208), a 2048-bit DKIM key
// at selector default (RFC 6376), DMARC p=quarantine (RFC 7489), and the
// SRV records of RFC 6186/8314 naming d on 993, 995, 465 and 587.
func healthy(kind, d, dkim string) []string {
	switch kind {
	case kindMX:
		return []string{"@ MX 10 mx", "mx A 127.0.0.1"}
	case kindSPF:
		return []string{`@ TXT "v=spf1 a mx -all"`}
	case kindDKIM:
		return []string{"default._domainkey TXT " + quoteTXT(dkim)}
	case kindDMARC:
		return []string{`_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@` + d + `"`}
	case kindSRV:
		return []string{
			"_imaps._tcp SRV 0 1 993 " + d + ".",
			"_pop3s._tcp SRV 0 1 995 " + d + ".",
			"_submissions._tcp SRV 0 1 465 " + d + ".",
			"_submission._tcp SRV 0 1 587 " + d + ".",
		}
	}
	return nil
}

// zoneFile returns the master file (RFC 1035 §5) of Zone: for each
// scenario that exists, its domain's address and its records, healthy
// unless the scenario replaces them. Every address is 127.0.0.1.
func zoneFile(specs []spec, dkim, weakDKIM string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s.\n$TTL 60\n", Zone)
	b.WriteString("@ SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n")
	for _, s := range specs {
		if s.absent {
			continue
		}
		d := s.domain()
		fmt.Fprintf(&b, "\n; %s: %s\n$ORIGIN %s.\n@ A 127.0.0.1\n", s.Name, s.Description, d)
		for _, kind := range kinds {
			lines, ok := s.records[kind]
			if !ok {
				lines = healthy(kind, d, dkim)
			}
			for _, l := range lines {
				b.WriteString(strings.ReplaceAll(l, weakDKIMToken, quoteTXT(weakDKIM)))
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}
