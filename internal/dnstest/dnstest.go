// Package dnstest serves DNS on loopback for tests, the way a resolver
// is addressed: UDP and TCP on one port of 127.0.0.1 (RFC 7766: a client
// asks again over TCP when a UDP answer is truncated, at the same
// address).
//
// It imports no testing package, so that the lab, which `mailsetup demo`
// runs, can share Listen.
package dnstest

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/miekg/dns"
)

// T is the part of testing.TB the helpers use.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// tries bounds how many UDP ports Listen tries: one free for UDP is
// sometimes taken for TCP.
const tries = 20

// Listen opens UDP and TCP on the same free port of 127.0.0.1.
func Listen(ctx context.Context) (net.PacketConn, net.Listener, error) {
	var lc net.ListenConfig
	var err error
	for range tries {
		var pc net.PacketConn
		pc, err = lc.ListenPacket(ctx, "udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("dnstest: listen on loopback UDP: %w", err)
		}
		var ln net.Listener
		ln, err = lc.Listen(ctx, "tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
	}
	return nil, nil, fmt.Errorf("dnstest: no loopback port free for both UDP and TCP: %w", err)
}

// Open is Listen for a test: it fails the test on error and closes both
// at its end.
func Open(t T) (net.PacketConn, net.Listener) {
	t.Helper()
	pc, ln, err := Listen(context.Background())
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() { pc.Close(); ln.Close() })
	return pc, ln
}

// Serve serves h with miekg/dns over UDP and TCP on one loopback port
// until the end of the test, and returns its "127.0.0.1:port".
func Serve(t T, h dns.Handler) string {
	t.Helper()
	pc, ln := Open(t)
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}} {
		started := make(chan struct{})
		failed := make(chan error, 1)
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { failed <- srv.ActivateAndServe() }()
		select {
		case <-started:
		case err := <-failed:
			t.Fatalf("dnstest: serve: %v", err)
		}
		t.Cleanup(func() { srv.Shutdown() })
	}
	return pc.LocalAddr().String()
}

// ClosedAddr returns a "127.0.0.1:port" where nothing listens, UDP nor
// TCP, as far as a test can tell: the port was free a moment ago.
func ClosedAddr(t T) string {
	t.Helper()
	pc, ln, err := Listen(context.Background())
	if err != nil {
		t.Fatalf("%v", err)
	}
	addr := pc.LocalAddr().String()
	if err := errors.Join(pc.Close(), ln.Close()); err != nil {
		t.Fatalf("dnstest: close: %v", err)
	}
	return addr
}
