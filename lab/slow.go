package lab

import (
	"net"
	"sync"
	"time"
)

// slowGreetingDelay is how long the slowGreeting port 25 holds its 220
// greeting back: longer than any step timeout the tests and the demo
// use, far shorter than the 5 minutes a sender waits (RFC 5321
// §4.5.3.2.1). Some servers delay their greeting on purpose, to catch
// spam software that talks before it is spoken to.
const slowGreetingDelay = 7 * time.Second

// slowListener hands out connections whose first write (the server's
// greeting) waits for delay, or until the connection is closed.
type slowListener struct {
	net.Listener
	delay time.Duration
}

func newSlowListener(ln net.Listener, delay time.Duration) net.Listener {
	return &slowListener{Listener: ln, delay: delay}
}

func (l *slowListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &slowConn{Conn: c, delay: l.delay, closed: make(chan struct{})}, nil
}

// slowConn delays its first write.
type slowConn struct {
	net.Conn
	delay     time.Duration
	first     sync.Once
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *slowConn) Write(b []byte) (int, error) {
	var err error
	c.first.Do(func() {
		t := time.NewTimer(c.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.closed:
			err = net.ErrClosed
		}
	})
	if err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

func (c *slowConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
