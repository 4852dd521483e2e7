package lookup

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// rrStrings renders records for comparison.
func rrStrings(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.String())
	}
	return out
}

func TestClientAnswers(t *testing.T) {
	z := newZone(t, true,
		"mail.example.test. 300 IN A 192.0.2.10",
		"mail.example.test. 300 IN A 192.0.2.11",
		"mail.example.test. 300 IN AAAA 2001:db8::10",
		"example.test. 300 IN MX 10 mail.example.test.",
		"example.test. 300 IN MX 20 backup.example.test.",
		`example.test. 300 IN TXT "v=spf1 " "mx -all"`,
		"_imaps._tcp.example.test. 300 IN SRV 0 1 993 mail.example.test.",
		"www.example.test. 300 IN CNAME web.example.test.",
		"web.example.test. 300 IN CNAME mail.example.test.",
		"onlytxt.example.test. 300 IN TXT \"x\"",
	)
	ts := startServer(t, z)
	c := newClient(ts)
	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		cnames  []string
		records []string
	}{
		{"A", "Mail.Example.Test", dns.TypeA, dns.RcodeSuccess, nil,
			[]string{"mail.example.test.\t300\tIN\tA\t192.0.2.10", "mail.example.test.\t300\tIN\tA\t192.0.2.11"}},
		{"AAAA", "mail.example.test.", dns.TypeAAAA, dns.RcodeSuccess, nil,
			[]string{"mail.example.test.\t300\tIN\tAAAA\t2001:db8::10"}},
		{"MX", "example.test", dns.TypeMX, dns.RcodeSuccess, nil,
			[]string{"example.test.\t300\tIN\tMX\t10 mail.example.test.", "example.test.\t300\tIN\tMX\t20 backup.example.test."}},
		{"TXT", "example.test", dns.TypeTXT, dns.RcodeSuccess, nil,
			[]string{"example.test.\t300\tIN\tTXT\t\"v=spf1 \" \"mx -all\""}},
		{"SRV", "_imaps._tcp.example.test", dns.TypeSRV, dns.RcodeSuccess, nil,
			[]string{"_imaps._tcp.example.test.\t300\tIN\tSRV\t0 1 993 mail.example.test."}},
		{"CNAME chain in one answer", "www.example.test", dns.TypeA, dns.RcodeSuccess,
			[]string{"web.example.test.", "mail.example.test."},
			[]string{"mail.example.test.\t300\tIN\tA\t192.0.2.10", "mail.example.test.\t300\tIN\tA\t192.0.2.11"}},
		{"CNAME asked", "www.example.test", dns.TypeCNAME, dns.RcodeSuccess, nil,
			[]string{"www.example.test.\t300\tIN\tCNAME\tweb.example.test."}},
		{"NXDOMAIN", "nope.example.test", dns.TypeA, dns.RcodeNameError, nil, nil},
		{"no data", "onlytxt.example.test", dns.TypeA, dns.RcodeSuccess, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := c.Query(t.Context(), tt.qname, tt.qtype)
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != Fqdn(tt.qname) {
				t.Errorf("Name = %q, want %q", a.Name, Fqdn(tt.qname))
			}
			if a.Rcode != tt.rcode {
				t.Errorf("Rcode = %d, want %d", a.Rcode, tt.rcode)
			}
			if got, want := a.NXDomain(), tt.rcode == dns.RcodeNameError; got != want {
				t.Errorf("NXDomain() = %v, want %v", got, want)
			}
			if diff := cmp.Diff(tt.cnames, a.CNAMEs); diff != "" {
				t.Errorf("CNAMEs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.records, rrStrings(a.Records)); diff != "" {
				t.Errorf("Records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClientRcodeErrors(t *testing.T) {
	for _, rc := range []int{dns.RcodeServerFailure, dns.RcodeRefused, dns.RcodeFormatError, dns.RcodeNotImplemented} {
		t.Run(dns.RcodeToString[rc], func(t *testing.T) {
			z := newZone(t, true, "example.test. 300 IN A 192.0.2.1")
			z.rcode["example.test."] = rc
			c := newClient(startServer(t, z))
			a, err := c.Query(t.Context(), "example.test", dns.TypeMX)
			if !errors.Is(err, ErrFailed) {
				t.Fatalf("Query = %v, %v; want an error wrapping ErrFailed", a, err)
			}
			for _, want := range []string{"example.test", "MX", dns.RcodeToString[rc]} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// TestClientNoAnswer: a resolver that drops every packet is asked twice
// over UDP, then the question fails.
func TestClientNoAnswer(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	c := NewClient(pc.LocalAddr().String(), 50*time.Millisecond)
	_, err = c.Query(t.Context(), "example.test", dns.TypeA)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Query error = %v, want ErrFailed", err)
	}
	if !strings.Contains(err.Error(), "example.test A") {
		t.Errorf("error %q does not name the question", err)
	}
	// The datagrams sent are all in the socket's buffer already.
	var got []string
	buf := make([]byte, 4096)
	for {
		pc.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			break
		}
		m := new(dns.Msg)
		if err := m.Unpack(buf[:n]); err != nil {
			t.Fatal(err)
		}
		opt := m.IsEdns0()
		if opt == nil || opt.UDPSize() != UDPSize || !m.RecursionDesired {
			t.Errorf("query without RD or EDNS0 %d: %v", UDPSize, m)
		}
		got = append(got, m.Question[0].String())
	}
	want := []string{";example.test.\tIN\t A", ";example.test.\tIN\t A"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("datagrams received (-want +got):\n%s", diff)
	}
}

func TestClientNetworkError(t *testing.T) {
	_, err := NewClient(dnstest.ClosedAddr(t), time.Second).Query(t.Context(), "example.test", dns.TypeTXT)
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Query error = %v, want ErrFailed", err)
	}
}

func TestClientTruncated(t *testing.T) {
	var records []string
	for i := range 40 {
		records = append(records, fmt.Sprintf("big.example.test. 300 IN TXT \"%03d %s\"", i, strings.Repeat("x", 100)))
	}
	z := newZone(t, true, records...)
	var mu sync.Mutex
	var sizes []uint16
	ts := startServer(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if opt := r.IsEdns0(); opt != nil && w.RemoteAddr().Network() == "udp" {
			mu.Lock()
			sizes = append(sizes, opt.UDPSize())
			mu.Unlock()
		}
		z.ServeDNS(w, r)
	}))
	a, err := newClient(ts).Query(t.Context(), "big.example.test", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Records) != 40 {
		t.Errorf("got %d records, want the 40 of the TCP answer", len(a.Records))
	}
	if got := [2]int64{ts.UDP.Load(), ts.TCP.Load()}; got != [2]int64{1, 1} {
		t.Errorf("UDP, TCP queries = %v, want [1 1]", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]uint16{UDPSize}, sizes); diff != "" {
		t.Errorf("EDNS0 sizes advertised (-want +got):\n%s", diff)
	}
}

// TestClientTruncatedMidRecord: a datagram cut in the middle of a record,
// TC set, still sends the question to TCP.
func TestClientTruncatedMidRecord(t *testing.T) {
	z := newZone(t, true, "cut.example.test. 300 IN TXT \""+strings.Repeat("y", 200)+"\"")
	ts := startServer(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if w.RemoteAddr().Network() == "tcp" {
			z.ServeDNS(w, r)
			return
		}
		m := new(dns.Msg)
		m.SetReply(r)
		m.Answer = append(m.Answer, z.rrs...)
		p, err := m.Pack()
		if err != nil {
			panic(err)
		}
		p[2] |= 0x02 // TC
		w.Write(p[:len(p)-50])
	}))
	a, err := newClient(ts).Query(t.Context(), "cut.example.test", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rrStrings(z.rrs), rrStrings(a.Records)); diff != "" {
		t.Errorf("Records (-want +got):\n%s", diff)
	}
}

// TestClientFollowsCNAME: a resolver that stops at each CNAME is asked
// for each target in turn.
func TestClientFollowsCNAME(t *testing.T) {
	z := newZone(t, false,
		"a.example.test. 300 IN CNAME b.example.test.",
		"b.example.test. 300 IN CNAME c.other.test.",
		"c.other.test. 300 IN A 192.0.2.7",
		"d.example.test. 300 IN CNAME gone.other.test.",
		"e.example.test. 300 IN CNAME nodata.other.test.",
		"nodata.other.test. 300 IN TXT \"x\"",
	)
	ts := startServer(t, z)
	c := newClient(ts)
	tests := []struct {
		name    string
		qname   string
		rcode   int
		cnames  []string
		records []string
		queries int64
	}{
		{"chain", "a.example.test", dns.RcodeSuccess, []string{"b.example.test.", "c.other.test."},
			[]string{"c.other.test.\t300\tIN\tA\t192.0.2.7"}, 3},
		{"to NXDOMAIN", "d.example.test", dns.RcodeNameError, []string{"gone.other.test."}, nil, 2},
		{"to no data", "e.example.test", dns.RcodeSuccess, []string{"nodata.other.test."}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.UDP.Load()
			a, err := c.Query(t.Context(), tt.qname, dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			if a.Rcode != tt.rcode {
				t.Errorf("Rcode = %d, want %d", a.Rcode, tt.rcode)
			}
			if diff := cmp.Diff(tt.cnames, a.CNAMEs); diff != "" {
				t.Errorf("CNAMEs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.records, rrStrings(a.Records)); diff != "" {
				t.Errorf("Records (-want +got):\n%s", diff)
			}
			if got := ts.UDP.Load() - before; got != tt.queries {
				t.Errorf("%d queries, want %d", got, tt.queries)
			}
		})
	}
}

func TestClientCNAMELoop(t *testing.T) {
	chain := []string{}
	for i := range MaxCNAMEs + 1 {
		chain = append(chain, fmt.Sprintf("l%d.example.test. 300 IN CNAME l%d.example.test.", i, i+1))
	}
	chain = append(chain, fmt.Sprintf("l%d.example.test. 300 IN A 192.0.2.1", MaxCNAMEs+1))
	for _, follow := range []bool{true, false} {
		records := append([]string{
			"x.example.test. 300 IN CNAME y.example.test.",
			"y.example.test. 300 IN CNAME X.example.test.",
			"self.example.test. 300 IN CNAME self.example.test.",
		}, chain...)
		c := newClient(startServer(t, newZone(t, follow, records...)))
		for _, name := range []string{"x.example.test", "self.example.test", "l0.example.test"} {
			t.Run(fmt.Sprintf("%s/follow=%v", name, follow), func(t *testing.T) {
				a, err := c.Query(t.Context(), name, dns.TypeA)
				if !errors.Is(err, ErrFailed) || !errors.Is(err, ErrCNAMELoop) {
					t.Fatalf("Query = %v, %v; want ErrFailed and ErrCNAMELoop", a, err)
				}
			})
		}
		t.Run(fmt.Sprintf("longest chain/follow=%v", follow), func(t *testing.T) {
			a, err := c.Query(t.Context(), "l1.example.test", dns.TypeA)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.CNAMEs) != MaxCNAMEs || len(a.Records) != 1 {
				t.Errorf("got %d CNAMEs and %d records, want %d and 1", len(a.CNAMEs), len(a.Records), MaxCNAMEs)
			}
		})
	}
}

// TestClientIgnoresStrays: records of names off the chain are not taken.
func TestClientIgnoresStrays(t *testing.T) {
	z := newZone(t, true, "ok.example.test. 300 IN A 192.0.2.1")
	for _, s := range []string{"evil.test. 300 IN A 198.51.100.66", "ok.example.test.evil.test. 300 IN A 198.51.100.67"} {
		rr, _ := dns.NewRR(s)
		z.extra = append(z.extra, rr)
	}
	a, err := newClient(startServer(t, z)).Query(t.Context(), "ok.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ok.example.test.\t300\tIN\tA\t192.0.2.1"}, rrStrings(a.Records)); diff != "" {
		t.Errorf("Records (-want +got):\n%s", diff)
	}
}

