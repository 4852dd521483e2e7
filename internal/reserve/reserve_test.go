//go:build unix

package reserve

import (
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
)

// TestPortRefusesAndIsHeld: a connection to a reserved port is refused,
// nobody can listen on it while it is held, and anyone can once released.
func TestPortRefusesAndIsHeld(t *testing.T) {
	p, release, err := Port()
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
	c, err := net.Dial("tcp", addr)
	if err == nil {
		c.Close()
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial %s: %v, want connection refused", addr, err)
	}
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Errorf("listen on the held port %s succeeded", addr)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Errorf("listen after release: %v", err)
	} else {
		ln.Close()
	}
}
