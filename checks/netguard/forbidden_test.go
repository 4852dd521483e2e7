package netguard

import (
	"net/netip"
	"testing"
)

func TestForbidden(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		// The brief's list.
		{"127.0.0.1", true},
		{"10.0.0.5", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"100.64.1.1", true},
		{"169.254.169.254", true},
		{"0.0.0.0", true},
		{"::1", true},
		{"fe80::1", true},
		{"fd00::1", true},
		{"::ffff:127.0.0.1", true},
		{"64:ff9b::7f00:1", true},
		{"224.0.0.1", true},
		{"ff02::1", true},
		{"8.8.8.8", false},
		{"2a00:1450:4007::1", false},
		{"1.1.1.1", false},
		{"172.32.0.1", false},
		{"100.128.0.1", false},
		// Edges of the IPv4 ranges.
		{"127.255.255.255", true},
		{"0.1.2.3", true},
		{"9.255.255.255", false},
		{"11.0.0.0", false},
		{"172.15.255.255", false},
		{"172.31.255.255", true},
		{"192.167.255.255", false},
		{"192.169.0.0", false},
		{"100.63.255.255", false},
		{"100.127.255.255", true},
		{"169.253.255.255", false},
		{"169.255.0.0", false},
		{"192.0.0.8", true},
		{"192.0.1.1", false},
		{"192.0.2.1", true},
		{"192.88.99.1", true},
		{"198.17.255.255", false},
		{"198.18.0.1", true},
		{"198.19.255.255", true},
		{"198.20.0.0", false},
		{"198.51.100.7", true},
		{"203.0.113.9", true},
		{"203.0.114.1", false},
		{"223.255.255.255", false},
		{"239.255.255.250", true},
		{"240.0.0.1", true},
		{"255.255.255.255", true},
		// IPv6.
		{"::", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:8.8.8.8", false},
		{"::ffff:0.0.0.0", true},
		{"::7f00:1", true},    // IPv4-compatible 127.0.0.1
		{"::a9fe:a9fe", true}, // IPv4-compatible 169.254.169.254
		{"::808:808", false},  // IPv4-compatible 8.8.8.8
		{"64:ff9b::a00:1", true},
		{"64:ff9b::a9fe:a9fe", true},
		{"64:ff9b::808:808", false},
		{"64:ff9b:1::808:808", true}, // local-use NAT64: refused whole
		{"2002:7f00:1::1", true},     // 6to4 of 127.0.0.1
		{"2002:808:808::1", false},   // 6to4 of 8.8.8.8
		{"fe80::1%eth0", true},
		{"febf::1", true},
		{"fc00::1", true},
		{"fec0::1", true},
		{"100::1", true},
		{"2001:db8::1", true},
		{"2001::1", true},
		{"2001:2::1", true},
		{"3fff::1", true},
		{"2001:4860:4860::8888", false},
		{"2606:4700:4700::1111", false},
		{"3ffe::1", false},
		{"4000::1", true},
		{"ff05::2", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := Forbidden(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("Forbidden(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	t.Run("zero Addr", func(t *testing.T) {
		if !Forbidden(netip.Addr{}) {
			t.Error("Forbidden(netip.Addr{}) = false, want true")
		}
	})
}

// FuzzForbidden: an IPv4 address and its IPv6 forms (mapped, NAT64) are
// judged alike, and loopback is never allowed.
func FuzzForbidden(f *testing.F) {
	f.Add([]byte{127, 0, 0, 1})
	f.Add([]byte{8, 8, 8, 8})
	f.Add([]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		ip, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		got := Forbidden(ip)
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsMulticast() || ip.IsUnspecified() {
			if !got {
				t.Fatalf("Forbidden(%s) = false", ip)
			}
		}
		if ip.Is4() {
			v4 := ip.As4()
			mapped := netip.AddrFrom16(ip.As16())
			var n [16]byte
			copy(n[:], []byte{0, 0x64, 0xff, 0x9b})
			copy(n[12:], v4[:])
			nat := netip.AddrFrom16(n)
			if Forbidden(mapped) != got || Forbidden(nat) != got {
				t.Fatalf("%s: %v, mapped %v, NAT64 %v", ip, got, Forbidden(mapped), Forbidden(nat))
			}
		}
	})
}
