package autoconfig

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// MaxRedirects is how many redirects a fetch follows, all to https.
const MaxRedirects = 3

// ConfigURLs returns the addresses Thunderbird tries for a domain's own
// autoconfig file, in its order of preference: the autoconfig host, given
// the address, then the domain's well-known path. httpsPort is the port
// to dial; the URLs carry it when it is not 443 (the lab's).
func ConfigURLs(domain, address string, httpsPort int) []string {
	hostport := func(h string) string {
		if httpsPort == 0 || httpsPort == checks.PortHTTPS {
			return h
		}
		return net.JoinHostPort(h, strconv.Itoa(httpsPort))
	}
	first := url.URL{
		Scheme:   "https",
		Host:     hostport("autoconfig." + domain),
		Path:     "/mail/config-v1.1.xml",
		RawQuery: url.Values{"emailaddress": {address}}.Encode(),
	}
	second := url.URL{
		Scheme: "https",
		Host:   hostport(domain),
		Path:   "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
	return []string{first.String(), second.String()}
}

// httpClient returns a copy of the run's client that follows at most
// MaxRedirects redirects, to https only. Without one it builds a client
// dialling through env.Dialer, so nothing bypasses the guard; with
// neither it returns nil.
func httpClient(env *checks.Env) *http.Client {
	var c http.Client
	switch {
	case env.HTTPClient != nil:
		c = *env.HTTPClient
	case env.Dialer != nil:
		c = http.Client{Transport: &http.Transport{
			DialContext:       env.Dialer.DialContext,
			TLSClientConfig:   &tls.Config{RootCAs: env.RootCAs, MinVersion: tls.VersionTLS12},
			DisableKeepAlives: true,
		}}
	default:
		return nil
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return fmt.Errorf("more than %d redirects", MaxRedirects)
		}
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %s refused", req.URL.Redacted())
		}
		return nil
	}
	return &c
}

// fetch GETs one autoconfig file within timeout: the answer must be a 200
// with an XML media type and at most MaxConfigSize bytes.
func fetch(ctx context.Context, c *http.Client, timeout time.Duration, rawURL string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	resp, err := do(c, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	ct := resp.Header.Get("Content-Type")
	if !isXML(ct) {
		return nil, fmt.Errorf("content type %q, not XML", truncate(ct, 64))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if len(data) > MaxConfigSize {
		return nil, fmt.Errorf("body larger than %d bytes", MaxConfigSize)
	}
	return data, nil
}

// isXML accepts text/xml, application/xml and any +xml media type.
func isXML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

// do sends req, unwrapping the url.Error around a failure so that the
// cause (a timeout, a refused connection, a certificate) is what is
// classified and noted.
func do(c *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, err
	}
	return resp, nil
}
