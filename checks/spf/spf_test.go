package spf

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var cmpPrefix = cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })

func dir(q Qualifier, m Mechanism, spec string) Directive {
	return Directive{Qualifier: q, Mechanism: m, DomainSpec: spec, CIDR4: -1, CIDR6: -1}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Record
	}{
		{"empty", "v=spf1", &Record{}},
		{"version case", "V=SPF1 -ALL", &Record{Directives: []Directive{dir('-', MechAll, "")}}},
		{"spaces", "v=spf1   mx   ~all  ", &Record{Directives: []Directive{dir('+', MechMX, ""), dir('~', MechAll, "")}}},
		{"typical", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com ?a -all", &Record{Directives: []Directive{
			{Qualifier: '+', Mechanism: MechIP4, Prefix: netip.MustParsePrefix("192.0.2.0/24"), CIDR4: -1, CIDR6: -1},
			{Qualifier: '+', Mechanism: MechIP6, Prefix: netip.MustParsePrefix("2001:db8::/32"), CIDR4: -1, CIDR6: -1},
			dir('+', MechInclude, "_spf.google.com"),
			dir('?', MechA, ""),
			dir('-', MechAll, ""),
		}}},
		{"ip4 host bits, no cidr", "v=spf1 ip4:192.0.2.7/24 ip4:198.51.100.1", &Record{Directives: []Directive{
			{Qualifier: '+', Mechanism: MechIP4, Prefix: netip.PrefixFrom(netip.MustParseAddr("192.0.2.7"), 24), CIDR4: -1, CIDR6: -1},
			{Qualifier: '+', Mechanism: MechIP4, Prefix: netip.MustParsePrefix("198.51.100.1/32"), CIDR4: -1, CIDR6: -1},
		}}},
		{"ip6 mapped", "v=spf1 ip6:::ffff:192.0.2.1", &Record{Directives: []Directive{
			{Qualifier: '+', Mechanism: MechIP6, Prefix: netip.MustParsePrefix("::ffff:192.0.2.1/128"), CIDR4: -1, CIDR6: -1},
		}}},
		{"dual cidr", "v=spf1 a/24 mx:mail.example.com//64 a:example.org/0//0", &Record{Directives: []Directive{
			{Qualifier: '+', Mechanism: MechA, CIDR4: 24, CIDR6: -1},
			{Qualifier: '+', Mechanism: MechMX, DomainSpec: "mail.example.com", CIDR4: -1, CIDR6: 64},
			{Qualifier: '+', Mechanism: MechA, DomainSpec: "example.org", CIDR4: 0, CIDR6: 0},
		}}},
		{"mechanism case", "v=spf1 Include:Example.COM MX PTR ptr:example.net", &Record{Directives: []Directive{
			dir('+', MechInclude, "Example.COM"), dir('+', MechMX, ""), dir('+', MechPTR, ""), dir('+', MechPTR, "example.net"),
		}}},
		{"modifiers", "v=spf1 redirect=_spf.example.net exp=explain._spf.%{d} moo=%{l1r-}.x foo=", &Record{
			Redirect: "_spf.example.net", Exp: "explain._spf.%{d}",
			Modifiers: []Modifier{{"moo", "%{l1r-}.x"}, {"foo", ""}},
		}},
		{"macros", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} include:%{d2}.x.example.com a:%%.%_.%-.example.com", &Record{Directives: []Directive{
			dir('+', MechExists, "%{ir}.%{l1r+-}._spf.%{d}"),
			dir('+', MechInclude, "%{d2}.x.example.com"),
			dir('+', MechA, "%%.%_.%-.example.com"),
		}}},
		{"trailing dot, hyphen toplabel", "v=spf1 include:example.com. a:x.1-2", &Record{Directives: []Directive{
			dir('+', MechInclude, "example.com."), dir('+', MechA, "x.1-2"),
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpPrefix); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
			again, err := Parse(got.String())
			if err != nil {
				t.Fatalf("Parse(String() = %q): %v", got.String(), err)
			}
			if diff := cmp.Diff(got, again, cmpPrefix); diff != "" {
				t.Errorf("round trip of %q (-first +second):\n%s", got.String(), diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, term string
	}{
		{"", ""},
		{"v=spf10 -all", "v=spf10"},
		{"v=spf2.0/pra -all", "v=spf2.0/pra"},
		{"spf1 -all", "spf1"},
		{"v=spf1 -all foo", "foo"},
		{"v=spf1 +", "+"},
		{"v=spf1 *all", "*all"},
		{"v=spf1 all:foo.com", "all:foo.com"},
		{"v=spf1 include", "include"},
		{"v=spf1 include:", "include:"},
		{"v=spf1 include:localhost", "include:localhost"},
		{"v=spf1 include:1.2.3.4", "include:1.2.3.4"},
		{"v=spf1 include:example.com/24", "include:example.com/24"},
		{"v=spf1 include:example.-com", "include:example.-com"},
		{"v=spf1 exists", "exists"},
		{"v=spf1 ip4", "ip4"},
		{"v=spf1 ip4:", "ip4:"},
		{"v=spf1 ip4:192.0.2.256", "ip4:192.0.2.256"},
		{"v=spf1 ip4:192.0.2.1/33", "ip4:192.0.2.1/33"},
		{"v=spf1 ip4:192.0.2.1/024", "ip4:192.0.2.1/024"},
		{"v=spf1 ip4:192.0.2.1/", "ip4:192.0.2.1/"},
		{"v=spf1 ip4:192.0.02.1", "ip4:192.0.02.1"},
		{"v=spf1 ip4:2001:db8::1", "ip4:2001:db8::1"},
		{"v=spf1 ip6:192.0.2.1", "ip6:192.0.2.1"},
		{"v=spf1 ip6:2001:db8::/129", "ip6:2001:db8::/129"},
		{"v=spf1 ip6:fe80::1%eth0", "ip6:fe80::1%eth0"},
		{"v=spf1 a/33", "a/33"},
		{"v=spf1 a//129", "a//129"},
		{"v=spf1 a/", "a/"},
		{"v=spf1 a//", "a//"},
		{"v=spf1 mx-foo", "mx-foo"},
		{"v=spf1 a:%{z}.example.com", "a:%{z}.example.com"},
		{"v=spf1 a:%{d0}.example.com", "a:%{d0}.example.com"},
		{"v=spf1 a:%{d.example.com", "a:%{d.example.com"},
		{"v=spf1 a:%x.example.com", "a:%x.example.com"},
		{"v=spf1 a:example.com%", "a:example.com%"},
		{"v=spf1 a:%{dx}.example.com", "a:%{dx}.example.com"},
		{"v=spf1 redirect=a.example redirect=b.example", "redirect=b.example"},
		{"v=spf1 exp=a.example exp=b.example", "exp=b.example"},
		{"v=spf1 redirect=", "redirect="},
		{"v=spf1 redirect=nodot", "redirect=nodot"},
		{"v=spf1 foo=%", "foo=%"},
		{"v=spf1\t-all", "v=spf1\t-all"},
		{"v=spf1 -all\t", "-all\t"},
		{"v=spf1 a:exämple.com", "a:exämple.com"},
		// §7.2: c, r and t only in explanation text (the RFC 7208 test
		// suite's exp-only-macro-char: "v=spf1 -all exp=%{r}.example.com").
		{"v=spf1 exists:%{c}.example.com", "exists:%{c}.example.com"},
		{"v=spf1 -all exp=%{r}.example.com", "exp=%{r}.example.com"},
		{"v=spf1 redirect=%{T}.example.com", "redirect=%{T}.example.com"},
		{"v=spf1 include:%{ir}.%{t}._spf.example.com", "include:%{ir}.%{t}._spf.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rec, err := Parse(tt.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) = %v, %v; want a *SyntaxError", tt.in, rec, err)
			}
			if se.Term != tt.term {
				t.Errorf("Parse(%q): error names term %q, want %q (%v)", tt.in, se.Term, tt.term, err)
			}
		})
	}
}

