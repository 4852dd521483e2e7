package propagation

import (
	"errors"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

const (
	spfNew = "v=spf1 include:_spf.example-host.fr -all"
	spfOld = "v=spf1 -all"
	dmarc  = "v=DMARC1; p=none"
)

func soa(zone string, serial int) string {
	return zone + " 3600 IN SOA ns1." + zone + " hostmaster." + zone + " " + strconv.Itoa(serial) + " 3600 600 86400 300"
}

// authoritative starts one authoritative server and returns its port.
func authoritative(t *testing.T, records ...string) (*dnstest.Zone, int) {
	t.Helper()
	z := dnstest.NewZone(t, records...)
	z.Authoritative = true
	ap := netip.MustParseAddrPort(dnstest.Serve(t, z))
	return z, int(ap.Port())
}

// world is example.com with an up-to-date primary (serial 3), a stale
// secondary (serial 2) and a resolver that still holds the old MX and
// SPF (TTL 1200 and 300) and a cached "no DMARC".
func world(t *testing.T) (resolver *dnstest.Zone, ns1, ns2 *dnstest.Zone, opts Options) {
	t.Helper()
	ns1, p1 := authoritative(t, soa("example.com.", 3),
		"example.com. 3600 IN NS ns1.example.com.", "example.com. 3600 IN NS ns2.example.com.",
		"example.com. 3600 IN MX 10 mx.example.com.", `example.com. 300 IN TXT "`+spfNew+`"`,
		`example.com. 300 IN TXT "google-site-verification=abc"`,
		`_dmarc.example.com. 300 IN TXT "`+dmarc+`"`, "example.com. 300 IN A 192.0.2.10")
	ns2, p2 := authoritative(t, soa("example.com.", 2),
		"example.com. 3600 IN NS ns1.example.com.", "example.com. 3600 IN NS ns2.example.com.",
		"example.com. 3600 IN MX 10 old-mx.example.com.", `example.com. 300 IN TXT "`+spfOld+`"`,
		`_dmarc.example.com. 300 IN TXT "`+dmarc+`"`, "example.com. 300 IN A 192.0.2.10")
	resolver = dnstest.NewZone(t, soa("example.com.", 2),
		"example.com. 3000 IN NS ns1.example.com.", "example.com. 3000 IN NS ns2.example.com.",
		"ns1.example.com. 300 IN A 127.0.0.1", "ns2.example.com. 300 IN A 127.0.0.1",
		"example.com. 1200 IN MX 10 old-mx.example.com.", `example.com. 240 IN TXT "`+spfOld+`"`,
		"example.com. 100 IN A 192.0.2.10")
	opts = Options{
		Resolver:     lookup.NewClient(dnstest.Serve(t, resolver), time.Second),
		Timeout:      2 * time.Second,
		AllowPrivate: true,
		Ports:        map[string]int{"ns1.example.com": p1, "ns2.example.com": p2},
	}
	return resolver, ns1, ns2, opts
}

func TestCheckStaleSecondaryAndResolver(t *testing.T) {
	_, ns1, ns2, opts := world(t)
	rep := Check(t.Context(), "Example.COM.", opts)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if rep.Zone != "example.com" || !cmp.Equal(rep.NameServers, []string{"ns1.example.com", "ns2.example.com"}) {
		t.Errorf("zone %q, servers %v", rep.Zone, rep.NameServers)
	}
	for _, s := range rep.Servers {
		if s.State != StateOK {
			t.Errorf("%s: %s (%v)", s.Name, s.State, s.Err)
		}
	}
	if !rep.SerialsDiffer || rep.Servers[0].Serial != 3 || rep.Servers[1].Serial != 2 {
		t.Errorf("serials: differ %v, %d and %d", rep.SerialsDiffer, rep.Servers[0].Serial, rep.Servers[1].Serial)
	}
	wantDiff := []Difference{
		{Kind: KindMX, Variants: []Variant{
			{Values: []string{"10 mx.example.com."}, Servers: []string{"ns1.example.com"}, Serial: 3},
			{Values: []string{"10 old-mx.example.com."}, Servers: []string{"ns2.example.com"}, Serial: 2}}},
		{Kind: KindSPF, Variants: []Variant{
			{Values: []string{spfNew}, Servers: []string{"ns1.example.com"}, Serial: 3},
			{Values: []string{spfOld}, Servers: []string{"ns2.example.com"}, Serial: 2}}},
	}
	if diff := cmp.Diff(wantDiff, rep.Differences); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	type staleSummary struct {
		Kind           Kind
		Resolver, Auth []string
		SameAs         []string
		Within         time.Duration
	}
	var got []staleSummary
	for _, s := range rep.Stale {
		got = append(got, staleSummary{s.Kind, s.Resolver.Values, s.Authoritative.Values, s.SameAs, s.Within})
	}
	want := []staleSummary{
		{KindMX, []string{"10 old-mx.example.com."}, []string{"10 mx.example.com."}, []string{"ns2.example.com"}, 1200 * time.Second},
		{KindSPF, []string{spfOld}, []string{spfNew}, []string{"ns2.example.com"}, 240 * time.Second},
		// The resolver cached "no DMARC": it lives the SOA minimum.
		{KindDMARC, nil, []string{dmarc}, nil, 300 * time.Second},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}
	// One query per record type per server: SOA, MX, TXT, DMARC TXT, A,
	// AAAA.
	for _, z := range []*dnstest.Zone{ns1, ns2} {
		if q := z.Queries(); q != 6 {
			t.Errorf("a server was asked %d questions, want 6", q)
		}
	}
}

// TestCheckZoneWalk: a name without NS records of its own is checked in
// its parent's zone; the mail host outside the zone is not asked for.
func TestCheckZoneWalk(t *testing.T) {
	resolver, ns1, _, opts := world(t)
	opts.MailHost = "mail.example-host.fr"
	rep := Check(t.Context(), "shop.example.com", opts)
	if rep.Err != nil || rep.Zone != "example.com" {
		t.Fatalf("zone %q, err %v", rep.Zone, rep.Err)
	}
	if resolver.Asked("shop.example.com. NS") != 1 || resolver.Asked("example.com. NS") != 1 {
		t.Error("the walk did not ask shop.example.com then example.com")
	}
	if q := ns1.Queries(); q != 4 {
		t.Errorf("a server was asked %d questions, want 4 (no A/AAAA of a host outside the zone)", q)
	}
	if _, ok := rep.Servers[0].Records[KindA]; ok {
		t.Error("the mail host outside the zone was compared")
	}
}

// TestCheckFaultyServers: a refusing server and one without authority
// are lame, a silent one unreachable, a name without address reported;
// none of them makes a disagreement, and at most MaxServers are asked.
func TestCheckFaultyServers(t *testing.T) {
	zone := []string{soa("example.net.", 5), `example.net. 300 IN TXT "` + spfNew + `"`, "example.net. 300 IN MX 10 mx.example.net."}
	_, okPort := authoritative(t, zone...)
	refused := dnstest.NewZone(t)
	refused.Rcode = dns.RcodeRefused
	notAuth := dnstest.NewZone(t, zone...)
	silent := dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {})
	var ns []string
	for _, n := range []string{"a-ok", "b-refused", "c-notauth", "d-noaddr", "e-silent", "f-unasked"} {
		ns = append(ns, "example.net. 300 IN NS "+n+".example.net.")
	}
	resolver := dnstest.NewZone(t, append(ns, soa("example.net.", 5),
		"a-ok.example.net. A 127.0.0.1", "b-refused.example.net. A 127.0.0.1", "c-notauth.example.net. A 127.0.0.1",
		"e-silent.example.net. A 127.0.0.1", "f-unasked.example.net. A 127.0.0.1",
		`example.net. 300 IN TXT "`+spfNew+`"`, "example.net. 300 IN MX 10 mx.example.net.")...)
	opts := Options{
		Resolver:     lookup.NewClient(dnstest.Serve(t, resolver), time.Second),
		Timeout:      200 * time.Millisecond,
		AllowPrivate: true,
		Ports: map[string]int{
			"a-ok.example.net":      okPort,
			"b-refused.example.net": port(t, refused),
			"c-notauth.example.net": port(t, notAuth),
			"e-silent.example.net":  port(t, silent),
		},
	}
	rep := Check(t.Context(), "example.net", opts)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if len(rep.NameServers) != 6 || len(rep.Servers) != MaxServers {
		t.Fatalf("%d name servers, %d asked", len(rep.NameServers), len(rep.Servers))
	}
	want := map[string]State{"a-ok.example.net": StateOK, "b-refused.example.net": StateLame,
		"c-notauth.example.net": StateLame, "d-noaddr.example.net": StateNoAddress}
	for _, s := range rep.Servers {
		if s.State != want[s.Name] {
			t.Errorf("%s: %s (%v), want %s", s.Name, s.State, s.Err, want[s.Name])
		}
	}
	if rep.Servers[1].Rcode != dns.RcodeRefused || !errors.Is(rep.Servers[2].Err, ErrNotAuthoritative) {
		t.Errorf("lame details: rcode %d, err %v", rep.Servers[1].Rcode, rep.Servers[2].Err)
	}
	if rep.SerialsDiffer || len(rep.Differences) > 0 || len(rep.Stale) > 0 {
		t.Errorf("faulty servers made differences: %v %v %v", rep.SerialsDiffer, rep.Differences, rep.Stale)
	}

	opts.Ports = map[string]int{"a-ok.example.net": port(t, silent)}
	rep = Check(t.Context(), "example.net", opts)
	if s := rep.Servers[0]; s.State != StateUnreachable || !errors.Is(s.Err, lookup.ErrFailed) {
		t.Errorf("silent server: %s, %v", s.State, s.Err)
	}
	if len(rep.Differences) > 0 || len(rep.Stale) > 0 {
		t.Error("a timeout made a difference")
	}
}

