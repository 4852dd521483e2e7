package dnstest_test

import (
	"net"
	"testing"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// TestServe: the handler answers on UDP and on TCP at the one address.
func TestServe(t *testing.T) {
	addr := dnstest.Serve(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: []string{w.RemoteAddr().Network()}})
		w.WriteMsg(m)
	}))
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
		t.Fatalf("address %q (%v), want one of 127.0.0.1", addr, err)
	}
	for _, network := range []string{"udp", "tcp"} {
		q := new(dns.Msg)
		q.SetQuestion("example.test.", dns.TypeTXT)
		resp, _, err := (&dns.Client{Net: network}).Exchange(q, addr)
		if err != nil {
			t.Fatalf("%s: %v", network, err)
		}
		if len(resp.Answer) != 1 || resp.Answer[0].(*dns.TXT).Txt[0] != network {
			t.Errorf("%s: answer %v", network, resp.Answer)
		}
	}
}

// TestClosedAddr: nothing accepts a connection at the address.
func TestClosedAddr(t *testing.T) {
	addr := dnstest.ClosedAddr(t)
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("a connection to %s was accepted", addr)
	}
}
