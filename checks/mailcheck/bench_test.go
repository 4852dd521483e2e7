package mailcheck

import (
	"context"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// BenchmarkIMAP is one full imap.993 probe (dial, TLS 1.3, greeting,
// capabilities, LOGOUT, certificate verification) against go-imap's
// server on loopback.
func BenchmarkIMAP(b *testing.B) {
	f := newFixture(b)
	env := f.env(5*time.Second, map[int]int{checks.PortIMAPS: imapServer(b, listen(b, f.good))})
	benchProbe(b, IMAP(), env)
}

// BenchmarkSubmissions is one full smtp.465 probe (dial, TLS 1.3,
// greeting, EHLO, QUIT) against go-smtp's server on loopback.
func BenchmarkSubmissions(b *testing.B) {
	f := newFixture(b)
	env := f.env(5*time.Second, map[int]int{checks.PortSubmissions: f.smtpServer(b, listen(b, f.good), smtpOptions{auth: true})})
	benchProbe(b, Submissions(), env)
}

func benchProbe(b *testing.B, c checks.Check, env *checks.Env) {
	b.ReportAllocs()
	for b.Loop() {
		res := c.Run(context.Background(), env, checks.Target{Host: mailHost}, hostOK)
		if res.Status != checks.StatusPass {
			b.Fatalf("%s: %s %+v", c.ID, res.Status, res.Findings)
		}
	}
}
