package mailcheck

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// payloadServer sends whatever bytes the current fuzz input holds, then
// closes its side and reads until the probe hangs up: a server of no
// protocol at all, or of a protocol twisted any way the fuzzer likes.
type payloadServer struct {
	port    int
	payload atomic.Pointer[[]byte]
}

func startPayloadServer(tb testing.TB, cfg *tls.Config) *payloadServer {
	s := &payloadServer{}
	s.port = serve(tb, listen(tb, cfg), func(c net.Conn) {
		if p := s.payload.Load(); p != nil {
			c.Write(*p)
		}
		switch c := c.(type) {
		case *tls.Conn:
			c.CloseWrite()
		case *net.TCPConn:
			c.CloseWrite()
		}
		io.Copy(io.Discard, c)
	})
	return s
}

// probeWith runs check against the server's payload and checks what
// every result must be, whatever the server said: it ends, its codes are
// the contract's, what it keeps of the greeting is bounded.
func probeWith(t *testing.T, f *fixture, s *payloadServer, check checks.Check, port int, data []byte) checks.Result {
	s.payload.Store(&data)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res := check.Run(ctx, f.env(2*time.Second, map[int]int{port: s.port}), checks.Target{Domain: "example.test", Host: mailHost}, hostOK)
	if ctx.Err() != nil {
		t.Fatal("the probe outlived its run")
	}
	for _, fd := range res.Findings {
		if !slices.Contains(checks.AllCodes, fd.Code) {
			t.Fatalf("finding code %q is not in the contract", fd.Code)
		}
	}
	ep := res.Facts.Endpoint
	if ep == nil {
		t.Fatal("no endpoint")
	}
	if len(ep.Greeting) > maxGreeting+len("…") {
		t.Fatalf("greeting of %d bytes kept", len(ep.Greeting))
	}
	return res
}

// FuzzSubmissionDialogue: a plain-text server on 587 that says anything
// at all is never found working, since no fixed bytes can complete a
// TLS handshake after STARTTLS; and it never gets a password-bearing
// command.
func FuzzSubmissionDialogue(f *testing.F) {
	fx := newFixture(f)
	s := startPayloadServer(f, nil)
	f.Add([]byte("220 mx ESMTP\r\n250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n220 go ahead\r\n"))
	f.Add([]byte("220 mx ESMTP\r\n250-mx\r\n250 AUTH PLAIN LOGIN\r\n221 bye\r\n"))
	f.Add([]byte("220-mx\r\n220 mx\r\n502 no\r\n"))
	f.Add([]byte("554 go away\r\n"))
	f.Add([]byte("220 mx\r\n250 STARTTLS\r\n220 go\r\n\x16\x03\x03\x00\x02\x02\x28"))
	f.Add([]byte("\x00\xff garbage \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := probeWith(t, fx, s, Submission(), checks.PortSubmission, data)
		if res.Status.Works() {
			t.Fatalf("587 found working against a server that cannot do TLS: %s %+v", res.Status, res.Findings)
		}
		fx.sawOnly(t)
	})
}

// FuzzIMAPDialogue: after a real TLS handshake, an IMAP server that
// says anything at all is found working only if it greeted with OK (or
// PREAUTH) and offered a way to log in with a password.
func FuzzIMAPDialogue(f *testing.F) {
	fx := newFixture(f)
	s := startPayloadServer(f, fx.good)
	f.Add([]byte("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n* BYE\r\nm2 OK\r\n"))
	f.Add([]byte("* OK ready\r\n* CAPABILITY IMAP4rev1\r\nm1 OK done\r\n"))
	f.Add([]byte("* OK ready\r\n* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2\r\nm1 OK done\r\n"))
	f.Add([]byte("* PREAUTH hi\r\n"))
	f.Add([]byte("* BYE busy\r\n"))
	f.Add([]byte("* OK \x00\xff\r\n* CAPABILITY\r\nm1 NO\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := probeWith(t, fx, s, IMAP(), checks.PortIMAPS, data)
		ep := res.Facts.Endpoint
		if res.Status.Works() {
			if !strings.HasPrefix(strings.ToUpper(ep.Greeting), "* OK") && !strings.HasPrefix(strings.ToUpper(ep.Greeting), "* PREAUTH") {
				t.Fatalf("working IMAP with greeting %q", ep.Greeting)
			}
			if len(ep.Caps) == 0 {
				t.Fatalf("working IMAP without capabilities: %+v", ep)
			}
		}
		fx.sawOnly(t)
	})
}

// FuzzPOP3Dialogue: after a real TLS handshake, a POP3 server that says
// anything at all is found working only if it greeted with +OK and its
// CAPA offered USER or SASL (by tag: "USER 0" is taken as USER, as a
// client would).
func FuzzPOP3Dialogue(f *testing.F) {
	fx := newFixture(f)
	s := startPayloadServer(f, fx.good)
	f.Add([]byte("+OK ready\r\n+OK caps\r\nUSER\r\nSASL PLAIN\r\n.\r\n+OK bye\r\n"))
	f.Add([]byte("+OK ready\r\n-ERR no CAPA\r\n"))
	f.Add([]byte("-ERR go away\r\n"))
	f.Add([]byte("+OK\r\n+OK\r\n..\r\nUSER\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := probeWith(t, fx, s, POP3(), checks.PortPOP3S, data)
		ep := res.Facts.Endpoint
		if res.Status.Works() {
			if !strings.HasPrefix(ep.Greeting, "+OK") {
				t.Fatalf("working POP3 with greeting %q", ep.Greeting)
			}
			if !slices.ContainsFunc(ep.Caps, func(c string) bool {
				tag, _, _ := strings.Cut(strings.ToUpper(c), " ")
				return tag == "USER" || tag == "SASL"
			}) {
				t.Fatalf("working POP3 without USER or SASL: %q", ep.Caps)
			}
		}
		fx.sawOnly(t)
	})
}
