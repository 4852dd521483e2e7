package suite_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
)

// hostileAddrs are the targets issue 6 says must never get a packet:
// loopback, RFC 1918, CGNAT, link-local with the cloud metadata address,
// "this host", IPv6 loopback, link-local and unique local, and IPv4
// loopback dressed as IPv4-mapped and NAT64 IPv6.
var hostileAddrs = []string{
	"127.0.0.1", "10.0.0.5", "172.16.0.1", "192.168.1.1", "100.64.1.1", "169.254.169.254", "0.0.0.0",
	"::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1",
}

// trap is a set of loopback listeners, one per standard port, on
// 127.0.0.1 and, where the system has it, on ::1 at the same port: every
// connection a run would make to a loopback form of a hostile address
// lands in one of them. Each listener counts what it accepts; a sentinel
// connection, which sends "S", proves the count final (see settle).
type trap struct {
	profile   checks.Profile
	listeners []*countingListener
}

type countingListener struct {
	net.Listener
	accepted atomic.Int64
	sentinel chan int64
}

func newTrap(t *testing.T) *trap {
	t.Helper()
	tr := &trap{profile: checks.Profile{PortMap: map[int]int{}}}
	for _, std := range []int{checks.PortIMAPS, checks.PortPOP3S, checks.PortSubmissions, checks.PortSubmission, checks.PortSMTP, checks.PortHTTPS} {
		ln4 := tr.listen(t, "tcp4", "127.0.0.1:0")
		port := ln4.Addr().(*net.TCPAddr).Port
		tr.profile.PortMap[std] = port
		if ln6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port))); err == nil {
			tr.add(t, ln6)
		} else {
			t.Logf("no IPv6 loopback listener on port %d: %v", port, err)
		}
	}
	return tr
}

func (tr *trap) listen(t *testing.T, network, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	tr.add(t, ln)
	return ln
}

func (tr *trap) add(t *testing.T, ln net.Listener) {
	l := &countingListener{Listener: ln, sentinel: make(chan int64, 1)}
	tr.listeners = append(tr.listeners, l)
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
}

// settle makes one sentinel connection to each listener and returns the
// connections accepted before it, across all listeners: the accept
// queue is first in, first out, so once the sentinel is accepted every
// connection made before it has been counted.
func (tr *trap) settle(t *testing.T) int64 {
	t.Helper()
	var before int64
	for _, l := range tr.listeners {
		var d net.Dialer
		c, err := d.DialContext(t.Context(), "tcp", l.Addr().String())
		if err != nil {
			t.Fatalf("sentinel dial %s: %v", l.Addr(), err)
		}
		if _, err := c.Write([]byte("S")); err != nil {
			t.Fatal(err)
		}
		select {
		case rank := <-l.sentinel:
			before += rank - 1
		case <-time.After(10 * time.Second):
			t.Fatalf("sentinel to %s never accepted", l.Addr())
		}
		c.Close()
	}
	return before
}

// hostileZone is a domain every name of which points at addr: the mail
// host, its MX, the SRV targets of RFC 6186, autoconfig and
// autodiscover, each through its own name.
func hostileZone(domain, addr string) *lookup.Fake {
	f := &lookup.Fake{A: map[string][]string{}, AAAA: map[string][]string{}, MX: map[string][]*dns.MX{}, SRV: map[string][]*dns.SRV{}, TXT: map[string][]string{}}
	m := f.A
	if netip.MustParseAddr(addr).Is6() {
		m = f.AAAA
	}
	for _, name := range []string{domain, "mx." + domain, "imap." + domain, "autoconfig." + domain, "autodiscover." + domain} {
		m[name] = []string{addr}
	}
	f.MX[domain] = []*dns.MX{{Preference: 10, Mx: "mx." + domain + "."}}
	for _, s := range []struct {
		label string
		port  uint16
	}{{"_imaps._tcp", 993}, {"_pop3s._tcp", 995}, {"_submissions._tcp", 465}, {"_submission._tcp", 587}, {"_autodiscover._tcp", 443}} {
		f.SRV[s.label+"."+domain] = []*dns.SRV{{Priority: 0, Weight: 1, Port: s.port, Target: "imap." + domain + "."}}
	}
	f.TXT[domain] = []string{"v=spf1 mx -all"}
	f.TXT["_dmarc."+domain] = []string{"v=DMARC1; p=reject"}
	return f
}

