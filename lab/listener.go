package lab

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// maxConns bounds the connections one lab listener serves at once, and so
// the goroutines its server runs. Beyond it Accept waits for a slot: the
// kernel's backlog queues the rest, as a busy real server would.
const maxConns = 64

// listen opens a TCP listener on a random port of a loopback address
// (127.0.0.1, or 127.0.0.2 for another provider's servers). The lab
// never listens anywhere else.
func listen(ctx context.Context, ip net.IP) (net.Listener, error) {
	if !ip.IsLoopback() {
		return nil, fmt.Errorf("lab: %s is not a loopback address", ip)
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		return nil, fmt.Errorf("lab: listen on loopback: %w", err)
	}
	return l, nil
}

// port returns the port a listener is bound to.
func port(l net.Listener) int {
	return l.Addr().(*net.TCPAddr).Port
}

// trackedListener bounds and tracks the connections it hands out, so the
// lab can close them and then wait until every server goroutine that owns
// one has let go of it (servers close their connection as they return).
// The servers of go-smtp, go-imap and net/http do not wait for their
// connection goroutines on Close; this does, for them.
type trackedListener struct {
	net.Listener
	slots chan struct{}
	done  chan struct{}
	wg    sync.WaitGroup

	mu     sync.Mutex
	closed bool
	conns  map[*trackedConn]struct{}
}

func newTrackedListener(l net.Listener) *trackedListener {
	return &trackedListener{
		Listener: l,
		slots:    make(chan struct{}, maxConns),
		done:     make(chan struct{}),
		conns:    make(map[*trackedConn]struct{}),
	}
}

// Accept waits for a free slot, then for a connection.
func (l *trackedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		c.Close()
		<-l.slots
		return nil, net.ErrClosed
	}
	l.conns[tc] = struct{}{}
	l.wg.Add(1)
	l.mu.Unlock()
	return tc, nil
}

// Close stops accepting. Connections already handed out stay open.
func (l *trackedListener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.done)
	l.mu.Unlock()
	return l.Listener.Close()
}

// shutdown closes the listener and the sockets of every connection handed
// out, which makes the servers' reads and writes fail, then waits until
// each server has closed its connection, or ctx ends.
func (l *trackedListener) shutdown(ctx context.Context) error {
	l.Close()
	l.mu.Lock()
	for c := range l.conns {
		c.Conn.Close() // the socket only: the owner's Close marks it done
	}
	l.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		l.wg.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("lab: waiting for connections on %s: %w", l.Addr(), ctx.Err())
	}
}

// trackedConn is a connection of a trackedListener; closing it frees its
// slot once.
type trackedConn struct {
	net.Conn
	l    *trackedListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
		<-c.l.slots
		c.l.wg.Done()
	})
	return err
}

// deadlineConn bounds every read and write of a connection, the TLS
// handshake included.
type deadlineConn struct{ net.Conn }

func (c deadlineConn) Read(p []byte) (int, error) {
	c.SetReadDeadline(time.Now().Add(readTimeout))
	return c.Conn.Read(p)
}

func (c deadlineConn) Write(p []byte) (int, error) {
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.Conn.Write(p)
}

// deadlineListener hands out deadlineConns.
type deadlineListener struct{ net.Listener }

func (l deadlineListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return deadlineConn{c}, nil
}
