package integration

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"time"
)

// certKind is what is wrong, if anything, with a mail set's certificate.
type certKind string

const (
	certGood       certKind = "good"       // issued by the test CA for the served names, valid 90 days
	certExpired    certKind = "expired"    // the right names, expired yesterday
	certWrongName  certKind = "wrongname"  // valid, for wrongCertName only
	certSelfSigned certKind = "selfsigned" // the right names and dates, signed by its own key (a fresh cPanel server's certificate)
)

// wrongCertName is the only name of a certWrongName certificate: the
// server's own host name, as on a shared host where the customer's
// domain is not on the certificate.
const wrongCertName = "server42.hosting.example.net"

// pki is the CA made for one test run and the one RSA key every leaf
// shares. RSA 2048, as the certificates shared hosts install are.
type pki struct {
	now     time.Time
	ca      *x509.Certificate
	caKey   crypto.Signer
	leafKey *rsa.PrivateKey
	pool    *x509.CertPool
}

func newPKI(now time.Time) (*pki, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("CA key: %w", err)
	}
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("leaf key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "mailsetup integration CA", Organization: []string{"mailsetup integration"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &pki{now: now, ca: ca, caKey: caKey, leafKey: leafKey, pool: pool}, nil
}

// serial returns a random positive 128-bit serial number (RFC 5280
// §4.1.2.2).
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err) // crypto/rand does not fail (Go 1.24+)
	}
	return n.Add(n, big.NewInt(1))
}

// issue writes to path the PEM certificate of kind for names (the first
// is the subject), for the shared leaf key.
func (p *pki) issue(path string, kind certKind, names []string) error {
	notBefore, notAfter := p.now.Add(-time.Hour), p.now.Add(90*24*time.Hour)
	parent, signer := p.ca, p.caKey
	switch kind {
	case certExpired:
		notBefore, notAfter = p.now.Add(-90*24*time.Hour), p.now.Add(-24*time.Hour)
	case certWrongName:
		names = []string{wrongCertName}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: names[0], Organization: []string{"mailsetup integration"}},
		DNSNames:              names,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	if kind == certSelfSigned {
		parent, signer = tmpl, p.leafKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, p.leafKey.Public(), signer)
	if err != nil {
		return fmt.Errorf("certificate %s for %v: %w", kind, names, err)
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// writeKey writes the leaf key to path with mode perm, group gid.
func (p *pki) writeKey(path string, perm os.FileMode, gid int) error {
	der, err := x509.MarshalPKCS8PrivateKey(p.leafKey)
	if err != nil {
		return fmt.Errorf("leaf key: %w", err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), perm); err != nil {
		return err
	}
	return os.Chown(path, 0, gid)
}

// dkimRecord returns a DKIM key record (RFC 6376 §3.6.1) for key.
func dkimRecord(key *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		panic(err) // an RSA public key always marshals
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
}
