package lookup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// UDPSize is the EDNS0 buffer size the Client advertises (RFC 6891): 1232
// bytes, the DNS Flag Day 2020 value, fits an IPv6 packet without
// fragmentation. Larger answers come truncated (TC bit) and are asked
// again over TCP (RFC 7766).
const UDPSize = 1232

// MaxCNAMEs is the longest CNAME chain an answer follows.
const MaxCNAMEs = 8

// MaxRecords bounds the records kept in one Answer. No mail setup needs
// more; a hostile zone gets no further.
const MaxRecords = 256

// DefaultTimeout is the engine's per-step timeout (docs/contract.md): it
// bounds one DNS attempt here, one connection attempt in netguard, and
// each network step of a check (checks.DefaultTimeout), when the caller
// gives none. It lives in lookup, the lowest package of the engine, so
// that netguard and checks, which import lookup, say it once.
const DefaultTimeout = 5 * time.Second

// readBuffer is the UDP receive buffer: larger than UDPSize so that a
// resolver ignoring the advertised size is still understood.
const readBuffer = 4096

// ErrCNAMELoop is wrapped (with ErrFailed) by the error of a question whose
// CNAME chain loops or is longer than MaxCNAMEs: resolvers answer those
// with SERVFAIL, and no name can be checked behind them.
var ErrCNAMELoop = errors.New("CNAME loop or chain too long")

// Client is a Resolver asking one recursive resolver with
// github.com/miekg/dns, in the manner of a stub resolver (RFC 1035
// §7, RFC 7766): recursion desired, EDNS0, UDP first, the question asked
// again over TCP when the UDP answer is truncated, and once more over UDP
// when the first UDP attempt gets no answer in time.
//
// Only responses matching the query (ID and question) are accepted; on UDP
// a mismatching or unparsable datagram is ignored as a possible forgery,
// as Go's own resolver does. Records of names other than the one asked and
// its CNAME chain are ignored.
//
// A Client is safe for concurrent use. It dials the resolver directly:
// the resolver is chosen by the operator, not by the domain checked, so
// it does not go through the network guard.
type Client struct {
	server  string
	timeout time.Duration
}

// NewClient returns a Client asking server ("host:port"), each attempt
// bounded by timeout (DefaultTimeout when zero or negative).
func NewClient(server string, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Client{server: server, timeout: timeout}
}

// Query implements Resolver. NXDOMAIN and empty answers are data
// (Answer.Rcode, no Records); SERVFAIL, REFUSED, any other RCODE, a timeout
// or a network error come back as an error wrapping ErrFailed.
func (c *Client) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	name = Fqdn(name)
	typ := typeString(qtype)
	fail := func(err error) error {
		return fmt.Errorf("%w: %s %s: %w", ErrFailed, strings.TrimSuffix(name, "."), typ, err)
	}
	a := &Answer{Name: name}
	cur := name
	seen := map[string]bool{name: true}
	for {
		r, err := c.ask(ctx, cur, qtype)
		if err != nil {
			return nil, fail(err)
		}
		if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
			return nil, fail(fmt.Errorf("resolver %s answered %s", c.server, rcodeString(r.Rcode)))
		}
		a.Rcode = r.Rcode
		final, followed, records, err := walk(r.Answer, cur, qtype, seen, len(a.CNAMEs))
		a.CNAMEs = append(a.CNAMEs, followed...)
		if err != nil {
			return nil, fail(err)
		}
		a.Records = records
		// A recursive resolver normally follows the chain itself; when it
		// stopped at a CNAME (a forwarder, a chain across zones it would
		// not chase), ask for the target. An NXDOMAIN is about the last
		// name of the chain (RFC 6604) and ends it.
		if len(records) > 0 || len(followed) == 0 || r.Rcode == dns.RcodeNameError {
			return a, nil
		}
		cur = final
	}
}

// walk follows the CNAME chain starting at name through the answer
// section rrs and returns the last name reached, the names followed, and
// the records of type qtype owned by that last name. Records of any other
// name are ignored. seen holds the names already on the chain (and gets
// those followed); chained is the length of the chain before this
// response.
func walk(rrs []dns.RR, name string, qtype uint16, seen map[string]bool, chained int) (final string, followed []string, records []dns.RR, err error) {
	cur := name
	if qtype != dns.TypeCNAME {
	chain:
		for {
			for _, rr := range rrs {
				h := rr.Header()
				if h.Rrtype != dns.TypeCNAME || h.Class != dns.ClassINET || !strings.EqualFold(h.Name, cur) {
					continue
				}
				target := Fqdn(rr.(*dns.CNAME).Target)
				if seen[target] || chained+len(followed) >= MaxCNAMEs {
					return cur, followed, nil, fmt.Errorf("%w: %s -> %s", ErrCNAMELoop, strings.TrimSuffix(cur, "."), strings.TrimSuffix(target, "."))
				}
				seen[target] = true
				followed = append(followed, target)
				cur = target
				continue chain
			}
			break
		}
	}
	for _, rr := range rrs {
		h := rr.Header()
		if h.Rrtype != qtype || h.Class != dns.ClassINET || !strings.EqualFold(h.Name, cur) {
			continue
		}
		if len(records) == MaxRecords {
			break
		}
		records = append(records, rr)
	}
	return cur, followed, records, nil
}

