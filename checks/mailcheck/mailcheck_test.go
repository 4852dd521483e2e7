package mailcheck

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// verdict is a finding without its detail and without the host and port
// params every finding carries (checked apart).
type verdict struct {
	Code     checks.Code
	Severity checks.Severity
	Params   map[string]string
}

func verdicts(t *testing.T, res checks.Result, host string, stdPort int) []verdict {
	t.Helper()
	var out []verdict
	for _, f := range res.Findings {
		if f.Code != checks.CheckSkipped && (f.Params["host"] != host || f.Params["port"] != strconv.Itoa(stdPort)) {
			t.Errorf("%s params %v, want host %s port %d", f.Code, f.Params, host, stdPort)
		}
		v := verdict{f.Code, f.Severity, nil}
		for k, val := range f.Params {
			if k == "host" || k == "port" {
				continue
			}
			if v.Params == nil {
				v.Params = map[string]string{}
			}
			v.Params[k] = val
		}
		out = append(out, v)
	}
	return out
}

func fail(c checks.Code) verdict { return verdict{c, checks.SeverityFail, nil} }
func warn(c checks.Code) verdict { return verdict{c, checks.SeverityWarn, nil} }

// server starts one test server and returns its port.
type server func(t *testing.T, f *fixture) int

// refusedPort is a loopback port nobody listens on.
func refusedPort(t *testing.T, _ *fixture) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := port(ln)
	ln.Close()
	return p
}

// portCase is one server and what a port check must say about it.
type portCase struct {
	name    string
	server  server
	timeout time.Duration // 0: 5s
	deps    deps          // nil: hostOK
	status  checks.Status
	want    []verdict
	check   func(t *testing.T, ep *checks.Endpoint)
}

func runPortCases(t *testing.T, check checks.Check, stdPort int, cases []portCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			ports := map[int]int{}
			if tt.server != nil {
				ports[stdPort] = tt.server(t, f)
			}
			d := tt.deps
			if d == nil {
				d = hostOK
			}
			res := check.Run(context.Background(), f.env(timeout, ports), checks.Target{Domain: "example.test", Host: mailHost}, d)
			if res.ID != check.ID {
				t.Errorf("ID = %s, want %s", res.ID, check.ID)
			}
			if res.Status != tt.status {
				t.Errorf("status = %s, want %s (findings %+v)", res.Status, tt.status, res.Findings)
			}
			if diff := cmp.Diff(tt.want, verdicts(t, res, mailHost, stdPort)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%+v", diff, res.Findings)
			}
			if res.Status != checks.StatusSkip {
				ep := res.Facts.Endpoint
				if ep == nil {
					t.Fatal("no Facts.Endpoint")
				}
				if ep.Host != mailHost || ep.Port != stdPort || ep.Works != res.Status.Works() {
					t.Errorf("endpoint %+v: want host %s, port %d, works %v", ep, mailHost, stdPort, res.Status.Works())
				}
				if len(ep.Greeting) > maxGreeting+len("…") {
					t.Errorf("greeting of %d bytes kept", len(ep.Greeting))
				}
				if tt.check != nil {
					tt.check(t, ep)
				}
			}
			f.sawOnly(t)
		})
	}
}

// common are the cases every port check shares: the dependency failed,
// nobody listens, the server never answers.
func common(dep checks.ID) []portCase {
	failedDeps := deps{
		checks.DNSHost: {ID: checks.DNSHost, Status: checks.StatusFail},
		checks.DNSMX:   {ID: checks.DNSMX, Status: checks.StatusFail},
	}
	return []portCase{
		{name: "dependency failed", deps: failedDeps, status: checks.StatusSkip,
			want: []verdict{{checks.CheckSkipped, checks.SeverityInfo, map[string]string{"dependency": string(dep)}}}},
		{name: "refused", server: refusedPort, status: checks.StatusFail, want: []verdict{fail(checks.TCPRefused)},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if ep.Addr != "" {
					t.Errorf("Addr = %q after a refused dial", ep.Addr)
				}
			}},
		{name: "tarpit", timeout: 300 * time.Millisecond, status: checks.StatusFail, want: []verdict{fail(checks.ProtoTimeout)},
			server: func(t *testing.T, f *fixture) int { return serve(t, listen(t, nil), silent) },
			check: func(t *testing.T, ep *checks.Endpoint) {
				if !strings.HasPrefix(ep.Addr, "127.0.0.1:") {
					t.Errorf("Addr = %q, want the address dialled", ep.Addr)
				}
			}},
	}
}

