package lookup_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

func dialLoopback(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func direct(t *testing.T, h dns.Handler) *lookup.Direct {
	t.Helper()
	return &lookup.Direct{Server: netip.MustParseAddrPort(dnstest.Serve(t, h)), Dial: dialLoopback, Timeout: time.Second}
}

// TestDirect: the question goes out without RD, and the whole response
// comes back, RCODE and AA included.
func TestDirect(t *testing.T) {
	var rd atomic.Int64 // questions with RD set
	z := dnstest.NewZone(t, "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 7 3600 600 86400 300",
		"example.com. 300 IN MX 10 mx.example.com.")
	z.Authoritative = true
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		if r.RecursionDesired {
			rd.Add(1)
		}
		z.ServeDNS(w, r)
	})
	d := direct(t, h)
	r, err := d.Exchange(t.Context(), "Example.com", dns.TypeSOA)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Authoritative || len(r.Answer) != 1 || r.Answer[0].(*dns.SOA).Serial != 7 {
		t.Errorf("unexpected response %v", r)
	}
	r, err = d.Exchange(t.Context(), "nothing.example.com", dns.TypeMX)
	if err != nil || r.Rcode != dns.RcodeNameError || len(r.Ns) != 1 {
		t.Errorf("NXDOMAIN: %v, %v", r, err)
	}
	if z.Queries() != 2 || rd.Load() != 0 {
		t.Errorf("%d questions, %d with recursion desired", z.Queries(), rd.Load())
	}
}

// TestDirectRcode: REFUSED is a response, not an error; a silent server
// is an error wrapping ErrFailed.
func TestDirectRcode(t *testing.T) {
	z := dnstest.NewZone(t)
	z.Rcode = dns.RcodeRefused
	r, err := direct(t, z).Exchange(t.Context(), "example.com", dns.TypeSOA)
	if err != nil || r.Rcode != dns.RcodeRefused {
		t.Errorf("REFUSED: %v, %v", r, err)
	}
	silent := direct(t, dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {}))
	silent.Timeout = 50 * time.Millisecond
	if _, err := silent.Exchange(t.Context(), "example.com", dns.TypeSOA); !errors.Is(err, lookup.ErrFailed) {
		t.Errorf("silent server: %v", err)
	}
}

// TestDirectTruncated: a truncated UDP answer is asked again over TCP.
func TestDirectTruncated(t *testing.T) {
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		if w.RemoteAddr().Network() == "udp" {
			m.Truncated = true
		} else {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60},
				Txt: []string{strings.Repeat("v", 200), strings.Repeat("w", 200)}})
		}
		_ = w.WriteMsg(m)
	})
	r, err := direct(t, h).Exchange(t.Context(), "example.com", dns.TypeTXT)
	if err != nil || r.Truncated || len(r.Answer) != 1 {
		t.Errorf("got %v, %v", r, err)
	}
}

func TestAddresses(t *testing.T) {
	var rrs []dns.RR
	for _, s := range []string{"a.example. A 192.0.2.1", "a.example. AAAA ::ffff:192.0.2.2", "a.example. AAAA 2001:db8::1", "a.example. MX 10 mx.example."} {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		rrs = append(rrs, rr)
	}
	got := lookup.Addresses(rrs)
	want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::1")}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestWithTimeout: each question is bounded by the step timeout, not by
// the resolver's own.
func TestWithTimeout(t *testing.T) {
	silent := lookup.NewClient(dnstest.Serve(t, dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {})), time.Minute)
	if lookup.WithTimeout(silent, 0) != lookup.Resolver(silent) {
		t.Error("a zero timeout wraps the resolver")
	}
	if _, err := lookup.WithTimeout(silent, 50*time.Millisecond).Query(t.Context(), "example.com", dns.TypeA); !errors.Is(err, lookup.ErrFailed) {
		t.Errorf("got %v, want a failure", err)
	}
}
