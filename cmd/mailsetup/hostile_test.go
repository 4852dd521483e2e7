package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// watcher is a DNS resolver address (UDP and TCP on one loopback port)
// and a listener on 127.0.0.1 for every standard port, counting every
// datagram and connection they get.
type watcher struct {
	resolver string
	portMap  string // the --port-map flag sending every port to a listener
	packets  atomic.Int64
	conns    atomic.Int64
	udp      net.PacketConn
}

func newWatcher(t *testing.T) *watcher {
	t.Helper()
	w := &watcher{}
	pc, tcp := dnstest.Open(t)
	w.udp = pc
	w.resolver = pc.LocalAddr().String()
	w.count(t, tcp)
	var pairs []string
	for _, std := range []int{993, 995, 465, 587, 25, 443} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		w.count(t, ln)
		pairs = append(pairs, fmt.Sprintf("%d:%d", std, ln.Addr().(*net.TCPAddr).Port))
	}
	sort.Strings(pairs)
	w.portMap = "--port-map=" + strings.Join(pairs, ",")
	return w
}

func (w *watcher) count(t *testing.T, ln net.Listener) {
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			w.conns.Add(1)
			c.Close()
		}
	}()
}

// quiet reports what reached the watcher: datagrams still waiting in the
// UDP socket (a datagram sent on loopback is there when sendto returns)
// and connections accepted. A connection made is in the accept queue
// when connect returns; the short wait lets the accept loop count it.
func (w *watcher) quiet(t *testing.T) (packets, conns int64) {
	t.Helper()
	buf := make([]byte, 4096)
	for {
		w.udp.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if _, _, err := w.udp.ReadFrom(buf); err != nil {
			break
		}
		w.packets.Add(1)
	}
	time.Sleep(50 * time.Millisecond)
	return w.packets.Load(), w.conns.Load()
}

// TestCLIRefusesIPLiterals: an IP literal, in whatever dress a user or a
// Slack message gives it, as the domain, the address, the --host or a
// line of --file, is a usage error (exit 2) before any DNS question or
// connection, private targets allowed or not.
func TestCLIRefusesIPLiterals(t *testing.T) {
	w := newWatcher(t)
	var inputs []string
	for _, a := range []string{"127.0.0.1", "10.0.0.5", "172.16.0.1", "192.168.1.1", "100.64.1.1", "169.254.169.254", "0.0.0.0",
		"::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"} {
		br := a
		if strings.Contains(a, ":") {
			br = "[" + a + "]"
		}
		inputs = append(inputs, a, br, "jane@"+br, "https://"+br+"/", "<http://"+br+"|x>", "mailto:jane@"+br, br+":993")
	}
	inputs = append(inputs, "[fe80::1%eth0]", "127.1", "0x7f000001.0", "2130706433", "169.254.169.254.", "[127.0.0.1]:25")
	for _, in := range inputs {
		for _, allow := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/allow-private=%v", in, allow), func(t *testing.T) {
				args := []string{"check", "--resolver", w.resolver, "--timeout", "1s", w.portMap}
				if allow {
					args = append(args, "--allow-private")
				}
				code, out, errOut := runCLI(t, env(), append(args, in)...)
				if code != exitUsage {
					t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitUsage, out, errOut)
				}
				if out != "" || errOut == "" {
					t.Errorf("want nothing on stdout and a reason on stderr\nstdout: %s\nstderr: %s", out, errOut)
				}
				// The same address as --host of a valid domain.
				if code, _, errOut := runCLI(t, env(), append(args, "--host", in, "client.com")...); code != exitUsage {
					t.Errorf("--host %s: exit %d, want %d\n%s", in, code, exitUsage, errOut)
				}
			})
		}
	}
	t.Run("--file", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"check", "--file", "-", "--resolver", w.resolver, "--format", "json", w.portMap},
			strings.NewReader(strings.Join(inputs, "\n")), &out, &errOut, env())
		if code != exitUsage {
			t.Errorf("exit %d, want %d (every line invalid)\n%s", code, exitUsage, errOut.String())
		}
		if got := strings.Count(out.String(), "\n"); got != len(inputs) {
			t.Errorf("%d lines for %d invalid inputs:\n%s", got, len(inputs), out.String())
		}
	})
	if packets, conns := w.quiet(t); packets != 0 || conns != 0 {
		t.Errorf("%d DNS datagrams and %d connections, want none", packets, conns)
	}
}

// TestCLINameToLoopback: a domain whose DNS says 127.0.0.1 and ::1 for
// every name (host, MX, autoconfig) is reported host.private_address and
// fails (exit 1) with no connection to the loopback listeners.
func TestCLINameToLoopback(t *testing.T) {
	w := newWatcher(t)
	// The watcher's resolver port stays silent; this one answers.
	srv := dnstest.Serve(t, dns.HandlerFunc(func(rw dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		switch q.Qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, mustRR(t, q.Name+" 60 IN A 127.0.0.1"))
		case dns.TypeAAAA:
			m.Answer = append(m.Answer, mustRR(t, q.Name+" 60 IN AAAA ::1"))
		case dns.TypeMX:
			m.Answer = append(m.Answer, mustRR(t, q.Name+" 60 IN MX 10 mx."+q.Name))
		}
		rw.WriteMsg(m)
	}))
	code, out, errOut := runCLI(t, env(), "check", "--resolver", srv, "--timeout", "2s", "--format", "json", w.portMap, "evil-loopback.com")
	if code != exitFail {
		t.Errorf("exit %d, want %d\n%s\n%s", code, exitFail, out, errOut)
	}
	var rep struct {
		Checks []struct {
			ID       string `json:"id"`
			Status   string `json:"status"`
			Findings []struct {
				Code string `json:"code"`
			} `json:"findings"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, c := range rep.Checks {
		var codes []string
		for _, f := range c.Findings {
			codes = append(codes, f.Code)
		}
		got[c.ID] = c.Status + " " + strings.Join(codes, ",")
	}
	for id, want := range map[string][2]string{
		"dns.host": {"fail", string(checks.HostPrivateAddress)},
		"dns.mx":   {"fail", string(checks.MXPrivateAddress)},
		"imap.993": {"skip", string(checks.CheckSkipped)},
		"smtp.25":  {"skip", string(checks.CheckSkipped)},
	} {
		status, codes, _ := strings.Cut(got[id], " ")
		if status != want[0] || !strings.Contains(","+codes+",", ","+want[1]+",") {
			t.Errorf("%s = %q, want %s with %s", id, got[id], want[0], want[1])
		}
	}
	if _, conns := w.quiet(t); conns != 0 {
		t.Errorf("%d connections to the loopback listeners, want 0", conns)
	}
	// The control: private targets allowed, the same run reaches them.
	runCLI(t, env(), "check", "--resolver", srv, "--timeout", "1s", "--allow-private", w.portMap, "evil-loopback.com")
	if _, conns := w.quiet(t); conns == 0 {
		t.Error("no connection with --allow-private: the listeners prove nothing")
	}
}

func mustRR(t *testing.T, s string) dns.RR {
	rr, err := dns.NewRR(s)
	if err != nil {
		t.Fatal(err)
	}
	return rr
}
