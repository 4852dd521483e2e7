//go:build !unix

package lab

import (
	"context"
	"net"
)

// reservePort, where raw sockets are not at hand, opens and closes a
// listener: the port refuses connections but may be handed out again.
func reservePort() (port int, release func() error, err error) {
	ln, err := listen(context.Background())
	if err != nil {
		return 0, nil, err
	}
	p := ln.Addr().(*net.TCPAddr).Port
	return p, func() error { return nil }, ln.Close()
}
