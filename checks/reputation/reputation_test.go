package reputation

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

func checker(t *testing.T, z dns.Handler) *Checker {
	t.Helper()
	return &Checker{Resolver: lookup.NewClient(dnstest.Serve(t, z), time.Second), Timeout: 2 * time.Second}
}

func TestReverse(t *testing.T) {
	z := dnstest.NewZone(t,
		"25.113.0.203.in-addr.arpa. PTR Out.Example-Host.fr.",
		"out.example-host.fr. A 203.0.113.25",
		"26.113.0.203.in-addr.arpa. PTR elsewhere.example-host.fr.",
		"elsewhere.example-host.fr. A 203.0.113.99",
		"27.113.0.203.in-addr.arpa. PTR gone.example-host.fr.",
		"27.113.0.203.in-addr.arpa. PTR broken.example-host.fr.",
		"28.113.0.203.in-addr.arpa. PTR broken.example-host.fr.",
		"28.113.0.203.in-addr.arpa. PTR out28.example-host.fr.",
		"out28.example-host.fr. A 203.0.113.28",
		"5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR v6.example-host.fr.",
		"v6.example-host.fr. AAAA 2001:db8:100::25",
	)
	z.ServFail = map[string]bool{"29.113.0.203.in-addr.arpa.": true, "broken.example-host.fr.": true}
	c := checker(t, z)
	tests := []struct {
		ip              string
		names           []string
		confirmed       string
		hasPTR, ptrKnow bool
		fcrdns, fcKnow  bool
	}{
		{"203.0.113.25", []string{"out.example-host.fr"}, "out.example-host.fr", true, true, true, true},
		{"::ffff:203.0.113.25", []string{"out.example-host.fr"}, "out.example-host.fr", true, true, true, true},
		{"203.0.113.26", []string{"elsewhere.example-host.fr"}, "", true, true, false, true},
		{"203.0.113.27", []string{"gone.example-host.fr", "broken.example-host.fr"}, "", true, true, false, false},
		{"203.0.113.28", []string{"broken.example-host.fr", "out28.example-host.fr"}, "out28.example-host.fr", true, true, true, true},
		{"203.0.113.29", nil, "", false, false, false, false},
		{"203.0.113.30", nil, "", false, true, false, true},
		{"2001:db8:100::25", []string{"v6.example-host.fr"}, "v6.example-host.fr", true, true, true, true},
	}
	for _, tt := range tests {
		rev := c.Reverse(t.Context(), netip.MustParseAddr(tt.ip))
		has, ptrKnown := rev.HasPTR()
		fc, fcKnown := rev.FCrDNS()
		if diff := cmp.Diff(tt.names, rev.Names); diff != "" || rev.Confirmed != tt.confirmed ||
			has != tt.hasPTR || ptrKnown != tt.ptrKnow || fc != tt.fcrdns || fcKnown != tt.fcKnow {
			t.Errorf("%s: names %v (%s), confirmed %q, ptr %v/%v, fcrdns %v/%v; want confirmed %q, ptr %v/%v, fcrdns %v/%v (err %v)",
				tt.ip, rev.Names, diff, rev.Confirmed, has, ptrKnown, fc, fcKnown, tt.confirmed, tt.hasPTR, tt.ptrKnow, tt.fcrdns, tt.fcKnow, rev.Err)
		}
	}
	if rev := c.Reverse(t.Context(), netip.MustParseAddr("203.0.113.30")); !rev.NXDomain {
		t.Error("a missing PTR is not NXDOMAIN")
	}
}

// TestReverseBounded: an address with many PTR names costs at most
// 1 + MaxPTRNames questions.
func TestReverseBounded(t *testing.T) {
	var recs []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		recs = append(recs, "9.113.0.203.in-addr.arpa. PTR "+n+".example.fr.")
	}
	z := dnstest.NewZone(t, recs...)
	c := checker(t, z)
	rev := c.Reverse(t.Context(), netip.MustParseAddr("203.0.113.9"))
	if len(rev.Names) != 8 || len(rev.Forward) != MaxPTRNames || z.Queries() != 1+MaxPTRNames {
		t.Errorf("%d names, %d forward lookups, %d queries", len(rev.Names), len(rev.Forward), z.Queries())
	}
}

func TestQueryName(t *testing.T) {
	tests := map[string]string{
		"192.0.2.99":        "99.2.0.192.bl.example.org.",
		"::ffff:192.0.2.99": "99.2.0.192.bl.example.org.",
		// RFC 5782 §2.4's example.
		"2001:db8:1:2:3:4:567:89ab": "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example.org.",
	}
	for ip, want := range tests {
		if got := QueryName(netip.MustParseAddr(ip), "BL.example.org."); got != want {
			t.Errorf("%s: %s, want %s", ip, got, want)
		}
	}
}

