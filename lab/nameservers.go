package lab

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/spf"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// authServer is one name server of a scenario domain delegated to
// servers of its own (spec.auth): ns1, ns2… below the domain, each an
// authoritative server on a loopback port of its own, serving the
// domain's records under its own SOA serial.
type authServer struct {
	serial uint32
	// spf, when set, replaces the domain's SPF record on this server: an
	// older version a secondary still serves.
	spf string
	// addr, when set, is the server's address in place of 127.0.0.1,
	// where nothing is served: one the guard refuses to dial.
	addr net.IP
	// rcode, when set, is the RCODE of its every answer: REFUSED makes
	// a lame server.
	rcode int
}

// staleTTL is the remaining TTL, in seconds, of an old answer the lab's
// own server (the checks' resolver) still holds: 30 minutes.
const staleTTL = 1800

// nsName is the name of a scenario domain's i-th (from 0) name server.
func nsName(domain string, i int) string {
	return fmt.Sprintf("ns%d.%s", i+1, strings.TrimSuffix(domain, "."))
}

// delegate adds to the lab zone the NS records of a delegated scenario
// domain and its servers' addresses, and the old answers the lab's own
// server keeps as a resolver's cache would.
func (z *zone) delegate(d string, s *spec) {
	for i := range s.auth {
		ns := nsName(d, i)
		z.add(&dns.NS{Hdr: z.hdr(d, dns.TypeNS), Ns: dns.Fqdn(ns)})
		addr := s.auth[i].addr
		if addr == nil {
			addr = net.IPv4(127, 0, 0, 1)
		}
		z.addA(ns, addr)
	}
	if s.staleMX != "" {
		old := &dns.MX{Hdr: z.hdr(d, dns.TypeMX), Preference: 10, Mx: s.staleMX + "." + d}
		old.Hdr.Ttl = staleTTL
		z.cache(old)
	}
}

// cache makes the lab's own server answer rr's set in place of the
// zone's: an old answer a resolver still holds. The name servers of a
// delegated domain serve the zone's.
func (z *zone) cache(rr dns.RR) {
	name := strings.ToLower(rr.Header().Name)
	if z.stale == nil {
		z.stale = map[string]map[uint16][]dns.RR{}
	}
	if z.stale[name] == nil {
		z.stale[name] = map[uint16][]dns.RR{}
	}
	t := rr.Header().Rrtype
	z.stale[name][t] = append(z.stale[name][t], rr)
}

// authZone is what one name server of a delegated domain d serves: the
// lab zone's records at and below d, its own SOA, and its own SPF record
// when it lags behind.
func authZone(z *zone, d string, srv authServer) *dnstest.Zone {
	out := &dnstest.Zone{Authoritative: true}
	out.Add(&dns.SOA{Hdr: z.hdr(d, dns.TypeSOA), Ns: nsName(d, 0) + ".", Mbox: "hostmaster." + d,
		Serial: srv.serial, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: ttl})
	for name, sets := range z.names {
		if !dns.IsSubDomain(d, name) {
			continue
		}
		for _, rrs := range sets {
			for _, rr := range rrs {
				if t, ok := rr.(*dns.TXT); ok && name == d && srv.spf != "" && spf.IsRecord(strings.Join(t.Txt, "")) {
					continue
				}
				out.Add(dns.Copy(rr))
			}
		}
	}
	if srv.spf != "" {
		out.Add(&dns.TXT{Hdr: z.hdr(d, dns.TypeTXT), Txt: []string{srv.spf}})
	}
	return out
}

// startNameServers gives every scenario the port of the lab's own
// server, ns.lab.test, and starts the name servers of the delegated
// domains, each on its port, in the scenario's profile by name.
func (l *Lab) startNameServers(ctx context.Context, specs []labScenario, z *zone) error {
	_, p, err := net.SplitHostPort(l.DNSAddr)
	if err != nil {
		return fmt.Errorf("lab: DNS address %q: %w", l.DNSAddr, err)
	}
	labPort, err := strconv.Atoi(p)
	if err != nil {
		return fmt.Errorf("lab: DNS address %q: %w", l.DNSAddr, err)
	}
	for i := range l.scenarios {
		l.scenarios[i].Profile.NameServerPorts = map[string]int{"ns." + Zone: labPort}
	}
	for i, s := range specs {
		d := dns.Fqdn(s.Name + "." + Zone)
		// Name servers of another DNS provider serve the domain's zone
		// as it is.
		for _, ns := range s.ns {
			addr, err := l.serveDNS(ctx, authZone(z, d, authServer{serial: 1}))
			if err != nil {
				return err
			}
			_, p, _ := net.SplitHostPort(addr)
			port, _ := strconv.Atoi(p)
			l.scenarios[i].Profile.NameServerPorts[strings.TrimSuffix(strings.ToLower(ns), ".")] = port
		}
		for j, srv := range s.auth {
			var h dns.Handler
			switch {
			case srv.addr != nil:
				continue // never dialled: nothing to serve
			case srv.rcode != 0:
				h = &dnstest.Zone{Rcode: srv.rcode}
			default:
				h = authZone(z, d, srv)
			}
			addr, err := l.serveDNS(ctx, h)
			if err != nil {
				return err
			}
			_, p, _ := net.SplitHostPort(addr)
			port, _ := strconv.Atoi(p)
			l.scenarios[i].Profile.NameServerPorts[nsName(d, j)] = port
		}
	}
	return nil
}