func TestIMAP(t *testing.T) {
	caps := func(want ...string) func(*testing.T, *checks.Endpoint) {
		return func(t *testing.T, ep *checks.Endpoint) {
			for _, c := range want {
				found := false
				for _, x := range ep.Caps {
					found = found || strings.EqualFold(x, c)
				}
				if !found {
					t.Errorf("caps %q lack %s", ep.Caps, c)
				}
			}
			if ep.TLSVersion != "TLS 1.3" || ep.Security != checks.SecurityTLS {
				t.Errorf("endpoint %+v: want TLS 1.3, SSL/TLS", ep)
			}
		}
	}
	cases := append(common(checks.DNSHost), []portCase{
		{name: "go-imap server", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int { return imapServer(t, listen(t, f.good)) },
			check:  caps("IMAP4rev1")},
		{name: "caps in greeting", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready", "X"))
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				caps("AUTH=PLAIN")(t, ep)
				if diff := cmp.Diff([]string{"PLAIN"}, ep.AuthMechs); diff != "" {
					t.Errorf("AuthMechs (-want +got):\n%s", diff)
				}
				if ep.Greeting != "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready" {
					t.Errorf("Greeting = %q", ep.Greeting)
				}
			}},
		{name: "LOGINDISABLED", status: checks.StatusFail, want: []verdict{fail(checks.IMAPNoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* OK ready", "IMAP4rev1 LOGINDISABLED"))
			}},
		{name: "LOGINDISABLED but AUTHENTICATE PLAIN", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* OK ready", "IMAP4rev1 LOGINDISABLED AUTH=PLAIN"))
			}},
		{name: "only OAuth", status: checks.StatusFail, want: []verdict{fail(checks.IMAPNoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* OK ready", "IMAP4 LOGINDISABLED AUTH=XOAUTH2"))
			}},
		{name: "BYE greeting", status: checks.StatusFail, want: []verdict{fail(checks.IMAPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* BYE too many connections", ""))
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if ep.Greeting != "* BYE too many connections" {
					t.Errorf("Greeting = %q", ep.Greeting)
				}
			}},
		{name: "1 MB greeting", status: checks.StatusFail, want: []verdict{fail(checks.IMAPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.imapResponder("* OK "+strings.Repeat("x", 1<<20), ""))
			}},
		{name: "garbage", status: checks.StatusFail, want: []verdict{fail(checks.IMAPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("\x00\xff\xfe\x16\x03\x01 junk\r\n", func(string) (string, bool) { return "", true }))
			}},
		{name: "endless capability lines", status: checks.StatusFail, want: []verdict{fail(checks.ProtoError)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), flood("* OK ready\r\n", "* CAPABILITY IMAP4rev1 X-JUNK\r\n"))
			}},
		{name: "closes after greeting", status: checks.StatusFail, want: []verdict{fail(checks.ProtoError)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("* OK ready\r\n", func(string) (string, bool) { return "", true }))
			}},
		{name: "expired certificate", status: checks.StatusFail,
			want: []verdict{{checks.TLSCertExpired, checks.SeverityFail, map[string]string{"not_after": time.Now().Add(-24 * time.Hour).UTC().Format(time.DateOnly)}}},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.expired), f.imapResponder("* OK ready", "IMAP4rev1 AUTH=PLAIN"))
			},
			check: caps("IMAP4rev1")},
		{name: "plain text on 993", status: checks.StatusFail, want: []verdict{fail(checks.TLSHandshakeFailed)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.imapResponder("* OK plain text", "IMAP4rev1"))
			}},
		{name: "silent after TLS", timeout: 300 * time.Millisecond, status: checks.StatusFail, want: []verdict{fail(checks.ProtoTimeout)},
			server: func(t *testing.T, f *fixture) int { return serve(t, listen(t, f.good), silent) }},
	}...)
	runPortCases(t, IMAP(), checks.PortIMAPS, cases)
}