func TestDNSBL(t *testing.T) {
	long := strings.Repeat("x", 300)
	z := dnstest.NewZone(t,
		"2.0.0.127.bl.example.org. A 127.0.0.2",
		`2.0.0.127.bl.example.org. TXT "Listed: see https://bl.example.org/q?ip=127.0.0.2 <b>"`,
		"25.113.0.203.bl.example.org. A 127.0.0.4",
		"25.113.0.203.bl.example.org. A 127.0.0.11",
		`25.113.0.203.bl.example.org. TXT "`+long+`" "`+long+`"`,
		"25.113.0.203.refusing.example.org. A 127.255.255.254",
		"25.113.0.203.wildcard.example.org. A 198.51.100.1",
		"25.113.0.203.test.example.org. A 127.0.0.1",
		"25.113.0.203.notxt.example.org. A 127.0.0.2",
		"5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.8.b.d.0.1.0.0.2.bl.example.org. A 127.0.0.3",
	)
	z.ServFail = map[string]bool{"25.113.0.203.down.example.org.": true}
	c := checker(t, z)
	tests := []struct {
		ip, zone string
		status   Status
		codes    int
		reason   string
		err      error
	}{
		{"127.0.0.2", "bl.example.org", Listed, 1, "Listed: see https://bl.example.org/q?ip=127.0.0.2 <b>", nil},
		{"203.0.113.25", "bl.example.org", Listed, 2, (long + long)[:MaxReason], nil},
		{"203.0.113.26", "bl.example.org", NotListed, 0, "", nil},
		{"203.0.113.25", "notxt.example.org", Listed, 1, "", nil},
		{"203.0.113.25", "refusing.example.org", Unknown, 1, "", ErrQueryRefused},
		{"203.0.113.25", "wildcard.example.org", Unknown, 1, "", ErrListAnswer},
		{"203.0.113.25", "test.example.org", Unknown, 1, "", ErrListAnswer},
		{"203.0.113.25", "down.example.org", Unknown, 0, "", lookup.ErrFailed},
		{"2001:db8:100::25", "bl.example.org", Listed, 1, "", nil},
	}
	for _, tt := range tests {
		l := c.DNSBL(t.Context(), netip.MustParseAddr(tt.ip), tt.zone)
		if l.Status != tt.status || len(l.Codes) != tt.codes || l.Reason != tt.reason || (tt.err != nil && !errors.Is(l.Err, tt.err)) {
			t.Errorf("%s on %s: %s, codes %v, reason %q, err %v; want %s, %d codes, reason %q, err %v",
				tt.ip, tt.zone, l.Status, l.Codes, l.Reason, l.Err, tt.status, tt.codes, tt.reason, tt.err)
		}
	}
}

// TestDNSBLsQueries: one A question per zone, and a TXT question only
// for a listing.
func TestDNSBLsQueries(t *testing.T) {
	z := dnstest.NewZone(t, "25.113.0.203.bl.example.org. A 127.0.0.2")
	c := checker(t, z)
	zones := []string{"bl.example.org", "a.example.org", "b.example.org", "c.example.org", "d.example.org", "e.example.org", "f.example.org"}
	got := c.DNSBLs(t.Context(), netip.MustParseAddr("203.0.113.25"), zones)
	if len(got) != MaxZones || got[0].Status != Listed || got[1].Status != NotListed {
		t.Fatalf("got %d listings, first %s, second %s", len(got), got[0].Status, got[1].Status)
	}
	if q := z.Queries(); q != MaxZones+1 {
		t.Errorf("%d queries, want %d", q, MaxZones+1)
	}
}

// TestDNSBLTimeout: a list that does not answer is Unknown, never listed
// nor clean.
func TestDNSBLTimeout(t *testing.T) {
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {})
	c := &Checker{Resolver: lookup.NewClient(dnstest.Serve(t, silent), 50*time.Millisecond), Timeout: 50 * time.Millisecond}
	l := c.DNSBL(t.Context(), netip.MustParseAddr("203.0.113.25"), "bl.example.org")
	if l.Status != Unknown || !errors.Is(l.Err, lookup.ErrFailed) {
		t.Errorf("got %s, %v; want unknown", l.Status, l.Err)
	}
	rev := c.Reverse(t.Context(), netip.MustParseAddr("203.0.113.25"))
	if _, known := rev.FCrDNS(); known {
		t.Error("a silent resolver tells the reverse DNS")
	}
}