// ask puts one question to the resolver: UDP, once more over UDP on a
// timeout, then TCP if the answer is truncated.
func (c *Client) ask(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = true
	m.SetEdns0(UDPSize, false)
	var r *dns.Msg
	var err error
	for attempt := range 2 {
		m.Id = dns.Id()
		r, err = c.exchange(ctx, "udp", m, c.udpWait(ctx, attempt))
		if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if r.Truncated {
		m.Id = dns.Id()
		return c.exchange(ctx, "tcp", m, c.timeout)
	}
	return r, nil
}

// udpWait is how long a UDP attempt waits for its answer. The first waits
// half the budget, so that a lost datagram (a burst on a busy resolver)
// is asked again within the same budget rather than turning into a
// failure; the budget is the smaller of the timeout and what ctx leaves.
func (c *Client) udpWait(ctx context.Context, attempt int) time.Duration {
	budget := c.timeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < budget {
			budget = left
		}
	}
	if attempt == 0 {
		return max(budget/2, time.Millisecond)
	}
	return max(budget, time.Millisecond)
}

// exchange sends m over network and waits for the matching response,
// within wait and ctx.
func (c *Client) exchange(ctx context.Context, network string, m *dns.Msg, wait time.Duration) (*dns.Msg, error) {
	actx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	dc := &dns.Client{Net: network, Timeout: wait, UDPSize: readBuffer}
	co, err := dc.DialContext(actx, c.server)
	if err != nil {
		return nil, c.attemptErr(ctx, network, err)
	}
	defer co.Close()
	deadline, _ := actx.Deadline()
	if err := co.SetDeadline(deadline); err != nil {
		return nil, c.attemptErr(ctx, network, err)
	}
	// Cancelling ctx interrupts the read at once.
	stop := context.AfterFunc(actx, func() { co.SetDeadline(time.Now()) })
	defer stop()
	if err := co.WriteMsg(m); err != nil {
		return nil, c.attemptErr(ctx, network, err)
	}
	udp := network == "udp"
	for {
		p, err := co.ReadMsgHeader(nil)
		if err != nil {
			if udp && errors.Is(err, dns.ErrShortRead) {
				continue // a runt datagram, not our answer
			}
			return nil, c.attemptErr(ctx, network, err)
		}
		r := new(dns.Msg)
		uerr := r.Unpack(p)
		switch {
		case uerr != nil && udp && r.Truncated && r.Id == m.Id:
			// A truncated datagram cut mid-record: TCP will tell.
			return r, nil
		case uerr != nil && udp:
			continue
		case uerr != nil:
			return nil, fmt.Errorf("%s %s: malformed response: %w", network, c.server, uerr)
		case !matches(m, r) && udp:
			continue
		case !matches(m, r):
			return nil, fmt.Errorf("%s %s: response does not match the query", network, c.server)
		}
		return r, nil
	}
}

// attemptErr describes a failed attempt: ctx's own error when ctx ended,
// else err (a deadline means no answer within the timeout).
func (c *Client) attemptErr(ctx context.Context, network string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%s %s: %w", network, c.server, cerr)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s %s: no response within %v: %w", network, c.server, c.timeout, os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("%s %s: %w", network, c.server, err)
}

// matches reports whether r answers the query q: same ID, a response to a
// standard query, the same question. Servers may omit the question in an
// error response (REFUSED from some public resolvers).
func matches(q, r *dns.Msg) bool {
	if r.Id != q.Id || !r.Response || r.Opcode != dns.OpcodeQuery {
		return false
	}
	if len(r.Question) == 0 {
		return r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError
	}
	if len(r.Question) != 1 {
		return false
	}
	rq, qq := r.Question[0], q.Question[0]
	return rq.Qtype == qq.Qtype && rq.Qclass == qq.Qclass && strings.EqualFold(rq.Name, qq.Name)
}

func typeString(t uint16) string {
	if s, ok := dns.TypeToString[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", t)
}

func rcodeString(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}