func TestPOP3(t *testing.T) {
	cases := append(common(checks.DNSHost), []portCase{
		{name: "pass", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.pop3Responder("+OK POP3 ready", []string{"TOP", "USER", "SASL PLAIN LOGIN", "UIDL"}))
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if diff := cmp.Diff([]string{"PLAIN", "LOGIN"}, ep.AuthMechs); diff != "" {
					t.Errorf("AuthMechs (-want +got):\n%s", diff)
				}
				if ep.Greeting != "+OK POP3 ready" || len(ep.Caps) != 4 {
					t.Errorf("endpoint %+v", ep)
				}
			}},
		{name: "SASL only", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.pop3Responder("+OK", []string{"SASL SCRAM-SHA-256"}))
			}},
		{name: "no CAPA", status: checks.StatusFail, want: []verdict{fail(checks.POP3NoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.pop3Responder("+OK old server", nil))
			}},
		{name: "CAPA without USER or SASL", status: checks.StatusFail, want: []verdict{fail(checks.POP3NoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.pop3Responder("+OK", []string{"TOP", "UIDL"}))
			}},
		{name: "-ERR greeting", status: checks.StatusFail, want: []verdict{fail(checks.POP3BadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.pop3Responder("-ERR go away", nil))
			}},
		{name: "endless CAPA", status: checks.StatusFail, want: []verdict{fail(checks.ProtoError)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("+OK\r\n", func(string) (string, bool) {
					return "+OK\r\n" + strings.Repeat("X-JUNK "+strings.Repeat("j", 100)+"\r\n", 2000), false
				}))
			}},
		{name: "1 MB greeting", status: checks.StatusFail, want: []verdict{fail(checks.POP3BadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), flood("+OK ", "x"))
			}},
	}...)
	runPortCases(t, POP3(), checks.PortPOP3S, cases)
}

func TestSubmissions(t *testing.T) {
	cases := append(common(checks.DNSHost), []portCase{
		{name: "pass", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, f.good), smtpOptions{auth: true})
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if diff := cmp.Diff([]string{"PLAIN", "LOGIN"}, ep.AuthMechs); diff != "" {
					t.Errorf("AuthMechs (-want +got):\n%s", diff)
				}
				if !strings.HasPrefix(ep.Greeting, "220 mx.example.test ESMTP") || ep.Security != checks.SecurityTLS || ep.TLSVersion == "" {
					t.Errorf("endpoint %+v", ep)
				}
			}},
		{name: "no AUTH", status: checks.StatusFail, want: []verdict{fail(checks.SMTPNoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, f.good), smtpOptions{})
			}},
		{name: "554 go away", status: checks.StatusFail, want: []verdict{fail(checks.SMTPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("554 go away\r\n", func(string) (string, bool) { return "221 bye\r\n", true }))
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if ep.Greeting != "554 go away" {
					t.Errorf("Greeting = %q", ep.Greeting)
				}
			}},
		{name: "expired certificate", status: checks.StatusFail,
			want: []verdict{{checks.TLSCertExpired, checks.SeverityFail, map[string]string{"not_after": time.Now().Add(-24 * time.Hour).UTC().Format(time.DateOnly)}}},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, f.expired), smtpOptions{auth: true})
			}},
		{name: "1 MB greeting", status: checks.StatusFail, want: []verdict{fail(checks.SMTPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), flood("220 ", "x"))
			}},
		{name: "endless greeting", status: checks.StatusFail, want: []verdict{fail(checks.SMTPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), flood("", "220-still talking\r\n"))
			}},
		{name: "endless EHLO", status: checks.StatusFail, want: []verdict{fail(checks.ProtoError)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("220 mx\r\n", func(string) (string, bool) {
					return strings.Repeat("250-X-JUNK\r\n", 5000), false
				}))
			}},
		{name: "garbage", status: checks.StatusFail, want: []verdict{fail(checks.SMTPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, f.good), f.scripted("\x00\x01\x02 hello\r\n", func(string) (string, bool) { return "", true }))
			}},
	}...)
	runPortCases(t, Submissions(), checks.PortSubmissions, cases)
}

