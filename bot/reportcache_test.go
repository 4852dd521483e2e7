package bot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

func TestReportCache(t *testing.T) {
	clk := newClock()
	c := newReportCache(time.Minute, clk.Now)
	var runs atomic.Int64
	release := make(chan struct{})
	check := func(ctx context.Context, t checks.Target) *checks.Report {
		runs.Add(1)
		<-release
		return &checks.Report{Target: t, Status: checks.StatusPass}
	}
	tg, _ := checks.ParseTarget("client.example.com", false)
	addr, _ := checks.ParseTarget("jane@client.example.com", false)

	// Ten agents at once: one run.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { c.get(context.Background(), tg, false, check) })
	}
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // let the others join the run
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs for ten concurrent commands, want 1", n)
	}
	rep, cached := c.get(context.Background(), addr, false, check)
	if !cached || rep.Target.Address != "jane@client.example.com" {
		t.Errorf("cached %v, address %q: want the cached report, for the address asked", cached, rep.Target.Address)
	}
	if _, cached := c.get(context.Background(), tg, true, check); cached {
		t.Error("a fresh get used the cache")
	}
	clk.Advance(61 * time.Second)
	if _, cached := c.get(context.Background(), tg, false, check); cached {
		t.Error("a report older than the TTL was reused")
	}
	if n := runs.Load(); n != 3 {
		t.Errorf("%d runs, want 3", n)
	}
}

func TestReportCacheBounded(t *testing.T) {
	clk := newClock()
	c := newReportCache(time.Minute, clk.Now)
	check := func(_ context.Context, t checks.Target) *checks.Report { return &checks.Report{Target: t} }
	for i := range maxReports + 10 {
		clk.Advance(time.Millisecond)
		tg, _ := checks.ParseTarget(fmt.Sprintf("d%d.example.com", i), false)
		c.get(context.Background(), tg, false, check)
	}
	if n := len(c.entries); n != maxReports {
		t.Errorf("%d reports kept, want %d", n, maxReports)
	}
	first, _ := checks.ParseTarget("d0.example.com", false)
	if _, ok := c.latest(first); ok {
		t.Error("the oldest report was not the one evicted")
	}
}
