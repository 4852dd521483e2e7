package spf

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// appendixA is the zone of RFC 7208 Appendix A, without example.com's own
// SPF record, which each example sets.
var appendixA = []string{
	"example.com. A 192.0.2.10",
	"example.com. A 192.0.2.11",
	"amy.example.com. A 192.0.2.65",
	"bob.example.com. A 192.0.2.66",
	"mail-a.example.com. A 192.0.2.129",
	"mail-b.example.com. A 192.0.2.130",
	"www.example.com. CNAME example.com.",
	"example.com. MX 10 mail-a.example.com.",
	"example.com. MX 20 mail-b.example.com.",
	"example.org. MX 10 mail-c.example.org.",
	"mail-c.example.org. A 192.0.2.140",
	"65.2.0.192.in-addr.arpa. PTR amy.example.com.",
	"66.2.0.192.in-addr.arpa. PTR bob.example.com.",
	"140.2.0.192.in-addr.arpa. PTR mail-c.example.org.",
	"4.0.0.10.in-addr.arpa. PTR bob.example.com.",
}

// serve runs the records on a loopback DNS server and returns a resolver
// asking it.
func serve(t *testing.T, z *dnstest.Zone) lookup.Resolver {
	t.Helper()
	return lookup.NewClient(dnstest.Serve(t, z), 2*time.Second)
}

func zoneWith(t *testing.T, base []string, more ...string) *dnstest.Zone {
	t.Helper()
	return dnstest.NewZone(t, append(append([]string{}, base...), more...)...)
}

func txt(name, value string) string { return fmt.Sprintf("%s TXT %q", name, value) }

type hostCase struct {
	ip, sender string
	want       Result
	matched    string // the matched term, "" for none
}

func runHostCases(t *testing.T, r lookup.Resolver, domain string, cases []hostCase) {
	t.Helper()
	for _, c := range cases {
		got := CheckHost(t.Context(), r, netip.MustParseAddr(c.ip), domain, c.sender, CheckOptions{})
		matched := ""
		if got.Matched != nil {
			matched = got.Matched.String()
		}
		if got.Result != c.want || matched != c.matched {
			t.Errorf("%s from %s (%s): got %s matching %q (err %v), want %s matching %q",
				domain, c.ip, c.sender, got.Result, matched, got.Err, c.want, c.matched)
		}
	}
}

// TestCheckHostAppendixA1 runs the simple examples of RFC 7208 A.1.
func TestCheckHostAppendixA1(t *testing.T) {
	tests := []struct {
		record string
		cases  []hostCase
	}{
		{"v=spf1 +all", []hostCase{{"198.51.100.7", "", ResultPass, "all"}}},
		{"v=spf1 a -all", []hostCase{
			{"192.0.2.10", "", ResultPass, "a"}, {"192.0.2.11", "", ResultPass, "a"}, {"192.0.2.12", "", ResultFail, "-all"}}},
		{"v=spf1 a:example.org -all", []hostCase{
			{"192.0.2.10", "", ResultFail, "-all"}, {"192.0.2.140", "", ResultFail, "-all"}}},
		{"v=spf1 mx -all", []hostCase{
			{"192.0.2.129", "", ResultPass, "mx"}, {"192.0.2.130", "", ResultPass, "mx"}, {"192.0.2.140", "", ResultFail, "-all"}}},
		{"v=spf1 mx:example.org -all", []hostCase{
			{"192.0.2.140", "", ResultPass, "mx:example.org"}, {"192.0.2.129", "", ResultFail, "-all"}}},
		{"v=spf1 mx mx:example.org -all", []hostCase{
			{"192.0.2.129", "", ResultPass, "mx"}, {"192.0.2.130", "", ResultPass, "mx"},
			{"192.0.2.140", "", ResultPass, "mx:example.org"}, {"192.0.2.10", "", ResultFail, "-all"}}},
		{"v=spf1 mx/30 mx:example.org/30 -all", []hostCase{
			{"192.0.2.128", "", ResultPass, "mx/30"}, {"192.0.2.131", "", ResultPass, "mx/30"},
			{"192.0.2.143", "", ResultPass, "mx:example.org/30"}, {"192.0.2.132", "", ResultFail, "-all"}}},
		{"v=spf1 ptr -all", []hostCase{
			{"192.0.2.65", "", ResultPass, "ptr"}, {"192.0.2.140", "", ResultFail, "-all"},
			{"10.0.0.4", "", ResultFail, "-all"}}},
		{"v=spf1 ip4:192.0.2.128/28 -all", []hostCase{
			{"192.0.2.65", "", ResultFail, "-all"}, {"192.0.2.129", "", ResultPass, "ip4:192.0.2.128/28"}}},
	}
	for _, tt := range tests {
		t.Run(tt.record, func(t *testing.T) {
			r := serve(t, zoneWith(t, appendixA, txt("example.com.", tt.record)))
			runHostCases(t, r, "example.com", tt.cases)
		})
	}
}

