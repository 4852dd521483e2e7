package autoconfig

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// autodiscoverPath is where Outlook POSTs its request on every candidate
// host: https://<host>/autodiscover/autodiscover.xml (MS-OXDSCLI).
const autodiscoverPath = "/autodiscover/autodiscover.xml"

// maxAutodiscoverBody bounds what is read of an autodiscover answer.
const maxAutodiscoverBody = 64 << 10

// AutodiscoverURLs returns the addresses Outlook POSTs its autodiscover
// request to, in its order (MS-OXDISCO): the domain itself, then
// autodiscover.<domain>. Outlook then tries a plain-HTTP GET on
// autodiscover.<domain> for a redirect, and last the _autodiscover._tcp
// SRV record; the SRV targets are added by the caller (SRVAutodiscoverURL).
func AutodiscoverURLs(domain string, httpsPort int) []string {
	return []string{
		autodiscoverURL(domain, checks.PortHTTPS, httpsPort),
		autodiscoverURL("autodiscover."+domain, checks.PortHTTPS, httpsPort),
	}
}

// autodiscoverURL is the POX address on host:port; a port of 443 is
// dialled as httpsPort (the lab's mapping) and left out of the URL when
// it is 443.
func autodiscoverURL(host string, port, httpsPort int) string {
	if port == checks.PortHTTPS && httpsPort != 0 {
		port = httpsPort
	}
	if port != checks.PortHTTPS {
		host = net.JoinHostPort(host, strconv.Itoa(port))
	}
	u := url.URL{Scheme: "https", Host: host, Path: autodiscoverPath}
	return u.String()
}

// poxRequest is Outlook's autodiscover request (MS-OXDSCLI §2.2.3), %s
// being the address, XML-escaped.
const poxRequest = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>%s</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>
`

// errNotAutodiscover says an address answered, but not as an
// autodiscover service: a web page, a 404, another XML document. A
// wildcard A record at autodiscover.<domain> pointing at a web host gives
// exactly that.
var errNotAutodiscover = errors.New("not an autodiscover service")

// probeAutodiscover POSTs Outlook's request to rawURL within timeout. It
// returns nil when an autodiscover service answers: an XML document
// whose root element is Autodiscover (MS-OXDSCLI §2.2.4), or a 401 or 403
// asking for the mailbox's credentials, as most services do before
// saying anything. Anything else wraps errNotAutodiscover; network
// errors are returned as they are.
func probeAutodiscover(ctx context.Context, c *http.Client, timeout time.Duration, rawURL, address string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body bytes.Buffer
	if err := xml.EscapeText(&body, []byte(address)); err != nil {
		return err
	}
	payload := fmt.Sprintf(poxRequest, body.String())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, strings.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := do(c, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return nil
	case http.StatusOK:
	default:
		return fmt.Errorf("%w: status %s", errNotAutodiscover, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !isXML(ct) {
		return fmt.Errorf("%w: content type %q", errNotAutodiscover, truncate(ct, 64))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAutodiscoverBody))
	if err != nil {
		return fmt.Errorf("reading body: %w", err)
	}
	if !isAutodiscoverXML(data) {
		return fmt.Errorf("%w: the XML root is not Autodiscover", errNotAutodiscover)
	}
	return nil
}

// isAutodiscoverXML reports whether data is an XML document whose root
// element is Autodiscover, in any namespace.
func isAutodiscoverXML(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "Autodiscover"
		}
	}
}
