package spf

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// Result is the outcome of check_host (RFC 7208 §2.6).
type Result string

// The results of §2.6, as receivers write them in Received-SPF.
const (
	ResultNone      Result = "none"      // no SPF record, or the domain is not a valid one
	ResultNeutral   Result = "neutral"   // the record says nothing about the address
	ResultPass      Result = "pass"      // the address is authorised
	ResultFail      Result = "fail"      // the address is not authorised
	ResultSoftfail  Result = "softfail"  // probably not authorised
	ResultTempError Result = "temperror" // a DNS lookup failed: could not tell
	ResultPermError Result = "permerror" // the record(s) cannot be evaluated
)

// MaxAddressLookups is the most addresses one mx or ptr term looks up
// (§4.6.4): more than that many MX hosts is permerror, PTR names past it
// are ignored.
const MaxAddressLookups = 10

// The reasons of a permerror, wrapped by CheckResult.Err (with
// *SyntaxError for a record that does not parse and ErrMacro).
var (
	ErrLookupLimit     = errors.New("spf: more than 10 DNS-querying terms")
	ErrVoidLimit       = errors.New("spf: more than 2 lookups found nothing")
	ErrMXLimit         = errors.New("spf: mx names more than 10 hosts")
	ErrMultipleRecords = errors.New("spf: more than one SPF record")
	ErrNoTarget        = errors.New("spf: include or redirect target has no SPF record")
	ErrInvalidTarget   = errors.New("spf: not a valid domain to evaluate")
)

// CheckOptions are the values of an evaluation beyond the address, the
// domain and the sender.
type CheckOptions struct {
	// HELO is the h macro, the name the client gave in HELO/EHLO;
	// "unknown" when empty.
	HELO string
	// Receiver is the r macro of explanations, "unknown" when empty.
	Receiver string
	// Now is the clock of the t macro; time.Now when nil.
	Now func() time.Time
	// Timeout bounds each DNS question (the step timeout); none when
	// zero, ctx alone then bounds them.
	Timeout time.Duration
}

// CheckResult is what check_host found.
type CheckResult struct {
	Result Result
	// Domain is the domain whose record gave the result: the one asked,
	// or the target of its redirect.
	Domain string
	// Record is Domain's SPF record, empty when there was none.
	Record string
	// Matched is the term of Record that matched ("include:_spf.x.net",
	// "-all"), nil when none did (neutral by default, or an error).
	Matched *Directive
	// Explanation is the expanded text of exp= for a fail, when the
	// domain publishes one.
	Explanation string
	// Lookups and VoidLookups count DNS-querying terms and those that
	// found nothing, over the whole evaluation (§4.6.4).
	Lookups, VoidLookups int
	// Err says what made a temperror (wrapping lookup.ErrFailed) or a
	// permerror (ErrLookupLimit, *SyntaxError, ...); nil otherwise.
	Err error
}

