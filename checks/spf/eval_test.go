package spf

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// world is a small DNS: records every scenario below can point at.
func world() *lookup.Fake {
	return &lookup.Fake{
		A: map[string][]string{
			"client.com": {"192.0.2.1"}, "mail.client.com": {"192.0.2.2"},
			"l1.net": {"192.0.2.11"}, "l2.net": {"192.0.2.12"}, "l3.net": {"192.0.2.13"}, "x.l3.net": {"127.0.0.2"},
			"s1.host.net": {"192.0.2.21"}, "s2.host.net": {"192.0.2.22"}, "mx.host.net": {"192.0.2.25"},
		},
		MX: map[string][]*dns.MX{
			"client.com":  {{Preference: 10, Mx: "mail.client.com."}},
			"l1.net":      {{Preference: 10, Mx: "mx.host.net."}},
			"l2.net":      {{Preference: 10, Mx: "mx.host.net."}},
			"l3.net":      {{Preference: 10, Mx: "mx.host.net."}},
			"s1.host.net": {{Preference: 10, Mx: "mx.host.net."}},
			"s2.host.net": {{Preference: 10, Mx: "mx.host.net."}},
		},
		TXT: map[string][]string{
			// 12 lookups: 3 per level over 4 levels.
			"twelve.com": {"v=spf1 a:client.com mx:client.com include:l1.net -all", "google-site-verification=abc"},
			"l1.net":     {"v=spf1 a mx include:l2.net ~all"},
			"l2.net":     {"v=spf1 a mx include:l3.net ?all"},
			"l3.net":     {"v=spf1 a mx exists:x.l3.net -all"},
			// exactly 10.
			"ten.com":       {"v=spf1 mx:client.com include:_spf.host.net -all"},
			"_spf.host.net": {"v=spf1 include:s1.host.net include:s2.host.net ?all"},
			"s1.host.net":   {"v=spf1 a mx ip4:192.0.2.0/24 -all"},
			"s2.host.net":   {"v=spf1 a mx ptr exists:%{i}.x.host.net -all"},
			// a loop.
			"loop-a.com": {"v=spf1 include:loop-b.com -all"},
			"loop-b.com": {"v=spf1 include:loop-a.com -all"},
			"self.com":   {"v=spf1 include:SELF.com. -all"},
			// a redirect.
			"redir.com":      {"v=spf1 redirect=_spf.redir.net"},
			"_spf.redir.net": {"v=spf1 ip4:192.0.2.0/24 ~all"},
			// void lookups: three names that do not exist or have no data.
			"void.com":       {"v=spf1 a:nx1.void.com mx:nx2.void.com exists:empty.void.com ip4:192.0.2.1 -all"},
			"empty.void.com": {"not spf"},
			"void2.com":      {"v=spf1 a:nx1.void.com a:client.com -all"},
			// broken includes.
			"inc-missing.com":  {"v=spf1 include:nospf.net include:nx.net -all"},
			"nospf.net":        {"google-site-verification=abc"},
			"inc-multiple.com": {"v=spf1 include:two.net -all"},
			"two.net":          {"v=spf1 -all", "v=spf1 ~all"},
			"inc-syntax.com":   {"v=spf1 include:bad.net -all"},
			"bad.net":          {"v=spf1 ip4:300.0.0.1 -all"},
			"inc-fail.com":     {"v=spf1 include:servfail.net -all"},
			"macro.com":        {"v=spf1 include:%{ir}.spf.macro.com -all"},
			"multi.com":        {"v=spf1 -all", "V=SPF1 mx -all"},
			"syntax.com":       {"v=spf1 a:nodot -all"},
			"norecord.com":     {"MS=ms123"},
		},
		Fail: map[string]bool{"servfail.net": true, "dnsfail.com": true},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		domain    string
		lookups   int
		void      int
		tree      string
		problems  []Problem
		truncated bool
		all       string // effective all; "?" unknown
	}{
		{domain: "twelve.com", lookups: 12,
			tree: "twelve.com (12) → include:l1.net (9) → include:l2.net (6) → include:l3.net (3)", all: "-all"},
		{domain: "ten.com", lookups: 10,
			tree: "ten.com (10) → include:_spf.host.net (8) → {include:s1.host.net (2); include:s2.host.net (4)}", all: "-all"},
		{domain: "loop-a.com", lookups: 2, tree: "loop-a.com (2) → include:loop-b.com (1) → include:loop-a.com [loop]",
			problems: []Problem{{Kind: ProblemLoop, Domain: "loop-a.com", Term: "include:loop-a.com", Detail: "loop-a.com → loop-b.com → loop-a.com"}}, all: "-all"},
		{domain: "self.com", lookups: 1, tree: "self.com (1) → include:SELF.com. [loop]",
			problems: []Problem{{Kind: ProblemLoop, Domain: "self.com", Term: "include:SELF.com.", Detail: "self.com → self.com"}}, all: "-all"},
		{domain: "redir.com", lookups: 1, tree: "redir.com (1) → redirect=_spf.redir.net (0)", all: "~all"},
		{domain: "void.com", lookups: 3, void: 3, tree: "void.com (3)", all: "-all"},
		{domain: "void2.com", lookups: 2, void: 1, tree: "void2.com (2)", all: "-all"},
		{domain: "inc-missing.com", lookups: 2, void: 1, tree: "inc-missing.com (2) → {include:nospf.net (0) [missing]; include:nx.net (0) [missing]}",
			problems: []Problem{
				{Kind: ProblemMissing, Domain: "nospf.net", Term: "include:nospf.net"},
				{Kind: ProblemMissing, Domain: "nx.net", Term: "include:nx.net", Detail: "NXDOMAIN"},
			}, all: "-all"},
		{domain: "inc-multiple.com", lookups: 1, tree: "inc-multiple.com (1) → include:two.net (0) [multiple]",
			problems: []Problem{{Kind: ProblemMultiple, Domain: "two.net", Term: "include:two.net", Detail: "v=spf1 -all | v=spf1 ~all", Records: []string{"v=spf1 -all", "v=spf1 ~all"}}}, all: "-all"},
		{domain: "inc-syntax.com", lookups: 1, tree: "inc-syntax.com (1) → include:bad.net (0) [syntax]",
			problems: []Problem{{Kind: ProblemSyntax, Domain: "bad.net", Term: "include:bad.net", Detail: `spf: invalid term "ip4:300.0.0.1": invalid address "300.0.0.1"`, Records: []string{"v=spf1 ip4:300.0.0.1 -all"}}}, all: "-all"},
		{domain: "macro.com", lookups: 1, tree: "macro.com (1) → include:%{ir}.spf.macro.com [macro]", all: "-all"},
		{domain: "multi.com", tree: "multi.com (0) [multiple]",
			problems: []Problem{{Kind: ProblemMultiple, Domain: "multi.com", Detail: "v=spf1 -all | V=SPF1 mx -all", Records: []string{"v=spf1 -all", "V=SPF1 mx -all"}}}, all: "?"},
		{domain: "syntax.com", tree: "syntax.com (0) [syntax]",
			problems: []Problem{{Kind: ProblemSyntax, Domain: "syntax.com", Detail: `spf: invalid term "a:nodot": "nodot" is not a fully qualified domain`, Records: []string{"v=spf1 a:nodot -all"}}}, all: "?"},
		{domain: "norecord.com", tree: "norecord.com (0) [missing]",
			problems: []Problem{{Kind: ProblemMissing, Domain: "norecord.com"}}, all: "?"},
		{domain: "nowhere.com", tree: "nowhere.com (0) [missing]",
			problems: []Problem{{Kind: ProblemMissing, Domain: "nowhere.com", Detail: "NXDOMAIN"}}, all: "?"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			ev, err := Evaluate(t.Context(), world(), tt.domain+".")
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if ev.Lookups != tt.lookups || ev.VoidLookups != tt.void || ev.Truncated != tt.truncated {
				t.Errorf("lookups, void, truncated = %d, %d, %v; want %d, %d, %v",
					ev.Lookups, ev.VoidLookups, ev.Truncated, tt.lookups, tt.void, tt.truncated)
			}
			if got := ev.Tree.String(); got != tt.tree {
				t.Errorf("tree:\n got %s\nwant %s", got, tt.tree)
			}
			if diff := cmp.Diff(tt.problems, ev.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			all := "?"
			if d, found, known := ev.All(); known {
				all = ""
				if found {
					all = d.String()
				}
			}
			if all != tt.all {
				t.Errorf("All() = %q, want %q", all, tt.all)
			}
			if ev.Loop() != (len(tt.problems) > 0 && tt.problems[0].Kind == ProblemLoop) {
				t.Errorf("Loop() = %v", ev.Loop())
			}
		})
	}
}

