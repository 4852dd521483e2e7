package checks

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/platform"
)

// Dialer opens connections. Every connection of a run goes through one,
// the guarded dialer of checks/netguard, which refuses private targets.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Standard ports of the guide (section 2) and of RFC 8314/6409/5321.
const (
	PortIMAPS       = 993
	PortPOP3S       = 995
	PortSubmissions = 465
	PortSubmission  = 587
	PortSMTP        = 25
	PortHTTPS       = 443
)

// Profile says where the provider's mail service listens. Its zero value
// is the guide's: the standard ports. PortMap lets the lab and tests run
// a host's "port 993" on a random loopback port: reports still speak of
// 993, the dial goes to the mapped port.
//
// Platform is the provider profile (--profile): the platform's ranges,
// expected MX and name servers, outgoing addresses, SPF term and DKIM
// keys. nil is the guide's generic rules: no expectation, and no server
// is known to be ours.
type Profile struct {
	PortMap map[int]int
	// HostPortMap maps, for one host (lower case, no final dot), standard
	// ports to other ports; it wins over PortMap for that host. It lets
	// the lab run two MX hosts of one domain on one address, one of them
	// broken.
	HostPortMap map[string]map[int]int
	Platform    *platform.Platform
}

// Party says whose server addr ("ip" or "ip:port") is: ours when it is
// in the platform's ranges, another's when the profile has ranges and it
// is not, unknown otherwise.
func (p Profile) Party(addr string) Party {
	if !p.Platform.HasRanges() || addr == "" {
		return PartyUnknown
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil {
			return PartyUnknown
		}
		ip = ap.Addr()
	}
	if p.Platform.Ours(ip) {
		return PartyOurs
	}
	return PartyOther
}

// Dial returns the port to dial for a standard port.
func (p Profile) Dial(port int) int {
	if m, ok := p.PortMap[port]; ok {
		return m
	}
	return port
}

// HostPort joins host with the port to dial for a standard port.
func (p Profile) HostPort(host string, port int) string {
	if m, ok := p.HostPortMap[strings.ToLower(strings.TrimSuffix(host, "."))][port]; ok {
		return net.JoinHostPort(host, strconv.Itoa(m))
	}
	return net.JoinHostPort(host, strconv.Itoa(p.Dial(port)))
}

// Env holds everything a checker needs from the outside world. Nothing in
// checks/ reaches the network, the clock or the trust store otherwise.
type Env struct {
	Resolver lookup.Resolver
	Dialer   Dialer
	// HTTPClient fetches autoconfig files; its transport dials through
	// Dialer.
	HTTPClient *http.Client
	// RootCAs verifies server certificates; nil means the system's
	// (SSL_CERT_FILE and SSL_CERT_DIR honoured).
	RootCAs *x509.CertPool
	// Now is the clock certificates are judged by.
	Now func() time.Time
	// Timeout bounds every network step (a dial, a handshake, a reply).
	Timeout time.Duration
	Profile Profile
	// EHLOName is the name the SMTP probes introduce themselves with.
	EHLOName string
	// DKIMSelectors are tried in addition to the built-in common ones.
	DKIMSelectors []string
	// AllowPrivate lets targets resolve to loopback or private addresses
	// (the lab, an on-premises test).
	AllowPrivate bool
	Logger       *slog.Logger
}

// DefaultTimeout is the per-step timeout of docs/contract.md, the one
// lookup and netguard also fall back on.
const DefaultTimeout = lookup.DefaultTimeout

// StepTimeout returns the per-step timeout, the default when unset.
func (e *Env) StepTimeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultTimeout
}

// Clock returns the current time by the injected clock.
func (e *Env) Clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}