// TestCheckHostAppendixA2to4 runs the multiple-domain, DNSBL-style and
// multiple-requirement examples of A.2, A.3 and A.4 (as printed, and
// with erratum 6216's ptr:example.com).
func TestCheckHostAppendixA2to4(t *testing.T) {
	t.Run("A.2", func(t *testing.T) {
		r := serve(t, zoneWith(t, appendixA,
			txt("example.com.", "v=spf1 mx -all"),
			txt("example.net.", "v=spf1 a -all"), "example.net. A 198.51.100.20",
			txt("example.org.", "v=spf1 include:example.com include:example.net -all"),
			txt("la.example.org.", "v=spf1 redirect=example.org")))
		runHostCases(t, r, "la.example.org", []hostCase{
			{"192.0.2.129", "", ResultPass, "include:example.com"},
			{"198.51.100.20", "", ResultPass, "include:example.net"},
			{"192.0.2.10", "", ResultFail, "-all"},
		})
	})
	t.Run("A.3", func(t *testing.T) {
		r := serve(t, zoneWith(t, appendixA,
			txt("example.com.", "v=spf1 mx include:mobile-users._spf.%{d} include:remote-users._spf.%{d} -all"),
			txt("mobile-users._spf.example.com.", "v=spf1 exists:%{l1r+}.%{d}"),
			txt("remote-users._spf.example.com.", "v=spf1 exists:%{ir}.%{l1r+}.%{d}"),
			"bob.mobile-users._spf.example.com. A 127.0.0.2",
			"99.2.0.192.alice.remote-users._spf.example.com. A 127.0.0.2"))
		runHostCases(t, r, "example.com", []hostCase{
			{"192.0.2.129", "joe@example.com", ResultPass, "mx"},
			{"192.0.2.50", "bob+travel@example.com", ResultPass, "include:mobile-users._spf.%{d}"},
			{"192.0.2.99", "alice@example.com", ResultPass, "include:remote-users._spf.%{d}"},
			{"192.0.2.50", "alice@example.com", ResultFail, "-all"},
		})
	})
	for _, ptr := range []string{"-ptr", "-ptr:example.com"} {
		t.Run("A.4 "+ptr, func(t *testing.T) {
			r := serve(t, zoneWith(t, appendixA,
				txt("example.com.", "v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all"),
				txt("ip4._spf.example.com.", "v=spf1 -ip4:192.0.2.0/24 +all"),
				txt("ptr._spf.example.com.", "v=spf1 "+ptr+" +all")))
			amy := ResultFail
			matched := "-include:ptr._spf.%{d}"
			if ptr != "-ptr" {
				amy, matched = ResultPass, "+all"
			}
			runHostCases(t, r, "example.com", []hostCase{
				{"192.0.2.65", "", amy, strings.TrimPrefix(matched, "+")},
				{"192.0.2.140", "", ResultFail, "-include:ptr._spf.%{d}"},
				{"10.0.0.4", "", ResultFail, "-include:ip4._spf.%{d}"},
			})
		})
	}
}

