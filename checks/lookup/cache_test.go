package lookup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

// TestCacheSharesQuestions: 20 concurrent identical questions, then 20
// more, reach the server once.
func TestCacheSharesQuestions(t *testing.T) {
	z := newZone(t, true, "mail.example.test. 300 IN A 192.0.2.10")
	ts := startServer(t, z)
	c := NewCache(newClient(ts))
	for round := range 2 {
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				a, err := c.Query(t.Context(), "MAIL.example.test", dns.TypeA)
				if err == nil && len(a.Records) != 1 {
					err = fmt.Errorf("got %d records", len(a.Records))
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
	}
	if got := ts.UDP.Load() + ts.TCP.Load(); got != 1 {
		t.Errorf("server got %d queries, want 1", got)
	}
	if _, err := c.Query(t.Context(), "mail.example.test", dns.TypeAAAA); err != nil {
		t.Fatal(err)
	}
	if got := ts.UDP.Load() + ts.TCP.Load(); got != 2 {
		t.Errorf("another type: server got %d queries in all, want 2", got)
	}
}

// TestCacheCallersOwnAnswers: a caller changing its answer does not
// change another's.
func TestCacheCallersOwnAnswers(t *testing.T) {
	c := NewCache(&Fake{A: map[string][]string{"a.test": {"192.0.2.1", "192.0.2.2"}}})
	a1, err := c.Query(t.Context(), "a.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	a1.Records[0] = nil
	a1.Records = append(a1.Records, nil)
	a2, err := c.Query(t.Context(), "a.test", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.test.\t300\tIN\tA\t192.0.2.1", "a.test.\t300\tIN\tA\t192.0.2.2"}, rrStrings(a2.Records)); diff != "" {
		t.Errorf("second answer (-want +got):\n%s", diff)
	}
}

// TestCacheErrorsNotKept: a failure is shared by its flight only; the
// next question goes out again.
func TestCacheErrorsNotKept(t *testing.T) {
	f := &Fake{Fail: map[string]bool{"bad.test": true}}
	cnt := &counter{r: f}
	c := NewCache(cnt)
	for i := range 2 {
		if _, err := c.Query(t.Context(), "bad.test", dns.TypeMX); !errors.Is(err, ErrFailed) {
			t.Fatalf("query %d: error %v, want ErrFailed", i, err)
		}
	}
	if got := cnt.calls.Load(); got != 2 {
		t.Errorf("resolver asked %d times, want 2", got)
	}
}

// TestCacheWaiterCancelled: a caller whose ctx ends stops waiting; the
// flight goes on for the others.
func TestCacheWaiterCancelled(t *testing.T) {
	b := newBlocker()
	t.Cleanup(b.Release)
	c := NewCache(b)
	first := make(chan error, 1)
	go func() {
		_, err := c.Query(t.Context(), "slow.test", dns.TypeA)
		first <- err
	}()
	<-b.entered // the flight is registered and under way

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Query(ctx, "slow.test", dns.TypeA); !errors.Is(err, ErrFailed) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: error %v, want ErrFailed and context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	second := make(chan error, 1)
	go func() {
		_, err := c.Query(ctx, "slow.test", dns.TypeA)
		second <- err
	}()
	cancel()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Fatalf("caller cancelled while waiting: error %v, want context.Canceled", err)
	}

	b.Release()
	if err := <-first; err != nil {
		t.Fatalf("first caller: %v", err)
	}
	if got := b.calls.Load(); got != 1 {
		t.Errorf("resolver asked %d times, want 1", got)
	}
}

// TestCacheFlightCancelled: when every caller has gone, the flight's ctx
// is cancelled, and the next caller starts a fresh one.
func TestCacheFlightCancelled(t *testing.T) {
	b := newBlocker()
	t.Cleanup(b.Release)
	c := NewCache(b)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.Query(ctx, "slow.test", dns.TypeA)
		done <- err
	}()
	<-b.entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if err := <-b.ctxErrs; !errors.Is(err, context.Canceled) {
		t.Errorf("flight ended by %v, want context.Canceled", err)
	}
	b.Release()
	if _, err := c.Query(t.Context(), "slow.test", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	if got := b.calls.Load(); got != 2 {
		t.Errorf("resolver asked %d times, want 2", got)
	}
}

// TestCacheBounded: past MaxCacheEntries answers, questions pass through.
func TestCacheBounded(t *testing.T) {
	cnt := &counter{r: &Fake{}}
	c := NewCache(cnt)
	for i := range MaxCacheEntries {
		if _, err := c.Query(t.Context(), fmt.Sprintf("n%d.test", i), dns.TypeA); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if _, err := c.Query(t.Context(), "n0.test", dns.TypeA); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Query(t.Context(), "over.test", dns.TypeA); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := cnt.calls.Load(), int64(MaxCacheEntries+2); got != want {
		t.Errorf("resolver asked %d times, want %d (n0 kept, over passed through twice)", got, want)
	}
	if n := len(c.answers); n != MaxCacheEntries {
		t.Errorf("%d answers kept, want %d", n, MaxCacheEntries)
	}
}
