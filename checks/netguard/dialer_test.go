package netguard

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// listener counts the connections a loopback listener accepts, in order.
// A connection that sends "S" first is the sentinel: when it is accepted,
// every connection made before it has been accepted too (the accept queue
// is first in, first out).
type listener struct {
	net.Listener
	port     string
	accepted atomic.Int64
	sentinel chan int64 // the sentinel's rank among accepted connections
}

func listen(t *testing.T, network, addr string) *listener {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("no %s listener on %s: %v", network, addr, err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	l := &listener{Listener: ln, port: port, sentinel: make(chan int64, 1)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			rank := l.accepted.Add(1)
			go func() {
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				b := make([]byte, 1)
				if n, _ := c.Read(b); n == 1 && b[0] == 'S' {
					l.sentinel <- rank
				}
			}()
		}
	}()
	return l
}

// assertNoneAccepted proves that no connection reached l before now.
func (l *listener) assertNoneAccepted(t *testing.T) {
	t.Helper()
	d := &Dialer{AllowPrivate: true}
	c, err := d.DialContext(t.Context(), "tcp", l.Addr().String())
	if err != nil {
		t.Fatalf("sentinel dial: %v", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("S")); err != nil {
		t.Fatal(err)
	}
	if rank := <-l.sentinel; rank != 1 {
		t.Errorf("%d connections accepted before the sentinel, want 0", rank-1)
	}
}

// guarded is a Dialer with a generous timeout: a refusal must come from
// the guard, not from a timeout.
func guarded(r lookup.Resolver) *Dialer {
	return &Dialer{Resolver: r, Timeout: 5 * time.Second}
}

func assertForbidden(t *testing.T, err error, host string, addr netip.Addr) {
	t.Helper()
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("error %v, want ErrForbidden", err)
	}
	var fe *ForbiddenError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is no *ForbiddenError", err)
	}
	if fe.Host != host || fe.Addr != addr {
		t.Errorf("ForbiddenError{%q, %s}, want {%q, %s}", fe.Host, fe.Addr, host, addr)
	}
}

// TestDialLoopbackRefused: loopback in every form reaches no listener.
func TestDialLoopbackRefused(t *testing.T) {
	l4 := listen(t, "tcp4", "127.0.0.1:0")
	tests := []struct {
		host string
		addr string // the address the guard sees
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"::ffff:127.0.0.1", "127.0.0.1"},
		{"0.0.0.0", "0.0.0.0"}, // connects to the local host on Linux
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			_, err := guarded(nil).DialContext(t.Context(), "tcp", net.JoinHostPort(tt.host, l4.port))
			assertForbidden(t, err, tt.host, netip.MustParseAddr(tt.addr))
		})
	}
	l4.assertNoneAccepted(t)

	t.Run("IPv6", func(t *testing.T) {
		l6 := listen(t, "tcp6", "[::1]:0")
		for _, host := range []string{"::1", "::"} {
			_, err := guarded(nil).DialContext(t.Context(), "tcp", net.JoinHostPort(host, l6.port))
			assertForbidden(t, err, host, netip.MustParseAddr(host))
		}
		l6.assertNoneAccepted(t)
	})
}

// TestDialForbiddenRefused: the other forbidden addresses are refused by
// the guard itself (a dial to them would end by a timeout or an
// unreachable network, not ErrForbidden).
func TestDialForbiddenRefused(t *testing.T) {
	for _, host := range []string{
		"10.0.0.5", "172.16.0.1", "192.168.1.1", "100.64.1.1", "169.254.169.254",
		"fe80::1", "fe80::1%lo", "fd00::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "224.0.0.1", "ff02::1",
		"192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "240.0.0.1", "255.255.255.255",
		"2001:db8::1", "::7f00:1",
	} {
		t.Run(host, func(t *testing.T) {
			_, err := guarded(nil).DialContext(t.Context(), "tcp", net.JoinHostPort(host, "25"))
			if !errors.Is(err, ErrForbidden) {
				t.Fatalf("error %v, want ErrForbidden", err)
			}
		})
	}
}

