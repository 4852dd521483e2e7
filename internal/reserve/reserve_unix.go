//go:build unix

package reserve

import (
	"fmt"
	"syscall"
)

// Port binds a TCP socket to a free port of 127.0.0.1 and never
// listens on it: the kernel answers a connection with a reset
// (connection refused), and, the socket being bound without
// SO_REUSEADDR, no other socket can bind the port until release.
func Port() (port int, release func() error, err error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return 0, nil, fmt.Errorf("socket: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("bind 127.0.0.1:0: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("getsockname: %w", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("getsockname: unexpected %T", sa)
	}
	return in4.Port, func() error { return syscall.Close(fd) }, nil
}
