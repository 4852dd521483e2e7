// Package netguard is the one dialer every connection of the product goes
// through. It stops the bot from being turned into a port scanner of our
// own network: a customer's domain may point its mail host, its MX or its
// autoconfig server at 127.0.0.1, 10.0.0.5 or the cloud metadata address
// 169.254.169.254, and asking the bot to "check" that domain must not make
// it connect there.
//
// Host names are resolved with the run's own lookup.Resolver, never the
// system's, and the address is judged at the last moment, by the socket's
// Control hook (net.Dialer.Control), after the socket is made and before
// connect(2): what is checked is exactly what is dialled, so neither DNS
// rebinding (a name public when first looked up, private when dialled)
// nor an IP literal gets a packet through. Forbidden lists the refused
// ranges, after RFC 6890's special-purpose address registries.
//
// The lab and on-premises tests set AllowPrivate.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// ErrForbidden is wrapped by the error of a dial refused because the
// address is loopback, private or special-use (see Forbidden).
var ErrForbidden = errors.New("netguard: private or special-use address refused")

// ErrNoAddress is wrapped by the error of a dial to a name that does not
// exist (NXDOMAIN) or has no address of the family asked. A resolver that
// could not answer gives an error wrapping lookup.ErrFailed instead.
var ErrNoAddress = errors.New("netguard: no address")

// ForbiddenError is the error of a refused dial.
type ForbiddenError struct {
	// Host is the host asked: a name, or the IP literal itself.
	Host string
	// Addr is the address refused.
	Addr netip.Addr
}

// Error says which host and address were refused.
func (e *ForbiddenError) Error() string {
	if e.Host == "" || e.Host == e.Addr.String() {
		return fmt.Sprintf("netguard: %s is a private or special-use address: refused", e.Addr)
	}
	return fmt.Sprintf("netguard: %s resolves to %s, a private or special-use address: refused", e.Host, e.Addr)
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Unwrap returns ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// MaxAttempts is how many of a name's addresses one dial tries.
const MaxAttempts = 4

// Dialer opens TCP connections to public addresses only. Its zero value
// dials IP literals; names need a Resolver. It is safe for concurrent use
// and implements checks.Dialer.
type Dialer struct {
	// Resolver resolves host names (lookup.Addrs: A and AAAA).
	Resolver lookup.Resolver
	// AllowPrivate lets loopback, private and special-use addresses
	// through (the lab, an on-premises test).
	AllowPrivate bool
	// Timeout bounds each connection attempt; lookup.DefaultTimeout when 0.
	Timeout time.Duration
	// Logger gets one debug line per failed attempt; nil logs nothing.
	Logger *slog.Logger
}

// DialContext connects to address ("host:port", port numeric) over
// network "tcp", "tcp4" or "tcp6". A host name is resolved with the
// Resolver and its addresses are tried in turn, IPv4 and IPv6 interleaved
// (IPv4 first), at most MaxAttempts of them, each within the Timeout and
// ctx; an IP literal is dialled as is. Every address is judged as it is
// dialled: a forbidden one fails with a *ForbiddenError (ErrForbidden)
// before any packet is sent, unless AllowPrivate. When every attempt
// fails, the last attempt's error is returned, wrapped with host:port.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, fmt.Errorf("netguard: dial %s %s: only tcp, tcp4 and tcp6 are dialled", network, address)
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("netguard: dial %s: %w", address, err)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return nil, fmt.Errorf("netguard: dial %s: bad port %q", address, port)
	}
	addrs, err := d.resolve(ctx, network, host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	var last error
	for i, ip := range addrs {
		if i == MaxAttempts {
			break
		}
		if err := ctx.Err(); err != nil {
			last = err
			break
		}
		conn, err := d.dial(ctx, network, host, netip.AddrPortFrom(ip, uint16(p)))
		if err == nil {
			return conn, nil
		}
		last = err
		if d.Logger != nil {
			d.Logger.LogAttrs(ctx, slog.LevelDebug, "dial attempt failed",
				slog.String("host", host), slog.String("addr", ip.String()), slog.String("port", port),
				slog.Any("err", err))
		}
	}
	return nil, fmt.Errorf("dial %s: %w", net.JoinHostPort(host, port), last)
}

// resolve returns the addresses to try for host, in order.
func (d *Dialer) resolve(ctx context.Context, network, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		if host == "" {
			return nil, fmt.Errorf("%w: empty host", ErrNoAddress)
		}
		if d.Resolver == nil {
			return nil, fmt.Errorf("netguard: no resolver for %s", host)
		}
		var nx bool
		addrs, nx, _, err = lookup.Addrs(ctx, d.Resolver, host)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", host, err)
		}
		if nx {
			return nil, fmt.Errorf("%w: %s does not exist (NXDOMAIN)", ErrNoAddress, host)
		}
	}
	addrs = order(network, addrs)
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%w: %s has no %s address", ErrNoAddress, host, family(network))
	}
	return addrs, nil
}

// order keeps the addresses of network's family, IPv4-mapped ones as
// IPv4, and interleaves the families, IPv4 first: a host with a broken
// IPv6 route, common with small providers, then costs one attempt, not
// the whole dial.
func order(network string, addrs []netip.Addr) []netip.Addr {
	var v4, v6 []netip.Addr
	for _, ip := range addrs {
		ip = ip.Unmap()
		switch {
		case ip.Is4() && network != "tcp6":
			v4 = append(v4, ip)
		case ip.Is6() && network != "tcp4":
			v6 = append(v6, ip)
		}
	}
	out := make([]netip.Addr, 0, len(v4)+len(v6))
	for i := 0; i < len(v4) || i < len(v6); i++ {
		if i < len(v4) {
			out = append(out, v4[i])
		}
		if i < len(v6) {
			out = append(out, v6[i])
		}
	}
	return out
}

func family(network string) string {
	switch network {
	case "tcp4":
		return "IPv4"
	case "tcp6":
		return "IPv6"
	}
	return "IPv4 or IPv6"
}

// dial makes one attempt at ap.
func (d *Dialer) dial(ctx context.Context, network, host string, ap netip.AddrPort) (net.Conn, error) {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = lookup.DefaultTimeout
	}
	nd := &net.Dialer{Timeout: timeout, Control: d.control(host)}
	return nd.DialContext(ctx, network, ap.String())
}

// control returns the socket hook judging the address about to be
// connected to: the last moment, and the address actually dialled.
func (d *Dialer) control(host string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("netguard: refusing unparsable address %q: %w", address, err)
		}
		if !d.Allowed(ap.Addr()) {
			return &ForbiddenError{Host: host, Addr: ap.Addr().WithZone("")}
		}
		return nil
	}
}