func TestDialAllowPrivate(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0")
	d := &Dialer{AllowPrivate: true, Resolver: &lookup.Fake{A: map[string][]string{"lab.test": {"127.0.0.1"}}}}
	for i, addr := range []string{"127.0.0.1:" + l.port, "lab.test:" + l.port} {
		c, err := d.DialContext(t.Context(), "tcp", addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if _, err := c.Write([]byte("S")); err != nil {
			t.Fatal(err)
		}
		if rank := <-l.sentinel; rank != int64(i+1) {
			t.Errorf("%s: accepted as connection %d, want %d", addr, rank, i+1)
		}
		c.Close()
	}
}

// TestDialNameToLoopback: a name whose records say loopback is refused.
func TestDialNameToLoopback(t *testing.T) {
	l4 := listen(t, "tcp4", "127.0.0.1:0")
	r := &lookup.Fake{
		A:     map[string][]string{"evil.test": {"127.0.0.1"}},
		AAAA:  map[string][]string{"evil6.test": {"::1"}, "mapped.test": {"::ffff:127.0.0.1"}},
		CNAME: map[string]string{"alias.test": "evil.test"},
	}
	tests := []struct{ host, addr string }{
		{"evil.test", "127.0.0.1"},
		{"alias.test", "127.0.0.1"},
		{"mapped.test", "127.0.0.1"},
		{"evil6.test", "::1"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			_, err := guarded(r).DialContext(t.Context(), "tcp", net.JoinHostPort(tt.host, l4.port))
			assertForbidden(t, err, tt.host, netip.MustParseAddr(tt.addr))
			if !strings.Contains(err.Error(), net.JoinHostPort(tt.host, l4.port)) {
				t.Errorf("error %q does not name %s", err, net.JoinHostPort(tt.host, l4.port))
			}
		})
	}
	l4.assertNoneAccepted(t)
}

// rebinder answers a public address to the first A question about a
// name, and 127.0.0.1 afterwards: DNS rebinding.
type rebinder struct{ asked atomic.Int64 }

func (r *rebinder) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	a := &lookup.Answer{Name: lookup.Fqdn(name)}
	if qtype == dns.TypeA {
		ip := "127.0.0.1"
		if r.asked.Add(1) == 1 {
			ip = "8.8.8.8"
		}
		rr, err := dns.NewRR(a.Name + " 1 IN A " + ip)
		if err != nil {
			return nil, err
		}
		a.Records = []dns.RR{rr}
	}
	return a, nil
}

// TestDialRebinding: a name checked public before the dial and private
// at the dial is refused: the guard judges the address dialled.
func TestDialRebinding(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0")
	r := &rebinder{}
	// What a checker validating the name first would have seen.
	addrs, _, _, err := lookup.Addrs(t.Context(), r, "rebind.test")
	if err != nil || len(addrs) != 1 || Forbidden(addrs[0]) {
		t.Fatalf("first resolution: %v, %v; want one public address", addrs, err)
	}
	_, err = guarded(r).DialContext(t.Context(), "tcp", "rebind.test:"+l.port)
	assertForbidden(t, err, "rebind.test", netip.MustParseAddr("127.0.0.1"))
	l.assertNoneAccepted(t)
}

// TestControl: the socket hook itself, given the addresses the kernel
// would connect to.
func TestControl(t *testing.T) {
	tests := []struct {
		address      string
		allowPrivate bool
		forbidden    bool
		err          bool
	}{
		{"127.0.0.1:25", false, true, true},
		{"[::1]:25", false, true, true},
		{"[fe80::1%eth0]:25", false, true, true},
		{"8.8.8.8:25", false, false, false},
		{"[2a00:1450:4007::1]:993", false, false, false},
		{"127.0.0.1:25", true, false, false},
		{"localhost:25", false, false, true},
		{"", true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			d := &Dialer{AllowPrivate: tt.allowPrivate}
			err := d.control("host.test")("tcp", tt.address, nil)
			if got := errors.Is(err, ErrForbidden); got != tt.forbidden {
				t.Errorf("error %v: ErrForbidden %v, want %v", err, got, tt.forbidden)
			}
			if got := err != nil; got != tt.err {
				t.Errorf("error %v, want an error: %v", err, tt.err)
			}
		})
	}
}

