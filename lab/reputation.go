package lab

import (
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/platform"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// DNSBLZone is the lab's DNS blocklist (RFC 5782), inside its zone: an
// address is listed when its reversed octets under it have an A record
// in 127.0.0.0/8, with a TXT record saying why.
const DNSBLZone = "bl." + Zone

// ListedReason is the TXT record of the listing of OutgoingListed: text
// from a list is untrusted, and this one carries Slack and terminal
// markup that every output must show as it is.
const ListedReason = "Listed for spam *since* <2026-12-01> see https://bl.lab.test/q?ip=127.0.0.13 `x`"

// The outgoing addresses of the lab's platform (loopback, never
// dialled: only their DNS is looked at), one per case of
// /mailsetup status.
var (
	// OutgoingGood has a PTR name that resolves back to it (FCrDNS).
	OutgoingGood = netip.MustParseAddr("127.0.0.10")
	// OutgoingNoPTR has no PTR record.
	OutgoingNoPTR = netip.MustParseAddr("127.0.0.11")
	// OutgoingUnconfirmed has a PTR name whose address is another one.
	OutgoingUnconfirmed = netip.MustParseAddr("127.0.0.12")
	// OutgoingListed has a confirmed PTR name and is listed on DNSBLZone
	// with ListedReason.
	OutgoingListed = netip.MustParseAddr("127.0.0.13")
)

// Platform is the provider profile of the lab's platform: its outgoing
// addresses and its blocklist.
func Platform() *platform.Platform {
	return &platform.Platform{
		Provider: "Lab Hosting",
		Outgoing: []netip.Addr{OutgoingGood, OutgoingNoPTR, OutgoingUnconfirmed, OutgoingListed},
		DNSBL:    []string{DNSBLZone},
	}
}

// reverseZone is the lab's 127.in-addr.arpa: the PTR records of the
// outgoing addresses and of 127.0.0.1, where every lab server listens
// (ns.lab.test, which resolves back to it).
func reverseZone() *zone {
	z := newZone("127.in-addr.arpa")
	ptr := func(ip netip.Addr, name string) {
		rev, _ := dns.ReverseAddr(ip.String())
		z.add(&dns.PTR{Hdr: z.hdr(rev, dns.TypePTR), Ptr: dns.Fqdn(name)})
	}
	ptr(netip.MustParseAddr("127.0.0.1"), "ns."+Zone)
	ptr(OutgoingGood, "out1."+Zone)
	ptr(OutgoingUnconfirmed, "out2."+Zone)
	ptr(OutgoingListed, "out3."+Zone)
	ptr(netip.AddrFrom4([4]byte(otherIP.To4())), "other."+Zone)
	return z
}

// addOutgoing adds to the lab zone the names of the outgoing addresses
// and the blocklist's listing.
func (z *zone) addOutgoing() {
	z.addA("out1."+Zone, net.IP(OutgoingGood.AsSlice()))
	z.addA("out2."+Zone, net.IPv4(127, 0, 0, 99)) // not OutgoingUnconfirmed
	z.addA("out3."+Zone, net.IP(OutgoingListed.AsSlice()))
	listed := "13.0.0.127." + DNSBLZone
	z.addA(listed, net.IPv4(127, 0, 0, 2))
	z.addTXT(listed, ListedReason)
	// Another provider's address (otherIP) has its reverse DNS too.
	z.addA("other."+Zone, otherIP)
}

// dnsHandler serves the lab zone, the reverse zone, the addresses of the
// name servers outside the lab zone that scenarios publish (another DNS
// provider's: each answers the scenario's zone on a port of its own), and
// REFUSED (from the lab zone) for every other name.
func dnsHandler(z, rev *zone, specs []labScenario) dns.Handler {
	mux := dns.NewServeMux()
	mux.Handle(".", z)
	mux.Handle(rev.apex, rev)
	outside := &dnstest.Zone{Authoritative: true}
	for _, s := range specs {
		for _, ns := range s.ns {
			name := dns.Fqdn(strings.ToLower(ns))
			if dns.IsSubDomain(z.apex, name) {
				continue
			}
			outside.Add(&dns.A{Hdr: z.hdr(name, dns.TypeA), A: net.IPv4(127, 0, 0, 1)})
			i, _ := dns.NextLabel(name, 0)
			mux.Handle(name[i:], outside)
		}
	}
	return mux
}
