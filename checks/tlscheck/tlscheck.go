// Package tlscheck judges the TLS a mail server offers, the way a mail
// client would, and says precisely what is wrong.
//
// A mail client (RFC 8314 §4.1, RFC 6125 for the name check, RFC 5280 for
// the chain) accepts a server when its certificate chains to a trusted
// root, is valid now, and names the host the client was told to use;
// current clients also refuse TLS older than 1.2 (RFC 8996 deprecates
// TLS 1.0 and 1.1). crypto/tls does all of this at once and stops at the
// first problem, so Handshake connects without verification and Inspect
// verifies afterwards, reporting each problem as its own finding: one
// certificate can be expired, self-signed and for another name at once,
// and the customer needs to hear all three.
//
// The clock and the trusted roots are parameters, so tests judge
// certificates generated at test time at any date.
package tlscheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// ExpiringSoon is how close to its end a certificate is reported as
// expiring (tls.cert_expiring_soon).
const ExpiringSoon = 14 * 24 * time.Hour

// classicGroups are the key exchange groups the probes offer, in Go's
// order of preference without the post-quantum hybrid.
var classicGroups = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}

// config is what Handshake offers: everything a current mail client might
// negotiate and more, so that an old server is connected to and reported
// (tls.protocol_old) rather than refused with an opaque handshake failure.
// Certificates are not verified here; Inspect does it.
func config(host string) *tls.Config {
	var suites []uint16
	for _, s := range tls.CipherSuites() {
		suites = append(suites, s.ID)
	}
	return &tls.Config{
		ServerName:         host,
		InsecureSkipVerify: true, // verified by Inspect, which reports every problem
		MinVersion:         tls.VersionTLS10,
		// Listing the suites explicitly also enables the RSA key exchange
		// ones Go leaves out by default, which older servers still need.
		CipherSuites: suites,
		// Classic groups only. A probe carries no secret, so Go's default
		// post-quantum X25519MLKEM768 buys it nothing, and costs most of a
		// handshake's CPU on both sides and 1.2 kB more ClientHello: a
		// server or middlebox that mishandles a ClientHello split over two
		// segments would fail here and not with many mail clients.
		CurvePreferences: classicGroups,
	}
}

// Handshake runs a TLS client handshake over conn, sending host as SNI,
// within timeout (and ctx). It does not verify the server: call Inspect
// on the connection state. On error the connection is closed.
func Handshake(ctx context.Context, conn net.Conn, host string, timeout time.Duration) (*tls.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if d, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(d); err != nil {
			conn.Close()
			return nil, fmt.Errorf("TLS handshake with %s: %w", host, err)
		}
	}
	tc := tls.Client(conn, config(strings.TrimSuffix(host, ".")))
	if err := tc.HandshakeContext(ctx); err != nil {
		tc.Close()
		return nil, fmt.Errorf("TLS handshake with %s: %w", host, err)
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		tc.Close()
		return nil, fmt.Errorf("TLS handshake with %s: %w", host, err)
	}
	return tc, nil
}

