// Package mailcheck probes the mail ports a customer's mail client and
// the world's mail servers use, as the guide lists them (section 2):
// IMAP on 993 and POP3 on 995 with implicit TLS (RFC 8314 §3), SMTP
// submission on 465 with implicit TLS (RFC 8314 §3.3) or on 587 with
// STARTTLS (RFC 6409, RFC 3207), and SMTP relay on 25 to each MX
// (RFC 5321).
//
// A probe goes as far as a mail client does before sending a password,
// and no further: connect, TLS, greeting, capabilities, then a polite
// QUIT or LOGOUT. It never logs in, never sends MAIL, RCPT or VRFY. Every
// step (a dial, a handshake, a command and its reply) has its own
// deadline of env.StepTimeout(), and every read is bounded by
// mailwire.LineReader, so a silent or babbling server costs a few seconds
// and a few kilobytes.
//
// What the probe saw is data: findings (codes of checks/codes.go with
// params host and port, the standard port even when the lab maps it
// elsewhere) and Facts.Endpoint for the settings card. Network errors
// become codes in checks.ClassifyErr only.
package mailcheck

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/mailwire"
	"github.com/pcmhosting/mailsetup/checks/tlscheck"
)

// DefaultEHLOName is the name SMTP probes introduce themselves with when
// Env.EHLOName is empty: a syntactically valid FQDN under .invalid
// (RFC 6761 §6.4), which honestly names no host.
const DefaultEHLOName = "mailsetup.invalid"

// maxGreeting bounds the greeting kept in Facts and details.
const maxGreeting = 200

// IMAP is imap.993: implicit TLS, an OK greeting and a way to log in
// with a password (RFC 9051).
func IMAP() checks.Check {
	return clientPort(checks.IMAP993, checks.PortIMAPS, "IMAP", checks.SecurityTLS, (*probe).imap)
}

// POP3 is pop3.995: implicit TLS, a +OK greeting and USER or SASL in
// CAPA (RFC 1939, RFC 2449).
func POP3() checks.Check {
	return clientPort(checks.POP3995, checks.PortPOP3S, "POP3", checks.SecurityTLS, (*probe).pop3)
}

// clientPort is the check of a port a mail client uses on the mail host
// (993, 995, 465, 587): it waits for dns.host, then runs dialogue on the
// host's port with the security the guide gives it.
func clientPort(id checks.ID, port int, protocol string, sec checks.Security, dialogue func(*probe, context.Context)) checks.Check {
	return checks.Check{ID: id, DependsOn: []checks.ID{checks.DNSHost}, Run: func(ctx context.Context, env *checks.Env, t checks.Target, deps checks.Deps) checks.Result {
		start := time.Now()
		res, _, ok := begin(ctx, id, checks.DNSHost, deps)
		if !ok {
			return res
		}
		p := newProbe(env, t.Host, port, protocol, sec)
		dialogue(p, ctx)
		return p.result(res, id, start)
	}}
}

// Submissions is smtp.465: implicit TLS, a 220 greeting and AUTH in the
// EHLO reply (RFC 8314 §3.3, RFC 4954). It is the guide's outgoing server.
func Submissions() checks.Check {
	return clientPort(checks.SMTP465, checks.PortSubmissions, "SMTP", checks.SecurityTLS, func(p *probe, ctx context.Context) {
		p.smtp(ctx, modeSubmissions)
	})
}

// Submission is smtp.587: a 220 greeting, STARTTLS offered and working,
// AUTH offered after TLS and preferably not before (RFC 6409, RFC 3207).
func Submission() checks.Check {
	return clientPort(checks.SMTP587, checks.PortSubmission, "SMTP", checks.SecurityStartTLS, func(p *probe, ctx context.Context) {
		p.smtp(ctx, modeSubmission)
	})
}

// Relay is smtp.25: each of the first MaxMX MX hosts greets and offers
// STARTTLS (RFC 5321, RFC 3207). TLS there is opportunistic, so TLS
// problems are warnings, unless the domain's MTA-STS policy is in
// enforce mode (RFC 8461 §5.1): then senders that honour it do not
// deliver, and they are failures.
func Relay() checks.Check {
	return checks.Check{ID: checks.SMTP25, DependsOn: []checks.ID{checks.DNSMX}, Run: runRelay}
}

// MaxMX is how many MX hosts smtp.25 probes, in preference order.
const MaxMX = 3

