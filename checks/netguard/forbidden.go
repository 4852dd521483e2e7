package netguard

import (
	"net/netip"
	"slices"
)

// forbidden4 are the IPv4 ranges never dialled: RFC 6890's special-use
// registry, less the few globally reachable anycast ones.
var forbidden4 = prefixes(
	"0.0.0.0/8",       // "this network" (RFC 791); 0.0.0.0 reaches the local host
	"10.0.0.0/8",      // private (RFC 1918)
	"100.64.0.0/10",   // carrier-grade NAT (RFC 6598)
	"127.0.0.0/8",     // loopback (RFC 1122)
	"169.254.0.0/16",  // link-local (RFC 3927), cloud metadata 169.254.169.254
	"172.16.0.0/12",   // private (RFC 1918)
	"192.0.0.0/24",    // IETF protocol assignments (RFC 6890)
	"192.0.2.0/24",    // documentation TEST-NET-1 (RFC 5737)
	"192.88.99.0/24",  // 6to4 relay anycast, deprecated (RFC 7526)
	"192.168.0.0/16",  // private (RFC 1918)
	"198.18.0.0/15",   // benchmarking (RFC 2544)
	"198.51.100.0/24", // documentation TEST-NET-2 (RFC 5737)
	"203.0.113.0/24",  // documentation TEST-NET-3 (RFC 5737)
	"224.0.0.0/4",     // multicast (RFC 5771)
	"240.0.0.0/4",     // reserved (RFC 1112), with broadcast 255.255.255.255
)

// global6 is IPv6 global unicast (RFC 4291 §2.4): no mail server lives
// outside it. Loopback, unspecified, link-local fe80::/10, unique local
// fc00::/7, site-local, multicast ff00::/8, discard 100::/64 are all
// outside.
var global6 = netip.MustParsePrefix("2000::/3")

// forbidden6 are the special-use ranges inside global unicast.
var forbidden6 = prefixes(
	"2001::/23",     // IETF protocol assignments (RFC 2928): Teredo, benchmarking 2001:2::/48, ORCHID
	"2001:db8::/32", // documentation (RFC 3849)
	"3fff::/20",     // documentation (RFC 9637)
)

var (
	// nat64 is the well-known NAT64 prefix (RFC 6052): the IPv4 address
	// is the last 32 bits, and a NAT64 gateway dials it.
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// nat64Local is the local-use NAT64 prefix (RFC 8215). Where the IPv4
	// address sits in it depends on the operator's prefix length, so it
	// cannot be checked: all of it is refused.
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	// compat is the deprecated IPv4-compatible form ::a.b.c.d (RFC 4291
	// §2.5.5.1), which also holds :: and ::1.
	compat = netip.MustParsePrefix("::/96")
	// sixToFour embeds an IPv4 address in bits 16-47 (RFC 3056).
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// Forbidden reports whether ip is an address the product must not dial:
// loopback, private (RFC 1918), carrier-grade NAT, link-local (with the
// cloud metadata address), unique local, multicast, unspecified,
// broadcast, benchmarking, documentation and reserved ranges, and every
// IPv6 address outside global unicast 2000::/3. An IPv4 address carried
// in IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64
// 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) is judged by the IPv4 address.
// The invalid zero Addr is forbidden. Forbidden is a pure function.
func Forbidden(ip netip.Addr) bool {
	if !ip.IsValid() {
		return true
	}
	ip = ip.WithZone("")
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	if ip.Is4() {
		return within(forbidden4, ip)
	}
	b := ip.As16()
	switch {
	case compat.Contains(ip), nat64.Contains(ip):
		return Forbidden(netip.AddrFrom4([4]byte(b[12:16])))
	case nat64Local.Contains(ip):
		return true
	case sixToFour.Contains(ip):
		return Forbidden(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return !global6.Contains(ip) || within(forbidden6, ip)
}

// within reports whether ip is in one of the prefixes.
func within(ps []netip.Prefix, ip netip.Addr) bool {
	return slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Contains(ip) })
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}