// TestEvaluateBounded: a hostile tree (every record includes two
// more) stops being followed past the walk's bounds.
func TestEvaluateBounded(t *testing.T) {
	f := &lookup.Fake{TXT: map[string][]string{}}
	names := []string{"wide.com"}
	for i := 0; len(names) > 0 && i < 200; i++ {
		n := names[0]
		names = names[1:]
		a, b := "a"+n, "b"+n
		f.TXT[n] = []string{"v=spf1 include:" + a + " include:" + b + " -all"}
		names = append(names, a, b)
	}
	c := counting{f, make(chan struct{}, 1000)}
	ev, err := Evaluate(t.Context(), c, "wide.com")
	if err != nil {
		t.Fatal(err)
	}
	// The tree holds 200 records; the walk stops queueing once past
	// walkLookupLimit, finishing the levels already queued.
	if !ev.Truncated || ev.Lookups <= walkLookupLimit || len(c.n) > 32 {
		t.Errorf("Truncated = %v, Lookups = %d, %d queries: want a truncated walk past %d lookups in at most 32 queries",
			ev.Truncated, ev.Lookups, len(c.n), walkLookupLimit)
	}

	deep := &lookup.Fake{TXT: map[string][]string{}}
	name := "deep.com"
	for range 30 {
		deep.TXT[name] = []string{"v=spf1 include:x." + name + " -all"}
		name = "x." + name
	}
	ev, err = Evaluate(t.Context(), deep, "deep.com")
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Truncated || ev.Lookups != walkDepthLimit+1 {
		t.Errorf("deep chain: Truncated = %v, Lookups = %d; want true, %d", ev.Truncated, ev.Lookups, walkDepthLimit+1)
	}
}

