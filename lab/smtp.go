package lab

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Timeouts of the lab's protocol servers: generous for a checker, short
// enough that a forgotten client does not hold a slot for long.
const (
	readTimeout  = 30 * time.Second
	writeTimeout = 10 * time.Second
)

// smtpBackend makes the sessions of one lab SMTP server (RFC 5321). With
// auth, sessions offer AUTH PLAIN (RFC 4954, RFC 4616), which go-smtp
// advertises only over TLS; no credentials are ever accepted.
type smtpBackend struct {
	domain string
	auth   bool
}

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	s := &smtpSession{domain: b.domain}
	if b.auth {
		return &smtpAuthSession{s}, nil
	}
	return s, nil
}

// smtpSession accepts mail for its domain only (no relaying) and throws
// the message away.
type smtpSession struct{ domain string }

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	_, domain, ok := strings.Cut(to, "@")
	if !ok || !strings.EqualFold(domain, s.domain) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relaying denied"}
	}
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

type smtpAuthSession struct{ *smtpSession }

func (s *smtpAuthSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpAuthSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		return smtp.ErrAuthFailed
	}), nil
}

// startSMTP serves SMTP on ln: implicit TLS (RFC 8314) when implicit,
// STARTTLS (RFC 3207) otherwise unless mode is noStartTLS; AUTH unless
// mode is noAuth or the port is 25.
//
// The server names itself host (the domain, or its MX host on 25) and
// accepts recipients of domain only.
func (l *Lab) startSMTP(ln net.Listener, host, domain string, stdPort int, mode portMode, cfg *tls.Config) {
	tl := newTrackedListener(ln)
	srv := smtp.NewServer(&smtpBackend{
		domain: domain,
		auth:   stdPort != 25 && mode != noAuth,
	})
	srv.Domain = host
	srv.ReadTimeout = readTimeout
	srv.WriteTimeout = writeTimeout
	srv.MaxMessageBytes = 1 << 20
	srv.MaxRecipients = 10
	srv.ErrorLog = printfLogger{l.log.With("server", "smtp", "host", host, "port", stdPort)}
	implicit := stdPort == 465
	var serveOn net.Listener = tl
	switch {
	case implicit:
		serveOn = tls.NewListener(tl, cfg)
	case mode != noStartTLS:
		srv.TLSConfig = cfg
	}
	l.serve(func() error { return srv.Serve(serveOn) }, func(ctx context.Context) error {
		err := tl.shutdown(ctx)
		srv.Close()
		return err
	})
}

// printfLogger hands the Printf-style error logs of go-smtp and go-imap
// to slog, at debug level: a client hanging up is no news in a lab.
type printfLogger struct{ log *slog.Logger }

func (p printfLogger) Printf(format string, v ...any) {
	p.log.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)))
}

func (p printfLogger) Println(v ...any) {
	p.log.Debug(strings.TrimSpace(fmt.Sprintln(v...)))
}

// ignoreClosed drops the error a server returns because its listener was
// closed, which is how the lab stops it.
func ignoreClosed(err error) error {
	if err == nil || errors.Is(err, net.ErrClosed) || errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}