// TestMacroExpansion checks the examples of RFC 7208 §7.4.
func TestMacroExpansion(t *testing.T) {
	v4 := macroValues{sender: "strong-bad@email.example.com", local: "strong-bad", senderDomain: "email.example.com",
		ip: netip.MustParseAddr("192.0.2.3"), helo: "mx.example.org", receiver: "mx.example.net", timestamp: 1234,
		validated: func() string { return "mx.example.org" }}
	v6 := v4
	v6.ip = netip.MustParseAddr("2001:db8::cb01")
	tests := []struct {
		v       *macroValues
		in, out string
		explain bool
	}{
		{&v4, "%{s}", "strong-bad@email.example.com", false},
		{&v4, "%{o}", "email.example.com", false},
		{&v4, "%{d}", "email.example.com", false},
		{&v4, "%{d4}", "email.example.com", false},
		{&v4, "%{d3}", "email.example.com", false},
		{&v4, "%{d2}", "example.com", false},
		{&v4, "%{d1}", "com", false},
		{&v4, "%{dr}", "com.example.email", false},
		{&v4, "%{d2r}", "example.email", false},
		{&v4, "%{l}", "strong-bad", false},
		{&v4, "%{l-}", "strong.bad", false},
		{&v4, "%{lr}", "strong-bad", false},
		{&v4, "%{lr-}", "bad.strong", false},
		{&v4, "%{l1r-}", "strong", false},
		{&v4, "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com", false},
		{&v4, "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com", false},
		{&v4, "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com", false},
		{&v4, "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com", false},
		{&v4, "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net", false},
		{&v6, "%{ir}.%{v}._spf.%{d2}", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", false},
		{&v4, "%{p}.%{h}", "mx.example.org.mx.example.org", false},
		{&v4, "%%%_%-", "% %20", false},
		{&v4, "%{S}", "strong-bad%40email.example.com", false},
		{&v4, "%{c} %{r} %{t}", "192.0.2.3 mx.example.net 1234", true},
		{&v6, "%{c}", "2001:db8::cb01", true},
	}
	for _, tt := range tests {
		got, err := tt.v.expandMacros(tt.in, "email.example.com", tt.explain)
		if err != nil || got != tt.out {
			t.Errorf("expand %q = %q, %v; want %q", tt.in, got, err, tt.out)
		}
	}
	for _, bad := range []string{"%{c}", "%{r}", "%{t}", "%{x}", "%{d0}", "%{d", "%a", "%"} {
		if got, err := v4.expandMacros(bad, "example.com", false); !errors.Is(err, ErrMacro) {
			t.Errorf("expand %q = %q, %v; want ErrMacro", bad, got, err)
		}
	}
}

// TestCheckHostModifiers covers redirect, exp and the results of an
// include (§5.2's table).
func TestCheckHostModifiers(t *testing.T) {
	z := zoneWith(t, appendixA,
		txt("example.com.", "v=spf1 mx -all exp=explain._spf.%{d}"),
		txt("explain._spf.example.com.", "%{c} is not one of %{d}'s designated mail servers, ask %{r}"),
		txt("redir.example.com.", "v=spf1 redirect=example.com"),
		txt("redir-none.example.com.", "v=spf1 redirect=nothing.example.com"),
		txt("both.example.com.", "v=spf1 a:mail-a.example.com redirect=example.com exp=other.example.com"),
		txt("inc-pass.example.net.", "v=spf1 include:example.com ~all"),
		txt("inc-softfail.example.net.", "v=spf1 include:soft.example.net ?all"),
		txt("soft.example.net.", "v=spf1 ~all"),
		txt("inc-none.example.net.", "v=spf1 include:nothing.example.net -all"),
		txt("inc-perm.example.net.", "v=spf1 include:two.example.net -all"),
		txt("two.example.net.", "v=spf1 -all"), txt("two.example.net.", "v=spf1 +all"),
		txt("inc-temp.example.net.", "v=spf1 include:broken.example.net -all"),
		txt("bad.example.net.", "v=spf1 foo:bar -all"),
		txt("neutral.example.net.", "v=spf1 ip4:198.51.100.0/24"),
		txt("emptylabel.example.net.", "v=spf1 a:%{l}.example.net -all"),
	)
	z.ServFail = map[string]bool{"broken.example.net.": true}
	r := serve(t, z)
	tests := []struct {
		domain, ip string
		want       Result
		from       string // CheckResult.Domain
		exp        string
		err        error
	}{
		{"example.com", "192.0.2.200", ResultFail, "example.com", "192.0.2.200 is not one of example.com's designated mail servers, ask unknown", nil},
		{"redir.example.com", "192.0.2.129", ResultPass, "example.com", "", nil},
		{"redir.example.com", "192.0.2.200", ResultFail, "example.com", "192.0.2.200 is not one of example.com's designated mail servers, ask unknown", nil},
		{"redir-none.example.com", "192.0.2.200", ResultPermError, "nothing.example.com", "", ErrNoTarget},
		{"both.example.com", "192.0.2.129", ResultPass, "both.example.com", "", nil},
		{"inc-pass.example.net", "192.0.2.129", ResultPass, "inc-pass.example.net", "", nil},
		{"inc-pass.example.net", "192.0.2.200", ResultSoftfail, "inc-pass.example.net", "", nil},
		{"inc-softfail.example.net", "192.0.2.200", ResultNeutral, "inc-softfail.example.net", "", nil},
		{"inc-none.example.net", "192.0.2.200", ResultPermError, "inc-none.example.net", "", ErrNoTarget},
		{"inc-perm.example.net", "192.0.2.200", ResultPermError, "inc-perm.example.net", "", ErrMultipleRecords},
		{"inc-temp.example.net", "192.0.2.200", ResultTempError, "inc-temp.example.net", "", lookup.ErrFailed},
		{"broken.example.net", "192.0.2.200", ResultTempError, "broken.example.net", "", lookup.ErrFailed},
		{"bad.example.net", "192.0.2.200", ResultPermError, "bad.example.net", "", nil},
		{"neutral.example.net", "192.0.2.200", ResultNeutral, "neutral.example.net", "", nil},
		{"nothing.example.net", "192.0.2.200", ResultNone, "nothing.example.net", "", nil},
		{"localhost", "192.0.2.200", ResultNone, "localhost", "", ErrInvalidTarget},
		{"emptylabel.example.net", "192.0.2.200", ResultPermError, "emptylabel.example.net", "", ErrInvalidTarget},
	}
	for _, tt := range tests {
		got := CheckHost(t.Context(), r, netip.MustParseAddr(tt.ip), tt.domain, "a..b@example.net", CheckOptions{})
		if got.Result != tt.want || got.Domain != tt.from || got.Explanation != tt.exp || (tt.err != nil && !errors.Is(got.Err, tt.err)) {
			t.Errorf("%s from %s: got %s at %s, exp %q, err %v; want %s at %s, exp %q, err %v",
				tt.domain, tt.ip, got.Result, got.Domain, got.Explanation, got.Err, tt.want, tt.from, tt.exp, tt.err)
		}
	}
}

// TestCheckHostLimits covers the limits of §4.6.4: 10 DNS-querying
// terms, 2 void lookups, 10 MX hosts, 10 PTR names.
func TestCheckHostLimits(t *testing.T) {
	recs := []string{
		txt("eleven.example.com.", "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com a:a4.example.com a:a5.example.com a:a6.example.com a:a7.example.com a:a8.example.com a:a9.example.com a:a10.example.com a:a11.example.com -all"),
		txt("ten.example.com.", "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com a:a4.example.com a:a5.example.com a:a6.example.com a:a7.example.com a:a8.example.com a:a9.example.com a:a10.example.com -all"),
		txt("loop.example.com.", "v=spf1 include:loop.example.com -all"),
		txt("voids.example.com.", "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com -all"),
		txt("twovoids.example.com.", "v=spf1 a:n1.example.com mx:n2.example.com -all"),
		txt("manymx.example.com.", "v=spf1 mx -all"),
		txt("tenmx.example.com.", "v=spf1 mx -all"),
		txt("ptrs.example.com.", "v=spf1 ptr -all"),
	}
	for i := 1; i <= 11; i++ {
		recs = append(recs, fmt.Sprintf("a%d.example.com. A 198.51.100.%d", i, i),
			fmt.Sprintf("manymx.example.com. MX %d m%d.example.com.", i, i),
			fmt.Sprintf("m%d.example.com. A 198.51.100.%d", i, 100+i),
			fmt.Sprintf("5.113.0.203.in-addr.arpa. PTR p%02d.ptrs.example.com.", i),
			fmt.Sprintf("p%02d.ptrs.example.com. A 203.0.113.%d", i, 200+i))
		if i <= 10 {
			recs = append(recs, fmt.Sprintf("tenmx.example.com. MX %d m%d.example.com.", i, i))
		}
	}
	// Only the eleventh PTR name resolves back to 203.0.113.5: ignored.
	recs = append(recs, "p11.ptrs.example.com. A 203.0.113.5")
	r := serve(t, dnstest.NewZone(t, recs...))
	tests := []struct {
		domain, ip string
		want       Result
		err        error
		lookups    int
	}{
		{"ten.example.com", "198.51.100.10", ResultPass, nil, 10},
		{"eleven.example.com", "198.51.100.200", ResultPermError, ErrLookupLimit, 11},
		{"loop.example.com", "198.51.100.200", ResultPermError, ErrLookupLimit, 11},
		{"twovoids.example.com", "198.51.100.200", ResultFail, nil, 2},
		{"voids.example.com", "198.51.100.200", ResultPermError, ErrVoidLimit, 3},
		{"tenmx.example.com", "198.51.100.110", ResultPass, nil, 1},
		{"manymx.example.com", "198.51.100.101", ResultPermError, ErrMXLimit, 1},
		{"ptrs.example.com", "203.0.113.5", ResultFail, nil, 1},
	}
	for _, tt := range tests {
		got := CheckHost(t.Context(), r, netip.MustParseAddr(tt.ip), tt.domain, "", CheckOptions{})
		if got.Result != tt.want || got.Lookups != tt.lookups || (tt.err != nil && !errors.Is(got.Err, tt.err)) {
			t.Errorf("%s from %s: got %s (%d lookups, err %v), want %s (%d lookups, err %v)",
				tt.domain, tt.ip, got.Result, got.Lookups, got.Err, tt.want, tt.lookups, tt.err)
		}
	}
}

// TestCheckHostIPv6 checks the families: an IPv6 client is matched
// against AAAA records and ip6 networks, never A or ip4.
func TestCheckHostIPv6(t *testing.T) {
	r := serve(t, dnstest.NewZone(t,
		txt("example.com.", "v=spf1 ip4:192.0.2.0/24 a//64 ip6:2001:db8:1::/48 -all"),
		"example.com. A 192.0.2.1", "example.com. AAAA 2001:db8:2::1"))
	runHostCases(t, r, "example.com", []hostCase{
		{"2001:db8:2::ffff", "", ResultPass, "a//64"},
		{"2001:db8:1:5::1", "", ResultPass, "ip6:2001:db8:1::/48"},
		{"2001:db8:3::1", "", ResultFail, "-all"},
		{"::ffff:192.0.2.9", "", ResultPass, "ip4:192.0.2.0/24"},
	})
}

// TestCheckHostTimeout: a resolver that does not answer within the step
// timeout makes temperror, never fail or none.
func TestCheckHostTimeout(t *testing.T) {
	silent := dnstest.Serve(t, dns.HandlerFunc(func(dns.ResponseWriter, *dns.Msg) {}))
	got := CheckHost(t.Context(), lookup.NewClient(silent, time.Minute), netip.MustParseAddr("192.0.2.1"),
		"example.com", "", CheckOptions{Timeout: 50 * time.Millisecond})
	if got.Result != ResultTempError || !errors.Is(got.Err, lookup.ErrFailed) {
		t.Errorf("got %s, %v; want temperror", got.Result, got.Err)
	}
}

// TestCheckHostContext: a cancelled context is temperror, never fail.
func TestCheckHostContext(t *testing.T) {
	r := serve(t, dnstest.NewZone(t, txt("example.com.", "v=spf1 -all")))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got := CheckHost(ctx, r, netip.MustParseAddr("192.0.2.1"), "example.com", "", CheckOptions{})
	if got.Result != ResultTempError || !errors.Is(got.Err, lookup.ErrFailed) {
		t.Errorf("got %s, %v; want temperror", got.Result, got.Err)
	}
}

// FuzzCheckHost evaluates arbitrary records against a fixed zone: no
// panic, a known result, and never more lookups than the limit allows.
func FuzzCheckHost(f *testing.F) {
	for _, s := range []string{"v=spf1 mx -all", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", "v=spf1 redirect=%{d2}",
		"v=spf1 ptr:%{p} a/24//64 include:x.example.com ?all exp=%{h}.example.com", "v=spf1 %{x}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, record string) {
		fake := &lookup.Fake{
			TXT: map[string][]string{"example.com": {record}, "x.example.com": {record}},
			A:   map[string][]string{"example.com": {"192.0.2.1"}},
		}
		got := CheckHost(t.Context(), fake, netip.MustParseAddr("192.0.2.1"), "example.com", "a+b@example.com", CheckOptions{})
		switch got.Result {
		case ResultNone, ResultNeutral, ResultPass, ResultFail, ResultSoftfail, ResultTempError, ResultPermError:
		default:
			t.Fatalf("unknown result %q", got.Result)
		}
		if got.Lookups > MaxLookups+1 {
			t.Fatalf("%d lookups counted", got.Lookups)
		}
	})
}
