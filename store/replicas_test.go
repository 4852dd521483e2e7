package store_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/store"
)

// testReplicas runs two instances on one database, as two replicas do.
func testReplicas(t *testing.T, open opener) {
	ctx := context.Background()
	clk := newClock()
	replicas := []store.Store{open(t, clk.Now), open(t, clk.Now)}

	// concurrently calls fn n times, alternating replicas, and counts
	// the calls that returned true.
	concurrently := func(n int, fn func(s store.Store) (bool, error)) int {
		var wins atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				ok, err := fn(replicas[i%2])
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		return int(wins.Load())
	}

	if n := concurrently(16, func(s store.Store) (bool, error) { return s.Claim(ctx, "envelope:E1", time.Minute) }); n != 1 {
		t.Errorf("a retried envelope was claimed %d times across replicas; want once", n)
	}
	if n := concurrently(25, func(s store.Store) (bool, error) {
		ok, _, err := s.Take(ctx, "user:U1", 10, time.Minute)
		return ok, err
	}); n != 10 {
		t.Errorf("%d checks of one user allowed across replicas; want 10", n)
	}
	if n := concurrently(10, func(s store.Store) (bool, error) {
		_, ok, err := s.Acquire(ctx, "inflight", 3, time.Minute)
		return ok, err
	}); n != 3 {
		t.Errorf("%d in-flight slots taken across replicas; want 3", n)
	}
	if _, err := replicas[0].Record(ctx, store.Record{Domain: "client.com", At: clk.Now(), Source: store.SourceSlash, UserID: "U1", Snapshot: sample(1)}); err != nil {
		t.Fatal(err)
	}
	got, err := replicas[1].Checks(ctx, store.Query{UserID: "U1"})
	if err != nil || len(got) != 1 || got[0].Domain != "client.com" {
		t.Fatalf("the other replica read %v, %v; want the check of client.com", got, err)
	}
}

func TestSQLiteReplicas(t *testing.T)   { testReplicas(t, sqliteDB(t)) }
func TestPostgresReplicas(t *testing.T) { testReplicas(t, postgresDB(t)) }

// testConcurrentOpen opens one new database from four instances at once:
// each finds it migrated exactly once.
func testConcurrentOpen(t *testing.T, open opener) {
	var wg sync.WaitGroup
	stores := make([]store.Store, 4)
	for i := range stores {
		wg.Go(func() { stores[i] = open(t, nil) })
	}
	wg.Wait()
	for i, s := range stores {
		if _, err := s.Record(context.Background(), store.Record{Domain: "client.com", Snapshot: sample(i)}); err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	got, err := stores[0].Checks(context.Background(), store.Query{Domain: "client.com"})
	if err != nil || len(got) != len(stores) {
		t.Fatalf("%d checks, %v; want %d", len(got), err, len(stores))
	}
}

func TestSQLiteConcurrentOpen(t *testing.T)   { testConcurrentOpen(t, sqliteDB(t)) }
func TestPostgresConcurrentOpen(t *testing.T) { testConcurrentOpen(t, postgresDB(t)) }

// testClosed calls every method of a closed store: errors, no panic.
func testClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	errs := map[string]error{}
	_, errs["Record"] = s.Record(ctx, store.Record{Domain: "client.com", Snapshot: sample(1)})
	_, errs["Checks"] = s.Checks(ctx, store.Query{Domain: "client.com"})
	_, errs["Prune"] = s.Prune(ctx, time.Now())
	_, errs["Claim"] = s.Claim(ctx, "k", time.Minute)
	_, _, errs["Take"] = s.Take(ctx, "k", 1, time.Minute)
	_, _, errs["Acquire"] = s.Acquire(ctx, "k", 1, time.Minute)
	errs["Release"] = s.Release(ctx, "k", "lease")
	for name, err := range errs {
		if err == nil || !strings.HasPrefix(err.Error(), "store: ") {
			t.Errorf("%s on a closed store: %v; want a wrapped error", name, err)
		}
	}
}

func TestSQLiteClosed(t *testing.T)   { testClosed(t, sqliteDB(t)(t, nil)) }
func TestPostgresClosed(t *testing.T) { testClosed(t, postgresDB(t)(t, nil)) }

func TestSQLiteUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.OpenSQLite(context.Background(), filepath.Join(file, "state.db"), store.Options{}); err == nil {
		t.Fatal("a store was opened under a regular file")
	}
}

func TestSQLiteOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%20d", "state.db")
	s, err := store.Open(context.Background(), store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Record(context.Background(), store.Record{Domain: "client.com", Snapshot: sample(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the store is not where it was asked: %v", err)
	}
}

func TestOpenWithoutTarget(t *testing.T) {
	if _, err := store.Open(context.Background(), store.Options{}); err == nil {
		t.Fatal("Open without a path or URL succeeded")
	}
}

func TestPostgresUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	_, err = store.Open(context.Background(), store.Options{URL: "postgres://u:secret@" + addr + "/db?sslmode=disable"})
	if err == nil {
		t.Fatal("opened a store on a closed port")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if _, err := store.Open(context.Background(), store.Options{URL: "postgres://u:secret@%zz/"}); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a bad URL: %v", err)
	}
}

// TestPostgresRestart stops the database under an open store: calls fail
// with errors, and work again once it is back, on the same store.
func TestPostgresRestart(t *testing.T) {
	s := postgresDB(t)(t, nil)
	ctx := context.Background()
	rec := store.Record{Domain: "client.com", Source: store.SourceSchedule, Snapshot: sample(1)}
	if _, err := s.Record(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	restarted := false
	defer func() {
		if !restarted {
			cluster.Restart(ctx)
		}
	}()
	down, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := s.Record(down, rec); err == nil {
		t.Error("Record succeeded with the database down")
	}
	if _, _, err := s.Take(down, "user:U1", 10, time.Minute); err == nil {
		t.Error("Take succeeded with the database down")
	}
	if err := cluster.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	restarted = true
	if _, err := s.Record(ctx, rec); err != nil {
		t.Fatalf("Record after the database came back: %v", err)
	}
	got, err := s.Checks(ctx, store.Query{Domain: "client.com"})
	if err != nil || len(got) != 2 {
		t.Fatalf("after the restart: %d checks, %v; want 2", len(got), err)
	}
}

// pruneSpy passes prunes through and reports each cut.
type pruneSpy struct {
	store.Store
	cuts chan time.Time
}

func (p pruneSpy) Prune(ctx context.Context, before time.Time) (int64, error) {
	n, err := p.Store.Prune(ctx, before)
	p.cuts <- before
	return n, err
}

func TestPruneEvery(t *testing.T) {
	clk := newClock()
	s := sqliteDB(t)(t, clk.Now)
	ctx, cancel := context.WithCancel(context.Background())
	old := store.Record{Domain: "client.com", At: clk.Now().Add(-100 * 24 * time.Hour), Snapshot: sample(1)}
	if _, err := s.Record(ctx, old); err != nil {
		t.Fatal(err)
	}
	spy := pruneSpy{Store: s, cuts: make(chan time.Time, 1)}
	done := make(chan struct{})
	go func() {
		store.PruneEvery(ctx, spy, 0, time.Hour, clk.Now, nil)
		close(done)
	}()
	if cut := <-spy.cuts; !cut.Equal(clk.Now().Add(-store.DefaultRetention)) {
		t.Errorf("pruned before %v; want the default retention", cut)
	}
	cancel()
	<-done
	if got, err := s.Checks(context.Background(), store.Query{Domain: "client.com"}); err != nil || len(got) != 0 {
		t.Errorf("after pruning, %d checks, %v", len(got), err)
	}
}