// TestHostileTargets runs the whole engine, private targets refused, on
// domains whose every name (host, MX, SRV targets, autoconfig and
// autodiscover) points at one of the hostile addresses, with a
// listener on every loopback port the run would dial. No connection may
// arrive, the host is reported private, the MX unusable, and every port
// check is skipped rather than run.
func TestHostileTargets(t *testing.T) {
	tr := newTrap(t)
	for i, addr := range hostileAddrs {
		t.Run(addr, func(t *testing.T) {
			domain := fmt.Sprintf("h%d.hostile-check.net", i)
			target, err := checks.ParseTarget(domain, false)
			if err != nil {
				t.Fatal(err)
			}
			r, err := suite.New(suite.Config{
				Resolver:     hostileZone(domain, addr),
				Timeout:      2 * time.Second,
				AllowPrivate: false,
				Profile:      tr.profile,
			})
			if err != nil {
				t.Fatal(err)
			}
			rep := r.Run(t.Context(), suite.Request{Target: target})
			if rep.Status != checks.StatusFail {
				t.Errorf("report status %s, want fail", rep.Status)
			}
			want := map[checks.ID]struct {
				status checks.Status
				code   checks.Code
			}{
				checks.DNSHost: {checks.StatusFail, checks.HostPrivateAddress},
				checks.DNSMX:   {checks.StatusFail, checks.MXPrivateAddress},
				checks.IMAP993: {checks.StatusSkip, checks.CheckSkipped},
				checks.POP3995: {checks.StatusSkip, checks.CheckSkipped},
				checks.SMTP465: {checks.StatusSkip, checks.CheckSkipped},
				checks.SMTP587: {checks.StatusSkip, checks.CheckSkipped},
				checks.SMTP25:  {checks.StatusSkip, checks.CheckSkipped},
			}
			for id, w := range want {
				res, ok := rep.Result(id)
				if !ok {
					t.Fatalf("no %s result", id)
				}
				if res.Status != w.status || !res.Has(w.code) {
					t.Errorf("%s = %s %+v, want %s with %s", id, res.Status, res.Findings, w.status, w.code)
				}
			}
			if res, _ := rep.Result(checks.DNSMX); len(res.Facts.MXHosts) != 0 {
				t.Errorf("dns.mx hands %v to smtp.25", res.Facts.MXHosts)
			}
			// The autoconfig fetches are the one dial of such a run: both
			// are refused by the guard, and say so.
			ac, _ := rep.Result(checks.DNSAutoconfig)
			if detail := findingDetails(ac); strings.Count(detail, "netguard: ") < 2 {
				t.Errorf("dns.autoconfig does not show both autoconfig fetches refused by the guard: %s", detail)
			}
		})
	}
	if n := tr.settle(t); n != 0 {
		t.Errorf("%d connections reached the loopback listeners, want 0", n)
	}
}

// TestHostileMixedHost: a host with several addresses, all of them
// hostile in different ways, is as private as one with a single address.
func TestHostileMixedHost(t *testing.T) {
	tr := newTrap(t)
	domain := "mixed.hostile-check.net"
	z := hostileZone(domain, "127.0.0.1")
	z.A[domain] = []string{"127.0.0.1", "10.0.0.5", "169.254.169.254", "0.0.0.0"}
	z.AAAA[domain] = []string{"::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "fe80::1"}
	r, err := suite.New(suite.Config{Resolver: z, Timeout: 2 * time.Second, Profile: tr.profile})
	if err != nil {
		t.Fatal(err)
	}
	target, _ := checks.ParseTarget(domain, false)
	rep := r.Run(t.Context(), suite.Request{Target: target})
	if res, _ := rep.Result(checks.DNSHost); res.Status != checks.StatusFail || !res.Has(checks.HostPrivateAddress) {
		t.Errorf("dns.host = %s %+v, want host.private_address", res.Status, res.Findings)
	}
	if n := tr.settle(t); n != 0 {
		t.Errorf("%d connections reached the loopback listeners, want 0", n)
	}
}

// TestHostileControl proves the trap catches what it should: the same
// zone with private targets allowed does reach the loopback listeners.
// Without it, the zero counts above could come from a run that dialled
// elsewhere.
func TestHostileControl(t *testing.T) {
	for _, addr := range []string{"127.0.0.1", "::1", "::ffff:127.0.0.1"} {
		t.Run(addr, func(t *testing.T) {
			tr := newTrap(t)
			if netip.MustParseAddr(addr).Is6() && !netip.MustParseAddr(addr).Is4In6() && len(tr.listeners) < 12 {
				t.Skip("no IPv6 loopback")
			}
			domain := "control.hostile-check.net"
			r, err := suite.New(suite.Config{Resolver: hostileZone(domain, addr), Timeout: time.Second, AllowPrivate: true, Profile: tr.profile})
			if err != nil {
				t.Fatal(err)
			}
			target, _ := checks.ParseTarget(domain, false)
			r.Run(context.Background(), suite.Request{Target: target})
			if n := tr.settle(t); n < 6 {
				t.Errorf("%d connections reached the listeners with private targets allowed, want at least one per port (6)", n)
			}
		})
	}
}

func findingDetails(r checks.Result) string {
	var parts []string
	for _, f := range r.Findings {
		parts = append(parts, f.Detail)
	}
	return strings.Join(parts, " | ")
}
