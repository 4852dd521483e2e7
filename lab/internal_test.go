package lab

import (
	"bytes"
	"io"
	"maps"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// testZone is a small zone with the shapes the lab's own data does not
// use: CNAME chains, a CNAME out of the zone, a CNAME loop.
func testZone() *zone {
	z := newZone("t.test")
	z.addA("host.t.test", net.IPv4(127, 0, 0, 1))
	z.add(&dns.CNAME{Hdr: z.hdr("alias.t.test", dns.TypeCNAME), Target: "host.t.test."})
	z.add(&dns.CNAME{Hdr: z.hdr("alias2.t.test", dns.TypeCNAME), Target: "alias.t.test."})
	z.add(&dns.CNAME{Hdr: z.hdr("out.t.test", dns.TypeCNAME), Target: "example.com."})
	z.add(&dns.CNAME{Hdr: z.hdr("dangling.t.test", dns.TypeCNAME), Target: "nothing.t.test."})
	z.add(&dns.CNAME{Hdr: z.hdr("loop1.t.test", dns.TypeCNAME), Target: "loop2.t.test."})
	z.add(&dns.CNAME{Hdr: z.hdr("loop2.t.test", dns.TypeCNAME), Target: "loop1.t.test."})
	z.addTXT("long.t.test", strings.Repeat("x", 600))
	return z
}

func TestZoneAnswer(t *testing.T) {
	z := testZone()
	tests := []struct {
		qname string
		qtype uint16
		rcode int
		// answer lists the answer records' types and data.
		answer []string
	}{
		{"host.t.test", dns.TypeA, dns.RcodeSuccess, []string{"A 127.0.0.1"}},
		{"alias.t.test", dns.TypeA, dns.RcodeSuccess, []string{"CNAME host.t.test.", "A 127.0.0.1"}},
		{"alias2.t.test", dns.TypeA, dns.RcodeSuccess, []string{"CNAME alias.t.test.", "CNAME host.t.test.", "A 127.0.0.1"}},
		{"alias.t.test", dns.TypeCNAME, dns.RcodeSuccess, []string{"CNAME host.t.test."}},
		{"alias.t.test", dns.TypeMX, dns.RcodeSuccess, []string{"CNAME host.t.test."}},
		{"out.t.test", dns.TypeA, dns.RcodeSuccess, []string{"CNAME example.com."}},
		{"dangling.t.test", dns.TypeA, dns.RcodeNameError, []string{"CNAME nothing.t.test."}},
		{"loop1.t.test", dns.TypeA, dns.RcodeServerFailure, []string{"CNAME loop2.t.test.", "CNAME loop1.t.test.", "CNAME loop2.t.test.", "CNAME loop1.t.test.", "CNAME loop2.t.test.", "CNAME loop1.t.test.", "CNAME loop2.t.test.", "CNAME loop1.t.test."}},
		{"long.t.test", dns.TypeTXT, dns.RcodeSuccess, []string{"TXT " + strings.Repeat("x", 255) + " " + strings.Repeat("x", 255) + " " + strings.Repeat("x", 90)}},
	}
	for _, tt := range tests {
		t.Run(tt.qname+"/"+dns.TypeToString[tt.qtype], func(t *testing.T) {
			req := new(dns.Msg)
			req.SetQuestion(tt.qname+".", tt.qtype)
			resp := z.answer(req, dns.MaxMsgSize)
			var got []string
			for _, rr := range resp.Answer {
				f := strings.Fields(rr.String())
				data := strings.Join(f[4:], " ")
				if txt, ok := rr.(*dns.TXT); ok {
					data = strings.Join(txt.Txt, " ")
				}
				got = append(got, dns.TypeToString[rr.Header().Rrtype]+" "+data)
			}
			if resp.Rcode != tt.rcode {
				t.Errorf("rcode %s, want %s", dns.RcodeToString[resp.Rcode], dns.RcodeToString[tt.rcode])
			}
			if diff := cmp.Diff(tt.answer, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestZoneTruncation: an answer too big for plain UDP comes back
// truncated with TC set; with EDNS0 or over TCP it comes whole.
func TestZoneTruncation(t *testing.T) {
	z := testZone()
	for _, tt := range []struct {
		name      string
		edns      bool
		size      int
		truncated bool
	}{
		{"UDP", false, dns.MinMsgSize, true},
		{"UDP with EDNS0", true, dns.MinMsgSize, false},
		{"TCP", false, dns.MaxMsgSize, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := new(dns.Msg)
			req.SetQuestion("long.t.test.", dns.TypeTXT)
			if tt.edns {
				req.SetEdns0(4096, false)
			}
			resp := z.answer(req, tt.size)
			whole := len(resp.Answer) == 1
			if resp.Truncated != tt.truncated || whole == tt.truncated {
				t.Errorf("TC %v with %d answers, want TC %v", resp.Truncated, len(resp.Answer), tt.truncated)
			}
			if out, err := resp.Pack(); err != nil || (tt.size == dns.MinMsgSize && !tt.edns && len(out) > dns.MinMsgSize) {
				t.Errorf("packed %d octets: %v", len(out), err)
			}
		})
	}
}

func TestZoneOddMessages(t *testing.T) {
	z := testZone()
	q := func(edit func(m *dns.Msg)) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion("host.t.test.", dns.TypeA)
		edit(m)
		return z.answer(m, dns.MinMsgSize)
	}
	if r := q(func(m *dns.Msg) { m.Response = true }); r != nil {
		t.Errorf("answered a response: %v", r)
	}
	tests := []struct {
		name  string
		edit  func(m *dns.Msg)
		rcode int
	}{
		{"two questions", func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) }, dns.RcodeFormatError},
		{"no question", func(m *dns.Msg) { m.Question = nil }, dns.RcodeFormatError},
		{"update", func(m *dns.Msg) { m.Opcode = dns.OpcodeUpdate }, dns.RcodeNotImplemented},
		{"class CH", func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }, dns.RcodeRefused},
		{"EDNS version 1", func(m *dns.Msg) { m.SetEdns0(4096, false); m.IsEdns0().SetVersion(1) }, dns.RcodeBadVers},
		{"EDNS", func(m *dns.Msg) { m.SetEdns0(4096, false) }, dns.RcodeSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := q(tt.edit)
			if r.Rcode != tt.rcode {
				t.Errorf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tt.rcode])
			}
			if _, err := r.Pack(); err != nil {
				t.Errorf("the reply does not pack: %v", err)
			}
		})
	}
}

