package lab

import (
	"crypto/tls"
	"fmt"
	"time"

	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

// certKind is what is wrong, if anything, with a scenario's certificate.
type certKind int

const (
	certGood        certKind = iota // issued by the lab CA for the scenario's names, valid 90 days
	certExpired                     // expired yesterday
	certWrongName                   // valid, but for wrongCertName only
	certSelfSigned                  // valid names and dates, signed by its own key
	certExpiring                    // expires in 5 days, under the 14-day warning
	certNotYetValid                 // valid from tomorrow
)

// wrongCertName is the only name of a certWrongName certificate.
const wrongCertName = "elsewhere.example.net"

// pki is the lab CA (tlstest's, ECDSA P-256, so a whole lab is issued in
// milliseconds) and the clock the certificates' dates follow.
type pki struct {
	now time.Time
	ca  *tlstest.CA
}

func newPKI(now time.Time) (*pki, error) {
	ca, err := tlstest.NewCA(now)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	return &pki{now: now, ca: ca}, nil
}

// leaf issues the certificate of one scenario: SAN domain, mx.domain,
// autoconfig.domain, autodiscover.domain and mta-sts.domain, or what kind
// says is wrong with it; extra names are added (another provider's MX
// host name).
func (p *pki) leaf(domain string, kind certKind, extra ...string) (tls.Certificate, error) {
	l := tlstest.Leaf{
		Names:     append([]string{domain, "mx." + domain, "autoconfig." + domain, "autodiscover." + domain, "mta-sts." + domain}, extra...),
		NotBefore: p.now.Add(-time.Hour),
		NotAfter:  p.now.Add(90 * 24 * time.Hour),
	}
	switch kind {
	case certExpired:
		l.NotBefore, l.NotAfter = p.now.Add(-90*24*time.Hour), p.now.Add(-24*time.Hour)
	case certWrongName:
		l.Names = []string{wrongCertName}
	case certExpiring:
		l.NotAfter = p.now.Add(5 * 24 * time.Hour)
	case certNotYetValid:
		l.NotBefore = p.now.Add(24 * time.Hour)
	case certSelfSigned:
		l.SelfSigned = true
	}
	cert, err := p.ca.Issue(l)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("lab: certificate for %s: %w", domain, err)
	}
	return cert, nil
}

// serverTLS is the TLS configuration of every lab server of a scenario.
func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
