package lab

import (
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
)

// ttl is the time to live of every lab record: short, the lab is remade
// at each start.
const ttl = 60

// maxCNAMEs bounds the CNAME chain the server follows within its zone.
const maxCNAMEs = 8

// zone is the lab's authoritative data: record sets by lower-case fully
// qualified owner name and type. It is built once at Start and only read
// afterwards.
type zone struct {
	apex string // "lab.test."
	soa  dns.RR
	// names holds every owner name, and every empty non-terminal (a name
	// with no record but with names below it, which exists: RFC 8020).
	names map[string]map[uint16][]dns.RR
	// hang holds owner names whose questions are never answered, as a
	// server that drops them: the asker times out.
	hang map[string]bool
	// failing are the domains whose names the server answers SERVFAIL
	// for, playing a resolver that fails while the records are there.
	failing []string
}

func newZone(apex string) *zone {
	apex = dns.Fqdn(strings.ToLower(apex))
	z := &zone{apex: apex, names: make(map[string]map[uint16][]dns.RR), hang: make(map[string]bool)}
	z.soa = &dns.SOA{
		Hdr:     z.hdr(apex, dns.TypeSOA),
		Ns:      "ns." + apex,
		Mbox:    "hostmaster." + apex,
		Serial:  1,
		Refresh: 3600, Retry: 600, Expire: 86400, Minttl: ttl,
	}
	z.add(z.soa)
	z.add(&dns.NS{Hdr: z.hdr(apex, dns.TypeNS), Ns: "ns." + apex})
	z.addA("ns."+apex, net.IPv4(127, 0, 0, 1))
	return z
}

func (z *zone) hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: dns.Fqdn(strings.ToLower(name)), Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
}

// add adds a record, and the empty non-terminals between its owner and
// the apex. Records outside the zone are a programming error.
func (z *zone) add(rr dns.RR) {
	name := strings.ToLower(rr.Header().Name)
	if !dns.IsSubDomain(z.apex, name) {
		panic(fmt.Sprintf("lab: %s is outside %s", name, z.apex))
	}
	for n := name; ; {
		if z.names[n] == nil {
			z.names[n] = make(map[uint16][]dns.RR)
		}
		if n == z.apex {
			break
		}
		i, _ := dns.NextLabel(n, 0)
		n = n[i:]
	}
	t := rr.Header().Rrtype
	z.names[name][t] = append(z.names[name][t], rr)
}

func (z *zone) addA(name string, ip net.IP) {
	z.add(&dns.A{Hdr: z.hdr(name, dns.TypeA), A: ip})
}

// addTXT adds one TXT record, split into strings of at most 255 octets
// (RFC 1035 §3.3.14; RFC 7208 §3.3 and RFC 6376 §3.6.2.2 join them back).
func (z *zone) addTXT(name, text string) {
	var parts []string
	for len(text) > 255 {
		parts = append(parts, text[:255])
		text = text[255:]
	}
	parts = append(parts, text)
	z.add(&dns.TXT{Hdr: z.hdr(name, dns.TypeTXT), Txt: parts})
}

// ServeDNS answers as the authoritative server of the zone (RFC 1034
// §4.3.2): the records asked, following CNAMEs inside the zone; NXDOMAIN
// for names that do not exist and NOERROR with no answer for names that
// exist without the type asked, both with the SOA for negative caching
// (RFC 2308); REFUSED outside the zone, since the lab never recurses nor
// dials out. Questions asking for recursion are answered the same way,
// so a checker can use the lab as its resolver. Questions for a name of
// z.hang get no answer at all.
func (z *zone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	size := dns.MinMsgSize
	if _, udp := w.RemoteAddr().(*net.UDPAddr); !udp {
		size = dns.MaxMsgSize
	}
	if len(req.Question) == 1 && z.hang[strings.ToLower(req.Question[0].Name)] {
		return
	}
	resp := z.answer(req, size)
	if resp == nil {
		return
	}
	if err := w.WriteMsg(resp); err != nil {
		return // the client went away; nothing to tell it
	}
}

// answer builds the response to req, to fit in size octets on UDP
// (truncated with TC set otherwise: the client retries over TCP). It
// returns nil for messages that are not queries.
func (z *zone) answer(req *dns.Msg, size int) *dns.Msg {
	if req.Response {
		return nil // never answer answers
	}
	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.RecursionAvailable = false
	// Deferred calls run last first: the OPT record goes in, then the
	// message is cut to size with it.
	defer func() { resp.Truncate(size) }()
	if opt := req.IsEdns0(); opt != nil {
		defer resp.SetEdns0(dns.DefaultMsgSize, false)
		if opt.Version() != 0 {
			resp.Rcode = dns.RcodeBadVers // RFC 6891 §6.1.3
			return resp
		}
		if size < dns.MaxMsgSize {
			size = min(max(int(opt.UDPSize()), dns.MinMsgSize), dns.DefaultMsgSize)
		}
	}
	if req.Opcode != dns.OpcodeQuery {
		resp.Rcode = dns.RcodeNotImplemented
		return resp
	}
	if len(req.Question) != 1 {
		resp.Rcode = dns.RcodeFormatError
		return resp
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	if q.Qclass != dns.ClassINET || !dns.IsSubDomain(z.apex, name) {
		resp.Rcode = dns.RcodeRefused
		return resp
	}
	for _, d := range z.failing {
		if dns.IsSubDomain(d, name) {
			resp.Rcode = dns.RcodeServerFailure
			return resp
		}
	}
	resp.Authoritative = true
	for range maxCNAMEs {
		sets, ok := z.names[name]
		if !ok {
			resp.Rcode = dns.RcodeNameError
			resp.Ns = []dns.RR{z.soa}
			return resp
		}
		if rrs := sets[q.Qtype]; len(rrs) > 0 {
			resp.Answer = append(resp.Answer, rrs...)
			return resp
		}
		cname := sets[dns.TypeCNAME]
		if len(cname) == 0 {
			resp.Ns = []dns.RR{z.soa}
			return resp
		}
		resp.Answer = append(resp.Answer, cname[0])
		name = strings.ToLower(cname[0].(*dns.CNAME).Target)
		if !dns.IsSubDomain(z.apex, name) {
			return resp // the client follows the rest itself
		}
	}
	resp.Rcode = dns.RcodeServerFailure // a CNAME loop in the lab's own data
	return resp
}
