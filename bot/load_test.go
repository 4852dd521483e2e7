package bot

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/messages"
)

// Leak check margins. Goroutines: the runtime and the test framework
// may start a few of their own meanwhile. Heap: the live heap after a
// GC (HeapAlloc), which the harness's log buffer, kept for its cleanup,
// and the HTTP client's caches grow by under 1 MiB; a leak of 10 KiB a
// command would exceed it. HeapInuse is reported, not asserted: it
// counts every span holding one live object, stays 1.5 MiB up after a
// burst that peaks 4 MiB up with nothing of the bot alive (the heap
// profile shows only TestMain's lab), and a bound on it would prove
// nothing.
const (
	leakGoroutines = 4
	leakHeap       = 2 << 20
)

// TestLoadBurst sends 200 slash commands in one burst, from 200 agents,
// to a bot with the production defaults (8 workers, a queue of 64, a
// 10 s queue wait, reports cached 60 s per domain, 10 checks a minute
// per user) checking a lab of its own. It proves that every envelope is
// acked within Slack's 3 s, that every command is either answered with
// its report or told the bot is busy (in its ack when the queue is
// full, or in its answer when it waited too long), none silent, none
// answered twice; and that once the bot and the lab are stopped the
// goroutines and the heap come back to what they were before. Speed is
// measured by BenchmarkBurst.
func TestLoadBurst(t *testing.T) {
	const n = 200
	baseG, baseHeap := settledGoroutines(), heap()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	l, err := lab.Start(ctx, lab.Options{})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if l != nil {
			l.Close()
		}
	}()
	engine, err := labEngine(l)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{Checker: engine})

	type command struct{ domain, url string }
	domains := fastScenarios()
	sent := make(map[string]command, n) // by envelope id
	for i := range n {
		d := domain(domains[i%len(domains)])
		env, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: fmt.Sprintf("U%03d", i), Channel: channel, Text: d})
		if err != nil {
			t.Fatal(err)
		}
		sent[env] = command{d, url}
	}
	h.waitFor("every ack", func(v slacktest.View) bool { return len(v.Acks()) >= n })

	// Agents unknown to the workspace: answers are in the default
	// language, French.
	busy := messages.Say(messages.FR, messages.PhraseBusy)
	var accepted []command
	var busyAck int
	var latencies []time.Duration
	for _, a := range h.slack.Acks() {
		latencies = append(latencies, a.Latency)
		c, ok := sent[a.EnvelopeID]
		if !ok {
			t.Fatalf("ack of an envelope never sent: %s", a.EnvelopeID)
		}
		delete(sent, a.EnvelopeID)
		if a.Latency > sla {
			t.Errorf("%s acked after %s, Slack allows %s", c.domain, a.Latency, sla)
		}
		switch payload := string(a.Payload); {
		case strings.Contains(payload, busy):
			busyAck++
		case strings.Contains(payload, messages.Say(messages.FR, messages.PhraseChecking, "domain", c.domain)):
			accepted = append(accepted, c)
		default:
			t.Errorf("ack of %s says neither checking nor busy: %s", c.domain, payload)
		}
	}
	if len(sent) > 0 {
		t.Errorf("%d envelopes never acked", len(sent))
	}

	// Every accepted command is answered once: its report, or busy.
	h.waitFor("every accepted command's answer", func(v slacktest.View) bool { return len(v.Responses()) >= len(accepted) })
	byURL := map[string][]slacktest.Response{}
	for _, r := range h.slack.Responses() {
		byURL[r.ID] = append(byURL[r.ID], r)
	}
	var reports, busyLate int
	for _, c := range accepted {
		rs := byURL[slacktest.ResponseID(c.url)]
		if len(rs) != 1 {
			t.Errorf("%s answered %d times, want once", c.domain, len(rs))
			continue
		}
		switch got := blockTexts(t, rs[0].Blocks); {
		case strings.Contains(got, busy):
			busyLate++
		case strings.Contains(got, c.domain) && len(actionIDs(t, rs[0].Blocks)) > 0:
			reports++
		default:
			t.Errorf("%s answered with neither its report nor busy:\n%s", c.domain, got)
		}
	}
	if reports+busyAck+busyLate != n {
		t.Errorf("%d reports + %d busy acks + %d busy answers = %d, want %d commands", reports, busyAck, busyLate, reports+busyAck+busyLate, n)
	}
	if reports == 0 {
		t.Error("no command was answered with its report")
	}
	// A burst about a few domains runs one check a domain: the others
	// wait for it (or hit the cache) without taking a check slot.
	if runs := int(h.runs.n.Load()); runs > len(domains) {
		t.Errorf("%d checks run for %d distinct domains", runs, len(domains))
	}
	if busyAck+busyLate > 0 {
		t.Errorf("%d commands told busy, though only %d distinct domains were asked", busyAck+busyLate, len(domains))
	}
	for _, msg := range []string{"could not ack an envelope", "reply queue full, dropping an answer", "job panicked", "could not answer"} {
		if got := logLines(h.logs, msg); len(got) > 0 {
			t.Errorf("%d log lines %q", len(got), msg)
		}
	}
	t.Logf("%d commands: %d reports, %d busy at once, %d busy after waiting; %d checks run; ack p50 %s, p99 %s; heap: %s",
		n, reports, busyAck, busyLate, h.runs.n.Load(), pct(latencies, 50).Round(time.Millisecond), pct(latencies, 99).Round(time.Millisecond), heap())

	// Stop everything, forget what the fake recorded and the bot (its
	// caches), then wait for the goroutines and the heap to come back.
	if err := h.stop(); err != nil {
		t.Fatalf("Run returned %v", err)
	}
	h.slack.Close()
	h.slack.Reset()
	h.bot, h.runs = nil, nil
	if err := l.Close(); err != nil {
		t.Fatalf("closing the lab: %v", err)
	}
	l, engine = nil, nil
	t.Logf("logs kept for the cleanup's secret check: %d KiB", len(h.logs.String())>>10)
	checkNoLeak(t, baseG, baseHeap)
}

// settledGoroutines is the number of goroutines once those winding down
// from earlier tests are gone, or after a second.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 20 {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			break
		}
		n = m
	}
	return n
}

// heapStats are the heap figures of the leak check, after a GC.
type heapStats struct{ alloc, inuse uint64 }

func heap() heapStats {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return heapStats{ms.HeapAlloc, ms.HeapInuse}
}

func (h heapStats) String() string {
	return fmt.Sprintf("%.1f MiB live (HeapAlloc), %.1f MiB in use (HeapInuse)", float64(h.alloc)/(1<<20), float64(h.inuse)/(1<<20))
}

// checkNoLeak waits, 5 s at most, for the goroutines and the live heap
// to come back near their baseline, and fails with a goroutine dump if
// they do not.
func checkNoLeak(t *testing.T, baseG int, base heapStats) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, now := runtime.NumGoroutine(), heap()
		if g <= baseG+leakGoroutines && now.alloc <= base.alloc+leakHeap {
			t.Logf("after: %d goroutines (baseline %d); heap %s (baseline %s)", g, baseG, now, base)
			return
		}
		if time.Now().After(deadline) {
			var dump strings.Builder
			pprof.Lookup("goroutine").WriteTo(&dump, 1)
			t.Fatalf("leak: %d goroutines (baseline %d); heap %s (baseline %s)\n%s", g, baseG, now, base, dump.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
