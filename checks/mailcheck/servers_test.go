package mailcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

const (
	mailHost = "mail.example.test"
	ehloName = "probe.example.test"
)

// fixture holds the test-time certificates and what the servers saw.
type fixture struct {
	now     time.Time
	ca      *tlstest.CA
	good    *tls.Config
	expired *tls.Config

	mu    sync.Mutex
	verbs map[string]int // commands the servers received
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	now := time.Now()
	ca, err := tlstest.NewCA(now)
	if err != nil {
		tb.Fatal(err)
	}
	names := []string{mailHost, "*.example.test"}
	good, err := ca.Issue(tlstest.Valid(now, names...))
	if err != nil {
		tb.Fatal(err)
	}
	expired, err := ca.Issue(tlstest.Leaf{Names: names, NotBefore: now.Add(-100 * 24 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{
		now:     now,
		ca:      ca,
		good:    &tls.Config{Certificates: []tls.Certificate{good}},
		expired: &tls.Config{Certificates: []tls.Certificate{expired}},
		verbs:   map[string]int{},
	}
}

// printable reports whether a line is plain ASCII text, as every command
// of SMTP, IMAP and POP3 is; binary (a TLS handshake) is not a command.
func printable(s string) bool {
	for _, r := range s {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return true
}

func (f *fixture) saw(verb string) {
	for _, r := range verb {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return // not a command: a TLS ClientHello sent to a plain-text server
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.verbs[strings.ToUpper(verb)]++
}

// sawOnly fails the test if a server received a command a probe must
// never send (MAIL, RCPT, VRFY, AUTH, LOGIN, USER…).
func (f *fixture) sawOnly(tb testing.TB) {
	tb.Helper()
	allowed := map[string]bool{"EHLO": true, "STARTTLS": true, "QUIT": true, "CAPABILITY": true, "LOGOUT": true, "CAPA": true}
	f.mu.Lock()
	defer f.mu.Unlock()
	for v := range f.verbs {
		if !allowed[v] {
			tb.Errorf("a probe sent %s", v)
		}
	}
}

// env is the checker's environment: the real guarded dialer, resolving
// the test names to 127.0.0.1 through a fake resolver, and the profile
// mapping the standard ports to the servers' random ones.
func (f *fixture) env(timeout time.Duration, ports map[int]int) *checks.Env {
	fake := &lookup.Fake{A: map[string][]string{}}
	for _, h := range []string{mailHost, "mx1.example.test", "mx2.example.test", "mx3.example.test", "mx4.example.test"} {
		fake.A[h] = []string{"127.0.0.1"}
	}
	return &checks.Env{
		Resolver: fake,
		Dialer:   &netguard.Dialer{Resolver: fake, AllowPrivate: true, Timeout: timeout},
		RootCAs:  f.ca.Pool,
		Now:      func() time.Time { return f.now },
		Timeout:  timeout,
		Profile:  checks.Profile{PortMap: ports},
		EHLOName: ehloName,
	}
}

// listen opens a loopback listener, TLS from the first byte when cfg is
// set, closed when the test ends.
func listen(tb testing.TB, cfg *tls.Config) net.Listener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	tb.Cleanup(func() { ln.Close() })
	return ln
}

func port(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// serve runs handler on every connection accepted on ln and returns the
// port.
func serve(tb testing.TB, ln net.Listener, handler func(net.Conn)) int {
	var wg sync.WaitGroup
	tb.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				handler(c)
			})
		}
	})
	return port(ln)
}

// scripted is a line server: it sends greeting, then answers each
// command line with respond until respond says to hang up.
func (f *fixture) scripted(greeting string, respond func(cmd string) (reply string, hangup bool)) func(net.Conn) {
	return func(c net.Conn) {
		if _, err := io.WriteString(c, greeting); err != nil {
			return
		}
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.TrimRight(line, "\r\n")
			if !printable(cmd) {
				continue // not a command: a TLS ClientHello sent to a plain-text server
			}
			fields := strings.Fields(cmd)
			switch {
			case len(fields) == 0:
			case strings.HasPrefix(fields[0], "m") && len(fields) > 1: // an IMAP tag
				f.saw(fields[1])
			default:
				f.saw(fields[0])
			}
			reply, hangup := respond(cmd)
			if _, err := io.WriteString(c, reply); err != nil || hangup {
				return
			}
		}
	}
}

// silent accepts and never speaks: a tarpit.
func silent(c net.Conn) { io.Copy(io.Discard, c) }

