package netguard

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

// TestDialNameServer: a name server on a forbidden address is refused
// before any packet, whatever the network; allowed, it is dialled.
func TestDialNameServer(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	addr := pc.LocalAddr().String()

	guard := &Dialer{}
	if guard.Allowed(netip.MustParseAddr("127.0.0.1")) || !guard.Allowed(netip.MustParseAddr("8.8.8.8")) {
		t.Error("Allowed does not follow Forbidden")
	}
	for _, network := range []string{"udp", "tcp"} {
		_, err := guard.DialNameServer(t.Context(), network, addr)
		var fe *ForbiddenError
		if !errors.As(err, &fe) || fe.Addr != netip.MustParseAddr("127.0.0.1") {
			t.Errorf("%s: got %v, want a ForbiddenError", network, err)
		}
	}
	c, err := (&Dialer{AllowPrivate: true}).DialNameServer(t.Context(), "udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	for _, bad := range [][2]string{{"udp", "ns1.example.com:53"}, {"tcp4", addr}, {"udp", "127.0.0.1:0"}} {
		if _, err := (&Dialer{AllowPrivate: true}).DialNameServer(t.Context(), bad[0], bad[1]); err == nil {
			t.Errorf("%s %s dialled", bad[0], bad[1])
		}
	}
}