// FuzzZoneAnswer feeds the DNS handler arbitrary messages: it must not
// panic, and what it answers must pack within the size it was given.
func FuzzZoneAnswer(f *testing.F) {
	all, err := selectSpecs(nil)
	if err != nil {
		f.Fatal(err)
	}
	z := buildZone(all, "v=DKIM1; k=rsa; p="+strings.Repeat("A", 392))
	for _, q := range []struct {
		name  string
		qtype uint16
	}{{"good.lab.test.", dns.TypeA}, {"default._domainkey.good.lab.test.", dns.TypeTXT}, {"x.example.", dns.TypeMX}, {"lab.test.", dns.TypeANY}} {
		m := new(dns.Msg)
		m.SetQuestion(q.name, q.qtype)
		b, _ := m.Pack()
		f.Add(b)
		m.SetEdns0(1232, true)
		b, _ = m.Pack()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		req := new(dns.Msg)
		if err := req.Unpack(b); err != nil {
			return
		}
		resp := z.answer(req, dns.MinMsgSize)
		if resp == nil {
			return
		}
		out, err := resp.Pack()
		if err != nil {
			t.Fatalf("the answer to %v does not pack: %v", req.Question, err)
		}
		if len(out) > dns.DefaultMsgSize {
			t.Fatalf("a %d-octet UDP answer", len(out))
		}
	})
}

// FuzzPOP3Session feeds the POP3 responder arbitrary client bytes: every
// reply line it writes is a status line or part of the CAPA list, and the
// session always ends.
func FuzzPOP3Session(f *testing.F) {
	f.Add([]byte("CAPA\r\nQUIT\r\n"))
	f.Add([]byte("capa\nuser x\r\nSTAT\r\n"))
	f.Add([]byte(strings.Repeat("A", 300) + "\r\n"))
	f.Add([]byte(strings.Repeat("NOOP\r\n", 70)))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rw := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(in), &out}
		if err := pop3Session(rw); err != nil {
			t.Fatalf("session: %v", err)
		}
		capa := map[string]bool{"USER": true, "SASL PLAIN": true, ".": true}
		lines := strings.SplitAfter(out.String(), "\r\n")
		if lines[0] != pop3Greeting {
			t.Fatalf("greeting %q", lines[0])
		}
		for _, l := range lines[1:] {
			if l == "" {
				continue
			}
			body, ok := strings.CutSuffix(l, "\r\n")
			if !ok || !(strings.HasPrefix(body, "+OK ") || strings.HasPrefix(body, "-ERR ") || capa[body]) {
				t.Fatalf("reply line %q", l)
			}
		}
		if out.Len() > 64*len(pop3Capa)+len(pop3Greeting)+64 {
			t.Fatalf("%d octets written for %d read", out.Len(), len(in))
		}
	})
}

func TestPOP3Command(t *testing.T) {
	for in, want := range map[string]string{"CAPA\r\n": "CAPA", "quit\n": "QUIT", "User jane\r\n": "USER", "\r\n": "", " CAPA\r\n": ""} {
		if got := pop3Command([]byte(in)); got != want {
			t.Errorf("pop3Command(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRecipesFollowCatalog: the lab has a recipe for every scenario the
// catalog says it runs, and none for another.
func TestRecipesFollowCatalog(t *testing.T) {
	want := scenario.Names(scenario.Lab)
	got := slices.Sorted(maps.Keys(recipes))
	if diff := cmp.Diff(slices.Sorted(slices.Values(want)), got); diff != "" {
		t.Errorf("recipes (-catalog +lab):\n%s", diff)
	}
	if _, err := selectSpecs(nil); err != nil {
		t.Fatal(err)
	}
}