func TestSubmission(t *testing.T) {
	cases := append(common(checks.DNSHost), []portCase{
		{name: "pass", status: checks.StatusPass,
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, nil), smtpOptions{auth: true, startTLS: f.good})
			},
			check: func(t *testing.T, ep *checks.Endpoint) {
				if diff := cmp.Diff([]string{"PLAIN", "LOGIN"}, ep.AuthMechs); diff != "" {
					t.Errorf("AuthMechs (-want +got):\n%s", diff)
				}
				if ep.Security != checks.SecurityStartTLS || ep.TLSVersion != "TLS 1.3" {
					t.Errorf("endpoint %+v", ep)
				}
				for _, c := range ep.Caps {
					if c == "STARTTLS" {
						t.Errorf("caps %q are the clear-text ones", ep.Caps)
					}
				}
			}},
		{name: "no STARTTLS", status: checks.StatusFail,
			want: []verdict{
				{checks.SMTPAuthPlaintext, checks.SeverityWarn, map[string]string{"mechs": "PLAIN LOGIN"}},
				fail(checks.SMTPNoStartTLS),
			},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, nil), smtpOptions{auth: true, insecureAuth: true})
			}},
		{name: "AUTH before STARTTLS", status: checks.StatusWarn,
			want: []verdict{{checks.SMTPAuthPlaintext, checks.SeverityWarn, map[string]string{"mechs": "PLAIN LOGIN"}}},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, nil), smtpOptions{auth: true, insecureAuth: true, startTLS: f.good})
			}},
		{name: "no AUTH", status: checks.StatusFail, want: []verdict{fail(checks.SMTPNoAuth)},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, nil), smtpOptions{startTLS: f.good})
			}},
		{name: "expired certificate", status: checks.StatusFail,
			want: []verdict{{checks.TLSCertExpired, checks.SeverityFail, map[string]string{"not_after": time.Now().Add(-24 * time.Hour).UTC().Format(time.DateOnly)}}},
			server: func(t *testing.T, f *fixture) int {
				return f.smtpServer(t, listen(t, nil), smtpOptions{auth: true, startTLS: f.expired})
			}},
		{name: "554 go away", status: checks.StatusFail, want: []verdict{fail(checks.SMTPBadGreeting)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.scripted("554 go away\r\n", func(string) (string, bool) { return "221 bye\r\n", true }))
			}},
		{name: "closes in the middle of STARTTLS", status: checks.StatusFail, want: []verdict{fail(checks.TLSHandshakeFailed)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.scripted("220 mx ESMTP\r\n", func(cmd string) (string, bool) {
					if cmd == "STARTTLS" {
						return "220 go ahead\r\n", true
					}
					return "250-mx\r\n250 STARTTLS\r\n", false
				}))
			}},
		{name: "EHLO refused", status: checks.StatusFail, want: []verdict{fail(checks.SMTPNoStartTLS)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.scripted("220 mx ESMTP\r\n", func(cmd string) (string, bool) {
					if cmd == "QUIT" {
						return "221 bye\r\n", true
					}
					return "502 5.5.1 EHLO not implemented\r\n", false
				}))
			}},
		{name: "STARTTLS refused", status: checks.StatusFail, want: []verdict{fail(checks.SMTPNoStartTLS)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.scripted("220 mx ESMTP\r\n", func(cmd string) (string, bool) {
					switch cmd {
					case "STARTTLS":
						return "454 TLS not available\r\n", false
					case "QUIT":
						return "221 bye\r\n", true
					}
					return "250-mx\r\n250 STARTTLS\r\n", false
				}))
			}},
		{name: "data after the STARTTLS reply", status: checks.StatusFail, want: []verdict{fail(checks.ProtoError)},
			server: func(t *testing.T, f *fixture) int {
				return serve(t, listen(t, nil), f.scripted("220 mx ESMTP\r\n", func(cmd string) (string, bool) {
					if cmd == "STARTTLS" {
						return "220 go ahead\r\n250 injected\r\n", false
					}
					return "250-mx\r\n250 STARTTLS\r\n", false
				}))
			}},
	}...)
	runPortCases(t, Submission(), checks.PortSubmission, cases)
}

