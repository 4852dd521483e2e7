package sample

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// simplified lists, by scenario, the checks a hand-built report keeps
// passing where the catalog expects otherwise: the sample domain's
// autoconfig is kept healthy so that the golden files show one cause.
var simplified = map[string][]checks.ID{
	"no465":      {checks.DNSAutoconfig},
	"nostarttls": {checks.DNSAutoconfig},
}

// TestBuildersFollowCatalog: there is a report for every scenario the
// catalog marks scenario.Sample, and none for another.
func TestBuildersFollowCatalog(t *testing.T) {
	want := slices.Sorted(slices.Values(scenario.Names(scenario.Sample)))
	if diff := cmp.Diff(want, slices.Sorted(maps.Keys(builders))); diff != "" {
		t.Errorf("builders (-catalog +sample):\n%s", diff)
	}
}

// TestReportsMatchCatalog: each report says, check by check, what the
// catalog expects of a correct engine for its scenario.
func TestReportsMatchCatalog(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			sc, ok := scenario.Get(s.Name)
			if !ok {
				t.Fatalf("no scenario %q in the catalog", s.Name)
			}
			want := sc.Expectations()
			for _, id := range simplified[s.Name] {
				want[id] = scenario.Expectation{Status: checks.StatusPass}
			}
			got := map[checks.ID]scenario.Expectation{}
			for _, r := range s.Report.Results {
				got[r.ID] = scenario.Observed(r)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outcomes (-catalog +report):\n%s", diff)
			}
			if s.Report.Status != checks.Overall(s.Report.Results) {
				t.Errorf("report status %s, its checks say %s", s.Report.Status, checks.Overall(s.Report.Results))
			}
		})
	}
}
