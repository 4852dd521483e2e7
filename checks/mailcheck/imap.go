package mailcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/mailwire"
)

// imap runs the IMAP dialogue of RFC 9051 up to the point a client would
// log in: greeting (§7.1), CAPABILITY (§6.1.1) unless the greeting
// carried it, LOGOUT (§6.1.3).
func (p *probe) imap(ctx context.Context) {
	defer p.close()
	line, ok := p.greet(ctx, checks.IMAPBadGreeting)
	if !ok {
		return
	}
	ok, caps := mailwire.ParseIMAPGreeting(line)
	if !ok {
		p.finding(checks.IMAPBadGreeting, checks.SeverityFail, p.ep.Greeting)
		return
	}
	if caps == nil {
		var err error
		if caps, err = p.imapCapability(ctx); err != nil {
			p.fail(checks.StageDialogue, err)
			return
		}
	}
	p.ep.Caps = caps
	mechs, loginDisabled := mailwire.IMAPAuthMechs(caps)
	p.ep.AuthMechs = mechs
	if !imapCanLogin(caps, mechs, loginDisabled) {
		p.finding(checks.IMAPNoAuth, checks.SeverityFail, "capabilities: "+mailwire.Truncate(strings.Join(caps, " "), 300))
	}
	p.imapLogout(ctx)
}

// imapCanLogin reports whether a client can log in with a password: the
// LOGIN command of IMAP4rev1/rev2 unless LOGINDISABLED (RFC 9051 §6.2.3),
// or AUTHENTICATE with a password mechanism.
func imapCanLogin(caps, mechs []string, loginDisabled bool) bool {
	if !loginDisabled && (mailwire.HasCap(caps, "IMAP4rev1") || mailwire.HasCap(caps, "IMAP4rev2")) {
		return true
	}
	return anyPasswordMech(mechs)
}

// imapCapability asks for the capabilities: untagged CAPABILITY lines up
// to the tagged completion.
func (p *probe) imapCapability(ctx context.Context) ([]string, error) {
	const tag = "m1"
	if err := p.command(ctx, tag+" CAPABILITY"); err != nil {
		return nil, err
	}
	var caps []string
	for {
		line, err := p.lr.ReadLine()
		if err != nil {
			return caps, fmt.Errorf("CAPABILITY: %w", err)
		}
		if rest, ok := strings.CutPrefix(line, tag+" "); ok {
			status, _, _ := strings.Cut(rest, " ")
			if !strings.EqualFold(status, "OK") {
				return caps, fmt.Errorf("CAPABILITY: %w: %q", mailwire.ErrMalformed, mailwire.Truncate(line, 100))
			}
			return caps, nil
		}
		caps = append(caps, mailwire.ParseIMAPCapability(line)...)
	}
}

// imapLogout says goodbye; its outcome does not matter.
func (p *probe) imapLogout(ctx context.Context) {
	const tag = "m2"
	if p.command(ctx, tag+" LOGOUT") != nil {
		return
	}
	for {
		line, err := p.lr.ReadLine()
		if err != nil || strings.HasPrefix(line, tag+" ") {
			return
		}
	}
}
