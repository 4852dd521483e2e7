package lookup

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"
)

func TestAddrs(t *testing.T) {
	f := &Fake{
		A:     map[string][]string{"both.test": {"192.0.2.1"}, "v4.test": {"192.0.2.2"}, "v4fail6.test": {"192.0.2.3"}},
		AAAA:  map[string][]string{"both.test": {"2001:db8::1"}, "mapped.test": {"::ffff:127.0.0.1"}},
		TXT:   map[string][]string{"txt.test": {"x"}},
		CNAME: map[string]string{"alias.test": "both.test"},
		Fail:  map[string]bool{"down.test": true},
	}
	// v4fail6.test: AAAA fails, A answers. half.test: A fails, AAAA has no data.
	// nxhalf.test: A fails, AAAA says NXDOMAIN.
	r := &splitFail{Fake: f, failAAAA: map[string]bool{"v4fail6.test.": true}, failA: map[string]bool{"half.test.": true, "nxhalf.test.": true}}
	f.TXT["half.test"] = []string{"x"}
	tests := []struct {
		name     string
		host     string
		addrs    []string
		nxdomain bool
		cnames   []string
		err      bool
	}{
		{"both", "both.test", []string{"192.0.2.1", "2001:db8::1"}, false, nil, false},
		{"v4 only", "v4.test", []string{"192.0.2.2"}, false, nil, false},
		{"mapped AAAA kept as given", "mapped.test", []string{"::ffff:127.0.0.1"}, false, nil, false},
		{"alias", "alias.test", []string{"192.0.2.1", "2001:db8::1"}, false, []string{"both.test."}, false},
		{"no address", "txt.test", nil, false, nil, false},
		{"NXDOMAIN", "none.test", nil, true, nil, false},
		{"both fail", "down.test", nil, false, nil, true},
		{"AAAA fails, A answers", "v4fail6.test", []string{"192.0.2.3"}, false, nil, false},
		{"A fails, AAAA no data", "half.test", nil, false, nil, true},
		{"A fails, AAAA NXDOMAIN", "nxhalf.test", nil, true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addrs, nx, cnames, err := Addrs(t.Context(), r, tt.host)
			if tt.err {
				if !errors.Is(err, ErrFailed) {
					t.Fatalf("error %v, want ErrFailed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []netip.Addr
			for _, s := range tt.addrs {
				want = append(want, netip.MustParseAddr(s))
			}
			if diff := cmp.Diff(want, addrs, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("addrs (-want +got):\n%s", diff)
			}
			if nx != tt.nxdomain {
				t.Errorf("nxdomain = %v, want %v", nx, tt.nxdomain)
			}
			if diff := cmp.Diff(tt.cnames, cnames); diff != "" {
				t.Errorf("cnames (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	f := &Fake{
		TXT: map[string][]string{"example.test": {"v=spf1 -all"}},
		MX:  map[string][]*dns.MX{"example.test": {{Preference: 5, Mx: "mx.example.test."}}},
		SRV: map[string][]*dns.SRV{"_submissions._tcp.example.test": {{Port: 465, Target: "mail.example.test."}}},
	}
	txt, _, err := TXT(t.Context(), f, "example.test")
	if err != nil || len(txt) != 1 || txt[0] != "v=spf1 -all" {
		t.Errorf("TXT = %q, %v", txt, err)
	}
	mx, _, err := MX(t.Context(), f, "example.test")
	if err != nil || len(mx) != 1 || mx[0].Mx != "mx.example.test." {
		t.Errorf("MX = %v, %v", mx, err)
	}
	srv, _, err := SRV(t.Context(), f, "_submissions._tcp.example.test")
	if err != nil || len(srv) != 1 || srv[0].Port != 465 {
		t.Errorf("SRV = %v, %v", srv, err)
	}
	f.Fail = map[string]bool{"example.test": true}
	if _, _, err := TXT(t.Context(), f, "example.test"); !errors.Is(err, ErrFailed) {
		t.Errorf("TXT error %v, want ErrFailed", err)
	}
}

// splitFail fails one type of question for some names.
type splitFail struct {
	*Fake
	failA, failAAAA map[string]bool
}

func (s *splitFail) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	if (qtype == dns.TypeA && s.failA[Fqdn(name)]) || (qtype == dns.TypeAAAA && s.failAAAA[Fqdn(name)]) {
		return nil, fmt.Errorf("%w: %s: SERVFAIL", ErrFailed, name)
	}
	return s.Fake.Query(ctx, name, qtype)
}
