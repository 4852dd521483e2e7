package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/lab"
)

// batchDomains is the size of BenchmarkBatch10k's list.
const batchDomains = 10000

// sampleEvery is how many reports pass between two heap samples.
const sampleEvery = 500

// domainList yields n lines cycling through names, made as they are
// read: the list itself takes no memory to speak of.
type domainList struct {
	names []string
	n, i  int
	buf   []byte
}

func (l *domainList) Read(p []byte) (int, error) {
	for len(l.buf) < len(p) && l.i < l.n {
		l.buf = append(l.buf, l.names[l.i%len(l.names)]...)
		l.buf = append(l.buf, '\n')
		l.i++
	}
	if len(l.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

// heapSampler is the batch's output: it counts the reports written
// (one line each) and, every sampleEvery of them, records the heap in
// use. Nothing written is kept.
type heapSampler struct {
	mu      sync.Mutex
	lines   int
	samples []uint64 // HeapInuse, bytes
	bytes   int64
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bytes += int64(len(p))
	for _, b := range p {
		if b != '\n' {
			continue
		}
		h.lines++
		if h.lines%sampleEvery == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			h.samples = append(h.samples, ms.HeapInuse)
		}
	}
	return len(p), nil
}

// BenchmarkBatch10k checks 10,000 lab domains through the --file
// machinery (16 at a time, JSON lines out), cycling through the lab's
// scenarios but the tarpit, and samples the heap every 500 reports. It
// reports the throughput and the heap: peak, and the growth from the
// first quarter of the run to the last, which stays near zero when
// reports are streamed and would be hundreds of MB if they were kept.
// It fails when the last quarter's peak exceeds the first quarter's by
// more than 50% and 32 MB: memory that grows with the list.
//
//	go test ./cmd/mailsetup -run '^$' -bench BenchmarkBatch10k -benchtime 1x
func BenchmarkBatch10k(b *testing.B) {
	l := startLab(b)
	c, _ := defaults(env())
	c.allowPrivate, c.timeout, c.format, c.parallel = true, 2*time.Second, "json", 16
	a, err := build(c, io.Discard, buildOptions{resolver: lookup.NewClient(l.DNSAddr, c.timeout), roots: l.RootCAs})
	if err != nil {
		b.Fatal(err)
	}
	profiles := map[string]*checks.Profile{}
	var names []string
	for _, s := range l.Scenarios() {
		if !benchable(s) {
			continue
		}
		p := s.Profile
		profiles[s.Domain] = &p
		names = append(names, s.Domain)
	}
	profileFor := func(t checks.Target) *checks.Profile { return profiles[t.Domain] }
	// Warm up (certificates, caches, goroutine stacks) before the baseline.
	if _, err := checkStream(context.Background(), a, profileFor, &domainList{names: names, n: len(names)}, io.Discard); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		out := &heapSampler{}
		sum, err := checkStream(context.Background(), a, profileFor, &domainList{names: names, n: batchDomains}, out)
		if err != nil || sum.total != batchDomains || out.lines != batchDomains {
			b.Fatalf("%v: %d domains read, %d reports written, want %d", err, sum.total, out.lines, batchDomains)
		}
		if sum.errored > 0 || sum.invalid > 0 {
			b.Errorf("%d domains could not be checked, %d invalid: the lab should answer every one", sum.errored, sum.invalid)
		}
		q := len(out.samples) / 4
		first, last := peak(out.samples[:q]), peak(out.samples[len(out.samples)-q:])
		mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
		b.ReportMetric(float64(sum.total)/sum.elapsed.Seconds(), "domains/s")
		b.ReportMetric(mb(base.HeapInuse), "base-heap-MB")
		b.ReportMetric(mb(peak(out.samples)), "peak-heap-MB")
		b.ReportMetric(mb(last)-mb(first), "heap-growth-MB")
		b.ReportMetric(float64(out.bytes)/(1<<20), "output-MB")
		b.Logf("%d domains in %s: %d pass, %d warn, %d fail; heap in use every %d reports (MB): %s",
			sum.total, sum.elapsed.Round(time.Millisecond), sum.pass, sum.warn, sum.fail, sampleEvery, formatMB(out.samples))
		if last > first+first/2 && last-first > 32<<20 {
			b.Errorf("heap grows with the list: %.1f MB in the first quarter, %.1f MB in the last", mb(first), mb(last))
		}
	}
}

// benchable reports whether a lab scenario belongs in a batch benchmark:
// not the tarpit, which costs one timeout by design, nor a scenario that
// ends in "could not tell" by design (spfdnsfail).
func benchable(s lab.Scenario) bool {
	if s.Name == "tarpit" {
		return false
	}
	for _, e := range s.Expect {
		if e.Status == checks.StatusError {
			return false
		}
	}
	return true
}

func peak(s []uint64) uint64 {
	var m uint64
	for _, v := range s {
		m = max(m, v)
	}
	return m
}

func formatMB(s []uint64) string {
	var b strings.Builder
	for i, v := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.0f", float64(v)/(1<<20))
	}
	return b.String()
}

// TestHeapSamplerAndList: the benchmark's instruments count right.
func TestHeapSamplerAndList(t *testing.T) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, &domainList{names: []string{"a.test", "b.test"}, n: 5}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "a.test\nb.test\na.test\nb.test\na.test\n" {
		t.Errorf("list = %q", got)
	}
	h := &heapSampler{}
	for range 2*sampleEvery + 1 {
		io.WriteString(h, "{}\n")
	}
	if h.lines != 2*sampleEvery+1 || len(h.samples) != 2 || h.samples[0] == 0 {
		t.Errorf("%d lines, samples %v", h.lines, h.samples)
	}
}
