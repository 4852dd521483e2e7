package suite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// labTimeout is the per-step timeout against the lab: short, since the
// tarpit scenario waits for it, and ample on loopback.
const labTimeout = 2 * time.Second

var (
	labOnce sync.Once
	theLab  *lab.Lab
	labErr  error
)

// startLab starts one lab for the whole test binary.
func startLab(tb testing.TB) *lab.Lab {
	tb.Helper()
	labOnce.Do(func() { theLab, labErr = lab.Start(context.Background(), lab.Options{}) })
	if labErr != nil {
		tb.Fatalf("starting the lab: %v", labErr)
	}
	return theLab
}

func newLabRunner(tb testing.TB, l *lab.Lab) *suite.Runner {
	tb.Helper()
	r, err := suite.New(suite.Config{
		Resolver:     lookup.NewClient(l.DNSAddr, labTimeout),
		RootCAs:      l.RootCAs,
		Timeout:      labTimeout,
		AllowPrivate: true,
		EHLOName:     "checker.lab.test",
	})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func runScenario(tb testing.TB, r *suite.Runner, s lab.Scenario) *checks.Report {
	tb.Helper()
	t, err := checks.ParseTarget(s.Domain, true)
	if err != nil {
		tb.Fatal(err)
	}
	return r.Run(context.Background(), suite.Request{Target: t, Profile: &s.Profile})
}

// TestLabScenarios runs the whole engine against every lab scenario and
// compares every check's status and codes with the lab's expectations.
func TestLabScenarios(t *testing.T) {
	l := startLab(t)
	r := newLabRunner(t, l)
	for _, s := range l.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			rep := runScenario(t, r, s)
			if got := len(rep.Results); got != len(checks.AllIDs) {
				t.Fatalf("%d results, want %d", got, len(checks.AllIDs))
			}
			for i, res := range rep.Results {
				if res.ID != checks.AllIDs[i] {
					t.Errorf("result %d is %s, want %s (fixed order)", i, res.ID, checks.AllIDs[i])
				}
				want, ok := s.Expect[res.ID]
				if !ok {
					t.Errorf("%s: the lab has no expectation", res.ID)
					continue
				}
				got := scenario.Observed(res)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s\nfindings: %+v", res.ID, diff, res.Findings)
				}
			}
		})
	}
}

// TestResolverDownReport: when the checker's own resolver fails while
// the domain's records are fine (the lab answers SERVFAIL for
// resolverdown), the report is error, the checker's fault, never warn
// nor fail, and no port is reported as not working.
func TestResolverDownReport(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("resolverdown")
	rep := runScenario(t, newLabRunner(t, l), s)
	if rep.Status != checks.StatusError {
		t.Errorf("report status %s, want error", rep.Status)
	}
	for _, res := range rep.Results {
		if res.Status == checks.StatusFail || res.Status == checks.StatusWarn {
			t.Errorf("%s = %s %+v: a resolver failure blames nothing on the domain", res.ID, res.Status, res.Findings)
		}
	}
}

// TestSkipReason: port checks blocked by dns.host say so.
func TestSkipReason(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("nxdomain")
	rep := runScenario(t, newLabRunner(t, l), s)
	res, _ := rep.Result(checks.IMAP993)
	if res.Status != checks.StatusSkip || !res.Has(checks.CheckSkipped) || res.Findings[0].Params["dependency"] != string(checks.DNSHost) {
		t.Errorf("imap.993 on nxdomain = %+v, want skip with check.skipped dependency dns.host", res)
	}
}

