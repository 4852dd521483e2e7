package mailcheck

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// starttlsThen is an SMTP server offering STARTTLS whose answer to it is
// reply, after which it does what after says with the connection.
func (f *fixture) starttlsThen(reply string, after func(c net.Conn)) func(net.Conn) {
	return func(c net.Conn) {
		f.scripted("220 mx.example.test ESMTP\r\n", func(cmd string) (string, bool) {
			switch cmd {
			case "STARTTLS":
				return reply, true
			case "QUIT":
				return "221 bye\r\n", true
			}
			return "250-mx.example.test\r\n250 STARTTLS\r\n", false
		})(c)
		if after != nil {
			after(c)
		}
	}
}

// TestRelayTLSFaults: on port 25 a STARTTLS that breaks or stalls is a
// warning, as every TLS finding of the relay is (senders fall back to
// clear text), and a stall after the greeting carries no "port 25
// blocked" hint: the server did answer on port 25.
func TestRelayTLSFaults(t *testing.T) {
	one := deps{checks.DNSMX: {ID: checks.DNSMX, Status: checks.StatusPass, Facts: checks.Facts{MXHosts: []string{mailHost}}}}
	tests := []struct {
		name    string
		handler func(f *fixture) func(net.Conn)
		want    []verdict
	}{
		{"closes in the middle of STARTTLS",
			func(f *fixture) func(net.Conn) { return f.starttlsThen("220 go ahead\r\n", nil) },
			[]verdict{warn(checks.TLSHandshakeFailed)}},
		{"garbage instead of a TLS handshake",
			func(f *fixture) func(net.Conn) {
				return f.starttlsThen("220 go ahead\r\n", func(c net.Conn) {
					c.Read(make([]byte, 4096)) // the ClientHello
					c.Write([]byte("\x00\xffgarbage\r\n"))
				})
			},
			[]verdict{warn(checks.TLSHandshakeFailed)}},
		{"stalls in the TLS handshake",
			func(f *fixture) func(net.Conn) { return f.starttlsThen("220 go ahead\r\n", silent) },
			[]verdict{warn(checks.ProtoTimeout)}},
		{"STARTTLS reply never comes",
			func(f *fixture) func(net.Conn) {
				return f.scripted("220 mx.example.test ESMTP\r\n", func(cmd string) (string, bool) {
					if cmd == "STARTTLS" {
						return "", false
					}
					return "250-mx.example.test\r\n250 STARTTLS\r\n", false
				})
			},
			// The dialogue, not TLS, went silent: the relay's usual failure.
			[]verdict{fail(checks.ProtoTimeout)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p := serve(t, listen(t, nil), tt.handler(f))
			res := Relay().Run(context.Background(), f.env(300*time.Millisecond, map[int]int{checks.PortSMTP: p}), checks.Target{Host: mailHost}, one)
			if diff := cmp.Diff(tt.want, verdicts(t, res, mailHost, checks.PortSMTP)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%+v", diff, res.Findings)
			}
			if want := checks.Worse(checks.StatusPass, tt.want[0].Severity.Status()); res.Status != want {
				t.Errorf("status %s, want %s", res.Status, want)
			}
			f.sawOnly(t)
		})
	}
}

// TestGarbageServers: a server that answers with bytes of no protocol at
// any point of the dialogue gets a finding, never a pass.
func TestGarbageServers(t *testing.T) {
	garbage := "\x00\xff\xfe\x16\x03\x01 junk \x1b[2J\r\n"
	tests := []struct {
		name   string
		check  checks.Check
		port   int
		server func(t *testing.T, f *fixture) int
		want   []verdict
	}{
		{"POP3 greeting", POP3(), checks.PortPOP3S, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, f.good), f.scripted(garbage, func(string) (string, bool) { return "", true }))
		}, []verdict{fail(checks.POP3BadGreeting)}},
		{"POP3 CAPA", POP3(), checks.PortPOP3S, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, f.good), f.scripted("+OK ready\r\n", func(string) (string, bool) { return garbage, true }))
		}, []verdict{fail(checks.POP3NoAuth)}},
		{"IMAP CAPABILITY", IMAP(), checks.PortIMAPS, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, f.good), f.scripted("* OK ready\r\n", func(string) (string, bool) { return garbage, true }))
		}, []verdict{fail(checks.ProtoError)}},
		{"SMTP 587 greeting", Submission(), checks.PortSubmission, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, nil), f.scripted(garbage, func(string) (string, bool) { return "", true }))
		}, []verdict{fail(checks.SMTPBadGreeting)}},
		{"SMTP 587 EHLO", Submission(), checks.PortSubmission, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, nil), f.scripted("220 mx ESMTP\r\n", func(string) (string, bool) { return garbage, true }))
		}, []verdict{fail(checks.ProtoError)}},
		{"SMTP 465 after TLS", Submissions(), checks.PortSubmissions, func(t *testing.T, f *fixture) int {
			return serve(t, listen(t, f.good), f.scripted("220 mx ESMTP\r\n", func(string) (string, bool) { return garbage, true }))
		}, []verdict{fail(checks.ProtoError)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p := tt.server(t, f)
			res := tt.check.Run(context.Background(), f.env(2*time.Second, map[int]int{tt.port: p}), checks.Target{Domain: "example.test", Host: mailHost}, hostOK)
			if diff := cmp.Diff(tt.want, verdicts(t, res, mailHost, tt.port)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%+v", diff, res.Findings)
			}
			if res.Status.Works() {
				t.Errorf("status %s for a server speaking garbage", res.Status)
			}
			f.sawOnly(t)
		})
	}
}