func port(t *testing.T, h dns.Handler) int {
	t.Helper()
	return int(netip.MustParseAddrPort(dnstest.Serve(t, h)).Port())
}

// TestCheckForbidden: without AllowPrivate, servers on loopback are
// reported and never asked.
func TestCheckForbidden(t *testing.T) {
	_, ns1, ns2, opts := world(t)
	opts.AllowPrivate = false
	rep := Check(t.Context(), "example.com", opts)
	for _, s := range rep.Servers {
		if s.State != StateForbidden || !errors.Is(s.Err, netguard.ErrForbidden) {
			t.Errorf("%s: %s, %v", s.Name, s.State, s.Err)
		}
	}
	if ns1.Queries()+ns2.Queries() != 0 {
		t.Error("a forbidden server was asked")
	}
}

// TestCheckResolverFailure: a resolver that fails leaves the report
// unknown.
func TestCheckResolverFailure(t *testing.T) {
	resolver := dnstest.NewZone(t)
	resolver.ServFail = map[string]bool{"example.org.": true}
	rep := Check(t.Context(), "example.org", Options{Resolver: lookup.NewClient(dnstest.Serve(t, resolver), time.Second)})
	if !errors.Is(rep.Err, lookup.ErrFailed) || len(rep.Servers) > 0 {
		t.Errorf("got %v, %d servers", rep.Err, len(rep.Servers))
	}
}

func TestNewer(t *testing.T) {
	tests := []struct {
		a, b uint32
		want bool
	}{{2, 1, true}, {1, 2, false}, {1, 1, false}, {0, 0xFFFFFFFF, true}, {0xFFFFFFFF, 0, false}}
	for _, tt := range tests {
		if got := newer(tt.a, tt.b); got != tt.want {
			t.Errorf("newer(%d, %d) = %v", tt.a, tt.b, got)
		}
	}
}