// TestRunnerPanics: a check that panics reports status error, the others
// are unaffected.
func TestRunnerPanics(t *testing.T) {
	r, err := suite.New(suite.Config{
		Resolver: &lookup.Fake{},
		Checks: []checks.Check{
			{ID: checks.DNSHost, Run: func(context.Context, *checks.Env, checks.Target, checks.Deps) checks.Result { panic("boom") }},
			{ID: checks.DNSMX, DependsOn: []checks.ID{checks.DNSHost}, Run: func(ctx context.Context, _ *checks.Env, _ checks.Target, d checks.Deps) checks.Result {
				dep, err := d.Wait(ctx, checks.DNSHost)
				if err != nil || dep.Status != checks.StatusError {
					return checks.Result{Status: checks.StatusFail}
				}
				return checks.Result{Status: checks.StatusPass}
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Run(context.Background(), suite.Request{Target: checks.Target{Domain: "client.com", Host: "client.com"}})
	if rep.Results[0].Status != checks.StatusError || !rep.Results[0].Has(checks.CheckInternal) {
		t.Errorf("panicking check = %+v", rep.Results[0])
	}
	if rep.Results[1].Status != checks.StatusPass {
		t.Errorf("dependant = %+v, want pass", rep.Results[1])
	}
}

// TestValidate: cycles, unknown and undeclared dependencies are refused.
func TestValidate(t *testing.T) {
	noop := func(context.Context, *checks.Env, checks.Target, checks.Deps) checks.Result { return checks.Result{} }
	tests := map[string][]checks.Check{
		"cycle":     {{ID: "a", DependsOn: []checks.ID{"b"}, Run: noop}, {ID: "b", DependsOn: []checks.ID{"a"}, Run: noop}},
		"self":      {{ID: "a", DependsOn: []checks.ID{"a"}, Run: noop}},
		"unknown":   {{ID: "a", DependsOn: []checks.ID{"zz"}, Run: noop}},
		"duplicate": {{ID: "a", Run: noop}, {ID: "a", Run: noop}},
	}
	for name, list := range tests {
		if _, err := suite.New(suite.Config{Resolver: &lookup.Fake{}, Checks: list}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Waiting for an undeclared dependency is an error, not a hang.
	var waitErr error
	r, err := suite.New(suite.Config{Resolver: &lookup.Fake{}, Checks: []checks.Check{
		{ID: "a", Run: noop},
		{ID: "b", Run: func(ctx context.Context, _ *checks.Env, _ checks.Target, d checks.Deps) checks.Result {
			_, waitErr = d.Wait(ctx, "a")
			return checks.Result{}
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r.Run(context.Background(), suite.Request{})
	if waitErr == nil {
		t.Error("Wait on an undeclared dependency succeeded")
	}
}

// TestOrderAndCount: Checks lists every contract id once, in order.
func TestOrderAndCount(t *testing.T) {
	var ids []checks.ID
	for _, c := range suite.Checks() {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff(checks.AllIDs, ids); diff != "" {
		t.Errorf("suite order (-want +got):\n%s", diff)
	}
}

// BenchmarkFullCheck measures one report of a lab scenario and reports
// the slowest single check beside it: the run should take about as long
// as its slowest check, not the sum.
func BenchmarkFullCheck(b *testing.B) {
	l := startLab(b)
	r := newLabRunner(b, l)
	for _, name := range []string{"good", "tarpit"} {
		s, _ := l.Scenario(name)
		b.Run(name, func(b *testing.B) {
			var slowest, total, sum time.Duration
			for b.Loop() {
				rep := runScenario(b, r, s)
				total += rep.Elapsed
				var max, all time.Duration
				for _, res := range rep.Results {
					all += res.Elapsed
					if res.Elapsed > max {
						max = res.Elapsed
					}
				}
				slowest += max
				sum += all
			}
			n := float64(b.N)
			b.ReportMetric(float64(slowest.Milliseconds())/n, "slowest-check-ms")
			b.ReportMetric(float64(sum.Milliseconds())/n, "sum-of-checks-ms")
			b.ReportMetric(float64(total)/float64(slowest), "total/slowest")
			b.ReportMetric(float64(total)/n/float64(labTimeout), "total/timeout")
		})
	}
}

// BenchmarkBatch checks 200 lab domains 16 at a time, as --file does.
func BenchmarkBatch(b *testing.B) {
	l := startLab(b)
	r := newLabRunner(b, l)
	scen := l.Scenarios()
	var fast []lab.Scenario
	for _, s := range scen {
		if s.Name != "tarpit" {
			fast = append(fast, s)
		}
	}
	for b.Loop() {
		start := time.Now()
		sem := make(chan struct{}, 16)
		var wg sync.WaitGroup
		for i := range 200 {
			s := fast[i%len(fast)]
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				runScenario(b, r, s)
			}()
		}
		wg.Wait()
		b.ReportMetric(200/time.Since(start).Seconds(), "domains/s")
	}
}

func ExampleRunner_Run() {
	r, _ := suite.New(suite.Config{Resolver: &lookup.Fake{}})
	rep := r.Run(context.Background(), suite.Request{Target: checks.Target{Domain: "gone.example.net", Host: "gone.example.net"}})
	res, _ := rep.Result(checks.DNSHost)
	fmt.Println(rep.Status, res.Status, res.Findings[0].Code)
	// Output: fail fail host.nxdomain
}
