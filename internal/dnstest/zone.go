package dnstest

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// maxCNAMEs bounds the CNAME chain a Zone follows inside its records.
const maxCNAMEs = 8

// Zone is a dns.Handler answering from a fixed set of records. CNAMEs are
// followed inside the set, a name with no record and no name below it is
// NXDOMAIN, and when Authoritative is set the AA bit is on and negative
// answers carry the SOA of the closest enclosing zone in the authority
// section (RFC 2308). It is safe for concurrent use once built.
type Zone struct {
	// Authoritative sets the AA bit: the zone speaks as the server of its
	// records, not as a resolver that cached them.
	Authoritative bool
	// Rcode, when not zero, is the RCODE of every answer, with no record:
	// REFUSED or SERVFAIL make a lame server.
	Rcode int
	// ServFail lists names (lower-case, fully qualified) answered with
	// SERVFAIL whatever the type: a resolver that could not tell.
	ServFail map[string]bool

	names   map[string]map[uint16][]dns.RR
	mu      sync.Mutex
	asked   map[string]int
	queries atomic.Int64
}

// NewZone builds a Zone from records in zone-file syntax ("example.com.
// 300 IN MX 10 mx.example.com."). A record that does not parse fails t.
func NewZone(t T, records ...string) *Zone {
	t.Helper()
	z := &Zone{names: map[string]map[uint16][]dns.RR{}, asked: map[string]int{}}
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil || rr == nil {
			t.Fatalf("dnstest: bad record %q: %v", s, err)
		}
		z.Add(rr)
	}
	return z
}

// Add adds a record. Call it before the first query. A zero Zone is
// ready for Add: the lab builds its extra name servers so.
func (z *Zone) Add(rr dns.RR) {
	if z.names == nil {
		z.names, z.asked = map[string]map[uint16][]dns.RR{}, map[string]int{}
	}
	name := strings.ToLower(rr.Header().Name)
	rr.Header().Name = name
	if z.names[name] == nil {
		z.names[name] = map[uint16][]dns.RR{}
	}
	t := rr.Header().Rrtype
	z.names[name][t] = append(z.names[name][t], rr)
}

// Queries returns how many questions the Zone was asked.
func (z *Zone) Queries() int64 { return z.queries.Load() }

// Asked returns how many times the question "name TYPE" (name lower-case,
// fully qualified, "example.com. MX") was asked.
func (z *Zone) Asked(question string) int {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.asked[question]
}

// ServeDNS implements dns.Handler.
func (z *Zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	z.queries.Add(1)
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = z.Authoritative
	m.RecursionAvailable = !z.Authoritative
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	z.mu.Lock()
	if z.asked == nil {
		z.asked = map[string]int{}
	}
	z.asked[name+" "+dns.TypeToString[q.Qtype]]++
	z.mu.Unlock()
	if z.Rcode != 0 || z.ServFail[name] {
		m.Rcode = z.Rcode
		if z.ServFail[name] {
			m.Rcode = dns.RcodeServerFailure
		}
		m.Authoritative = false
		_ = w.WriteMsg(m)
		return
	}
	for range maxCNAMEs {
		c, ok := z.names[name][dns.TypeCNAME]
		if !ok || q.Qtype == dns.TypeCNAME {
			break
		}
		m.Answer = append(m.Answer, c[0])
		name = strings.ToLower(c[0].(*dns.CNAME).Target)
	}
	m.Answer = append(m.Answer, z.names[name][q.Qtype]...)
	if len(m.Answer) == 0 || m.Answer[len(m.Answer)-1].Header().Rrtype != q.Qtype {
		if !z.exists(name) {
			m.Rcode = dns.RcodeNameError
		}
		if z.Authoritative {
			if soa := z.soa(name); soa != nil {
				m.Ns = append(m.Ns, soa)
			}
		}
	}
	_ = w.WriteMsg(m)
}

// exists reports whether name has records or names below it (RFC 8020).
func (z *Zone) exists(name string) bool {
	if _, ok := z.names[name]; ok {
		return true
	}
	for n := range z.names {
		if strings.HasSuffix(n, "."+name) {
			return true
		}
	}
	return false
}

// soa returns the SOA of the closest zone enclosing name, nil if none.
func (z *Zone) soa(name string) dns.RR {
	for n := name; ; {
		if s, ok := z.names[n][dns.TypeSOA]; ok {
			return s[0]
		}
		i, end := dns.NextLabel(n, 0)
		if end {
			return nil
		}
		n = n[i:]
	}
}
