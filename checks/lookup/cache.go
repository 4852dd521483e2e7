package lookup

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MaxCacheEntries bounds a Cache: past it, new questions go straight to
// the resolver.
const MaxCacheEntries = 4096

// Cache is a per-run memo in front of a Resolver: identical questions of
// one run (the SPF walk, the MX hosts, the host checks all ask for the
// same names) go out once, and callers asking a question already in
// flight share its answer. Answers are kept for the life of the Cache,
// whatever their TTL, so make one per run. Errors are not kept: they are
// shared only by the callers of the same flight.
//
// A caller whose ctx ends stops waiting at once; the flight itself is
// cancelled when no caller waits for it any more.
//
// Answers are shared: callers must not modify their Records.
type Cache struct {
	r Resolver

	mu       sync.Mutex
	answers  map[question]*Answer
	inflight map[question]*flight
}

type question struct {
	name  string
	qtype uint16
}

type flight struct {
	done    chan struct{}
	a       *Answer
	err     error
	waiters int
	cancel  context.CancelFunc
}

// NewCache returns an empty Cache in front of r.
func NewCache(r Resolver) *Cache {
	return &Cache{r: r, answers: make(map[question]*Answer), inflight: make(map[question]*flight)}
}

// Query implements Resolver.
func (c *Cache) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFailed, name, err)
	}
	q := question{Fqdn(name), qtype}
	c.mu.Lock()
	if a, ok := c.answers[q]; ok {
		c.mu.Unlock()
		return clone(a), nil
	}
	f, ok := c.inflight[q]
	if !ok {
		if len(c.answers) >= MaxCacheEntries {
			c.mu.Unlock()
			return c.r.Query(ctx, name, qtype)
		}
		// The flight outlives the caller that started it if others wait:
		// it keeps ctx's values, not its cancellation.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		c.inflight[q] = f
		go c.fly(fctx, q, f)
	}
	f.waiters++
	c.mu.Unlock()

	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return clone(f.a), nil
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			// Nobody waits: stop the flight, and let the next caller
			// start a fresh one rather than join a cancelled one.
			f.cancel()
			if c.inflight[q] == f {
				delete(c.inflight, q)
			}
		}
		c.mu.Unlock()
		return nil, fmt.Errorf("%w: %s: %w", ErrFailed, name, ctx.Err())
	}
}

func (c *Cache) fly(ctx context.Context, q question, f *flight) {
	defer f.cancel()
	a, err := c.r.Query(ctx, q.name, q.qtype)
	if a == nil && err == nil {
		err = fmt.Errorf("%w: %s: no answer", ErrFailed, q.name)
	}
	c.mu.Lock()
	f.a, f.err = a, err
	if c.inflight[q] == f {
		delete(c.inflight, q)
		if err == nil && len(c.answers) < MaxCacheEntries {
			c.answers[q] = a
		}
	}
	c.mu.Unlock()
	close(f.done)
}

// clone copies an Answer's slices so that callers sorting or appending
// do not disturb each other.
func clone(a *Answer) *Answer {
	c := *a
	c.CNAMEs = slices.Clone(a.CNAMEs)
	c.Records = slices.Clone(a.Records)
	return &c
}
