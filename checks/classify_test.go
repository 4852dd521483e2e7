package checks_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

// refusedErr dials a loopback port nobody listens on.
func refusedErr(t *testing.T) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = net.Dial("tcp", addr)
	if err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
	return err
}

// deadlineErr reads from a connection whose peer never writes, past a
// deadline.
func deadlineErr(t *testing.T) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	return err
}

// verifyErr runs a verifying TLS handshake against a server with leaf,
// trusting roots, and returns the client's error.
func verifyErr(t *testing.T, cert tls.Certificate, roots *x509.CertPool) error {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{ServerName: "mail.example.test", RootCAs: roots})
	if err == nil {
		c.Close()
		t.Fatal("verifying handshake succeeded")
	}
	return err
}

func TestClassifyErr(t *testing.T) {
	now := time.Now()
	ca, err := tlstest.NewCA(now)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(l tlstest.Leaf) tls.Certificate {
		c, err := ca.Issue(l)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	good := issue(tlstest.Valid(now, "mail.example.test"))
	expired := issue(tlstest.Leaf{Names: []string{"mail.example.test"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)})
	future := issue(tlstest.Leaf{Names: []string{"mail.example.test"}, NotBefore: now.Add(time.Hour), NotAfter: now.Add(48 * time.Hour)})
	wrongName := issue(tlstest.Valid(now, "other.example.test"))

	refused := refusedErr(t)
	deadline := deadlineErr(t)
	opErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	// The guarded dialer's own errors, real ones.
	guard := &netguard.Dialer{Resolver: &lookup.Fake{A: map[string][]string{"mail.example.test": {"127.0.0.1"}}}}
	_, forbidden := guard.DialContext(context.Background(), "tcp", "mail.example.test:993")
	_, noAddress := guard.DialContext(context.Background(), "tcp", "nowhere.example.test:993")

	tests := []struct {
		name  string
		stage checks.Stage
		err   error
		want  checks.Code
	}{
		{"nil", checks.StageDial, nil, ""},
		{"refused", checks.StageDial, refused, checks.TCPRefused},
		{"refused wrapped", checks.StageDial, fmt.Errorf("dial x: %w", refused), checks.TCPRefused},
		{"host unreachable", checks.StageDial, opErr(syscall.EHOSTUNREACH), checks.TCPUnreachable},
		{"net unreachable", checks.StageDial, opErr(syscall.ENETUNREACH), checks.TCPUnreachable},
		{"dial deadline", checks.StageDial, deadline, checks.TCPTimeout},
		{"dial context deadline", checks.StageDial, fmt.Errorf("dial: %w", context.DeadlineExceeded), checks.TCPTimeout},
		{"forbidden", checks.StageDial, forbidden, checks.HostPrivateAddress},
		{"no address", checks.StageDial, noAddress, checks.HostNoAddress},
		{"resolver failed", checks.StageDial, fmt.Errorf("dial: %w: SERVFAIL", lookup.ErrFailed), checks.ResolverFailed},
		{"handshake deadline", checks.StageTLS, deadline, checks.ProtoTimeout},
		{"greeting deadline", checks.StageDialogue, deadline, checks.ProtoTimeout},
		{"greeting context deadline", checks.StageDialogue, context.DeadlineExceeded, checks.ProtoTimeout},
		{"untrusted", checks.StageTLS, verifyErr(t, good, x509.NewCertPool()), checks.TLSCertUntrusted},
		{"hostname", checks.StageTLS, verifyErr(t, wrongName, ca.Pool), checks.TLSCertHostnameMismatch},
		{"expired", checks.StageTLS, verifyErr(t, expired, ca.Pool), checks.TLSCertExpired},
		{"not yet valid", checks.StageTLS, verifyErr(t, future, ca.Pool), checks.TLSCertNotYetValid},
		{"constructed hostname", checks.StageTLS, x509.HostnameError{Certificate: good.Leaf, Host: "x"}, checks.TLSCertHostnameMismatch},
		{"constructed unknown authority", checks.StageTLS, x509.UnknownAuthorityError{Cert: good.Leaf}, checks.TLSCertUntrusted},
		{"constructed expired", checks.StageTLS, x509.CertificateInvalidError{Cert: expired.Leaf, Reason: x509.Expired, Detail: "current time 2026 is after 2025"}, checks.TLSCertExpired},
		{"constructed other invalid", checks.StageTLS, x509.CertificateInvalidError{Cert: good.Leaf, Reason: x509.IncompatibleUsage}, checks.TLSCertUntrusted},
		{"record header", checks.StageTLS, tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, checks.TLSHandshakeFailed},
		{"eof in handshake", checks.StageTLS, io.EOF, checks.TLSHandshakeFailed},
		{"reset in handshake", checks.StageTLS, opErr(syscall.ECONNRESET), checks.TLSHandshakeFailed},
		{"eof in dialogue", checks.StageDialogue, fmt.Errorf("greeting: %w", io.EOF), checks.ProtoError},
		{"unexpected eof", checks.StageDialogue, io.ErrUnexpectedEOF, checks.ProtoError},
		{"reset in dialogue", checks.StageDialogue, opErr(syscall.ECONNRESET), checks.ProtoError},
		{"garbage", checks.StageDialogue, errors.New("malformed response"), checks.ProtoError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checks.ClassifyErr(tt.stage, tt.err); got != tt.want {
				t.Errorf("ClassifyErr(%v, %v) = %q, want %q", tt.stage, tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorFinding(t *testing.T) {
	params := map[string]string{"host": "mail.example.test", "port": "993"}
	f := checks.ErrorFinding(checks.StageDial, fmt.Errorf("%w: timeout", lookup.ErrFailed), params)
	if f.Code != checks.ResolverFailed || f.Severity != checks.SeverityError {
		t.Errorf("resolver failure gave %s/%s, want %s/error", f.Code, f.Severity, checks.ResolverFailed)
	}
	long := errors.New(strings.Repeat("é", 400))
	f = checks.ErrorFinding(checks.StageDialogue, long, params)
	if f.Code != checks.ProtoError || f.Severity != checks.SeverityFail || f.Params["port"] != "993" {
		t.Errorf("got %+v", f)
	}
	if len(f.Detail) > 300+len("…") || !strings.HasSuffix(f.Detail, "é…") {
		t.Errorf("detail not cut on a rune boundary: %d bytes, ends %q", len(f.Detail), f.Detail[len(f.Detail)-6:])
	}
}