// begin waits for the dependency and returns the result to start from,
// or a skip when the dependency did not work (ok false).
func begin(ctx context.Context, id, dep checks.ID, deps checks.Deps) (res checks.Result, depRes checks.Result, ok bool) {
	res = checks.Result{ID: id, Status: checks.StatusPass}
	depRes, err := deps.Wait(ctx, dep)
	if err == nil && depRes.Status.Works() {
		return res, depRes, true
	}
	return skip(id, dep, err), depRes, false
}

func skip(id, dep checks.ID, err error) checks.Result {
	res := checks.Result{ID: id, Status: checks.StatusSkip}
	f := checks.Finding{Code: checks.CheckSkipped, Severity: checks.SeverityInfo, Params: map[string]string{"dependency": string(dep)}}
	if err != nil {
		f.Detail = err.Error()
	}
	res.Add(f)
	return res
}

// probe is one connection to one port of one host and what it saw.
type probe struct {
	env      *checks.Env
	host     string // as verified and reported, without a final dot
	port     int    // the standard port, reported
	step     time.Duration
	relay    bool // port 25: TLS findings are warnings, timeouts get a hint
	status   checks.Status
	findings []checks.Finding
	ep       checks.Endpoint
	// ehloRefused quotes the reply of a server that refused EHLO.
	ehloRefused string

	conn net.Conn
	lr   *mailwire.LineReader
	stop func() bool // unregisters the cancellation hook
}

func newProbe(env *checks.Env, host string, port int, protocol string, sec checks.Security) *probe {
	host = strings.TrimSuffix(host, ".")
	return &probe{
		env:    env,
		host:   host,
		port:   port,
		step:   env.StepTimeout(),
		status: checks.StatusPass,
		ep:     checks.Endpoint{Protocol: protocol, Host: host, Port: port, Security: sec},
	}
}

// add records a finding with the probe's host and port among its params.
func (p *probe) add(f checks.Finding) {
	params := map[string]string{"host": p.host, "port": strconv.Itoa(p.port)}
	for k, v := range f.Params {
		params[k] = v
	}
	if p.relay && (f.Code == checks.TCPTimeout || f.Code == checks.ProtoTimeout) && p.ep.Greeting == "" {
		// Many networks (home ISPs, clouds) block outgoing port 25: the
		// checker's, not necessarily the customer's, problem. Once the
		// server has greeted, port 25 is plainly not blocked.
		params["hint"] = "port25_blocked"
	}
	f.Params = params
	p.findings = append(p.findings, f)
	p.status = checks.Worse(p.status, f.Severity.Status())
}

func (p *probe) finding(code checks.Code, sev checks.Severity, detail string) {
	p.add(checks.Finding{Code: code, Severity: sev, Detail: detail})
}

// fail records the finding of an error at stage.
func (p *probe) fail(stage checks.Stage, err error) {
	p.add(checks.ErrorFinding(stage, err, nil))
}

// dial connects to the host's port (as the profile maps it) through the
// guarded dialer.
func (p *probe) dial(ctx context.Context) bool {
	dctx, cancel := context.WithTimeout(ctx, p.step)
	defer cancel()
	conn, err := p.env.Dialer.DialContext(dctx, "tcp", p.env.Profile.HostPort(p.host, p.port))
	if err != nil {
		// A refused or silent port was still dialled: whose server it
		// is follows from the address tried (Addr stays the address of
		// a connection made).
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Addr != nil {
			p.ep.Party = p.env.Profile.Party(oe.Addr.String())
		}
		p.fail(checks.StageDial, fmt.Errorf("dial %s port %d: %w", p.host, p.port, err))
		return false
	}
	p.conn = conn
	p.dialled(conn.RemoteAddr().String())
	p.lr = mailwire.NewLineReader(conn)
	// Cancelling the run interrupts a read or write in progress.
	p.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return true
}

// dialled records the address actually dialled and whose server it is.
func (p *probe) dialled(addr string) {
	p.ep.Addr = addr
	p.ep.Party = p.env.Profile.Party(addr)
}

// greet connects with implicit TLS and reads the server's one-line
// greeting; a missing or unreadable greeting is badGreeting. The caller
// closes the probe whatever greet returns.
func (p *probe) greet(ctx context.Context, badGreeting checks.Code) (line string, ok bool) {
	if !p.dial(ctx) || !p.startTLS(ctx) {
		return "", false
	}
	if err := p.deadline(ctx); err != nil {
		p.fail(checks.StageDialogue, err)
		return "", false
	}
	line, err := p.lr.ReadLine()
	if err != nil {
		p.greetingError(badGreeting, err)
		return "", false
	}
	p.ep.Greeting = mailwire.Truncate(line, maxGreeting)
	return line, true
}

