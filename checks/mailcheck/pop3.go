package mailcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/mailwire"
)

// pop3 runs the POP3 dialogue up to the point a client would log in:
// greeting (RFC 1939 §4), CAPA (RFC 2449 §5), QUIT.
func (p *probe) pop3(ctx context.Context) {
	defer p.close()
	line, ok := p.greet(ctx, checks.POP3BadGreeting)
	if !ok {
		return
	}
	if !mailwire.ParsePOP3Greeting(line) {
		p.finding(checks.POP3BadGreeting, checks.SeverityFail, p.ep.Greeting)
		return
	}
	caps, detail, err := p.pop3Capa(ctx)
	if err != nil {
		p.fail(checks.StageDialogue, err)
		return
	}
	p.ep.Caps = caps
	mechs, user := mailwire.POP3AuthMechs(caps)
	p.ep.AuthMechs = mechs
	if !user && !anyPasswordMech(mechs) {
		// Without CAPA a server may still take USER, but finding out
		// would mean trying to log in, which a probe never does.
		p.finding(checks.POP3NoAuth, checks.SeverityFail, detail)
	}
	if p.command(ctx, "QUIT") == nil {
		p.lr.ReadLine() // +OK, or nothing: either way we are done
	}
}

// pop3Capa asks for the capabilities. A server without CAPA answers -ERR:
// no capabilities, and detail says so.
func (p *probe) pop3Capa(ctx context.Context) (caps []string, detail string, err error) {
	if err := p.command(ctx, "CAPA"); err != nil {
		return nil, "", err
	}
	status, err := p.lr.ReadLine()
	if err != nil {
		return nil, "", fmt.Errorf("CAPA: %w", err)
	}
	if !mailwire.ParsePOP3Greeting(status) { // the same +OK test
		return nil, "CAPA: " + mailwire.Truncate(status, 100), nil
	}
	lines, err := mailwire.ReadPOP3Multi(p.lr)
	if err != nil {
		return nil, "", fmt.Errorf("CAPA: %w", err)
	}
	caps = mailwire.ParsePOP3Capa(lines)
	return caps, "CAPA: " + mailwire.Truncate(strings.Join(caps, " | "), 300), nil
}
