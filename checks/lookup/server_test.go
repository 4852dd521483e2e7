package lookup

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// testServer is a miekg dns.Server on 127.0.0.1, UDP and TCP on the same
// port, with the handler of one test.
type testServer struct {
	Addr string
	UDP  atomic.Int64 // queries received over UDP
	TCP  atomic.Int64 // queries received over TCP
}

func startServer(t testing.TB, h dns.Handler) *testServer {
	t.Helper()
	ts := &testServer{}
	counting := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if w.RemoteAddr().Network() == "tcp" {
			ts.TCP.Add(1)
		} else {
			ts.UDP.Add(1)
		}
		h.ServeDNS(w, r)
	})
	ts.Addr = dnstest.Serve(t, counting)
	return ts
}

// zone answers from a list of records, as a recursive resolver would when
// follow is set (CNAME chains chased inside the answer), else as an
// authoritative server of each name would (the CNAME alone).
type zone struct {
	rrs    []dns.RR
	follow bool
	rcode  map[string]int // forced RCODE by name (fqdn)
	extra  []dns.RR       // added to every answer section (strays)
}

func newZone(t testing.TB, follow bool, records ...string) *zone {
	t.Helper()
	z := &zone{follow: follow, rcode: map[string]int{}}
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatalf("bad test record %q: %v", s, err)
		}
		z.rrs = append(z.rrs, rr)
	}
	return z
}

func (z *zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	q := r.Question[0]
	if rc, ok := z.rcode[strings.ToLower(q.Name)]; ok {
		m.Rcode = rc
		w.WriteMsg(m)
		return
	}
	cur := q.Name
	for range 20 {
		var next string
		if q.Qtype != dns.TypeCNAME {
			for _, rr := range z.rrs {
				if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, cur) {
					m.Answer = append(m.Answer, rr)
					next = c.Target
				}
			}
		}
		if next == "" || !z.follow {
			break
		}
		cur = next
	}
	exists := false
	for _, rr := range z.rrs {
		if strings.EqualFold(rr.Header().Name, cur) {
			exists = true
			if rr.Header().Rrtype == q.Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
	}
	if !exists && len(m.Answer) == 0 {
		m.Rcode = dns.RcodeNameError
	}
	m.Answer = append(m.Answer, z.extra...)
	if opt := r.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	if w.RemoteAddr().Network() == "udp" {
		size := dns.MinMsgSize
		if opt := r.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

// newClient returns a Client of the server with a short timeout: the
// tests' servers answer at once, or never.
func newClient(ts *testServer) *Client { return NewClient(ts.Addr, 2*time.Second) }

// blocker is a Resolver that blocks every question until released, and
// counts them.
type blocker struct {
	calls   atomic.Int64
	entered chan struct{} // gets one value per call
	release chan struct{}
	once    sync.Once
	answer  *Answer
	err     error
	ctxErrs chan error // gets ctx.Err() when a call ends by its ctx
}

func newBlocker() *blocker {
	return &blocker{entered: make(chan struct{}, 100), release: make(chan struct{}), ctxErrs: make(chan error, 100)}
}

func (b *blocker) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	b.calls.Add(1)
	b.entered <- struct{}{}
	select {
	case <-b.release:
		if b.err != nil {
			return nil, b.err
		}
		if b.answer != nil {
			return b.answer, nil
		}
		return &Answer{Name: Fqdn(name)}, nil
	case <-ctx.Done():
		b.ctxErrs <- ctx.Err()
		return nil, ctx.Err()
	}
}

func (b *blocker) Release() { b.once.Do(func() { close(b.release) }) }

// counter counts the questions passed to its Resolver.
type counter struct {
	r     Resolver
	calls atomic.Int64
}

func (c *counter) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	c.calls.Add(1)
	return c.r.Query(ctx, name, qtype)
}