// close hangs up. Safe to call when dial failed.
func (p *probe) close() {
	if p.stop != nil {
		p.stop()
	}
	if p.conn != nil {
		p.conn.Close()
	}
}

// startTLS runs the TLS handshake on the connection and records what
// tlscheck finds. Later reads and writes go through TLS.
func (p *probe) startTLS(ctx context.Context) bool {
	tc, err := tlscheck.Handshake(ctx, p.conn, p.host, p.step)
	if err != nil {
		p.conn = nil // closed by Handshake
		f := checks.ErrorFinding(checks.StageTLS, err, nil)
		if p.relay && f.Severity == checks.SeverityFail {
			// Server-to-server TLS is opportunistic (RFC 3207 §4.1): a
			// sender whose STARTTLS handshake fails or stalls delivers in
			// clear text instead (Postfix and Exim do), so mail still
			// arrives, as with the relay's other TLS findings.
			f.Severity = checks.SeverityWarn
		}
		p.add(f)
		return false
	}
	p.conn = tc
	p.lr = mailwire.NewLineReader(tc)
	state := tc.ConnectionState()
	p.ep.TLSVersion = tls.VersionName(state.Version)
	if len(state.PeerCertificates) > 0 {
		leaf := state.PeerCertificates[0]
		sum := sha256.Sum256(leaf.Raw)
		p.ep.CertSHA256, p.ep.CertNotAfter = hex.EncodeToString(sum[:]), leaf.NotAfter.UTC()
	}
	fs := tlscheck.Inspect(state, p.host, p.env.RootCAs, p.env.Clock())
	if p.relay {
		fs = tlscheck.Downgrade(fs, checks.SeverityWarn)
	}
	for _, f := range fs {
		p.add(f)
	}
	return true
}

// deadline starts a step: the next command and its reply must be done
// within the step timeout (or ctx's deadline, if sooner).
func (p *probe) deadline(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := time.Now().Add(p.step)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	return p.conn.SetDeadline(d)
}

// command starts a step and sends one command line.
func (p *probe) command(ctx context.Context, line string) error {
	if err := p.deadline(ctx); err != nil {
		return err
	}
	if _, err := io.WriteString(p.conn, line+"\r\n"); err != nil {
		verb, _, _ := strings.Cut(line, " ")
		return fmt.Errorf("sending %s: %w", verb, err)
	}
	return nil
}

// greetingError records a failure to read a greeting: a line too long,
// too many or not of the protocol is a bad greeting (code), a timeout or
// a hang-up is what ClassifyErr says.
func (p *probe) greetingError(code checks.Code, err error) {
	err = fmt.Errorf("greeting: %w", err)
	if errors.Is(err, mailwire.ErrLineTooLong) || errors.Is(err, mailwire.ErrTooMuch) || errors.Is(err, mailwire.ErrMalformed) {
		p.finding(code, checks.SeverityFail, err.Error())
		return
	}
	p.fail(checks.StageDialogue, err)
}

// result folds the probe into a check result.
func (p *probe) result(res checks.Result, id checks.ID, start time.Time) checks.Result {
	for _, f := range p.findings {
		res.Add(f)
	}
	p.ep.Works = p.status.Works()
	ep := p.ep
	res.Facts.Endpoint = &ep
	res.Elapsed = time.Since(start)
	p.log(id)
	return res
}

func (p *probe) log(id checks.ID) {
	if p.env.Logger == nil {
		return
	}
	codes := make([]string, 0, len(p.findings))
	for _, f := range p.findings {
		codes = append(codes, string(f.Code))
	}
	p.env.Logger.Debug("mail port probed", slog.String("check", string(id)), slog.String("host", p.host),
		slog.Int("port", p.port), slog.String("addr", p.ep.Addr), slog.String("status", string(p.status)),
		slog.Any("codes", codes))
}

// passwordMech reports whether a SASL mechanism lets a mail client log in
// with the mailbox password, as the guide has customers do.
func passwordMech(m string) bool {
	switch strings.ToUpper(m) {
	case "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "NTLM":
		return true
	}
	return strings.HasPrefix(strings.ToUpper(m), "SCRAM-")
}

func anyPasswordMech(mechs []string) bool {
	for _, m := range mechs {
		if passwordMech(m) {
			return true
		}
	}
	return false
}
