// Command floor is the lower bound scripts/bench-manual.sh compares a
// full mailsetup check with: one TCP connection, one TLS handshake and
// the server's greeting, to one mail port, in a process of its own (as
// mailsetup is one), and nothing else.
//
//	floor -addr 127.0.0.1:993 -servername good.lab.test            implicit TLS (993, 995, 465)
//	floor -addr 127.0.0.1:587 -servername good.lab.test -starttls  SMTP greeting, EHLO, STARTTLS, then TLS
//
// The certificate is not verified (a handshake is timed, not judged).
// It exits 0 once the greeting line after TLS (implicit) or the TLS
// handshake (STARTTLS) is done.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks/netguard"
)

func main() {
	addr := flag.String("addr", "", "`host:port` to connect to")
	name := flag.String("servername", "", "TLS server `name` (SNI)")
	starttls := flag.Bool("starttls", false, "SMTP STARTTLS (RFC 3207) before TLS, as on port 587")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := run(ctx, *addr, *name, *starttls); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, name string, starttls bool) error {
	d := &netguard.Dialer{AllowPrivate: true}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if starttls {
		r := bufio.NewReader(conn)
		if err := reply(r, "220"); err != nil {
			return fmt.Errorf("greeting: %w", err)
		}
		fmt.Fprintf(conn, "EHLO floor.invalid\r\n")
		if err := reply(r, "250"); err != nil {
			return fmt.Errorf("EHLO: %w", err)
		}
		fmt.Fprintf(conn, "STARTTLS\r\n")
		if err := reply(r, "220"); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	tc := tls.Client(conn, &tls.Config{ServerName: name, InsecureSkipVerify: true})
	if err := tc.HandshakeContext(ctx); err != nil {
		return err
	}
	if starttls {
		return nil
	}
	line, err := bufio.NewReader(tc).ReadString('\n')
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if line == "" {
		return errors.New("empty greeting")
	}
	return nil
}

// reply reads an SMTP reply (RFC 5321 §4.2) and wants its code.
func reply(r *bufio.Reader, code string) error {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if !strings.HasPrefix(line, code) {
			return fmt.Errorf("reply %q, want %s", strings.TrimSpace(line), code)
		}
		if len(line) < 4 || line[3] != '-' {
			return nil
		}
	}
}