// TestClientRecordCap: an answer keeps at most MaxRecords records.
func TestClientRecordCap(t *testing.T) {
	var records []string
	for i := range MaxRecords + 50 {
		records = append(records, fmt.Sprintf("many.example.test. 300 IN A 10.%d.%d.1", i/256, i%256))
	}
	a, err := newClient(startServer(t, newZone(t, true, records...))).Query(t.Context(), "many.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Records) != MaxRecords {
		t.Errorf("got %d records, want %d", len(a.Records), MaxRecords)
	}
}

// TestClientIgnoresForgery: a datagram with the wrong ID or question is
// not taken for the answer; the real one that follows is.
func TestClientIgnoresForgery(t *testing.T) {
	z := newZone(t, true, "real.example.test. 300 IN A 192.0.2.1")
	ts := startServer(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if w.RemoteAddr().Network() == "udp" {
			bad := new(dns.Msg)
			bad.SetReply(r)
			bad.Id = r.Id + 1
			rr, _ := dns.NewRR("real.example.test. 300 IN A 198.51.100.1")
			bad.Answer = []dns.RR{rr}
			w.WriteMsg(bad)
			other := new(dns.Msg)
			other.SetQuestion("other.example.test.", dns.TypeA)
			other.Id = r.Id
			other.Response = true
			rr, _ = dns.NewRR("other.example.test. 300 IN A 198.51.100.2")
			other.Answer = []dns.RR{rr}
			w.WriteMsg(other)
			w.Write([]byte("garbage"))
			w.Write([]byte{byte(r.Id >> 8), byte(r.Id), 0x80, 0, 0, 9, 0, 0, 0, 0, 0, 0, 1})
		}
		z.ServeDNS(w, r)
	}))
	a, err := newClient(ts).Query(t.Context(), "real.example.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"real.example.test.\t300\tIN\tA\t192.0.2.1"}, rrStrings(a.Records)); diff != "" {
		t.Errorf("Records (-want +got):\n%s", diff)
	}
}