func TestDialNoAddress(t *testing.T) {
	r := &lookup.Fake{
		A:    map[string][]string{"v4.test": {"192.0.2.1"}},
		AAAA: map[string][]string{"v6.test": {"2001:db8::1"}},
		TXT:  map[string][]string{"txt.test": {"x"}},
		Fail: map[string]bool{"down.test": true},
	}
	tests := []struct {
		name, network, address string
		want                   error
	}{
		{"NXDOMAIN", "tcp", "none.test:25", ErrNoAddress},
		{"no A/AAAA", "tcp", "txt.test:25", ErrNoAddress},
		{"tcp6 of an IPv4-only name", "tcp6", "v4.test:25", ErrNoAddress},
		{"tcp4 of an IPv6-only name", "tcp4", "v6.test:25", ErrNoAddress},
		{"tcp4 of an IPv6 literal", "tcp4", "[2001:db8::1]:25", ErrNoAddress},
		{"empty host", "tcp", ":25", ErrNoAddress},
		{"resolver failure", "tcp", "down.test:25", lookup.ErrFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := guarded(r).DialContext(t.Context(), tt.network, tt.address)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if tt.want == lookup.ErrFailed && errors.Is(err, ErrNoAddress) {
				t.Errorf("resolver failure %v taken for no address", err)
			}
		})
	}
}

func TestDialBadInput(t *testing.T) {
	for _, tt := range []struct{ network, address string }{
		{"udp", "8.8.8.8:53"},
		{"unix", "/tmp/x"},
		{"tcp", "8.8.8.8"},
		{"tcp", "8.8.8.8:smtp"},
		{"tcp", "8.8.8.8:0"},
		{"tcp", "8.8.8.8:70000"},
	} {
		t.Run(tt.network+" "+tt.address, func(t *testing.T) {
			if c, err := guarded(nil).DialContext(t.Context(), tt.network, tt.address); err == nil {
				c.Close()
				t.Fatal("dialled")
			}
		})
	}
	t.Run("name without resolver", func(t *testing.T) {
		_, err := guarded(nil).DialContext(t.Context(), "tcp", "localhost:25")
		if err == nil || !strings.Contains(err.Error(), "no resolver") {
			t.Fatalf("error %v, want no resolver", err)
		}
	})
}

// TestDialTriesAddresses: the addresses are tried in turn, IPv4 and IPv6
// interleaved, at most MaxAttempts.
func TestDialTriesAddresses(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0")
	// Nothing listens on l's port at 127.0.0.2-5: those attempts are refused.
	r := &lookup.Fake{A: map[string][]string{
		"fourth.test": {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1"},
		"fifth.test":  {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.1"},
	}}
	var logs bytes.Buffer
	d := &Dialer{Resolver: r, AllowPrivate: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	c, err := d.DialContext(t.Context(), "tcp", "fourth.test:"+l.port)
	if err != nil {
		t.Fatalf("fourth address: %v", err)
	}
	c.Close()
	if n := strings.Count(logs.String(), "dial attempt failed"); n != 3 {
		t.Errorf("%d failed attempts logged, want 3:\n%s", n, logs.String())
	}
	_, err = d.DialContext(t.Context(), "tcp", "fifth.test:"+l.port)
	if err == nil {
		t.Fatal("fifth address dialled")
	}
	if !strings.Contains(err.Error(), "fifth.test:"+l.port) || !strings.Contains(err.Error(), "127.0.0.5") {
		t.Errorf("error %q does not name host:port and the last address tried", err)
	}
}

func TestOrder(t *testing.T) {
	addrs := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, s := range ss {
			out = append(out, netip.MustParseAddr(s))
		}
		return out
	}
	in := addrs("192.0.2.1", "192.0.2.2", "192.0.2.3", "::ffff:192.0.2.4", "2001:db8::1", "2001:db8::2")
	tests := []struct {
		network string
		want    []netip.Addr
	}{
		{"tcp", addrs("192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2", "192.0.2.3", "192.0.2.4")},
		{"tcp4", addrs("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4")},
		{"tcp6", addrs("2001:db8::1", "2001:db8::2")},
	}
	for _, tt := range tests {
		t.Run(tt.network, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, order(tt.network, in), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDialContextCancelled: no attempt is made once ctx has ended.
func TestDialContextCancelled(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	d := &Dialer{AllowPrivate: true}
	if _, err := d.DialContext(ctx, "tcp", "127.0.0.1:"+l.port); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	l.assertNoneAccepted(t)
}

func TestForbiddenErrorText(t *testing.T) {
	for _, tt := range []struct {
		e    *ForbiddenError
		want string
	}{
		{&ForbiddenError{Host: "127.0.0.1", Addr: netip.MustParseAddr("127.0.0.1")}, "netguard: 127.0.0.1 is a private or special-use address: refused"},
		{&ForbiddenError{Host: "evil.test", Addr: netip.MustParseAddr("10.0.0.1")}, "netguard: evil.test resolves to 10.0.0.1, a private or special-use address: refused"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
