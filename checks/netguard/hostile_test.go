package netguard

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// issueAddrs are the targets issue 6 lists, each with the address the
// guard judges once IPv4-mapped IPv6 is unmapped.
var issueAddrs = []struct{ addr, judged string }{
	{"127.0.0.1", "127.0.0.1"},
	{"10.0.0.5", "10.0.0.5"},
	{"172.16.0.1", "172.16.0.1"},
	{"192.168.1.1", "192.168.1.1"},
	{"100.64.1.1", "100.64.1.1"},
	{"169.254.169.254", "169.254.169.254"},
	{"0.0.0.0", "0.0.0.0"},
	{"::1", "::1"},
	{"fe80::1", "fe80::1"},
	{"fd00::1", "fd00::1"},
	{"::ffff:127.0.0.1", "127.0.0.1"},
	{"64:ff9b::7f00:1", "64:ff9b::7f00:1"},
}

// dualListen opens a counting listener on 127.0.0.1 and, when the
// system has IPv6 loopback, another on ::1 at the same port: a dial to
// any loopback form of the port lands in one of them.
func dualListen(t *testing.T) (port string, ls []*listener) {
	t.Helper()
	l4 := listen(t, "tcp4", "127.0.0.1:0")
	ls = append(ls, l4)
	if ln, err := net.Listen("tcp6", net.JoinHostPort("::1", l4.port)); err == nil {
		ln.Close() // free again: listen opens it with the sentinel machinery
		ls = append(ls, listen(t, "tcp6", net.JoinHostPort("::1", l4.port)))
	} else {
		t.Logf("no IPv6 loopback on port %s: %v", l4.port, err)
	}
	return l4.port, ls
}

// TestIssueTargetsRefused: every address of the issue's list, given as
// an IP literal or as a name whose A or AAAA record says it, is refused
// by the guard, through DialContext and through the HTTP client (the
// autoconfig fetch), and no connection reaches a loopback listener on
// the port dialled.
func TestIssueTargetsRefused(t *testing.T) {
	port, ls := dualListen(t)
	fake := &lookup.Fake{A: map[string][]string{}, AAAA: map[string][]string{}}
	names := map[string]string{}
	for i, a := range issueAddrs {
		name := "n" + string(rune('a'+i)) + ".hostile.example"
		names[a.addr] = name
		if netip.MustParseAddr(a.addr).Is4() {
			fake.A[name] = []string{a.addr}
		} else {
			fake.AAAA[name] = []string{a.addr}
		}
	}
	d := guarded(fake)
	client := d.HTTPClient(nil, 2*time.Second)
	for _, a := range issueAddrs {
		judged := netip.MustParseAddr(a.judged)
		t.Run(a.addr, func(t *testing.T) {
			for _, host := range []string{a.addr, names[a.addr]} {
				_, err := d.DialContext(t.Context(), "tcp", net.JoinHostPort(host, port))
				assertForbidden(t, err, host, judged)

				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://"+net.JoinHostPort(host, port)+"/mail/config-v1.1.xml", nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := client.Do(req)
				if err == nil {
					resp.Body.Close()
					t.Fatalf("GET %s went through", req.URL)
				}
				if !errors.Is(err, ErrForbidden) {
					t.Errorf("GET %s: error %v, want ErrForbidden", req.URL, err)
				}
			}
		})
	}
	for _, l := range ls {
		l.assertNoneAccepted(t)
	}
}

// TestHTTPClientRebinding: a name public when a checker first looked it
// up and loopback when the HTTP client dials it is refused: the HTTP
// path judges the address dialled too.
func TestHTTPClientRebinding(t *testing.T) {
	l := listen(t, "tcp4", "127.0.0.1:0")
	r := &rebinder{}
	if addrs, _, _, err := lookup.Addrs(t.Context(), r, "rebind.test"); err != nil || len(addrs) != 1 || Forbidden(addrs[0]) {
		t.Fatalf("first resolution: %v, %v; want one public address", addrs, err)
	}
	resp, err := guarded(r).HTTPClient(nil, 2*time.Second).Get("https://rebind.test:" + l.port + "/")
	if err == nil {
		resp.Body.Close()
		t.Fatal("GET went through")
	}
	var fe *ForbiddenError
	if !errors.As(err, &fe) || fe.Addr != netip.MustParseAddr("127.0.0.1") {
		t.Fatalf("error %v, want a *ForbiddenError for 127.0.0.1", err)
	}
	l.assertNoneAccepted(t)
}
