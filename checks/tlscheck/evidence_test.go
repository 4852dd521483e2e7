package tlscheck

import (
	"crypto/tls"
	"crypto/x509"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

// TestParseEvidence reads back what Inspect writes, for a connection
// with and without a certificate.
func TestParseEvidence(t *testing.T) {
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
	got, ok := ParseEvidence("expired 2026-05-30T00:00:00Z; " + Detail(state))
	want := Evidence{Reason: "expired 2026-05-30T00:00:00Z", Subject: "mail.example.test", SAN: "mail.example.test,imap.example.test",
		Issuer: "mailsetup test CA", NotAfter: "2026-05-30", Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256"}
	if !ok || got != want {
		t.Errorf("ParseEvidence = %+v, %v; want %+v", got, ok, want)
	}
	got, ok = ParseEvidence("no certificate; " + Detail(tls.ConnectionState{Version: tls.VersionTLS12}))
	if diff := cmp.Diff(Evidence{Reason: "no certificate", Version: "TLS 1.2", Cipher: tls.CipherSuiteName(0)}, got); !ok || diff != "" {
		t.Errorf("without a certificate (-want +got), ok %v:\n%s", ok, diff)
	}
	for _, s := range []string{"", "x509: certificate signed by unknown authority", "a; b", "a; subject=\"x san=", "a; version=TLS 1.3"} {
		if e, ok := ParseEvidence(s); ok {
			t.Errorf("ParseEvidence(%q) = %+v, want false", s, e)
		}
	}
}

// FuzzParseEvidence: any detail, from a hostile certificate's names
// included, is read without panic.
func FuzzParseEvidence(f *testing.F) {
	f.Add(`expired 2026-05-30T00:00:00Z; subject="a" san="a,b" issuer="CA" not_after=2026-05-30 version=TLS 1.3 cipher=X`)
	f.Add(`no certificate; version=TLS 1.2 cipher=0x0000`)
	f.Add(`x; subject="\x1b]0;t\a" san="" issuer="\u202e" not_after=d version=v cipher=c`)
	f.Fuzz(func(t *testing.T, s string) {
		ParseEvidence(s)
	})
}