// Inspect judges a negotiated connection as a client connecting to host
// at time now would, trusting roots (nil: the system's, SSL_CERT_FILE and
// SSL_CERT_DIR honoured). It returns one finding per problem: expired,
// not yet valid, wrong name, untrusted chain, expiring within
// ExpiringSoon, TLS older than 1.2. No problem, no finding.
//
// Params: not_after, not_before (RFC 3339 dates), days (whole days left,
// rounded up: see daysLeft), names (the
// certificate's DNS names, comma-separated), version ("TLS 1.1").
func Inspect(state tls.ConnectionState, host string, roots *x509.CertPool, now time.Time) []checks.Finding {
	host = strings.TrimSuffix(host, ".")
	detail := Detail(state)
	fail := func(code checks.Code, reason string, params map[string]string) checks.Finding {
		return checks.Finding{Code: code, Severity: checks.SeverityFail, Params: params, Detail: reason + "; " + detail}
	}
	var out []checks.Finding
	if state.Version != 0 && state.Version < tls.VersionTLS12 {
		out = append(out, fail(checks.TLSProtocolOld, "negotiated "+tls.VersionName(state.Version),
			map[string]string{"version": tls.VersionName(state.Version)}))
	}
	if len(state.PeerCertificates) == 0 {
		return append(out, fail(checks.TLSCertUntrusted, "no certificate", nil))
	}
	leaf := state.PeerCertificates[0]
	notAfter := leaf.NotAfter.UTC().Format(time.DateOnly)
	notBefore := leaf.NotBefore.UTC().Format(time.DateOnly)

	timeOK := true
	switch {
	case now.After(leaf.NotAfter):
		timeOK = false
		out = append(out, fail(checks.TLSCertExpired, "expired "+leaf.NotAfter.UTC().Format(time.RFC3339),
			map[string]string{"not_after": notAfter}))
	case now.Before(leaf.NotBefore):
		timeOK = false
		out = append(out, fail(checks.TLSCertNotYetValid, "valid from "+leaf.NotBefore.UTC().Format(time.RFC3339),
			map[string]string{"not_before": notBefore}))
	case leaf.NotAfter.Sub(now) < ExpiringSoon:
		days := daysLeft(leaf.NotAfter.Sub(now))
		out = append(out, checks.Finding{Code: checks.TLSCertExpiringSoon, Severity: checks.SeverityWarn,
			Params: map[string]string{"days": strconv.Itoa(days), "not_after": notAfter},
			Detail: "expires " + leaf.NotAfter.UTC().Format(time.RFC3339) + "; " + detail})
	}

	if err := leaf.VerifyHostname(host); err != nil {
		out = append(out, fail(checks.TLSCertHostnameMismatch, err.Error(),
			map[string]string{"names": strings.Join(leaf.DNSNames, ",")}))
	}

	intermediates := x509.NewCertPool()
	for _, c := range state.PeerCertificates[1:] {
		intermediates.AddCert(c)
	}
	verify := func(at time.Time) error {
		_, err := leaf.Verify(x509.VerifyOptions{
			Roots:         roots,
			Intermediates: intermediates,
			CurrentTime:   at,
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
		return err
	}
	err := verify(now)
	if err != nil && !timeOK {
		// Go checks the leaf's dates before the chain: judge the chain
		// again within the leaf's validity to learn whether it is also
		// untrusted, which renewing alone would not fix.
		err = verify(leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2))
	}
	if err != nil {
		var invalid x509.CertificateInvalidError
		switch {
		case errors.As(err, &invalid) && invalid.Reason == x509.Expired && timeOK:
			// The leaf is in date, so a certificate of the chain is not.
			code := checks.TLSCertExpired
			if invalid.Cert != nil && now.Before(invalid.Cert.NotBefore) {
				code = checks.TLSCertNotYetValid
			}
			out = append(out, fail(code, err.Error(), map[string]string{"not_after": notAfter}))
		case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
			// Already reported from the leaf's dates.
		default:
			out = append(out, fail(checks.TLSCertUntrusted, err.Error(), nil))
		}
	}
	return out
}

// Detail summarises a connection for findings' details: the leaf's
// subject CN, DNS names, issuer CN and end of validity, the version and
// the cipher suite. It is technical and not translated.
func Detail(state tls.ConnectionState) string {
	var b strings.Builder
	if len(state.PeerCertificates) > 0 {
		c := state.PeerCertificates[0]
		fmt.Fprintf(&b, "subject=%q san=%q issuer=%q not_after=%s ",
			c.Subject.CommonName, strings.Join(c.DNSNames, ","), c.Issuer.CommonName,
			c.NotAfter.UTC().Format(time.DateOnly))
	}
	fmt.Fprintf(&b, "version=%s cipher=%s", tls.VersionName(state.Version), tls.CipherSuiteName(state.CipherSuite))
	return b.String()
}

// Downgrade returns findings with every severity worse than to lowered to
// to. On port 25 server-to-server TLS is opportunistic (RFC 3207 §4,
// RFC 7435): a sender falls back to plain text rather than refuse a bad
// certificate, so TLS problems there are warnings.
func Downgrade(findings []checks.Finding, to checks.Severity) []checks.Finding {
	out := make([]checks.Finding, len(findings))
	for i, f := range findings {
		if checks.Worse(f.Severity.Status(), to.Status()) != to.Status() {
			f.Severity = to
		}
		out[i] = f
	}
	return out
}

// daysLeft counts the days left before an expiry, rounded up: 4 days and
// 23 hours left is "5 days", and a certificate that expires in an hour
// has 1 day left, never 0. Rounding down would tell a customer "4 days"
// when nearly 5 remain.
func daysLeft(left time.Duration) int {
	const day = 24 * time.Hour
	return int((left + day - 1) / day)
}
