package lab

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
)

// POP3 replies of the lab responder (RFC 1939, capabilities RFC 2449).
const (
	pop3Greeting = "+OK lab POP3 ready\r\n"
	pop3Capa     = "+OK capability list follows\r\nUSER\r\nSASL PLAIN\r\n.\r\n"
	pop3Bye      = "+OK lab POP3 bye\r\n"
	pop3Unknown  = "-ERR command not supported by the lab\r\n"
	pop3TooLong  = "-ERR line too long\r\n"
	pop3TooMany  = "-ERR too many commands\r\n"
)

// pop3MaxLine is the longest command line read: RFC 2449 §4 allows 255
// octets including CRLF.
const pop3MaxLine = 255

// pop3MaxCommands bounds one session.
const pop3MaxCommands = 64

// pop3Command returns the keyword of a command line, upper-cased, without
// its arguments and line ending.
func pop3Command(line []byte) string {
	line = bytes.TrimRight(line, "\r\n")
	kw, _, _ := bytes.Cut(line, []byte(" "))
	return string(bytes.ToUpper(kw))
}

// pop3Session speaks the AUTHORIZATION state of POP3 on rw: the greeting,
// CAPA and QUIT; any other command gets -ERR. It returns when the client
// quits or hangs up, after pop3MaxCommands commands, or at a line longer
// than pop3MaxLine.
func pop3Session(rw io.ReadWriter) error {
	br := bufio.NewReaderSize(rw, pop3MaxLine+1)
	if _, err := io.WriteString(rw, pop3Greeting); err != nil {
		return err
	}
	for range pop3MaxCommands {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > pop3MaxLine {
			_, err := io.WriteString(rw, pop3TooLong)
			return err
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		reply := pop3Unknown
		switch pop3Command(line) {
		case "CAPA":
			reply = pop3Capa
		case "QUIT":
			_, err := io.WriteString(rw, pop3Bye)
			return err
		}
		if _, err := io.WriteString(rw, reply); err != nil {
			return err
		}
	}
	_, err := io.WriteString(rw, pop3TooMany)
	return err
}

// startPOP3 serves the POP3 responder over implicit TLS (RFC 8314) on ln,
// one goroutine per connection, at most maxConns at once.
func (l *Lab) startPOP3(ln net.Listener, domain string, cfg *tls.Config) {
	tl := newTrackedListener(ln)
	log := l.log.With("server", "pop3", "domain", domain)
	var conns sync.WaitGroup
	run := func() error {
		for {
			c, err := tl.Accept()
			if err != nil {
				return err
			}
			conns.Go(func() {
				defer c.Close()
				err := pop3Session(tls.Server(deadlineConn{c}, cfg))
				if err != nil {
					log.Debug("pop3 session ended", "err", err)
				}
			})
		}
	}
	l.serve(run, func(ctx context.Context) error {
		err := tl.shutdown(ctx)
		conns.Wait()
		return err
	})
}
