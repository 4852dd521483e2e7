package autoconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pcmhosting/mailsetup/checks"
)

// MaxConfigSize bounds a config-v1.1.xml file. Real files are a few
// kilobytes; anything larger is refused before parsing.
const MaxConfigSize = 64 << 10

// ClientConfig is a Thunderbird autoconfig file (config-v1.1.xml), as the
// Mozilla wiki's ConfigFileFormat defines it: a clientConfig element
// holding one or more emailProvider elements.
type ClientConfig struct {
	Version   string
	Providers []Provider
}

// Provider is one emailProvider: the domains it serves and its incoming
// (IMAP, POP3) and outgoing (SMTP) servers, in the order the file lists
// them, the first being the one a client proposes by default.
type Provider struct {
	ID          string
	Domains     []string
	DisplayName string
	Incoming    []Server
	Outgoing    []Server
}

// Server is one incomingServer or outgoingServer, as written: Hostname
// and Username may hold placeholders (%EMAILADDRESS%, %EMAILLOCALPART%,
// %EMAILDOMAIN%).
type Server struct {
	// Type is the type attribute, lower-cased: imap, pop3, smtp, or
	// another (exchange, jmap…) which mail setup ignores.
	Type     string
	Hostname string
	// Port is 0 when missing or not a port number.
	Port int
	// SocketType is SSL (implicit TLS), STARTTLS or plain, as written.
	SocketType     string
	Username       string
	Authentication []string
}

// The XML shapes; exported types stay free of encoding details.
type xmlClientConfig struct {
	XMLName   xml.Name      `xml:"clientConfig"`
	Version   string        `xml:"version,attr"`
	Providers []xmlProvider `xml:"emailProvider"`
}

type xmlProvider struct {
	ID          string      `xml:"id,attr"`
	Domains     []string    `xml:"domain"`
	DisplayName string      `xml:"displayName"`
	Incoming    []xmlServer `xml:"incomingServer"`
	Outgoing    []xmlServer `xml:"outgoingServer"`
}

type xmlServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
}

// ParseClientConfig parses a config-v1.1.xml file. It fails on input
// larger than MaxConfigSize, on malformed XML, when the root element is
// not clientConfig, and when no emailProvider is present. Servers with
// odd values are kept as written; Settings judges them.
func ParseClientConfig(data []byte) (*ClientConfig, error) {
	if len(data) > MaxConfigSize {
		return nil, fmt.Errorf("clientConfig: %d bytes, more than %d", len(data), MaxConfigSize)
	}
	var x xmlClientConfig
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(&x); err != nil {
		return nil, fmt.Errorf("clientConfig: %w", err)
	}
	if len(x.Providers) == 0 {
		return nil, errors.New("clientConfig: no emailProvider")
	}
	c := &ClientConfig{Version: strings.TrimSpace(x.Version)}
	for _, xp := range x.Providers {
		p := Provider{
			ID:          strings.TrimSpace(xp.ID),
			DisplayName: strings.TrimSpace(xp.DisplayName),
			Incoming:    convertServers(xp.Incoming),
			Outgoing:    convertServers(xp.Outgoing),
		}
		for _, dom := range xp.Domains {
			p.Domains = append(p.Domains, strings.TrimSpace(dom))
		}
		c.Providers = append(c.Providers, p)
	}
	return c, nil
}

func convertServers(xs []xmlServer) []Server {
	var out []Server
	for _, x := range xs {
		s := Server{
			Type:       strings.ToLower(strings.TrimSpace(x.Type)),
			Hostname:   strings.TrimSpace(x.Hostname),
			SocketType: strings.TrimSpace(x.SocketType),
			Username:   strings.TrimSpace(x.Username),
		}
		if p, err := strconv.Atoi(strings.TrimSpace(x.Port)); err == nil && p > 0 && p <= 65535 {
			s.Port = p
		}
		for _, a := range x.Authentication {
			s.Authentication = append(s.Authentication, strings.TrimSpace(a))
		}
		out = append(out, s)
	}
	return out
}

// charsetReader accepts the single-byte encodings autoconfig files are
// sometimes declared in besides UTF-8: US-ASCII and ISO-8859-1 (each byte
// is its own code point).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		b, err := io.ReadAll(io.LimitReader(input, MaxConfigSize))
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}

// Settings returns the client settings a mail client takes from the file
// for this address (Thunderbird uses the first emailProvider), with
// placeholders in host names resolved, source "autoconfig". Servers a
// client could not use (another type, no host, no port, an unknown
// socketType) are left out and described in ignored.
func (c *ClientConfig) Settings(address string) (settings []checks.Advertised, ignored []string) {
	if c == nil || len(c.Providers) == 0 {
		return nil, nil
	}
	local, domain := "", address
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		local, domain = address[:i], address[i+1:]
	}
	r := strings.NewReplacer(
		"%EMAILADDRESS%", address,
		"%EMAILLOCALPART%", local,
		"%EMAILDOMAIN%", domain,
	)
	p := c.Providers[0]
	add := func(kind string, s Server, protocols map[string]string) {
		proto, ok := protocols[s.Type]
		if !ok {
			ignored = append(ignored, fmt.Sprintf("%s type=%q", kind, s.Type))
			return
		}
		host := strings.ToLower(strings.TrimSuffix(r.Replace(s.Hostname), "."))
		if !validHost(host) {
			ignored = append(ignored, fmt.Sprintf("%s %s hostname=%q", kind, s.Type, truncate(s.Hostname, 64)))
			return
		}
		if s.Port == 0 {
			ignored = append(ignored, fmt.Sprintf("%s %s %s: no valid port", kind, s.Type, host))
			return
		}
		sec, ok := socketTypes[strings.ToUpper(s.SocketType)]
		if !ok {
			ignored = append(ignored, fmt.Sprintf("%s %s %s:%d socketType=%q", kind, s.Type, host, s.Port, truncate(s.SocketType, 32)))
			return
		}
		a := checks.Advertised{Source: SourceAutoconfig, Protocol: proto, Host: host, Port: s.Port, Security: sec}
		for _, prev := range settings {
			if prev == a {
				return
			}
		}
		settings = append(settings, a)
	}
	for _, s := range p.Incoming {
		add("incomingServer", s, incomingTypes)
	}
	for _, s := range p.Outgoing {
		add("outgoingServer", s, outgoingTypes)
	}
	return settings, ignored
}

var (
	incomingTypes = map[string]string{"imap": "IMAP", "pop3": "POP3"}
	outgoingTypes = map[string]string{"smtp": "SMTP"}
	socketTypes   = map[string]checks.Security{
		"SSL":      checks.SecurityTLS,
		"STARTTLS": checks.SecurityStartTLS,
		"PLAIN":    checks.SecurityNone,
	}
)

// validHost accepts what a mail client would dial: a DNS name of letters,
// digits, hyphens, underscores and dots, at most 253 characters.
func validHost(h string) bool {
	if h == "" || len(h) > 253 || strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_':
		default:
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
