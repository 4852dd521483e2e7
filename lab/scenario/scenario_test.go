package scenario

import (
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// label is a scenario name: one lower-case DNS label, letters and digits.
var label = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// TestCatalog keeps every entry well formed: a unique name usable as a
// DNS label, a description, at least one runner, and expectations on
// known checks with known codes, sorted, a code for every warn, fail
// and error and none for pass and skip.
func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			if !label.MatchString(s.Name) || seen[s.Name] {
				t.Errorf("name %q: not a label, or twice", s.Name)
			}
			seen[s.Name] = true
			if s.Description == "" || s.Runners == 0 || s.Runners&^(Lab|RealServers|Sample) != 0 {
				t.Errorf("description %q, runners %b", s.Description, s.Runners)
			}
			for id := range s.Expect {
				if !slices.Contains(checks.AllIDs, id) {
					t.Errorf("expectation for unknown check %s", id)
				}
			}
			all := s.Expectations()
			if len(all) != len(checks.AllIDs) {
				t.Errorf("%d expectations, want one for each of %d checks", len(all), len(checks.AllIDs))
			}
			for id, e := range all {
				if !slices.IsSorted(e.Codes) {
					t.Errorf("%s: codes %v not sorted", id, e.Codes)
				}
				for _, c := range e.Codes {
					if !slices.Contains(checks.AllCodes, c) {
						t.Errorf("%s: unknown code %s", id, c)
					}
				}
				switch e.Status {
				case checks.StatusPass, checks.StatusSkip:
					if len(e.Codes) != 0 {
						t.Errorf("%s: %s with codes %v", id, e.Status, e.Codes)
					}
				case checks.StatusWarn, checks.StatusFail, checks.StatusError:
					if len(e.Codes) == 0 {
						t.Errorf("%s: %s without a code", id, e.Status)
					}
				default:
					t.Errorf("%s: status %q", id, e.Status)
				}
			}
		})
	}
	if s, ok := Get("good"); !ok || len(s.Expect) != 0 {
		t.Errorf(`Get("good") = %+v, %v`, s, ok)
	}
	if _, ok := Get("nosuch"); ok {
		t.Error(`Get("nosuch") found a scenario`)
	}
}

// TestCopies: what the catalog hands out is the caller's to change.
func TestCopies(t *testing.T) {
	s, _ := Get("nxdomain")
	s.Expect[checks.DNSHost] = pass()
	s.Expect[checks.DNSMX].Codes[0] = "changed"
	for _, x := range []Scenario{must(t, "nxdomain"), For(Lab)[slices.Index(Names(Lab), "nxdomain")]} {
		if diff := cmp.Diff(fail(checks.HostNXDomain), x.Expect[checks.DNSHost]); diff != "" {
			t.Errorf("dns.host (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(fail(checks.MXMissing), x.Expect[checks.DNSMX]); diff != "" {
			t.Errorf("dns.mx (-want +got):\n%s", diff)
		}
	}
}

func must(t *testing.T, name string) Scenario {
	t.Helper()
	s, ok := Get(name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	return s
}

func TestObserved(t *testing.T) {
	r := checks.Result{Status: checks.StatusFail, Findings: []checks.Finding{
		{Code: checks.TLSCertExpired, Severity: checks.SeverityFail},
		{Code: checks.HostFound, Severity: checks.SeverityInfo},
		{Code: checks.TCPRefused, Severity: checks.SeverityFail},
		{Code: checks.TLSCertExpired, Severity: checks.SeverityWarn},
	}}
	if diff := cmp.Diff(fail(checks.TLSCertExpired, checks.TCPRefused), Observed(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
