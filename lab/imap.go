package lab

import (
	"context"
	"crypto/tls"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// startIMAP serves IMAP4rev1 (RFC 3501) over implicit TLS (RFC 8314) on
// ln, with go-imap's in-memory backend and no user: the greeting is
// "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] …", and every login fails.
func (l *Lab) startIMAP(ln net.Listener, domain string, cfg *tls.Config) {
	tl := newTrackedListener(ln)
	mem := imapmemserver.New()
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger: printfLogger{l.log.With("server", "imap", "domain", domain)},
	})
	// go-imap sets no deadline before its greeting, which does the TLS
	// handshake: bound every read and write here.
	tlsLn := tls.NewListener(deadlineListener{tl}, cfg)
	l.serve(func() error { return srv.Serve(tlsLn) }, func(ctx context.Context) error {
		err := tl.shutdown(ctx)
		srv.Close()
		return err
	})
}
