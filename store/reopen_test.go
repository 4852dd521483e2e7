package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestReopening: a database that cannot be opened at start (a file
// stands where its directory should be) fails every call with ErrNotOpen, tries
// again no more than once per Retry, and once it can be opened records
// and reads as a plain store: no restart needed.
func TestReopening(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "later")
	path := filepath.Join(dir, "state.db")
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	tries := 0
	reopened := false
	r := &Reopening{
		Open: func(ctx context.Context) (Store, error) {
			tries++
			return OpenSQLite(ctx, path, Options{})
		},
		Retry:  time.Minute,
		Now:    func() time.Time { return now },
		OnOpen: func() { reopened = true },
	}
	defer r.Close()
	ctx := context.Background()
	rec := Record{Domain: "client.com", At: now, Source: SourceCLI}

	if _, err := r.Record(ctx, rec); !errors.Is(err, ErrNotOpen) {
		t.Fatalf("Record with the database away: %v, want ErrNotOpen", err)
	}
	if _, _, err := r.Take(ctx, "u", 10, time.Minute); !errors.Is(err, ErrNotOpen) {
		t.Fatalf("Take with the database away: %v, want ErrNotOpen", err)
	}
	if tries != 1 {
		t.Errorf("%d tries within Retry, want 1", tries)
	}

	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Record(ctx, rec); !errors.Is(err, ErrNotOpen) {
		t.Errorf("Record before Retry has passed: %v, want ErrNotOpen (no new try yet)", err)
	}
	now = now.Add(time.Minute)
	if _, err := r.Record(ctx, rec); err != nil {
		t.Fatalf("Record once the database can be opened: %v", err)
	}
	if !reopened || tries != 2 {
		t.Errorf("reopened=%v after %d tries, want true after 2", reopened, tries)
	}
	got, err := r.Checks(ctx, Query{Domain: "client.com"})
	if err != nil || len(got) != 1 {
		t.Errorf("Checks = %d records, %v; want the one recorded", len(got), err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Checks(ctx, Query{Domain: "client.com"}); err == nil {
		t.Error("Checks after Close succeeded")
	}
}

// TestReopeningConcurrent: once open, calls made at the same time all go
// to the store; none is told the database is not open.
func TestReopeningConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	r := &Reopening{Open: func(ctx context.Context) (Store, error) { return OpenSQLite(ctx, path, Options{}) }}
	defer r.Close()
	ctx := context.Background()
	if _, err := r.Checks(ctx, Query{Domain: "client.com"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Go(func() {
			if _, err := r.Checks(ctx, Query{Domain: "client.com"}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a concurrent call on the open store: %v", err)
	}
}
