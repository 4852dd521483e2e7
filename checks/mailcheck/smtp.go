package mailcheck

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/mailwire"
	"github.com/pcmhosting/mailsetup/checks/mtasts"
)

// smtpMode is which of the three SMTP ports a probe plays.
type smtpMode int

const (
	modeSubmissions smtpMode = iota // 465: implicit TLS, AUTH required
	modeSubmission                  // 587: STARTTLS required, AUTH after it
	modeRelay                       // 25: STARTTLS wished, no AUTH
)

// runRelay probes port 25 of the first MaxMX MX hosts at once (the
// domain itself when it has no MX: RFC 5321 §5.1). It runs whenever
// dns.mx found a host to deliver to, even when dns.mx failed for another
// reason (a null MX beside others): whether mail arrives is this check's
// to say.
func runRelay(ctx context.Context, env *checks.Env, t checks.Target, deps checks.Deps) checks.Result {
	start := time.Now()
	mx, err := deps.Wait(ctx, checks.DNSMX)
	hosts := mx.Facts.MXHosts
	if err != nil || len(hosts) == 0 {
		return skip(checks.SMTP25, checks.DNSMX, err)
	}
	res := checks.Result{ID: checks.SMTP25, Status: checks.StatusPass}
	hosts = hosts[:min(len(hosts), MaxMX)]
	probes := make([]*probe, len(hosts))
	var (
		wg       sync.WaitGroup
		enforced bool
	)
	wg.Go(func() {
		p, found, err := mtasts.Fetch(ctx, env.Resolver, env.HTTPClient, t.Domain, env.Profile.Dial(checks.PortHTTPS), env.StepTimeout())
		enforced = err == nil && found && p.Mode == mtasts.ModeEnforce
	})
	for i, h := range hosts {
		p := newProbe(env, h, checks.PortSMTP, "SMTP", checks.SecurityNone)
		p.relay = true
		probes[i] = p
		wg.Go(func() { p.smtp(ctx, modeRelay) })
	}
	wg.Wait()
	if enforced {
		for _, p := range probes {
			p.enforce()
		}
	}
	anyWorks := slices.ContainsFunc(probes, func(p *probe) bool { return p.status.Works() })
	for _, p := range probes {
		for _, f := range p.findings {
			if anyWorks && f.Severity == checks.SeverityFail {
				// RFC 5321 §5.1: a sender that cannot reach one MX host
				// tries the next, so while another host accepts mail a
				// dead one is a warning about that host, not lost mail.
				f.Severity = checks.SeverityWarn
			}
			res.Add(f)
		}
		p.ep.Works = p.status.Works()
		res.Facts.Endpoints = append(res.Facts.Endpoints, p.ep)
		p.log(checks.SMTP25)
	}
	res.Elapsed = time.Since(start)
	return res
}

// enforce applies an MTA-STS policy in enforce mode to a port-25 probe:
// senders that honour it do not deliver to a host whose TLS fails
// validation (RFC 8461 §4.2, §5.1).
func (p *probe) enforce() {
	p.status = checks.StatusPass
	for i := range p.findings {
		f := &p.findings[i]
		if slices.Contains(checks.MTASTSCodes, f.Code) {
			f.Severity = checks.SeverityFail
			f.Params["mta_sts"] = string(mtasts.ModeEnforce)
		}
		p.status = checks.Worse(p.status, f.Severity.Status())
	}
}

