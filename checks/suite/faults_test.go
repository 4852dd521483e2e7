package suite_test

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// dnsAction is what a faulty resolver does with one question.
type dnsAction int

const (
	forward  dnsAction = iota // ask the lab (over TCP) and relay its answer
	servfail                  // answer SERVFAIL
	drop                      // say nothing
	truncate                  // over UDP, an empty answer with TC set; over TCP, forward
)

// faultyDNS is a resolver on loopback (UDP and TCP on one port) in front
// of the lab's DNS server, doing to each question what decide says.
type faultyDNS struct {
	addr string
	udp  atomic.Int64 // questions received over UDP
	tcp  atomic.Int64 // over TCP
}

func startFaultyDNS(t *testing.T, upstream string, decide func(q dns.Question) dnsAction) *faultyDNS {
	t.Helper()
	f := &faultyDNS{}
	up := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		isUDP := w.RemoteAddr().Network() == "udp"
		if isUDP {
			f.udp.Add(1)
		} else {
			f.tcp.Add(1)
		}
		if len(r.Question) != 1 {
			return
		}
		act := decide(r.Question[0])
		switch {
		case act == drop:
			return
		case act == servfail:
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeServerFailure)
			w.WriteMsg(m)
			return
		case act == truncate && isUDP:
			m := new(dns.Msg)
			m.SetReply(r)
			m.Truncated = true
			w.WriteMsg(m)
			return
		}
		resp, _, err := up.Exchange(r, upstream)
		if err != nil {
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeServerFailure)
			w.WriteMsg(m)
			return
		}
		resp.Id = r.Id
		w.WriteMsg(resp)
	})
	f.addr = dnstest.Serve(t, handler)
	return f
}

