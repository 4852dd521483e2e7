package tlscheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

const host = "mail.example.test"

// serve starts a TLS server on loopback that completes handshakes with
// cfg and then hangs up, and returns its address.
func serve(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.(*tls.Conn).Handshake()
				c.Read(make([]byte, 1)) // until the client hangs up
			}()
		}
	}()
	return ln.Addr().String()
}

// connect handshakes with the server at addr as a mail client would.
func connect(t *testing.T, addr string) tls.ConnectionState {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := Handshake(context.Background(), conn, host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tc.Close() })
	return tc.ConnectionState()
}

// verdict is a finding without its detail, for comparisons.
type verdict struct {
	Code     checks.Code
	Severity checks.Severity
	Params   map[string]string
}

func verdicts(fs []checks.Finding) []verdict {
	var out []verdict
	for _, f := range fs {
		out = append(out, verdict{f.Code, f.Severity, f.Params})
	}
	return out
}

func TestInspectHandshakes(t *testing.T) {
	now := time.Now()
	day := 24 * time.Hour
	ca, err := tlstest.NewCA(now)
	if err != nil {
		t.Fatal(err)
	}
	date := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	expired := tlstest.Leaf{Names: []string{host}, NotBefore: now.Add(-100 * day), NotAfter: now.Add(-10 * day)}
	future := tlstest.Leaf{Names: []string{host}, NotBefore: now.Add(10 * day), NotAfter: now.Add(100 * day)}
	soon := tlstest.Leaf{Names: []string{host}, NotBefore: now.Add(-80 * day), NotAfter: now.Add(5*day - time.Hour)} // 4 days 23 hours: "5 days"
	everything := tlstest.Leaf{Names: []string{"other.example.test"}, NotBefore: now.Add(-100 * day), NotAfter: now.Add(-10 * day), SelfSigned: true}
	selfSigned := tlstest.Valid(now, host)
	selfSigned.SelfSigned = true
	fail := checks.SeverityFail

	tests := []struct {
		name       string
		leaf       tlstest.Leaf
		maxVersion uint16
		want       []verdict
	}{
		{"good", tlstest.Valid(now, host), 0, nil},
		{"good TLS 1.2", tlstest.Valid(now, host), tls.VersionTLS12, nil},
		{"wildcard", tlstest.Valid(now, "*.example.test"), 0, nil},
		{"expired", expired, 0, []verdict{{checks.TLSCertExpired, fail, map[string]string{"not_after": date(expired.NotAfter)}}}},
		{"not yet valid", future, 0, []verdict{{checks.TLSCertNotYetValid, fail, map[string]string{"not_before": date(future.NotBefore)}}}},
		{"wrong name", tlstest.Valid(now, "other.example.test", "www.example.test"), 0,
			[]verdict{{checks.TLSCertHostnameMismatch, fail, map[string]string{"names": "other.example.test,www.example.test"}}}},
		{"self-signed", selfSigned, 0, []verdict{{checks.TLSCertUntrusted, fail, nil}}},
		{"expiring in 4 days 23 hours says 5 days", soon, 0,
			[]verdict{{checks.TLSCertExpiringSoon, checks.SeverityWarn, map[string]string{"days": "5", "not_after": date(soon.NotAfter)}}}},
		{"expired, self-signed, wrong name", everything, 0, []verdict{
			{checks.TLSCertExpired, fail, map[string]string{"not_after": date(everything.NotAfter)}},
			{checks.TLSCertHostnameMismatch, fail, map[string]string{"names": "other.example.test"}},
			{checks.TLSCertUntrusted, fail, nil},
		}},
		{"TLS 1.1", tlstest.Valid(now, host), tls.VersionTLS11, []verdict{{checks.TLSProtocolOld, fail, map[string]string{"version": "TLS 1.1"}}}},
		{"TLS 1.0, expired", expired, tls.VersionTLS10, []verdict{
			{checks.TLSProtocolOld, fail, map[string]string{"version": "TLS 1.0"}},
			{checks.TLSCertExpired, fail, map[string]string{"not_after": date(expired.NotAfter)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := ca.Issue(tt.leaf)
			if err != nil {
				t.Fatal(err)
			}
			addr := serve(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: tt.maxVersion})
			state := connect(t, addr)
			got := Inspect(state, host, ca.Pool, now)
			if diff := cmp.Diff(tt.want, verdicts(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if !strings.Contains(f.Detail, "version=") {
					t.Errorf("%s detail %q lacks the connection summary", f.Code, f.Detail)
				}
			}
		})
	}
}

func TestInspectTrustedHostWithTrailingDot(t *testing.T) {
	now := time.Now()
	ca, err := tlstest.NewCA(now)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(tlstest.Valid(now, host))
	if err != nil {
		t.Fatal(err)
	}
	state := connect(t, serve(t, &tls.Config{Certificates: []tls.Certificate{cert}}))
	if got := Inspect(state, host+".", ca.Pool, now); len(got) != 0 {
		t.Errorf("Inspect = %v, want no findings", got)
	}
	// The same server judged against the system roots is untrusted.
	if got := verdicts(Inspect(state, host, x509.NewCertPool(), now)); !cmp.Equal(got, []verdict{{checks.TLSCertUntrusted, checks.SeverityFail, nil}}) {
		t.Errorf("Inspect with empty roots = %v, want untrusted", got)
	}
}

func TestInspectNoCertificate(t *testing.T) {
	got := verdicts(Inspect(tls.ConnectionState{Version: tls.VersionTLS13}, host, nil, time.Now()))
	if diff := cmp.Diff([]verdict{{checks.TLSCertUntrusted, checks.SeverityFail, nil}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDetail(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ca, err := tlstest.NewCA(now)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(tlstest.Valid(now, host, "imap.example.test"))
	if err != nil {
		t.Fatal(err)
	}
	state := tls.ConnectionState{Version: tls.VersionTLS13, CipherSuite: tls.TLS_AES_128_GCM_SHA256, PeerCertificates: []*x509.Certificate{cert.Leaf}}
	want := `subject="mail.example.test" san="mail.example.test,imap.example.test" issuer="mailsetup test CA" not_after=2026-05-30 version=TLS 1.3 cipher=TLS_AES_128_GCM_SHA256`
	if got := Detail(state); got != want {
		t.Errorf("Detail =\n%s\nwant\n%s", got, want)
	}
}

func TestDowngrade(t *testing.T) {
	in := []checks.Finding{
		{Code: checks.TLSCertExpired, Severity: checks.SeverityFail, Detail: "d"},
		{Code: checks.TLSCertExpiringSoon, Severity: checks.SeverityWarn},
		{Code: checks.CheckSkipped, Severity: checks.SeverityInfo},
	}
	want := []checks.Finding{
		{Code: checks.TLSCertExpired, Severity: checks.SeverityWarn, Detail: "d"},
		{Code: checks.TLSCertExpiringSoon, Severity: checks.SeverityWarn},
		{Code: checks.CheckSkipped, Severity: checks.SeverityInfo},
	}
	if diff := cmp.Diff(want, Downgrade(in, checks.SeverityWarn)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if in[0].Severity != checks.SeverityFail {
		t.Error("Downgrade changed its input")
	}
}

func TestHandshakeErrors(t *testing.T) {
	tests := []struct {
		name   string
		server func(net.Conn)
		want   func(error) bool
	}{
		{"silent server", func(c net.Conn) { io.Copy(io.Discard, c) }, func(err error) bool {
			return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
		}},
		{"hangs up", func(c net.Conn) { c.Read(make([]byte, 1024)) }, func(err error) bool { return err != nil }},
		{"plain text", func(c net.Conn) { c.Write([]byte("220 mx.example.test ESMTP\r\n")) }, func(err error) bool {
			var rh tls.RecordHeaderError
			return errors.As(err, &rh)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				tt.server(c)
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			_, err = Handshake(context.Background(), conn, host, 200*time.Millisecond)
			if !tt.want(err) {
				t.Errorf("Handshake error = %v", err)
			}
		})
	}
}

// TestDaysLeft: days left are rounded up, so 4 days and 23 hours is
// never said "4 days", and an hour left is 1 day, not 0.
func TestDaysLeft(t *testing.T) {
	const day = 24 * time.Hour
	for _, tt := range []struct {
		left time.Duration
		want int
	}{
		{4*day + 23*time.Hour, 5},
		{5 * day, 5},
		{5*day + time.Second, 6},
		{time.Hour, 1},
		{time.Nanosecond, 1},
		{13*day + time.Minute, 14},
	} {
		if got := daysLeft(tt.left); got != tt.want {
			t.Errorf("daysLeft(%v) = %d, want %d", tt.left, got, tt.want)
		}
	}
}
