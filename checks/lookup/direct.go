package lookup

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// DialFunc opens a connection to a name server's address ("ip:port") over
// "udp" or "tcp": netguard.Dialer.DialNameServer, which judges it.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// Direct asks one name server, by address, without recursion (RD=0), as
// one asks an authoritative server for what it serves itself. Unlike
// Client it returns the whole response: the RCODE, the AA bit and the
// TTLs are what the caller compares. Each question is sent once over UDP
// (no retry: one query per question), then over TCP when truncated.
//
// The server is chosen by the domain checked, not by the operator, so
// every connection goes through Dial, the network guard.
type Direct struct {
	// Server is the name server's address and port.
	Server netip.AddrPort
	// Dial opens the connections; required.
	Dial DialFunc
	// Timeout bounds each question; DefaultTimeout when zero.
	Timeout time.Duration
}

// Exchange asks the server for name and qtype. Any response is returned,
// whatever its RCODE; an error (wrapping ErrFailed) means no usable
// response came: a timeout, a refused dial, a malformed or mismatching
// response.
func (d *Direct) Exchange(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	name = Fqdn(name)
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = false
	m.SetEdns0(UDPSize, false)
	r, err := d.exchange(ctx, "udp", m)
	if err == nil && r.Truncated {
		m.Id = dns.Id()
		r, err = d.exchange(ctx, "tcp", m)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s at %s: %w", ErrFailed, strings.TrimSuffix(name, "."), typeString(qtype), d.Server, err)
	}
	return r, nil
}

func (d *Direct) exchange(ctx context.Context, network string, m *dns.Msg) (*dns.Msg, error) {
	if d.Dial == nil {
		return nil, errors.New("lookup: Direct without a Dial")
	}
	c, err := d.Dial(ctx, network, d.Server.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	deadline, _ := ctx.Deadline()
	if err := c.SetDeadline(deadline); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	co := &dns.Conn{Conn: c, UDPSize: readBuffer}
	if err := co.WriteMsg(m); err != nil {
		return nil, err
	}
	udp := network == "udp"
	for {
		r, err := co.ReadMsg()
		switch {
		case err != nil && errors.Is(err, os.ErrDeadlineExceeded):
			if cerr := ctx.Err(); cerr != nil && !errors.Is(cerr, context.DeadlineExceeded) {
				return nil, cerr
			}
			return nil, fmt.Errorf("no response within the timeout: %w", os.ErrDeadlineExceeded)
		case err != nil && udp && errors.Is(err, dns.ErrShortRead):
			continue // a runt datagram, not our answer
		case err != nil && r == nil:
			return nil, err
		case err != nil && udp && r.Truncated && r.Id == m.Id:
			return r, nil // cut mid-record: TCP will tell
		case err != nil && udp:
			continue // does not parse: perhaps not our answer
		case err != nil:
			return nil, fmt.Errorf("malformed response: %w", err)
		case !matches(m, r) && udp:
			continue
		case !matches(m, r):
			return nil, errors.New("response does not match the query")
		}
		return r, nil
	}
}
