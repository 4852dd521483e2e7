package lookup

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestFake(t *testing.T) {
	f := &Fake{
		A:     map[string][]string{"Mail.Example.test.": {"192.0.2.1"}, "deep.sub.example.test": {"192.0.2.9"}},
		AAAA:  map[string][]string{"mail.example.test": {"2001:db8::1"}},
		MX:    map[string][]*dns.MX{"example.test": {{Preference: 10, Mx: "mail.example.test."}}},
		TXT:   map[string][]string{"example.test": {"v=spf1 -all"}},
		SRV:   map[string][]*dns.SRV{"_imaps._tcp.example.test": {{Port: 993, Target: "mail.example.test."}}},
		CNAME: map[string]string{"www.example.test": "mail.example.test", "dangling.example.test": "gone.example.test", "loop1.test": "loop2.test", "loop2.test": "LOOP1.test."},
		Fail:  map[string]bool{"broken.example.test": true, "viabroken.example.test": false},
	}
	f.CNAME["viabroken.example.test"] = "broken.example.test"
	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		cnames  []string
		records []string
		err     error
	}{
		{"A any case", "MAIL.example.test", dns.TypeA, 0, nil, []string{"mail.example.test.\t300\tIN\tA\t192.0.2.1"}, nil},
		{"AAAA", "mail.example.test.", dns.TypeAAAA, 0, nil, []string{"mail.example.test.\t300\tIN\tAAAA\t2001:db8::1"}, nil},
		{"MX", "example.test", dns.TypeMX, 0, nil, []string{"example.test.\t300\tIN\tMX\t10 mail.example.test."}, nil},
		{"TXT", "example.test", dns.TypeTXT, 0, nil, []string{"example.test.\t300\tIN\tTXT\t\"v=spf1 -all\""}, nil},
		{"SRV", "_imaps._tcp.example.test", dns.TypeSRV, 0, nil, []string{"_imaps._tcp.example.test.\t300\tIN\tSRV\t0 0 993 mail.example.test."}, nil},
		{"no data", "example.test", dns.TypeA, 0, nil, nil, nil},
		{"NXDOMAIN", "nope.example.test", dns.TypeA, dns.RcodeNameError, nil, nil, nil},
		{"empty non-terminal", "sub.example.test", dns.TypeA, 0, nil, nil, nil},
		{"CNAME followed", "www.example.test", dns.TypeA, 0, []string{"mail.example.test."}, []string{"mail.example.test.\t300\tIN\tA\t192.0.2.1"}, nil},
		{"CNAME asked", "www.example.test", dns.TypeCNAME, 0, nil, []string{"www.example.test.\t300\tIN\tCNAME\tmail.example.test."}, nil},
		{"CNAME to NXDOMAIN", "dangling.example.test", dns.TypeA, dns.RcodeNameError, []string{"gone.example.test."}, nil, nil},
		{"CNAME loop", "loop1.test", dns.TypeA, 0, nil, nil, ErrCNAMELoop},
		{"Fail", "broken.example.test", dns.TypeTXT, 0, nil, nil, ErrFailed},
		{"CNAME to Fail", "viabroken.example.test", dns.TypeA, 0, nil, nil, ErrFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := f.Query(t.Context(), tt.qname, tt.qtype)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !errors.Is(err, ErrFailed) {
					t.Fatalf("Query = %v, %v; want an error wrapping %v and ErrFailed", a, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Rcode != tt.rcode {
				t.Errorf("Rcode = %d, want %d", a.Rcode, tt.rcode)
			}
			if diff := cmp.Diff(tt.cnames, a.CNAMEs); diff != "" {
				t.Errorf("CNAMEs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.records, rrStrings(a.Records)); diff != "" {
				t.Errorf("Records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFakeContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := (&Fake{}).Query(ctx, "a.test", dns.TypeA); !errors.Is(err, ErrFailed) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want ErrFailed and context.Canceled", err)
	}
}

func TestFakeBadAddress(t *testing.T) {
	f := &Fake{A: map[string][]string{"a.test": {"2001:db8::1"}}}
	if _, err := f.Query(t.Context(), "a.test", dns.TypeA); err == nil {
		t.Fatal("an IPv6 address as an A record was taken")
	}
}
