// Package scenario is the one catalog of the broken-domain scenarios the
// project tests the engine with: a healthy domain, an expired
// certificate, a closed port, a missing MX, two SPF records… Each has a
// short name (a DNS label: "good", "expired", "nomx", "twospf"), a
// one-line description of what is wrong, the runners that can play it,
// and what a correct engine reports for every check.
//
// Three runners read it, each with its own recipe per name:
//   - the in-process lab (package lab, and `mailsetup demo`) serves each
//     scenario it runs as <name>.lab.test;
//   - the real-server suite (integration/) serves it with Exim, Dovecot
//     and Knot as <name>.realtest.test;
//   - messages/sample builds the report a correct engine gives for it,
//     by hand, for the golden files of messages and bot/blockkit, which
//     are named after it.
//
// The package is data only: it starts nothing and imports only checks.
package scenario

import (
	"maps"
	"slices"

	"github.com/pcmhosting/mailsetup/checks"
)

// Runner is a set of the ways a scenario can be played.
type Runner uint8

// The runners of the catalog.
const (
	// Lab is the in-process lab of package lab.
	Lab Runner = 1 << iota
	// RealServers is the suite of integration/, on Exim, Dovecot and Knot.
	RealServers
	// Sample is a hand-built report of messages/sample.
	Sample
)

// Scenario is one entry of the catalog.
type Scenario struct {
	// Name is the short name, a DNS label: the scenario's domain is
	// Name + "." + the runner's zone, and its golden files are named
	// after it.
	Name string
	// Description says in one technical line what is wrong, if anything.
	Description string
	// Runners are the runners that can play the scenario.
	Runners Runner
	// Expect lists the checks whose expected outcome is not pass.
	Expect map[checks.ID]Expectation
}

// Runs reports whether runner r can play the scenario.
func (s Scenario) Runs(r Runner) bool { return s.Runners&r != 0 }

// Expectations returns what a correct engine reports for every id of
// checks.AllIDs: pass unless Expect says otherwise. The map is new.
func (s Scenario) Expectations() map[checks.ID]Expectation {
	m := make(map[checks.ID]Expectation, len(checks.AllIDs))
	for _, id := range checks.AllIDs {
		e, ok := s.Expect[id]
		if !ok {
			e = pass()
		}
		m[id] = e.clone()
	}
	return m
}

// clone returns a copy of s the caller may modify.
func (s Scenario) clone() Scenario {
	s.Expect = maps.Clone(s.Expect)
	for id, e := range s.Expect {
		s.Expect[id] = e.clone()
	}
	return s
}

// All returns every scenario of the catalog, in its fixed order. The
// values are copies.
func All() []Scenario { return For(Lab | RealServers | Sample) }

// For returns the scenarios runner r can play, in catalog order. The
// values are copies.
func For(r Runner) []Scenario {
	var out []Scenario
	for _, s := range catalog {
		if s.Runs(r) {
			out = append(out, s.clone())
		}
	}
	return out
}

// Names returns the names of the scenarios runner r can play, in
// catalog order.
func Names(r Runner) []string {
	var out []string
	for _, s := range catalog {
		if s.Runs(r) {
			out = append(out, s.Name)
		}
	}
	return out
}

// Get returns the scenario with this name, if the catalog has it.
func Get(name string) (Scenario, bool) {
	i := slices.IndexFunc(catalog, func(s Scenario) bool { return s.Name == name })
	if i < 0 {
		return Scenario{}, false
	}
	return catalog[i].clone(), true
}

// Expectation is the outcome of one check: the outcome a correct engine
// reports, or the one a run showed (Observed), to compare.
type Expectation struct {
	Status checks.Status
	// Codes are the distinct non-info finding codes, sorted.
	Codes []checks.Code
}

// Observed returns the outcome a result shows: its status and its
// distinct non-info codes, sorted.
func Observed(r checks.Result) Expectation {
	var c []checks.Code
	for _, f := range r.Findings {
		if f.Severity != checks.SeverityInfo && !slices.Contains(c, f.Code) {
			c = append(c, f.Code)
		}
	}
	slices.Sort(c)
	return Expectation{Status: r.Status, Codes: c}
}

func (e Expectation) clone() Expectation {
	e.Codes = slices.Clone(e.Codes)
	return e
}

func pass() Expectation                 { return Expectation{Status: checks.StatusPass} }
func skip() Expectation                 { return Expectation{Status: checks.StatusSkip} }
func warn(c ...checks.Code) Expectation { return expectation(checks.StatusWarn, c) }
func fail(c ...checks.Code) Expectation { return expectation(checks.StatusFail, c) }
func fault(c ...checks.Code) Expectation {
	return expectation(checks.StatusError, c)
}
func expectation(s checks.Status, c []checks.Code) Expectation {
	c = slices.Clone(c)
	slices.Sort(c)
	return Expectation{Status: s, Codes: c}
}