// flood writes s forever, a server that never stops talking.
func flood(prefix, s string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, prefix)
		b := []byte(strings.Repeat(s, 64))
		for {
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}
}

func (f *fixture) imapResponder(greeting, caps string) func(net.Conn) {
	return f.scripted(greeting+"\r\n", func(cmd string) (string, bool) {
		tag, rest, _ := strings.Cut(cmd, " ")
		switch strings.ToUpper(rest) {
		case "CAPABILITY":
			return "* CAPABILITY " + caps + "\r\n" + tag + " OK CAPABILITY completed\r\n", false
		case "LOGOUT":
			return "* BYE see you\r\n" + tag + " OK LOGOUT completed\r\n", true
		}
		return tag + " BAD unexpected\r\n", false
	})
}

// pop3Responder answers CAPA with capa, or -ERR when capa is nil.
func (f *fixture) pop3Responder(greeting string, capa []string) func(net.Conn) {
	return f.scripted(greeting+"\r\n", func(cmd string) (string, bool) {
		switch strings.ToUpper(cmd) {
		case "CAPA":
			if capa == nil {
				return "-ERR unknown command\r\n", false
			}
			return "+OK Capability list follows\r\n" + strings.Join(capa, "\r\n") + "\r\n.\r\n", false
		case "QUIT":
			return "+OK bye\r\n", true
		}
		return "-ERR unexpected\r\n", false
	})
}

// imapServer is go-imap's server with its in-memory backend.
func imapServer(tb testing.TB, ln net.Listener) int {
	mem := imapmemserver.New()
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger: log.New(io.Discard, "", 0),
	})
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return port(ln)
}

// smtpOptions shape a go-smtp server.
type smtpOptions struct {
	auth         bool        // offers AUTH PLAIN LOGIN
	startTLS     *tls.Config // offers STARTTLS with this configuration
	insecureAuth bool        // offers AUTH before TLS too
}

// smtpServer is go-smtp's server on ln (a TLS listener for 465), with a
// backend that refuses every transaction and counts what it is asked.
func (f *fixture) smtpServer(tb testing.TB, ln net.Listener, o smtpOptions) int {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s := &smtpSession{f: f}
		if o.auth {
			return &authSession{s}, nil
		}
		return s, nil
	}))
	srv.Domain = "mx.example.test"
	srv.TLSConfig = o.startTLS
	srv.AllowInsecureAuth = o.insecureAuth
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.Debug = verbWriter{f}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return port(ln)
}

// verbWriter records the commands a go-smtp server reads from its debug
// stream (lines it received are prefixed "C: " by nothing: go-smtp writes
// raw traffic, replies start with a digit).
type verbWriter struct{ f *fixture }

func (w verbWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(string(p), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0][0] > '9' {
			w.f.saw(f[0])
		}
	}
	return len(p), nil
}

var errRefused = errors.New("refused by the test server")

type smtpSession struct{ f *fixture }

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error {
	s.f.saw("MAIL")
	return errRefused
}
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error {
	s.f.saw("RCPT")
	return errRefused
}
func (s *smtpSession) Data(io.Reader) error { return errRefused }

type authSession struct{ *smtpSession }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }
func (s *authSession) Auth(string) (sasl.Server, error) {
	s.f.saw("AUTH")
	return nil, errRefused
}

// deps answers Wait from fixed results.
type deps map[checks.ID]checks.Result

func (d deps) Wait(_ context.Context, id checks.ID) (checks.Result, error) {
	r, ok := d[id]
	if !ok {
		return checks.Result{}, errors.New("not a dependency: " + string(id))
	}
	return r, nil
}

// hostOK is a dns.host and dns.mx that passed, the MX being mx1…mx4.
var hostOK = deps{
	checks.DNSHost: {ID: checks.DNSHost, Status: checks.StatusPass, Facts: checks.Facts{Addresses: []string{"127.0.0.1"}}},
	checks.DNSMX: {ID: checks.DNSMX, Status: checks.StatusPass,
		Facts: checks.Facts{MXHosts: []string{"mx1.example.test.", "mx2.example.test.", "mx3.example.test.", "mx4.example.test."}}},
}

// routeDialer sends each MX host to its own server: the profile maps
// port 25 once, the MX hosts need one port each.
type routeDialer struct {
	next  checks.Dialer
	ports map[string]int // host → port
}

func (d routeDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if p, ok := d.ports[host]; ok {
		address = net.JoinHostPort(host, strconv.Itoa(p))
	}
	return d.next.DialContext(ctx, network, address)
}