func TestRelayCommon(t *testing.T) {
	one := deps{
		checks.DNSMX: {ID: checks.DNSMX, Status: checks.StatusPass, Facts: checks.Facts{MXHosts: []string{mailHost + "."}}},
	}
	noMX := deps{checks.DNSMX: {ID: checks.DNSMX, Status: checks.StatusWarn}}
	cases := []portCase{
		{name: "dependency failed", deps: deps{checks.DNSMX: {ID: checks.DNSMX, Status: checks.StatusFail}}, status: checks.StatusSkip,
			want: []verdict{{checks.CheckSkipped, checks.SeverityInfo, map[string]string{"dependency": "dns.mx"}}}},
		{name: "no MX host", deps: noMX, status: checks.StatusSkip,
			want: []verdict{{checks.CheckSkipped, checks.SeverityInfo, map[string]string{"dependency": "dns.mx"}}}},
		// RFC 5321 §4.5.3.2.1: senders wait 5 minutes for the greeting;
		// silence past the step timeout is no proof mail cannot arrive.
		{name: "no greeting within the step timeout", deps: one, timeout: 300 * time.Millisecond, status: checks.StatusWarn,
			want:   []verdict{{checks.SMTPGreetingSlow, checks.SeverityWarn, map[string]string{"seconds": "1"}}},
			server: func(t *testing.T, f *fixture) int { return serve(t, listen(t, nil), silent) }},
		{name: "refused", deps: one, server: refusedPort, status: checks.StatusFail, want: []verdict{fail(checks.TCPRefused)}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ports := map[int]int{}
			if tt.server != nil {
				ports[checks.PortSMTP] = tt.server(t, f)
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			res := Relay().Run(context.Background(), f.env(timeout, ports), checks.Target{Host: mailHost}, tt.deps)
			if res.Status != tt.status {
				t.Errorf("status = %s, want %s", res.Status, tt.status)
			}
			if diff := cmp.Diff(tt.want, verdicts(t, res, mailHost, checks.PortSMTP)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRelay probes three MX hosts at once, each its own server: a good
// one, one without STARTTLS, one with an expired certificate; the fourth
// MX is beyond MaxMX and never dialled.
func TestRelay(t *testing.T) {
	f := newFixture(t)
	env := f.env(5*time.Second, nil)
	var dialled atomic.Bool
	routes := map[string]int{
		"mx1.example.test": f.smtpServer(t, listen(t, nil), smtpOptions{startTLS: f.good}),
		"mx2.example.test": f.smtpServer(t, listen(t, nil), smtpOptions{}),
		"mx3.example.test": f.smtpServer(t, listen(t, nil), smtpOptions{startTLS: f.expired}),
		"mx4.example.test": serve(t, listen(t, nil), func(net.Conn) { dialled.Store(true) }),
	}
	env.Dialer = routeDialer{next: env.Dialer, ports: routes}
	res := Relay().Run(context.Background(), env, checks.Target{Host: mailHost}, hostOK)

	type mxVerdict struct {
		Host     string
		Code     checks.Code
		Severity checks.Severity
	}
	var got []mxVerdict
	for _, fd := range res.Findings {
		if fd.Params["port"] != "25" {
			t.Errorf("%s port %q, want 25", fd.Code, fd.Params["port"])
		}
		got = append(got, mxVerdict{fd.Params["host"], fd.Code, fd.Severity})
	}
	want := []mxVerdict{
		{"mx2.example.test", checks.SMTPNoStartTLS, checks.SeverityWarn},
		{"mx3.example.test", checks.TLSCertExpired, checks.SeverityWarn},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.Status != checks.StatusWarn {
		t.Errorf("status = %s, want warn", res.Status)
	}
	type epView struct {
		Host     string
		Port     int
		Security checks.Security
		Works    bool
	}
	var eps []epView
	for _, ep := range res.Facts.Endpoints {
		eps = append(eps, epView{ep.Host, ep.Port, ep.Security, ep.Works})
	}
	wantEPs := []epView{
		{"mx1.example.test", 25, checks.SecurityStartTLS, true},
		{"mx2.example.test", 25, checks.SecurityNone, true},
		{"mx3.example.test", 25, checks.SecurityStartTLS, true},
	}
	if diff := cmp.Diff(wantEPs, eps); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
	if dialled.Load() {
		t.Errorf("the fourth MX was dialled")
	}
	f.sawOnly(t)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.verbs["EHLO"] != 5 || f.verbs["STARTTLS"] != 2 || f.verbs["QUIT"] != 3 {
		t.Errorf("servers saw %v, want EHLO 5 times (twice on mx1, mx3), STARTTLS twice, QUIT thrice", f.verbs)
	}
}

// TestRelayFallback: senders move on to the next MX that answers (RFC
// 5321 §5.1), so a dead host is a warning while another accepts mail,
// and smtp.25 fails only when none does. A dns.mx that failed for
// another reason (a null MX beside others) still hands its hosts over.
func TestRelayFallback(t *testing.T) {
	for _, tt := range []struct {
		name      string
		mxStatus  checks.Status
		primaryUp bool
		status    checks.Status
		severity  checks.Severity
	}{
		{"dead backup", checks.StatusPass, true, checks.StatusWarn, checks.SeverityWarn},
		{"no host accepts", checks.StatusPass, false, checks.StatusFail, checks.SeverityFail},
		{"null MX beside the hosts", checks.StatusFail, true, checks.StatusWarn, checks.SeverityWarn},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			env := f.env(5*time.Second, nil)
			primary := refusedPort(t, f)
			if tt.primaryUp {
				primary = f.smtpServer(t, listen(t, nil), smtpOptions{startTLS: f.good})
			}
			env.Dialer = routeDialer{next: env.Dialer, ports: map[string]int{"mx1.example.test": primary, "mx2.example.test": refusedPort(t, f)}}
			d := deps{checks.DNSMX: {ID: checks.DNSMX, Status: tt.mxStatus, Facts: checks.Facts{MXHosts: []string{"mx1.example.test", "mx2.example.test"}}}}
			res := Relay().Run(context.Background(), env, checks.Target{Host: mailHost}, d)
			if res.Status != tt.status {
				t.Errorf("status = %s, want %s (%+v)", res.Status, tt.status, res.Findings)
			}
			for _, fd := range res.Findings {
				if fd.Code == checks.TCPRefused && fd.Severity != tt.severity {
					t.Errorf("%s on %s: severity %s, want %s", fd.Code, fd.Params["host"], fd.Severity, tt.severity)
				}
			}
			if !res.Has(checks.TCPRefused) {
				t.Errorf("no tcp.refused for the dead host: %+v", res.Findings)
			}
		})
	}
}

// TestCancel proves a cancelled run ends a probe waiting on a tarpit
// without waiting for its step timeout.
func TestCancel(t *testing.T) {
	f := newFixture(t)
	p := serve(t, listen(t, nil), silent)
	env := f.env(time.Minute, map[int]int{checks.PortSubmission: p})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan checks.Result)
	go func() { done <- Submission().Run(ctx, env, checks.Target{Host: mailHost}, hostOK) }()
	time.AfterFunc(50*time.Millisecond, cancel)
	res := <-done
	if res.Status != checks.StatusFail || len(res.Findings) != 1 || res.Findings[0].Code != checks.ProtoTimeout {
		t.Errorf("cancelled probe gave %s %+v", res.Status, res.Findings)
	}
}
