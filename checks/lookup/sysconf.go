package lookup

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// ResolvConf is where the system's resolver is configured (resolv.conf(5)).
const ResolvConf = "/etc/resolv.conf"

// ErrNoNameserver is wrapped by SystemServer's error when the system's
// configuration names no usable resolver.
var ErrNoNameserver = errors.New("no nameserver configured")

// SystemServer returns the system's resolver as "host:port": the first
// nameserver of /etc/resolv.conf that is an IP address, on port 53.
func SystemServer() (string, error) { return serverFromFile(ResolvConf) }

func serverFromFile(path string) (string, error) {
	cfg, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return "", fmt.Errorf("reading the system's resolver: %w", err)
	}
	port := cfg.Port
	if port == "" {
		port = "53"
	}
	for _, s := range cfg.Servers {
		// resolv.conf names resolvers by address; a name would need a
		// resolver to be found.
		if _, err := netip.ParseAddr(s); err == nil {
			return net.JoinHostPort(s, port), nil
		}
	}
	return "", fmt.Errorf("reading the system's resolver: %s: %w", path, ErrNoNameserver)
}
