package lab

import (
	"context"
	"io"
	"net"
	"sync"
	"time"
)

// maxHeld bounds the connections a tarpit holds; beyond it the oldest is
// closed.
const maxHeld = 64

// startTarpit accepts connections on ln and holds them without reading or
// writing a byte until the lab closes: to a client, a server that
// connected and then went silent (a stuck daemon, a filtering middlebox).
// One goroutine serves it, whatever the number of clients.
func (l *Lab) startTarpit(ln net.Listener) {
	var (
		mu     sync.Mutex
		held   []net.Conn
		closed bool
	)
	run := func() error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			mu.Lock()
			if closed {
				c.Close()
			} else {
				held = append(held, c)
				if len(held) > maxHeld {
					held[0].Close()
					held[0] = nil
					held = held[1:]
				}
			}
			mu.Unlock()
		}
	}
	l.serve(run, func(context.Context) error {
		err := ln.Close()
		mu.Lock()
		closed = true
		for _, c := range held {
			c.Close()
		}
		held = nil
		mu.Unlock()
		return err
	})
}

// startBanner accepts connections on ln, writes banner to each and hangs
// up: a server refusing service in its greeting, in whatever bytes it
// likes.
func (l *Lab) startBanner(ln net.Listener, banner string) {
	run := func() error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			c.SetWriteDeadline(time.Now().Add(time.Second))
			io.WriteString(c, banner)
			c.Close()
		}
	}
	l.serve(run, func(context.Context) error { return ln.Close() })
}
