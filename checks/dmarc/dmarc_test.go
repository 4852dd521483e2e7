package dmarc

import (
	"errors"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dmarc"
	"github.com/google/go-cmp/cmp"
)

func pct(i int) *int { return &i }

func TestParse(t *testing.T) {
	relaxed := func(r dmarc.Record) *Record {
		if r.DKIMAlignment == "" {
			r.DKIMAlignment = dmarc.AlignmentRelaxed
		}
		if r.SPFAlignment == "" {
			r.SPFAlignment = dmarc.AlignmentRelaxed
		}
		return &Record{r}
	}
	tests := []struct {
		in   string
		want *Record
	}{
		{"v=DMARC1; p=none", relaxed(dmarc.Record{Policy: dmarc.PolicyNone})},
		{"v=DMARC1;p=reject;", relaxed(dmarc.Record{Policy: dmarc.PolicyReject})},
		{"v = DMARC1 ; p = quarantine ; ; ", relaxed(dmarc.Record{Policy: dmarc.PolicyQuarantine})},
		{"v=DMARC1; p=Reject; sp=NONE; adkim=S; aspf=s", relaxed(dmarc.Record{Policy: dmarc.PolicyReject, SubdomainPolicy: dmarc.PolicyNone,
			DKIMAlignment: dmarc.AlignmentStrict, SPFAlignment: dmarc.AlignmentStrict})},
		{"v=DMARC1; p=quarantine; pct=50; ri=3600; fo=0:d; rf=afrf:iodef; rua=mailto:agg@example.com,mailto:x@example.net!10m; ruf=mailto:forensic@example.com",
			relaxed(dmarc.Record{Policy: dmarc.PolicyQuarantine, Percent: pct(50), ReportInterval: time.Hour,
				FailureOptions: dmarc.FailureAll | dmarc.FailureDKIM, ReportFormat: []dmarc.ReportFormat{"afrf", "iodef"},
				ReportURIAggregate: []string{"mailto:agg@example.com", "mailto:x@example.net!10m"},
				ReportURIFailure:   []string{"mailto:forensic@example.com"}})},
		{"v=DMARC1; p=none; rua=https://dmarc.example.com/report; future_tag=whatever", relaxed(dmarc.Record{Policy: dmarc.PolicyNone,
			ReportURIAggregate: []string{"https://dmarc.example.com/report"}})},
		{"v=DMARC1; p=none; pct=0", relaxed(dmarc.Record{Policy: dmarc.PolicyNone, Percent: pct(0)})},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			again, err := Parse(got.String())
			if err != nil {
				t.Fatalf("Parse(String() = %q): %v", got.String(), err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("round trip via %q (-first +second):\n%s", got.String(), diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, tag string
	}{
		{"", "v"},
		{"p=none; v=DMARC1", "v"},
		{";v=DMARC1; p=none", "v"},
		{" v=DMARC1; p=none", "v"},
		{"v=DMARC2; p=none", "v"},
		{"v=dmarc1; p=none", "v"},
		{"v=DMARC1", "p"},
		{"v=DMARC1; rua=mailto:a@example.com", "p"},
		{"v=DMARC1; p=none; p=reject", "p"},
		{"v=DMARC1; p=nothing", ""},
		{"v=DMARC1; p=", ""},
		{"v=DMARC1; p=none; sp=maybe", ""},
		{"v=DMARC1; p=none; adkim=x", ""},
		{"v=DMARC1; p=none; fo=2", ""},
		{"v=DMARC1; p=none; pct=101", "pct"},
		{"v=DMARC1; p=none; pct=+5", "pct"},
		{"v=DMARC1; p=none; pct=", "pct"},
		{"v=DMARC1; p=none; ri=0", ""},
		{"v=DMARC1; p=none; ri=99999999999", "ri"},
		{"v=DMARC1; p=none; rf=-x", "rf"},
		{"v=DMARC1; p=none; rua=", "rua"},
		{"v=DMARC1; p=none; rua=agg@example.com", "rua"},
		{"v=DMARC1; p=none; rua=mailto:", "rua"},
		{"v=DMARC1; p=none; rua=mailto:a@example.com,", "rua"},
		{"v=DMARC1; p=none; rua=mailto:a@example.com!", "rua"},
		{"v=DMARC1; p=none; rua=mailto:a@example.com!10x", "rua"},
		{"v=DMARC1; p=none; ruf=mailto:a b@example.com", "ruf"},
		{"v=DMARC1; none", ""},
		{"v=DMARC1; p-x=none; p=none", ""},
		{"v=DMARC1; p=none; n=\x00", "n"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Parse(tt.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse = %+v, %v; want a *SyntaxError", r, err)
			}
			if se.Tag != tt.tag {
				t.Errorf("error names tag %q, want %q (%v)", se.Tag, tt.tag, err)
			}
		})
	}
}

func TestIsRecord(t *testing.T) {
	for in, want := range map[string]bool{
		"v=DMARC1; p=none": true,
		"v=DMARC1":         true,
		"v = dmarc1;p=x":   true,
		"v=DMARC10; p=x":   false,
		"p=none; v=DMARC1": false,
		"v=spf1 -all":      false,
		"":                 false,
	} {
		if got := IsRecord(in); got != want {
			t.Errorf("IsRecord(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzDMARCParse(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=none",
		"v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; pct=100; fo=1:s; rf=afrf; ri=86400; rua=mailto:a@example.com!5m; ruf=mailto:b@example.com",
		"v=DMARC1;p=Quarantine;;",
		"p=none; v=DMARC1",
		"v=DMARC1; p=none; p=none",
		"v=DMARC1; p=none; rua=https://x.example/r,mailto:c@d.e",
		"v=DMARC1; p=none; pct=-1",
		"v=DMARC1; p=none; ri=4294967295",
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
		if !IsRecord(s) {
			t.Errorf("Parse(%q) ok but IsRecord false", s)
		}
		out := r.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, its String %q not: %v", s, out, err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Fatalf("round trip of %q via %q (-first +second):\n%s", s, out, diff)
		}
	})
}

func TestSuggest(t *testing.T) {
	tests := []struct{ name, raw, policy, want string }{
		{"only p changes", "v=DMARC1; p=none; rua=mailto:dmarc@client.com,mailto:x@agg.example; ruf=mailto:f@client.com; fo=1; pct=50",
			"quarantine", "v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com,mailto:x@agg.example; ruf=mailto:f@client.com; fo=1; pct=50"},
		{"invalid policy dropped, rua kept", "v=DMARC1; p=reject-all; rua=mailto:dmarc@client.com", "",
			"v=DMARC1; p=none; rua=mailto:dmarc@client.com"},
		{"own policy kept", "v=DMARC1; p=Reject; rua=mailto:dmarc@client.com; pct=500", "",
			"v=DMARC1; p=reject; rua=mailto:dmarc@client.com"},
		{"missing p inserted after v", "v=DMARC1; rua=mailto:dmarc@client.com", "none",
			"v=DMARC1; p=none; rua=mailto:dmarc@client.com"},
		{"duplicate tag kept once", "v=DMARC1; p=none; rua=mailto:a@client.com; rua=mailto:b@client.com", "none",
			"v=DMARC1; p=none; rua=mailto:a@client.com"},
		{"no record", "", "none", "v=DMARC1; p=none; rua=mailto:postmaster@client.com"},
		{"not DMARC", "v=spf1 -all", "", "v=DMARC1; p=none; rua=mailto:postmaster@client.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Suggest(tt.raw, "client.com", tt.policy)
			if got != tt.want {
				t.Errorf("Suggest = %q, want %q", got, tt.want)
			}
			if _, err := Parse(got); err != nil {
				t.Errorf("the suggestion does not parse: %v", err)
			}
		})
	}
}

// FuzzSuggest: whatever a domain publishes, the record suggested in its
// place parses and carries the policy asked for.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"v=DMARC1; p=none; rua=mailto:a@b.example", "v=DMARC1; p=reject-all; rua=mailto:x@y.example; pct=500",
		"v=DMARC1;;p=quarantine;sp=none;adkim=s;aspf=r;fo=0:1:d:s;rf=afrf;ri=86400;ruf=mailto:f@b.example!10m", "v=DMARC1; rua=x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := Suggest(raw, "client.example", "quarantine")
		rec, err := Parse(got)
		if err != nil {
			t.Fatalf("Suggest(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if rec.Policy != "quarantine" {
			t.Fatalf("Suggest(%q) = %q: policy %q", raw, got, rec.Policy)
		}
	})
}
