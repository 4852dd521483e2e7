package lookup

import (
	"net/netip"

	"github.com/miekg/dns"
)

// Addresses returns the addresses of the A and AAAA records among rrs,
// in order, IPv4-mapped IPv6 ones as IPv4; other records are skipped.
func Addresses(rrs []dns.RR) []netip.Addr {
	var out []netip.Addr
	for _, rr := range rrs {
		switch v := rr.(type) {
		case *dns.A:
			if ip, ok := netip.AddrFromSlice(v.A.To4()); ok {
				out = append(out, ip)
			}
		case *dns.AAAA:
			if ip, ok := netip.AddrFromSlice(v.AAAA); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}
