package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// slowChecker stands for domains whose servers answer every step just
// under the timeout: a check of a "slow" domain holds its worker until
// released (or its context ends); any other answers at once. It records
// the order in which checks start.
type slowChecker struct {
	mu      sync.Mutex
	started []string
	release chan struct{}
	one     chan struct{} // releases one slow check
	hold    time.Duration // when not zero, a slow check takes this long instead
}

func newSlowChecker() *slowChecker {
	return &slowChecker{release: make(chan struct{}), one: make(chan struct{})}
}

func (s *slowChecker) Check(ctx context.Context, t checks.Target) *checks.Report {
	s.mu.Lock()
	s.started = append(s.started, t.Domain)
	s.mu.Unlock()
	if len(t.Domain) > 4 && t.Domain[:4] == "slow" {
		var timer <-chan time.Time
		if s.hold > 0 {
			timer = time.After(s.hold)
		}
		select {
		case <-s.release:
		case <-s.one:
		case <-timer:
		case <-ctx.Done():
		}
	}
	return &checks.Report{Target: t, Status: checks.StatusPass, Results: []checks.Result{{ID: checks.DNSHost, Status: checks.StatusPass}}}
}

func (s *slowChecker) order() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.started)
}

// sendSlow has user A ask for ten slow domains and waits until the pool
// holds them all.
func sendSlow(t *testing.T, h *harness, user string) {
	t.Helper()
	for i := range 10 {
		h.slash(user, fmt.Sprintf("slow%d.lab.test", i))
	}
	eventually(t, "the ten slow checks taken", func() bool { return h.bot.checks.pending() == 10 })
}

// TestFairShareFreeWorkers: one user's ten slow checks hold two workers
// (PerUser), so another user's check starts at once on a free worker and
// is answered while the first user's checks are still running.
func TestFairShareFreeWorkers(t *testing.T) {
	s := newSlowChecker()
	h := start(t, Config{Checker: s, Workers: 8, RatePerMinute: -1, CacheTTL: -1})
	defer close(s.release)
	sendSlow(t, h, userEN)
	eventually(t, "two slow checks started", func() bool { return len(s.order()) == 2 })
	_, url := h.slash(userFR, "quick.lab.test")
	h.answer(url) // answered while every slow check still holds
	got := s.order()
	if len(got) != 3 || got[2] != "quick.lab.test" {
		t.Errorf("checks started %v: want the two first slow ones, then quick.lab.test, and no third slow one", got)
	}
}

// TestFairShareQueueOrder: with every worker taken by one user, the next
// free worker goes to another user's check, ahead of the first user's
// third.
func TestFairShareQueueOrder(t *testing.T) {
	s := newSlowChecker()
	h := start(t, Config{Checker: s, Workers: 2, RatePerMinute: -1, CacheTTL: -1})
	sendSlow(t, h, userEN)
	eventually(t, "two slow checks started", func() bool { return len(s.order()) == 2 })
	_, url := h.slash(userFR, "quick.lab.test")
	eventually(t, "the second user's check queued", func() bool { return h.bot.checks.pending() == 11 })
	s.one <- struct{}{} // one worker free
	h.answer(url)
	close(s.release) // every slow check may end now
	eventually(t, "every check started", func() bool { return len(s.order()) == 11 })
	got := s.order()
	if i := slices.Index(got, "quick.lab.test"); i != 2 {
		t.Errorf("checks started %v: the second user's check is #%d, want #2 (before the first user's third)", got, i)
	}
}

// TestFairShareUserQueueBounded: past PerUser running and UserQueue
// waiting, a user is told the bot is busy; others are not.
func TestFairShareUserQueueBounded(t *testing.T) {
	s := newSlowChecker()
	h := start(t, Config{Checker: s, Workers: 4, PerUser: 1, UserQueue: 2, RatePerMinute: -1, CacheTTL: -1})
	defer close(s.release)
	var envs []string
	for i := range 4 {
		env, _ := h.slash(userEN, fmt.Sprintf("slow%d.lab.test", i))
		envs = append(envs, env)
	}
	if ack := h.ack(envs[3]); !containsBusy(ack.Payload) {
		t.Errorf("a fourth check past PerUser=1 and UserQueue=2 should be told busy: %s", ack.Payload)
	}
	env, url := h.slash(userFR, "quick.lab.test")
	if ack := h.ack(env); containsBusy(ack.Payload) {
		t.Errorf("another user was told busy: %s", ack.Payload)
	}
	h.answer(url)
}

// containsBusy reports whether an ack says the bot is busy, in either
// language.
func containsBusy(payload []byte) bool {
	for _, l := range messages.Langs {
		if strings.Contains(string(payload), messages.Say(l, messages.PhraseBusy)) {
			return true
		}
	}
	return false
}

// BenchmarkFairShare measures the second user's answer time while the
// first user's ten slow checks (a second each) run, with the default
// workers: the "second-user-ms" metric.
func BenchmarkFairShare(b *testing.B) {
	var total time.Duration
	for range b.N {
		s := newSlowChecker()
		s.hold = time.Second
		h := start(b, Config{Checker: s, RatePerMinute: -1, CacheTTL: -1, Logger: slog.New(slog.DiscardHandler)})
		for i := range 10 {
			h.slash(userEN, fmt.Sprintf("slow%d.lab.test", i))
		}
		for h.bot.checks.pending() < 10 {
			time.Sleep(time.Millisecond)
		}
		began := time.Now()
		_, url := h.slash(userFR, "quick.lab.test")
		h.answer(url)
		total += time.Since(began)
		close(s.release)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "second-user-ms")
}
