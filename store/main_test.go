package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/internal/pgtest"
	"github.com/pcmhosting/mailsetup/store"
)

// cluster is the throwaway PostgreSQL of this test binary, nil when it
// could not start (pgSkip says why).
var (
	cluster *pgtest.Cluster
	pgSkip  string
)

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	c, err := pgtest.Start(ctx)
	cancel()
	switch {
	case errors.Is(err, pgtest.ErrUnavailable):
		pgSkip = err.Error()
	case err != nil:
		fmt.Fprintln(os.Stderr, "store tests: PostgreSQL cluster did not start:", err)
		os.Exit(1)
	default:
		cluster = c
	}
	code := m.Run()
	if cluster != nil {
		if err := cluster.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "store tests: stopping PostgreSQL:", err)
		}
	}
	os.Exit(code)
}

// clock is a settable clock for expiries.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 4, 14, 2, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// opener opens a store with a clock; every call of one opener opens the
// same database, so two calls are two replicas.
type opener func(t testing.TB, now func() time.Time) store.Store

// sqliteDB returns an opener of a new SQLite file.
func sqliteDB(t testing.TB) opener {
	path := filepath.Join(t.TempDir(), "state", "mailsetup.db")
	return func(t testing.TB, now func() time.Time) store.Store {
		s, err := store.OpenSQLite(context.Background(), path, store.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

// needPG skips without PostgreSQL and returns the URL of a new database.
func needPG(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Skip("PostgreSQL tests skipped: " + pgSkip)
	}
	url, err := cluster.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// postgresDB returns an opener of a new PostgreSQL database.
func postgresDB(t testing.TB) opener { return postgresAt(needPG(t)) }

// postgresAt returns an opener of the PostgreSQL database at url.
func postgresAt(url string) opener {
	return func(t testing.TB, now func() time.Time) store.Store {
		s, err := store.OpenPostgres(context.Background(), url, store.Options{Now: now})
		if err != nil {
			t.Fatalf("%v\n%s", err, cluster.Log())
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}
