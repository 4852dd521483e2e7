//go:build !unix

package reserve

import (
	"net"
)

// Port, where raw sockets are not at hand, opens and closes a
// listener: the port refuses connections but may be handed out again.
func Port() (port int, release func() error, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	p := ln.Addr().(*net.TCPAddr).Port
	return p, func() error { return nil }, ln.Close()
}