// faultRunner is the lab's runner with another resolver and timeout.
func faultRunner(t *testing.T, l *lab.Lab, resolver string, timeout time.Duration) *suite.Runner {
	t.Helper()
	r, err := suite.New(suite.Config{
		Resolver:     lookup.NewClient(resolver, timeout),
		RootCAs:      l.RootCAs,
		Timeout:      timeout,
		AllowPrivate: true,
		EHLOName:     "checker.lab.test",
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verdicts returns each check's status and sorted non-info codes.
func verdicts(rep *checks.Report) map[checks.ID]scenario.Expectation {
	out := map[checks.ID]scenario.Expectation{}
	for _, res := range rep.Results {
		out[res.ID] = scenario.Observed(res)
	}
	return out
}

// expected is a scenario's expectations with some checks replaced.
func expected(s lab.Scenario, override map[checks.ID]scenario.Expectation) map[checks.ID]scenario.Expectation {
	out := map[checks.ID]scenario.Expectation{}
	for id, e := range s.Expect {
		out[id] = e
	}
	for id, e := range override {
		out[id] = e
	}
	return out
}

var (
	couldNotTell = scenario.Expectation{Status: checks.StatusError, Codes: []checks.Code{checks.ResolverFailed}}
	skipped      = scenario.Expectation{Status: checks.StatusSkip}
)

// resolverGone is every check of a run whose resolver answers nothing
// usable, the catalog's resolverdown: the DNS checks could not tell, the
// port checks, which need an address, are skipped. Nothing fails,
// nothing is "missing". The catalog's resolverdown fails the domain's
// names only; here the reverse DNS and blocklist lookups of the
// outgoing addresses fail too: smtp.outgoing could not tell either.
func resolverGone(t *testing.T) map[checks.ID]scenario.Expectation {
	t.Helper()
	s, ok := scenario.Get("resolverdown")
	if !ok {
		t.Fatal("no resolverdown in the scenario catalog")
	}
	e := s.Expectations()
	e[checks.SMTPOutgoing] = scenario.Expectation{Status: checks.StatusError, Codes: []checks.Code{checks.OutgoingUnknown}}
	return e
}

// TestResolverFaults: a resolver that drops every packet, answers
// SERVFAIL to everything, or is not there at all makes every DNS check
// say it could not tell (status error, resolver.failed) and the report
// error, never fail nor warn: nothing is reported missing that was not
// seen to be, and a failure of the checker's resolver is the checker's.
func TestResolverFaults(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("good")
	target, _ := checks.ParseTarget(s.Domain, true)
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name     string
		resolver func(t *testing.T) string
	}{
		{"drops every packet", func(t *testing.T) string {
			return startFaultyDNS(t, l.DNSAddr, func(dns.Question) dnsAction { return drop }).addr
		}},
		{"SERVFAIL", func(t *testing.T) string {
			return startFaultyDNS(t, l.DNSAddr, func(dns.Question) dnsAction { return servfail }).addr
		}},
		{"nothing listening", func(t *testing.T) string { return dnstest.ClosedAddr(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := faultRunner(t, l, tt.resolver(t), timeout)
			done := make(chan *checks.Report, 1)
			go func() { done <- r.Run(context.Background(), suite.Request{Target: target, Profile: &s.Profile}) }()
			var rep *checks.Report
			select {
			case rep = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the run hangs")
			}
			if diff := cmp.Diff(resolverGone(t), verdicts(rep)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
			if rep.Status != checks.StatusError {
				t.Errorf("report status %s, want error (could not tell is neither a failure nor a warning)", rep.Status)
			}
		})
	}
}

// TestResolverPartialFaults: one question the resolver cannot answer
// makes the check that needed it say "could not tell", and only that
// check; the others give the lab's verdicts.
func TestResolverPartialFaults(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("good")
	target, _ := checks.ParseTarget(s.Domain, true)
	d := lookup.Fqdn(s.Domain)
	tests := []struct {
		name     string
		failing  func(q dns.Question) bool
		override map[checks.ID]scenario.Expectation
	}{
		{"host address", func(q dns.Question) bool {
			return q.Name == d && (q.Qtype == dns.TypeA || q.Qtype == dns.TypeAAAA)
		}, map[checks.ID]scenario.Expectation{
			checks.DNSHost: couldNotTell,
			// The SPF record's "a" mechanism needs the same answer
			// (RFC 7208 §5.3, a DNS error is a temperror).
			checks.DNSSPF:  couldNotTell,
			checks.IMAP993: skipped, checks.POP3995: skipped, checks.SMTP465: skipped, checks.SMTP587: skipped,
			// Outlook's first autodiscover address is the domain itself:
			// not reached, so what Outlook finds cannot be told.
			checks.DNSAutoconfig: {Status: checks.StatusError, Codes: []checks.Code{checks.AutoconfigTimeout}},
		}},
		{"MX", func(q dns.Question) bool { return q.Name == d && q.Qtype == dns.TypeMX },
			// The SPF record's "mx" mechanism needs the same answer.
			map[checks.ID]scenario.Expectation{checks.DNSMX: couldNotTell, checks.DNSSPF: couldNotTell, checks.SMTP25: skipped}},
		{"MX target address", func(q dns.Question) bool { return q.Name == "mx."+d },
			map[checks.ID]scenario.Expectation{checks.DNSMX: couldNotTell, checks.SMTP25: skipped}},
		{"SPF", func(q dns.Question) bool { return q.Name == d && q.Qtype == dns.TypeTXT },
			map[checks.ID]scenario.Expectation{checks.DNSSPF: couldNotTell}},
		{"DMARC", func(q dns.Question) bool { return q.Name == "_dmarc."+d },
			map[checks.ID]scenario.Expectation{checks.DNSDMARC: couldNotTell}},
		// The lab publishes its key at default and at its platform's
		// selector, lab.
		{"DKIM selectors holding the key", func(q dns.Question) bool {
			return q.Name == "default._domainkey."+d || q.Name == "lab._domainkey."+d
		},
			map[checks.ID]scenario.Expectation{checks.DNSDKIM: couldNotTell}},
		// Any unanswered question of dns.autoconfig makes it "could not
		// tell", never a verdict on half the records.
		{"one SRV of six", func(q dns.Question) bool { return q.Name == "_imaps._tcp."+d },
			map[checks.ID]scenario.Expectation{checks.DNSAutoconfig: couldNotTell}},
	}
	for _, tt := range tests {
		for _, act := range []dnsAction{servfail, drop} {
			name := tt.name + "/SERVFAIL"
			if act == drop {
				name = tt.name + "/dropped"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				fd := startFaultyDNS(t, l.DNSAddr, func(q dns.Question) dnsAction {
					if tt.failing(q) {
						return act
					}
					return forward
				})
				r := faultRunner(t, l, fd.addr, labTimeout)
				rep := r.Run(context.Background(), suite.Request{Target: target, Profile: &s.Profile})
				if diff := cmp.Diff(expected(s, tt.override), verdicts(rep)); diff != "" {
					t.Errorf("verdicts (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestTruncatedUDP: a resolver that truncates every UDP answer (TC set,
// no records) makes every question go again over TCP, and the verdicts
// are the lab's own, scenario by scenario.
func TestTruncatedUDP(t *testing.T) {
	l := startLab(t)
	fd := startFaultyDNS(t, l.DNSAddr, func(dns.Question) dnsAction { return truncate })
	r := faultRunner(t, l, fd.addr, labTimeout)
	for _, s := range l.Scenarios() {
		if s.Name == "tarpit" {
			continue // costs a timeout and says nothing more about DNS
		}
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			rep := runScenario(t, r, s)
			if diff := cmp.Diff(s.Expect, verdicts(rep)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
	t.Cleanup(func() {
		if fd.tcp.Load() == 0 || fd.tcp.Load() != fd.udp.Load() {
			t.Errorf("%d questions over UDP, %d over TCP: want each asked again over TCP", fd.udp.Load(), fd.tcp.Load())
		}
	})
}

// slowTLS is a TCP proxy in front of a lab port that holds the server's
// first reply to a TLS ClientHello (a record starting 0x16, sent at once
// on 993, 995 and 465, after STARTTLS on 587 and 25) for delay: a server
// that completes the TLS handshake very slowly.
func slowTLS(t *testing.T, upstream int, delay time.Duration) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				var d net.Dialer
				up, err := d.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(upstream)))
				if err != nil {
					return
				}
				defer up.Close()
				hello := make(chan struct{})
				var once sync.Once
				go func() {
					buf := make([]byte, 32<<10)
					for {
						n, err := c.Read(buf)
						if n > 0 {
							if buf[0] == 0x16 {
								once.Do(func() { close(hello) })
							}
							if _, err := up.Write(buf[:n]); err != nil {
								return
							}
						}
						if err != nil {
							up.(*net.TCPConn).CloseWrite()
							return
						}
					}
				}()
				buf := make([]byte, 32<<10)
				held := false
				for {
					n, err := up.Read(buf)
					if n > 0 {
						select {
						case <-hello:
							if !held {
								held = true
								time.Sleep(delay)
							}
						default:
						}
						if _, err := c.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						if err != io.EOF {
							return
						}
						c.(*net.TCPConn).CloseWrite()
						io.Copy(io.Discard, c)
						return
					}
				}
			})
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// TestSlowTLS: every mail port of the good scenario behind a proxy that
// holds the TLS handshake. Held for less than the step timeout, the
// verdicts are the lab's (all pass); held for longer, each port check
// fails with proto.timeout (connected, then silence), and the relay
// warns: senders fall back to clear text when STARTTLS stalls.
func TestSlowTLS(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("good")
	target, _ := checks.ParseTarget(s.Domain, true)
	const timeout = time.Second
	r := faultRunner(t, l, l.DNSAddr, timeout)
	slowTimeout := scenario.Expectation{Status: checks.StatusFail, Codes: []checks.Code{checks.ProtoTimeout}}
	tests := []struct {
		name     string
		delay    time.Duration
		override map[checks.ID]scenario.Expectation
	}{
		{"within the step timeout", timeout / 4, nil},
		{"beyond the step timeout", timeout + timeout/2, map[checks.ID]scenario.Expectation{
			checks.IMAP993: slowTimeout,
			checks.POP3995: slowTimeout,
			checks.SMTP465: slowTimeout,
			checks.SMTP587: slowTimeout,
			checks.SMTP25:  {Status: checks.StatusWarn, Codes: []checks.Code{checks.ProtoTimeout}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.Profile
			p.PortMap = map[int]int{checks.PortHTTPS: s.Profile.PortMap[checks.PortHTTPS]}
			for _, std := range []int{checks.PortIMAPS, checks.PortPOP3S, checks.PortSubmissions, checks.PortSubmission, checks.PortSMTP} {
				p.PortMap[std] = slowTLS(t, s.Profile.PortMap[std], tt.delay)
			}
			rep := r.Run(context.Background(), suite.Request{Target: target, Profile: &p})
			if diff := cmp.Diff(expected(s, tt.override), verdicts(rep)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
			for _, res := range rep.Results {
				for _, f := range res.Findings {
					if f.Code == checks.ProtoTimeout && !strings.Contains(f.Detail, "TLS") {
						t.Errorf("%s: proto.timeout detail %q does not say it was the TLS handshake", res.ID, f.Detail)
					}
				}
			}
		})
	}
}