// TestClientTCPMismatch: over TCP, a response to another question is an
// error, not an answer.
func TestClientTCPMismatch(t *testing.T) {
	ts := startServer(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		if w.RemoteAddr().Network() == "udp" {
			m.Truncated = true
		} else {
			m.Question[0].Name = "other.example.test."
		}
		w.WriteMsg(m)
	}))
	_, err := newClient(ts).Query(t.Context(), "tcp.example.test", dns.TypeA)
	if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("Query error = %v, want ErrFailed, no match", err)
	}
}

// TestClientContext: a cancelled ctx ends the question at once, whatever
// the timeout.
func TestClientContext(t *testing.T) {
	received := make(chan struct{}, 10)
	release := make(chan struct{})
	ts := startServer(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		received <- struct{}{}
		<-release
	}))
	t.Cleanup(func() { close(release) })
	c := NewClient(ts.Addr, time.Hour)

	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := c.Query(ctx, "example.test", dns.TypeA)
		if !errors.Is(err, ErrFailed) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Query error = %v, want ErrFailed and context.Canceled", err)
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-received
			cancel()
		}()
		_, err := c.Query(ctx, "example.test", dns.TypeA)
		if !errors.Is(err, ErrFailed) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Query error = %v, want ErrFailed and context.Canceled", err)
		}
	})
}

