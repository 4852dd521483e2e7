package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/pcmhosting/mailsetup/checks"
)

// maxReports bounds the cached reports, one per domain.
const maxReports = 2048

// reportCache keeps the latest report per domain: fresh ones (younger
// than ttl) answer new commands, the latest is what a re-run compares
// with. Concurrent checks of one domain run once (singleflight).
type reportCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     func() time.Time
	entries map[string]cached
	group   singleflight.Group
}

type cached struct {
	rep *checks.Report
	at  time.Time
}

func newReportCache(ttl time.Duration, now func() time.Time) *reportCache {
	return &reportCache{ttl: ttl, now: now, entries: map[string]cached{}}
}

func cacheKey(t checks.Target) string { return t.Domain + "|" + t.Host }

// latest returns the last report of the target's domain, however old.
func (c *reportCache) latest(t checks.Target) (*checks.Report, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[cacheKey(t)]
	return e.rep, ok
}

// fresh reports whether a report of t younger than the TTL is cached, so
// a request for it needs no check and no room in the check pool.
func (c *reportCache) fresh(t checks.Target) bool {
	if c.ttl <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[cacheKey(t)]
	return ok && c.now().Sub(e.at) < c.ttl
}

// get returns a fresh report: a cached one younger than the TTL unless
// fresh is set, or a new run of check. The report's Target is t's, so an
// address given in the command shows in the settings.
func (c *reportCache) get(ctx context.Context, t checks.Target, fresh bool, check func(context.Context, checks.Target) *checks.Report) (*checks.Report, bool) {
	key := cacheKey(t)
	if !fresh && c.ttl > 0 {
		c.mu.Lock()
		e, ok := c.entries[key]
		c.mu.Unlock()
		if ok && c.now().Sub(e.at) < c.ttl {
			return retarget(e.rep, t), true
		}
	}
	sfKey := key
	if fresh {
		sfKey = "fresh|" + key // a re-run does not join a run started before the click
	}
	v, _, _ := c.group.Do(sfKey, func() (any, error) {
		rep := check(ctx, t)
		c.put(key, rep)
		return rep, nil
	})
	return retarget(v.(*checks.Report), t), false
}

func (c *reportCache) put(key string, rep *checks.Report) {
	if rep == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= maxReports {
		var oldest string
		var at time.Time
		for k, e := range c.entries {
			if oldest == "" || e.at.Before(at) {
				oldest, at = k, e.at
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[key] = cached{rep: rep, at: c.now()}
}

// retarget returns rep for target t (same domain, maybe another address).
func retarget(rep *checks.Report, t checks.Target) *checks.Report {
	if rep == nil || rep.Target == t {
		return rep
	}
	r := *rep
	r.Target = t
	return &r
}