func TestRecordHelpers(t *testing.T) {
	tests := []struct {
		in      string
		lookups int
		all     string
	}{
		{"v=spf1 ip4:192.0.2.1 -all", 0, "-all"},
		{"v=spf1 a mx ptr exists:x.example.com include:y.example.com ?all", 5, "?all"},
		{"v=spf1 mx redirect=x.example.com", 2, ""},
		{"v=spf1 mx redirect=x.example.com all", 1, "all"}, // redirect ignored when all is present
		{"v=spf1 exp=x.example.com", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Lookups(); got != tt.lookups {
				t.Errorf("Lookups() = %d, want %d", got, tt.lookups)
			}
			all := ""
			if d, ok := r.All(); ok {
				all = d.String()
			}
			if all != tt.all {
				t.Errorf("All() = %q, want %q", all, tt.all)
			}
		})
	}
}

func TestIsRecord(t *testing.T) {
	for in, want := range map[string]bool{
		"v=spf1":            true,
		"v=spf1 -all":       true,
		"V=SPF1 -all":       true,
		"v=spf10":           false,
		"v=spf1-all":        false,
		"google-site-ver=1": false,
		" v=spf1 -all":      false,
		"v=DMARC1; p=none":  false,
	} {
		if got := IsRecord(in); got != want {
			t.Errorf("IsRecord(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzSPFParse(f *testing.F) {
	for _, s := range []string{
		"v=spf1",
		"v=spf1 -all",
		"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com ~all",
		"v=spf1 a/24//64 mx:mail.example.com/28 ptr:example.net exists:%{ir}.%{l1r+-}._spf.%{d} -all",
		"v=spf1 redirect=_spf.example.com exp=explain.%{d} foo=bar",
		"v=spf1 a:%%.%_.%-.example.com. ?all",
		"v=spf1 ip6:::ffff:192.0.2.1/120 +all",
		"v=spf1 ip4:192.0.2.1/33",
		"v=spf1 include:%{d",
		"v=spf1 a//",
		"v=spf1 redirect=a.example redirect=b.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %v is not a *SyntaxError", s, err)
			}
			return
		}
		out := r.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q does not parse: %v", s, out, err)
		}
		if diff := cmp.Diff(r, again, cmpPrefix); diff != "" {
			t.Fatalf("round trip of %q via %q (-first +second):\n%s", s, out, diff)
		}
		_ = r.Lookups()
	})
}

func TestWithAll(t *testing.T) {
	tests := []struct{ in, want string }{
		{"v=spf1 mx ?all", "v=spf1 mx ~all"},
		{"v=spf1 mx +all exp=x.example.com", "v=spf1 mx ~all exp=x.example.com"},
		{"v=spf1 mx", "v=spf1 mx ~all"},
		{"v=spf1 ip4:192.0.2.1 all", "v=spf1 ip4:192.0.2.1 ~all"},
		// An "all" would silence the redirect (§6.1): unchanged.
		{"v=spf1 redirect=_spf.example.net", "v=spf1 redirect=_spf.example.net"},
		// With an "all" the redirect is already ignored; it is kept.
		{"v=spf1 a ?all redirect=_spf.example.net", "v=spf1 a ~all redirect=_spf.example.net"},
		{"not spf", "not spf"},
	}
	for _, tt := range tests {
		if got := WithAll(tt.in, QualifierSoftfail); got != tt.want {
			t.Errorf("WithAll(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
