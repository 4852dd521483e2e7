package history_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/internal/pgtest"
	"github.com/pcmhosting/mailsetup/store"
)

// failures counts the store operations a Recorder reports as failed.
type failures struct {
	mu  sync.Mutex
	ops []string
}

func (f *failures) add(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ops = append(f.ops, op)
}

func (f *failures) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.ops)
}

// TestRecorderSQLite: the first check remembers nothing, the second
// tells what changed; a closed store is "history unavailable", counted,
// and never a panic.
func TestRecorderSQLite(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{Path: filepath.Join(t.TempDir(), "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	var f failures
	rec := &history.Recorder{Store: s, OnError: f.add}
	if m := rec.Record(ctx, good().report(t0), store.SourceCLI, ""); m.Unavailable || len(m.Events) != 0 || m.Previous != nil {
		t.Errorf("first check: %+v; want nothing", m)
	}
	moved := good().with(func(w *world) { w.mx = []string{"client.com"} })
	m := rec.Record(ctx, moved.report(t0.Add(time.Hour)), store.SourceSlash, "U1")
	if len(m.Events) != 1 || m.Events[0].Kind != history.MXChanged || m.Events[0].Checks != 1 || m.Previous == nil {
		t.Errorf("second check: %+v; want the MX change", m)
	}
	if recs, err := rec.User(ctx, "U1", 10); err != nil || len(recs) != 1 || recs[0].Source != store.SourceSlash {
		t.Errorf("U1's checks: %v, %+v", err, recs)
	}
	s.Close()
	if m := rec.Record(ctx, good().report(t0.Add(2*time.Hour)), store.SourceCLI, ""); !m.Unavailable {
		t.Errorf("closed store: %+v; want unavailable", m)
	}
	if got := f.list(); !slices.Equal(got, []string{"read", "record"}) {
		t.Errorf("failures %v; want read and record", got)
	}
	if m := (&history.Recorder{Down: true}).Record(ctx, good().report(t0), store.SourceCLI, ""); !m.Unavailable {
		t.Error("a store that could not be opened is not said unavailable")
	}
	var none *history.Recorder
	if m := none.Record(ctx, good().report(t0), store.SourceCLI, ""); m.Unavailable || m.Events != nil {
		t.Error("no history says something")
	}
}

// TestRecorderPostgresDownAndBack: PostgreSQL stopped, checks are still
// recorded as unavailable (not hung, not panicking); started again,
// writes resume without a restart of the process.
func TestRecorderPostgresDownAndBack(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg, err := pgtest.Start(ctx)
	if errors.Is(err, pgtest.ErrUnavailable) {
		t.Skipf("PostgreSQL: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	url, err := pg.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var f failures
	rec := &history.Recorder{Store: s, OnError: f.add}
	rec.Record(ctx, good().report(t0), store.SourceCLI, "")
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	down := good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} })
	if m := rec.Record(ctx, down.report(t0.Add(time.Hour)), store.SourceCLI, ""); !m.Unavailable {
		t.Errorf("database down: %+v; want unavailable", m)
	}
	if len(f.list()) == 0 {
		t.Error("no failure reported while the database was down")
	}
	if err := pg.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	m := rec.Record(ctx, down.report(t0.Add(2*time.Hour)), store.SourceCLI, "")
	if m.Unavailable || len(m.Events) == 0 {
		t.Errorf("database back: %+v; want SMTP 465's change since the last check kept", m)
	}
	recs, err := rec.Domain(ctx, "client.com", 10)
	if err != nil || len(recs) != 2 {
		t.Errorf("after the outage: %d checks, %v; want 2 (the one during the outage is lost)", len(recs), err)
	}
}

// benchRecorder measures what a check costs the history: reading the
// domain's last checks, recording this one and telling what changed,
// for 1,000 domains each with history.
func benchRecorder(b *testing.B, s store.Store) {
	ctx := context.Background()
	rec := &history.Recorder{Store: s}
	reports := []*checks.Report{good().report(t0), good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} }).report(t0)}
	for i := range 3000 { // three checks of each domain already kept
		rep := reports[i%2]
		rep.Target.Domain = "client-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + ".fr"
		rec.Record(ctx, rep, store.SourceSchedule, "")
	}
	i := 0
	for b.Loop() {
		i++
		rep := *reports[i%2]
		rep.Target.Domain = "client-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + ".fr"
		rep.Started = t0.Add(time.Duration(i) * time.Second)
		if m := rec.Record(ctx, &rep, store.SourceSchedule, ""); m.Unavailable {
			b.Fatal("history unavailable")
		}
	}
}

func BenchmarkRecorder(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		s, err := store.Open(context.Background(), store.Options{Path: filepath.Join(b.TempDir(), "state.db")})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		benchRecorder(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		ctx := context.Background()
		pg, err := pgtest.Start(ctx)
		if errors.Is(err, pgtest.ErrUnavailable) {
			b.Skipf("PostgreSQL: %v", err)
		}
		if err != nil {
			b.Fatal(err)
		}
		defer pg.Close()
		url, err := pg.NewDatabase(ctx)
		if err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, store.Options{URL: url})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		benchRecorder(b, s)
	})
}