// smtp runs the SMTP dialogue up to the point a client would log in or a
// server would send MAIL: greeting (RFC 5321 §4.3.1), EHLO (§4.1.1.1),
// STARTTLS and EHLO again (RFC 3207 §4.2), QUIT.
func (p *probe) smtp(ctx context.Context, mode smtpMode) {
	if !p.dial(ctx) {
		return
	}
	defer p.close()
	if mode == modeSubmissions && !p.startTLS(ctx) {
		return
	}
	if err := p.deadline(ctx); err != nil {
		p.fail(checks.StageDialogue, err)
		return
	}
	code, lines, err := mailwire.ReadSMTPReply(p.lr)
	if err != nil {
		if mode == modeRelay && checks.ClassifyErr(checks.StageDialogue, err) == checks.ProtoTimeout && ctx.Err() == nil {
			// RFC 5321 §4.5.3.2.1: a sender waits 5 minutes for the
			// greeting, and some servers hold it back on purpose to
			// catch impatient spam software. No greeting within the step
			// timeout is worth a warning, not "cannot deliver".
			p.add(checks.Finding{Code: checks.SMTPGreetingSlow, Severity: checks.SeverityWarn,
				Params: map[string]string{"seconds": strconv.Itoa(int(math.Ceil(p.step.Seconds())))},
				Detail: fmt.Sprintf("greeting: %v", err)})
			return
		}
		p.greetingError(checks.SMTPBadGreeting, err)
		return
	}
	p.ep.Greeting = mailwire.Truncate(fmt.Sprintf("%d %s", code, lines[0]), maxGreeting)
	if code != 220 {
		// RFC 5321 §3.1: 554 instead of 220 means no service here.
		p.finding(checks.SMTPBadGreeting, checks.SeverityFail, p.ep.Greeting)
		p.smtpQuit(ctx)
		return
	}
	ehlo, ok := p.ehlo(ctx)
	if !ok {
		return
	}

	if mode != modeSubmissions {
		if mode == modeSubmission && len(ehlo.AuthMechs) > 0 {
			// RFC 8314 §3.3 and RFC 4954 §4: a password should never be
			// offered a way to travel in clear text.
			p.add(checks.Finding{Code: checks.SMTPAuthPlaintext, Severity: checks.SeverityWarn,
				Params: map[string]string{"mechs": strings.Join(ehlo.AuthMechs, " ")}, Detail: p.ehloDetail(ehlo)})
		}
		sev := checks.SeverityFail
		if mode == modeRelay {
			sev = checks.SeverityWarn
		}
		if !p.smtpStartTLS(ctx, ehlo, sev) {
			return
		}
		p.ep.Security = checks.SecurityStartTLS
		// RFC 3207 §4.2: forget what was said in clear text, ask again.
		if ehlo, ok = p.ehlo(ctx); !ok {
			return
		}
	}

	if mode != modeRelay && !anyPasswordMech(ehlo.AuthMechs) {
		p.finding(checks.SMTPNoAuth, checks.SeverityFail, p.ehloDetail(ehlo))
	}
	p.smtpQuit(ctx)
}

// smtpStartTLS upgrades the connection (RFC 3207 §4): STARTTLS, a 220
// reply, the handshake. ok is false when the dialogue ended, the reason
// recorded (smtp.no_starttls at severity sev, or what went wrong).
func (p *probe) smtpStartTLS(ctx context.Context, ehlo mailwire.EHLO, sev checks.Severity) (ok bool) {
	if !ehlo.StartTLS {
		p.finding(checks.SMTPNoStartTLS, sev, p.ehloDetail(ehlo))
		p.smtpQuit(ctx)
		return false
	}
	if err := p.command(ctx, "STARTTLS"); err != nil {
		p.fail(checks.StageDialogue, err)
		return false
	}
	code, lines, err := mailwire.ReadSMTPReply(p.lr)
	if err != nil {
		p.fail(checks.StageDialogue, fmt.Errorf("STARTTLS: %w", err))
		return false
	}
	if code != 220 {
		// Advertised but refused (454 TLS not available): no STARTTLS.
		p.finding(checks.SMTPNoStartTLS, sev, fmt.Sprintf("STARTTLS: %d %s", code, mailwire.Truncate(lines[0], 200)))
		p.smtpQuit(ctx)
		return false
	}
	if n := p.lr.Buffered(); n > 0 {
		// The STARTTLS command injection (RFC 7457 §2.2, CVE-2011-0411),
		// seen from the client side: bytes sent before the handshake
		// must not be taken as protected.
		p.fail(checks.StageDialogue, fmt.Errorf("STARTTLS: %w: %d bytes after the 220 reply", mailwire.ErrMalformed, n))
		return false
	}
	return p.startTLS(ctx)
}

// ehlo introduces the probe and records the extensions offered. A
// server refusing EHLO offers none. ok is false when the dialogue broke.
func (p *probe) ehlo(ctx context.Context) (ehlo mailwire.EHLO, ok bool) {
	name := p.env.EHLOName
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		name = DefaultEHLOName
	}
	if err := p.command(ctx, "EHLO "+name); err != nil {
		p.fail(checks.StageDialogue, err)
		return ehlo, false
	}
	code, lines, err := mailwire.ReadSMTPReply(p.lr)
	if err != nil {
		p.fail(checks.StageDialogue, fmt.Errorf("EHLO: %w", err))
		return ehlo, false
	}
	if code == 250 {
		ehlo = mailwire.ParseEHLO(lines)
		p.ehloRefused = ""
	} else {
		// No extensions, hence no STARTTLS nor AUTH: the findings that
		// follow quote this.
		p.ehloRefused = fmt.Sprintf("EHLO refused: %d %s", code, mailwire.Truncate(lines[0], 200))
	}
	p.ep.Caps = ehlo.Keywords
	p.ep.AuthMechs = ehlo.AuthMechs
	return ehlo, true
}

// smtpQuit says goodbye; its outcome does not matter.
func (p *probe) smtpQuit(ctx context.Context) {
	if p.command(ctx, "QUIT") == nil {
		mailwire.ReadSMTPReply(p.lr)
	}
}

func (p *probe) ehloDetail(e mailwire.EHLO) string {
	if p.ehloRefused != "" {
		return p.ehloRefused
	}
	return "EHLO: " + mailwire.Truncate(strings.Join(e.Keywords, " | "), 300)
}
