package lab

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"
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

// pki holds the lab CA and the one leaf key every issued certificate
// shares: ECDSA P-256, so a whole lab is issued in milliseconds.
type pki struct {
	now     time.Time
	ca      *x509.Certificate
	caKey   crypto.Signer
	leafKey crypto.Signer
	pool    *x509.CertPool
}

func newPKI(now time.Time) (*pki, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("lab: CA key: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("lab: leaf key: %w", err)
	}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: "mailsetup lab CA", Organization: []string{"mailsetup lab"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("lab: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("lab: CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &pki{now: now, ca: ca, caKey: caKey, leafKey: leafKey, pool: pool}, nil
}

// serial returns a random positive 128-bit serial number (RFC 5280
// §4.1.2.2 allows up to 20 octets).
func serial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("lab: serial number: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}

// leaf issues the certificate of one scenario: SAN domain, mx.domain and
// autoconfig.domain, or what kind says is wrong with it.
func (p *pki) leaf(domain string, kind certKind) (tls.Certificate, error) {
	names := []string{domain, "mx." + domain, "autoconfig." + domain}
	notBefore, notAfter := p.now.Add(-time.Hour), p.now.Add(90*24*time.Hour)
	parent, signer, key := p.ca, p.caKey, p.leafKey
	switch kind {
	case certExpired:
		notBefore, notAfter = p.now.Add(-90*24*time.Hour), p.now.Add(-24*time.Hour)
	case certWrongName:
		names = []string{wrongCertName}
	case certExpiring:
		notAfter = p.now.Add(5 * 24 * time.Hour)
	case certNotYetValid:
		notBefore, notAfter = p.now.Add(24*time.Hour), p.now.Add(90*24*time.Hour)
	case certSelfSigned:
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("lab: self-signed key: %w", err)
		}
		signer, key = k, k
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: names[0], Organization: []string{"mailsetup lab"}},
		DNSNames:              names,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	sn, err := serial()
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl.SerialNumber = sn
	if kind == certSelfSigned {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("lab: certificate for %s: %w", domain, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("lab: certificate for %s: %w", domain, err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// serverTLS is the TLS configuration of every lab server of a scenario.
func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