func TestEvaluateResolverFailure(t *testing.T) {
	for _, domain := range []string{"dnsfail.com", "inc-fail.com"} {
		t.Run(domain, func(t *testing.T) {
			ev, err := Evaluate(t.Context(), world(), domain)
			if !errors.Is(err, lookup.ErrFailed) {
				t.Fatalf("err = %v, want one wrapping lookup.ErrFailed", err)
			}
			if ev == nil || ev.Domain != domain {
				t.Fatalf("want the partial evaluation, got %+v", ev)
			}
		})
	}
	f := world()
	f.Fail["nx1.void.com"] = true
	if _, err := Evaluate(t.Context(), f, "void.com"); !errors.Is(err, lookup.ErrFailed) {
		t.Errorf("void lookup failing: err = %v, want lookup.ErrFailed", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Evaluate(ctx, world(), "ten.com"); err == nil {
		t.Error("canceled context: want an error")
	}
}

// counting counts the queries a resolver receives.
type counting struct {
	lookup.Resolver
	n chan struct{}
}

func (c counting) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	c.n <- struct{}{}
	return c.Resolver.Query(ctx, name, qtype)
}

// TestEvaluateFetchesOnce: a domain included twice is fetched once.
func TestEvaluateFetchesOnce(t *testing.T) {
	f := &lookup.Fake{TXT: map[string][]string{
		"twice.com": {"v=spf1 include:same.net include:other.net -all"},
		"other.net": {"v=spf1 include:same.net -all"},
		"same.net":  {"v=spf1 ip4:192.0.2.1 -all"},
	}}
	c := counting{f, make(chan struct{}, 100)}
	ev, err := Evaluate(t.Context(), c, "twice.com")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Lookups != 3 {
		t.Errorf("Lookups = %d, want 3 (each include term counts)", ev.Lookups)
	}
	if got := len(c.n); got != 3 {
		t.Errorf("%d queries, want 3 (twice.com, same.net, other.net)", got)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	w := world()
	for b.Loop() {
		if _, err := Evaluate(b.Context(), w, "ten.com"); err != nil {
			b.Fatal(err)
		}
	}
}
