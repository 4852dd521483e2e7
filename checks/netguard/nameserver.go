package netguard

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// Allowed reports whether d dials ip: with AllowPrivate any address but
// the unspecified ones (0.0.0.0 and ::, which reach the local host on
// Linux and are never a server's address, not even in the lab), else
// only those Forbidden refuses not. Callers use it to report a refused
// address without trying it; the dial judges again anyway.
func (d *Dialer) Allowed(ip netip.Addr) bool {
	if d.AllowPrivate {
		return ip.IsValid() && !ip.Unmap().IsUnspecified()
	}
	return !Forbidden(ip)
}

// DialNameServer connects to a name server chosen by the domain checked
// (an authoritative server from its NS records) over "udp" or "tcp".
// address is an IP literal with its port: the name server's name was
// resolved by the caller, whose resolver is the run's. The address is
// judged at the socket, as DialContext judges it: a forbidden one fails
// with a *ForbiddenError before any packet is sent, unless AllowPrivate.
func (d *Dialer) DialNameServer(ctx context.Context, network, address string) (net.Conn, error) {
	switch network {
	case "udp", "tcp":
	default:
		return nil, fmt.Errorf("netguard: dial %s %s: name servers are dialled over udp or tcp", network, address)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil || ap.Port() == 0 {
		return nil, fmt.Errorf("netguard: dial %s: a name server is dialled by IP address and port", address)
	}
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = lookup.DefaultTimeout
	}
	nd := &net.Dialer{Timeout: timeout, Control: d.control(ap.Addr().String())}
	conn, err := nd.DialContext(ctx, network, ap.String())
	if err != nil {
		return nil, fmt.Errorf("dial %s %s: %w", network, address, err)
	}
	return conn, nil
}