// CheckHost evaluates the SPF policy of domain for a message from sender
// (a MAIL FROM address, or a bare domain meaning postmaster@domain; empty
// means postmaster@domain) sent by ip, as a receiver does: RFC 7208
// check_host() with every mechanism, include and redirect, exp, the macros
// of §7, and the limits of §4.6.4 (10 DNS-querying terms, 2 void lookups,
// 10 names per mx or ptr). DNS failures are temperror, never fail. Every
// query goes to r within ctx; at most about 10 × 11 address lookups can
// follow the 10 terms, so put a deadline on ctx.
func CheckHost(ctx context.Context, r lookup.Resolver, ip netip.Addr, domain, sender string, opts CheckOptions) *CheckResult {
	domain = strings.TrimSuffix(strings.ToLower(domain), ".")
	if !ip.IsValid() {
		return &CheckResult{Result: ResultPermError, Domain: domain, Err: errors.New("spf: no client address")}
	}
	r = lookup.WithTimeout(r, opts.Timeout)
	c := &hostCheck{r: r, ip: ip.Unmap()}
	local, senderDomain := "postmaster", domain
	if sender != "" {
		senderDomain = sender
		if i := strings.LastIndexByte(sender, '@'); i >= 0 {
			senderDomain = sender[i+1:]
			if i > 0 {
				local = sender[:i]
			}
		}
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	c.macros = macroValues{
		sender: local + "@" + senderDomain, local: local, senderDomain: senderDomain,
		ip: c.ip, helo: orUnknown(opts.HELO), receiver: orUnknown(opts.Receiver),
		timestamp: now().Unix(),
		validated: func() string { return c.validatedName(ctx, domain) },
	}
	res := c.checkHost(ctx, domain, true)
	res.Lookups, res.VoidLookups = c.lookups, c.voids
	return res
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// hostCheck is one evaluation: its counters and the reverse names of the
// address, looked up once.
type hostCheck struct {
	r      lookup.Resolver
	ip     netip.Addr
	macros macroValues

	lookups, voids int

	ptrOnce  sync.Once
	ptrNames []string // names of ip whose addresses include ip
}

// termError is a mechanism's failure: temperror or permerror.
type termError struct {
	result Result
	err    error
}

func permErr(err error) *termError { return &termError{ResultPermError, err} }
func tempErr(err error) *termError { return &termError{ResultTempError, err} }

func (c *hostCheck) checkHost(ctx context.Context, domain string, wantExp bool) *CheckResult {
	res := &CheckResult{Domain: domain}
	if !validDomain(domain) {
		res.Result = ResultNone
		res.Err = fmt.Errorf("%w: %q", ErrInvalidTarget, domain)
		return res
	}
	txts, a, err := lookup.TXT(ctx, c.r, domain)
	if err != nil {
		res.Result, res.Err = ResultTempError, fmt.Errorf("spf: TXT %s: %w", domain, err)
		return res
	}
	var spfs []string
	for _, t := range txts {
		if IsRecord(t) {
			spfs = append(spfs, t)
		}
	}
	switch {
	case len(spfs) == 0:
		res.Result = ResultNone
		if a.NXDomain() {
			res.Err = fmt.Errorf("spf: %s does not exist (NXDOMAIN)", domain)
		}
		return res
	case len(spfs) > 1:
		res.Result, res.Err = ResultPermError, fmt.Errorf("%w at %s", ErrMultipleRecords, domain)
		return res
	}
	res.Record = spfs[0]
	rec, err := Parse(spfs[0])
	if err != nil {
		res.Result, res.Err = ResultPermError, err
		return res
	}
	for i := range rec.Directives {
		d := &rec.Directives[i]
		ok, terr := c.match(ctx, domain, *d)
		if terr != nil {
			res.Result, res.Err = terr.result, terr.err
			return res
		}
		if !ok {
			continue
		}
		res.Matched = d
		res.Result = qualifierResult(d.Qualifier)
		if res.Result == ResultFail && wantExp && rec.Exp != "" {
			res.Explanation = c.explain(ctx, domain, rec.Exp)
		}
		return res
	}
	if rec.Redirect == "" {
		res.Result = ResultNeutral
		return res
	}
	// §6.1: the redirect target's result is the result, its exp the
	// explanation; a target without a record is permerror.
	if terr := c.count(); terr != nil {
		res.Result, res.Err = terr.result, terr.err
		return res
	}
	target, terr := c.targetName(rec.Redirect, domain)
	if terr != nil {
		res.Result, res.Err = terr.result, terr.err
		return res
	}
	sub := c.checkHost(ctx, target, wantExp)
	if sub.Result == ResultNone {
		sub.Result = ResultPermError
		sub.Err = fmt.Errorf("%w: redirect=%s: %w", ErrNoTarget, target, noRecordErr(sub))
	}
	return sub
}

func noRecordErr(r *CheckResult) error {
	if r.Err != nil {
		return r.Err
	}
	return errors.New("no SPF record")
}

func qualifierResult(q Qualifier) Result {
	switch q {
	case QualifierFail:
		return ResultFail
	case QualifierSoftfail:
		return ResultSoftfail
	case QualifierNeutral:
		return ResultNeutral
	}
	return ResultPass
}

// count counts one DNS-querying term (§4.6.4).
func (c *hostCheck) count() *termError {
	c.lookups++
	if c.lookups > MaxLookups {
		return permErr(ErrLookupLimit)
	}
	return nil
}

// void counts one lookup that found nothing (§4.6.4).
func (c *hostCheck) void() *termError {
	c.voids++
	if c.voids > MaxVoidLookups {
		return permErr(ErrVoidLimit)
	}
	return nil
}

// targetName expands the domain-spec of a term; empty means domain.
func (c *hostCheck) targetName(spec, domain string) (string, *termError) {
	if spec == "" {
		return domain, nil
	}
	s, err := c.macros.expandMacros(spec, domain, false)
	if err != nil {
		return "", permErr(err)
	}
	name := strings.ToLower(truncateDomain(s))
	if !validDomain(name) {
		return "", permErr(fmt.Errorf("%w: %q expands to %q", ErrInvalidTarget, spec, name))
	}
	return name, nil
}

// match evaluates one mechanism (§5).
func (c *hostCheck) match(ctx context.Context, domain string, d Directive) (bool, *termError) {
	switch d.Mechanism {
	case MechAll:
		return true, nil
	case MechIP4, MechIP6:
		return d.Prefix.Masked().Contains(c.ip), nil
	}
	if terr := c.count(); terr != nil {
		return false, terr
	}
	target, terr := c.targetName(d.DomainSpec, domain)
	if terr != nil {
		return false, terr
	}
	switch d.Mechanism {
	case MechInclude:
		return c.include(ctx, target)
	case MechA:
		addrs, void, terr := c.addrs(ctx, target)
		if terr != nil {
			return false, terr
		}
		if void {
			return false, c.void()
		}
		return c.inCIDR(addrs, d), nil
	case MechMX:
		return c.mx(ctx, target, d)
	case MechPTR:
		return c.ptr(ctx, target)
	case MechExists:
		a, err := c.r.Query(ctx, target, dns.TypeA)
		if err != nil {
			return false, tempErr(fmt.Errorf("spf: exists:%s: %w", target, err))
		}
		if len(a.Records) == 0 {
			return false, c.void()
		}
		return true, nil
	}
	return false, permErr(fmt.Errorf("spf: unknown mechanism %q", d.Mechanism))
}

// include maps the target's result as the table of §5.2 says.
func (c *hostCheck) include(ctx context.Context, target string) (bool, *termError) {
	sub := c.checkHost(ctx, target, false)
	switch sub.Result {
	case ResultPass:
		return true, nil
	case ResultFail, ResultSoftfail, ResultNeutral:
		return false, nil
	case ResultTempError:
		return false, tempErr(sub.Err)
	case ResultNone:
		return false, permErr(fmt.Errorf("%w: include:%s: %w", ErrNoTarget, target, noRecordErr(sub)))
	}
	return false, permErr(sub.Err)
}

// addrs looks up the addresses of name in ip's family: A for an IPv4
// address, AAAA for IPv6 (§5). void is true when there are none.
func (c *hostCheck) addrs(ctx context.Context, name string) (addrs []netip.Addr, void bool, terr *termError) {
	qtype := dns.TypeA
	if c.ip.Is6() {
		qtype = dns.TypeAAAA
	}
	a, err := c.r.Query(ctx, name, qtype)
	if err != nil {
		return nil, false, tempErr(fmt.Errorf("spf: %s %s: %w", dns.TypeToString[qtype], name, err))
	}
	addrs = lookup.Addresses(a.Records)
	return addrs, len(addrs) == 0, nil
}

// inCIDR reports whether ip is in the network of one of addrs, with the
// dual-cidr-length of d (§5.6).
func (c *hostCheck) inCIDR(addrs []netip.Addr, d Directive) bool {
	bits := d.CIDR4
	if c.ip.Is6() {
		bits = d.CIDR6
	}
	for _, a := range addrs {
		b := bits
		if b < 0 {
			b = a.BitLen()
		}
		if p, err := a.Prefix(b); err == nil && p.Contains(c.ip) {
			return true
		}
	}
	return false
}

// mx matches the addresses of target's MX hosts (§5.4).
func (c *hostCheck) mx(ctx context.Context, target string, d Directive) (bool, *termError) {
	mxs, _, err := lookup.MX(ctx, c.r, target)
	if err != nil {
		return false, tempErr(fmt.Errorf("spf: mx:%s: %w", target, err))
	}
	if len(mxs) == 0 {
		return false, c.void()
	}
	if len(mxs) > MaxAddressLookups {
		return false, permErr(fmt.Errorf("%w: %s has %d", ErrMXLimit, target, len(mxs)))
	}
	for _, m := range mxs {
		host := strings.TrimSuffix(m.Mx, ".")
		if host == "" {
			continue // a null MX (RFC 7505) names no host
		}
		addrs, _, terr := c.addrs(ctx, host)
		if terr != nil {
			return false, terr
		}
		if c.inCIDR(addrs, d) {
			return true, nil
		}
	}
	return false, nil
}

// ptr matches when a validated reverse name of ip is target or below it
// (§5.5). A failed PTR lookup does not match.
func (c *hostCheck) ptr(ctx context.Context, target string) (bool, *termError) {
	names, void := c.validated(ctx)
	if void {
		return false, c.void()
	}
	for _, n := range names {
		if n == target || strings.HasSuffix(n, "."+target) {
			return true, nil
		}
	}
	return false, nil
}

// validated returns the reverse names of ip whose addresses include ip
// (at most MaxAddressLookups names looked at; a name whose lookup fails
// is skipped, §5.5). void is true when the PTR lookup found nothing.
func (c *hostCheck) validated(ctx context.Context) (names []string, void bool) {
	c.ptrOnce.Do(func() {
		c.ptrNames = []string{}
		a, err := c.r.Query(ctx, reverseName(c.ip), dns.TypePTR)
		if err != nil {
			return
		}
		if len(a.Records) == 0 {
			c.ptrNames = nil
			return
		}
		for i, rr := range a.Records {
			if i == MaxAddressLookups {
				break
			}
			p, ok := rr.(*dns.PTR)
			if !ok {
				continue
			}
			name := strings.TrimSuffix(strings.ToLower(p.Ptr), ".")
			addrs, _, terr := c.addrs(ctx, name)
			if terr != nil {
				continue
			}
			for _, ad := range addrs {
				if ad == c.ip {
					c.ptrNames = append(c.ptrNames, name)
					break
				}
			}
		}
	})
	return c.ptrNames, c.ptrNames == nil
}

// validatedName is the p macro: a validated reverse name, preferring
// domain or a name below it, else "unknown" (§7.3).
func (c *hostCheck) validatedName(ctx context.Context, domain string) string {
	names, _ := c.validated(ctx)
	for _, n := range names {
		if n == domain || strings.HasSuffix(n, "."+domain) {
			return n
		}
	}
	if len(names) > 0 {
		return names[0]
	}
	return "unknown"
}

// explain returns the explanation of a fail (§6.2): the one TXT record at
// the expanded exp domain, itself expanded. Any problem means no
// explanation, never a different result.
func (c *hostCheck) explain(ctx context.Context, domain, spec string) string {
	name, terr := c.targetName(spec, domain)
	if terr != nil || !validDomain(name) {
		return ""
	}
	txts, _, err := lookup.TXT(ctx, c.r, name)
	if err != nil || len(txts) != 1 {
		return ""
	}
	s, err := c.macros.expandMacros(txts[0], domain, true)
	if err != nil {
		return ""
	}
	return s
}

// reverseName is the PTR name of ip (in-addr.arpa or ip6.arpa).
func reverseName(ip netip.Addr) string {
	n, err := dns.ReverseAddr(ip.String())
	if err != nil {
		return ""
	}
	return n
}

// validDomain checks what §4.3 asks of a domain to evaluate: at most 253
// octets, labels of 1 to 63 octets, more than one label.
func validDomain(d string) bool { return nameProblem(d) == "" }

// nameProblem says why d is not a domain DNS can be asked about (RFC 1035
// §2.3.4, RFC 7208 §4.3), "" when it is one. A final dot is allowed.
func nameProblem(d string) string {
	d = strings.TrimSuffix(d, ".")
	switch {
	case d == "":
		return "empty name"
	case len(d) > 253:
		return fmt.Sprintf("name of %d octets, over 253", len(d))
	case !strings.Contains(d, "."):
		return "a single label"
	}
	for _, l := range strings.Split(d, ".") {
		if l == "" {
			return "empty label"
		}
		if len(l) > 63 {
			return fmt.Sprintf("label of %d octets, over 63", len(l))
		}
	}
	return ""
}
