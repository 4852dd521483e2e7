package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotOpen is the error of a Reopening store whose database has not
// been opened yet (it was down when the process started, or is still).
var ErrNotOpen = errors.New("store: the database is not open yet")

// Reopening is a Store for a long-running process whose database may be
// down when it starts: every call first makes sure the database is open,
// trying open again at most once per Retry, and fails with ErrNotOpen
// (wrapping the last error) until it succeeds. Once open, calls go
// straight to the store, whose own pool reconnects after an outage. It
// lets the bot answer without history while the database is away and
// record again as soon as it is back, without a restart.
type Reopening struct {
	// Open opens the database.
	Open func(ctx context.Context) (Store, error)
	// Retry is the least time between two tries; 0 means 30 s.
	Retry time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnOpen, if set, is told when a try succeeds after failures.
	OnOpen func()

	// open is the store once opened: read without the lock, so calls on
	// an open store never wait for each other nor fail for it.
	open    atomic.Pointer[Store]
	mu      sync.Mutex
	s       Store
	tried   time.Time
	lastErr error
	closed  bool
}

func (r *Reopening) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// store returns the open store, opening it when it is time to try.
// Callers that find another one opening get ErrNotOpen at once rather
// than wait behind it.
func (r *Reopening) store(ctx context.Context) (Store, error) {
	if s := r.open.Load(); s != nil {
		return *s, nil
	}
	if !r.mu.TryLock() {
		return nil, ErrNotOpen
	}
	defer r.mu.Unlock()
	switch {
	case r.s != nil:
		return r.s, nil
	case r.closed:
		return nil, fmt.Errorf("%w: closed", ErrNotOpen)
	}
	retry := r.Retry
	if retry <= 0 {
		retry = 30 * time.Second
	}
	if !r.tried.IsZero() && r.now().Sub(r.tried) < retry {
		return nil, fmt.Errorf("%w: %w", ErrNotOpen, r.lastErr)
	}
	r.tried = r.now()
	s, err := r.Open(ctx)
	if err != nil {
		r.lastErr = err
		return nil, fmt.Errorf("%w: %w", ErrNotOpen, err)
	}
	r.s = s
	r.open.Store(&s)
	if r.lastErr != nil && r.OnOpen != nil {
		r.OnOpen()
	}
	return s, nil
}

// Record implements History.
func (r *Reopening) Record(ctx context.Context, rec Record) (int64, error) {
	s, err := r.store(ctx)
	if err != nil {
		return 0, err
	}
	return s.Record(ctx, rec)
}

// Checks implements History.
func (r *Reopening) Checks(ctx context.Context, q Query) ([]Record, error) {
	s, err := r.store(ctx)
	if err != nil {
		return nil, err
	}
	return s.Checks(ctx, q)
}

// Prune implements History.
func (r *Reopening) Prune(ctx context.Context, before time.Time) (int64, error) {
	s, err := r.store(ctx)
	if err != nil {
		return 0, err
	}
	return s.Prune(ctx, before)
}

// Claim implements Coordinator.
func (r *Reopening) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	s, err := r.store(ctx)
	if err != nil {
		return false, err
	}
	return s.Claim(ctx, key, ttl)
}

// Take implements Coordinator.
func (r *Reopening) Take(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	s, err := r.store(ctx)
	if err != nil {
		return false, 0, err
	}
	return s.Take(ctx, key, limit, window)
}

// Acquire implements Coordinator.
func (r *Reopening) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (string, bool, error) {
	s, err := r.store(ctx)
	if err != nil {
		return "", false, err
	}
	return s.Acquire(ctx, key, limit, ttl)
}

// Release implements Coordinator.
func (r *Reopening) Release(ctx context.Context, key, lease string) error {
	s, err := r.store(ctx)
	if err != nil {
		return err
	}
	return s.Release(ctx, key, lease)
}

// Close closes the store if it was opened; later calls fail.
func (r *Reopening) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.open.Store(nil)
	if r.s == nil {
		return nil
	}
	return r.s.Close()
}
