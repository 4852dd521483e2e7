package spf

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// countQueries counts the questions a resolver is asked.
type countQueries struct {
	lookup.Resolver
	n atomic.Int64
}

func (c *countQueries) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	c.n.Add(1)
	return c.Resolver.Query(ctx, name, qtype)
}

// maxQueries bounds the questions one evaluation may ask, whatever the
// records: the walk's TXT fetches (at most walkLookupLimit counted terms
// plus the level in flight, walkDepthLimit deep) and, for a, mx and
// exists terms, two questions each for the terms a receiver would
// evaluate before its own limit.
const maxQueries = 4 * (walkLookupLimit + parallelQueries)

// TestEvaluateHostileRecords: a record of a hostile domain (thousands of
// a, mx and exists terms, a TXT record as long as DNS over TCP allows)
// costs a bounded number of DNS questions: the bot cannot be used to
// send a flood of queries at the names a record lists. A receiver stops
// at 10 lookups (RFC 7208 §4.6.4); so does what we ask.
func TestEvaluateHostileRecords(t *testing.T) {
	many := func(term string, n int) string {
		var b strings.Builder
		b.WriteString("v=spf1")
		for i := range n {
			fmt.Fprintf(&b, " "+term, i)
		}
		return b.String() + " -all"
	}
	tests := map[string]string{
		"3000 a terms":      many("a:x%d.victim.example", 3000),
		"3000 mx terms":     many("mx:x%d.victim.example", 3000),
		"3000 exists terms": many("exists:x%d.victim.example", 3000),
		"3000 includes":     many("include:x%d.victim.example", 3000),
		"a and mx mixed":    many("a:x%d.victim.example mx:y.victim.example", 1500),
	}
	for name, rec := range tests {
		t.Run(name, func(t *testing.T) {
			r := &countQueries{Resolver: &lookup.Fake{TXT: map[string][]string{"evil.example": {rec}}}}
			ev, err := Evaluate(t.Context(), r, "evil.example")
			if err != nil {
				t.Fatal(err)
			}
			if n := r.n.Load(); n > maxQueries {
				t.Errorf("%d DNS questions for one record, want at most %d", n, maxQueries)
			}
			if ev.Lookups <= MaxLookups {
				t.Errorf("Lookups = %d, want the record's count, over %d", ev.Lookups, MaxLookups)
			}
			if !strings.Contains(name, "includes") && ev.VoidLookups <= MaxVoidLookups {
				t.Errorf("VoidLookups = %d, want over %d (every name is void)", ev.VoidLookups, MaxVoidLookups)
			}
		})
	}
}

// FuzzEvaluate walks hostile record sets: four domains whose TXT records
// are the fuzzer's, free to include, redirect to and name each other.
// An evaluation ends, asks a bounded number of questions, and its
// counts and tree hold together.
func FuzzEvaluate(f *testing.F) {
	f.Add("v=spf1 include:a.fz include:b.fz -all", "v=spf1 a mx redirect=c.fz", "v=spf1 include:d.fz ?all", "v=spf1 include:root.fz -all")
	f.Add("v=spf1 redirect=a.fz", "v=spf1 redirect=b.fz", "v=spf1 redirect=c.fz", "v=spf1 redirect=root.fz")
	f.Add("v=spf1 a:a.fz a:b.fz mx:c.fz exists:d.fz exists:%{i}.d.fz ptr -all", "v=spf1 +all", "", "v=spf1 include:a.fz include:a.fz")
	f.Add("v=spf1 include:a.fz", "v=spf1 -all", "v=spf1 ~all", "v=spf1 include:b.fz include:c.fz include:root.fz")
	f.Add(strings.Repeat("v=spf1 ", 2), "V=SPF1 INCLUDE:B.FZ.", "v=spf1 include:%{d}.fz", "spf1")
	f.Fuzz(func(t *testing.T, root, a, b, c string) {
		fake := &lookup.Fake{TXT: map[string][]string{}, A: map[string][]string{"a.fz": {"192.0.2.1"}}}
		for name, rec := range map[string]string{"root.fz": root, "a.fz": a, "b.fz": b, "c.fz": c} {
			if rec != "" {
				fake.TXT[name] = []string{rec}
			}
		}
		r := &countQueries{Resolver: fake}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ev, err := Evaluate(ctx, r, "root.fz")
		if ctx.Err() != nil {
			t.Fatal("evaluation did not end")
		}
		if err != nil {
			// The fake fails only on CNAME loops; it has none.
			t.Fatalf("Evaluate: %v", err)
		}
		if n := r.n.Load(); n > maxQueries {
			t.Fatalf("%d DNS questions, want at most %d", n, maxQueries)
		}
		if ev.Lookups < 0 || ev.VoidLookups < 0 {
			t.Fatalf("negative counts %d, %d", ev.Lookups, ev.VoidLookups)
		}
		if (ev.Record == nil) != (ev.Raw == "") && ev.Record == nil && len(ev.Problems) == 0 {
			t.Fatalf("record %q unparsed and no problem said", ev.Raw)
		}
		if ev.Record == nil && ev.Lookups != 0 {
			t.Fatalf("Lookups = %d without a usable record", ev.Lookups)
		}
		_ = ev.Tree.String()
		ev.All()
		ev.Loop()
	})
}
