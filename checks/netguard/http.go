package netguard

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"time"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// MaxRedirects is how many redirects an HTTPClient follows.
const MaxRedirects = 3

// HTTPClient returns an HTTP client whose every connection is made by d,
// redirects included: never through a proxy of the environment
// (HTTP_PROXY would move the dial out of the guard), server certificates
// verified against roots (nil: the system's), at most MaxRedirects
// redirects, and timeout (lookup.DefaultTimeout when 0) bounding the TLS
// handshake, the wait for the response headers, and the whole request
// with its redirects and body.
//
// Bodies are the servers' choice: read them through io.LimitReader.
func (d *Dialer) HTTPClient(roots *x509.CertPool, timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = lookup.DefaultTimeout
	}
	tr := &http.Transport{
		Proxy:       nil,
		DialContext: d.DialContext,
		TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12,
			// Classic groups: an autoconfig fetch sends no secret, and Go's
			// default post-quantum hybrid costs most of a handshake's CPU
			// and a ClientHello some servers mishandle.
			CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384, tls.CurveP521}},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// A run fetches one or two files from a customer's hosts and is
		// done: keeping connections open would only hold the customer's
		// server (and, in a batch, pile up idle sockets).
		DisableKeepAlives: true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("netguard: stopped after %d redirects", MaxRedirects)
			}
			return nil
		},
	}
}