func TestMatches(t *testing.T) {
	q := new(dns.Msg)
	q.SetQuestion("a.example.test.", dns.TypeA)
	reply := func(edit func(r *dns.Msg)) *dns.Msg {
		r := new(dns.Msg)
		r.SetReply(q)
		edit(r)
		return r
	}
	tests := []struct {
		name string
		r    *dns.Msg
		want bool
	}{
		{"reply", reply(func(r *dns.Msg) {}), true},
		{"other case", reply(func(r *dns.Msg) { r.Question[0].Name = "A.Example.TEST." }), true},
		{"other id", reply(func(r *dns.Msg) { r.Id++ }), false},
		{"not a response", reply(func(r *dns.Msg) { r.Response = false }), false},
		{"other opcode", reply(func(r *dns.Msg) { r.Opcode = dns.OpcodeNotify }), false},
		{"other name", reply(func(r *dns.Msg) { r.Question[0].Name = "b.example.test." }), false},
		{"other type", reply(func(r *dns.Msg) { r.Question[0].Qtype = dns.TypeAAAA }), false},
		{"other class", reply(func(r *dns.Msg) { r.Question[0].Qclass = dns.ClassCHAOS }), false},
		{"two questions", reply(func(r *dns.Msg) { r.Question = append(r.Question, r.Question[0]) }), false},
		{"no question, REFUSED", reply(func(r *dns.Msg) { r.Question = nil; r.Rcode = dns.RcodeRefused }), true},
		{"no question, NOERROR", reply(func(r *dns.Msg) { r.Question = nil }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matches(q, tt.r); got != tt.want {
				t.Errorf("matches = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzWalk feeds arbitrary responses to the answer processing: no panic,
// at most MaxRecords records, all owned by the end of the chain, a chain
// no longer than MaxCNAMEs.
func FuzzWalk(f *testing.F) {
	add := func(qtype uint16, records ...string) {
		m := new(dns.Msg)
		m.SetQuestion("a.example.test.", qtype)
		m.Response = true
		for _, s := range records {
			rr, err := dns.NewRR(s)
			if err != nil {
				f.Fatal(err)
			}
			m.Answer = append(m.Answer, rr)
		}
		p, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	add(dns.TypeA, "a.example.test. 1 IN A 192.0.2.1")
	add(dns.TypeA, "a.example.test. 1 IN CNAME b.example.test.", "b.example.test. 1 IN CNAME a.example.test.")
	add(dns.TypeA, "a.example.test. 1 IN CNAME b.example.test.", "b.example.test. 1 IN A 192.0.2.1", "c.test. 1 IN A 192.0.2.2")
	add(dns.TypeCNAME, "a.example.test. 1 IN CNAME b.example.test.")
	add(dns.TypeTXT, `A.EXAMPLE.TEST. 1 IN TXT "v=spf1 -all"`)
	f.Fuzz(func(t *testing.T, p []byte) {
		m := new(dns.Msg)
		if err := m.Unpack(p); err != nil || len(m.Question) != 1 {
			return
		}
		name := Fqdn(m.Question[0].Name)
		seen := map[string]bool{name: true}
		final, followed, records, err := walk(m.Answer, name, m.Question[0].Qtype, seen, 0)
		if err != nil {
			return
		}
		if len(followed) > MaxCNAMEs || len(records) > MaxRecords {
			t.Fatalf("%d CNAMEs, %d records", len(followed), len(records))
		}
		for _, rr := range records {
			if !strings.EqualFold(rr.Header().Name, final) || rr.Header().Rrtype != m.Question[0].Qtype {
				t.Fatalf("record %v kept for %s %d", rr, final, m.Question[0].Qtype)
			}
		}
	})
}

func BenchmarkClientQuery(b *testing.B) {
	z := newZone(b, true,
		"mail.example.test. 300 IN A 192.0.2.10",
		"www.example.test. 300 IN CNAME mail.example.test.",
	)
	c := newClient(startServer(b, z))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		a, err := c.Query(ctx, "www.example.test", dns.TypeA)
		if err != nil || len(a.Records) != 1 {
			b.Fatal(a, err)
		}
	}
}
