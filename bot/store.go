package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// Every store here is bounded: the bot runs for months.
const (
	maxUsers   = 10000 // rate limiters, locales
	maxReports = 2048  // cached reports, one per domain
	maxRecent  = 10    // recent checks kept per user for the App Home
	maxHomes   = 1000  // users whose recent checks are kept
	maxURLs    = 4096  // response URLs whose budget is tracked
)

// limiter is the per-user rate limit of checks (a token bucket per user).
type limiter struct {
	mu     sync.Mutex
	every  time.Duration
	burst  int
	off    bool
	now    func() time.Time
	byUser map[string]*rate.Limiter
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	l := &limiter{now: now, byUser: map[string]*rate.Limiter{}}
	if perMinute < 0 {
		l.off = true
		return l
	}
	l.every = time.Minute / time.Duration(perMinute)
	l.burst = perMinute
	return l
}

// allow takes one check from user's bucket; when it is empty it says how
// long until the next one.
func (l *limiter) allow(user string) (bool, time.Duration) {
	if l.off {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.byUser[user]
	if !ok {
		if len(l.byUser) >= maxUsers {
			// Forget the users whose bucket is full again: they are
			// indistinguishable from new ones.
			for u, x := range l.byUser {
				if x.TokensAt(now) >= float64(l.burst) {
					delete(l.byUser, u)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.byUser[user] = lim
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

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

// recentStore keeps each user's latest checks for the App Home.
type recentStore struct {
	mu     sync.Mutex
	byUser map[string][]recentCheck
	seen   map[string]time.Time
}

type recentCheck struct {
	Domain string
	Status checks.Status
	At     time.Time
}

func newRecentStore() *recentStore {
	return &recentStore{byUser: map[string][]recentCheck{}, seen: map[string]time.Time{}}
}

func (s *recentStore) add(user string, c recentCheck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byUser[user]; !ok && len(s.byUser) >= maxHomes {
		var oldest string
		var at time.Time
		for u, t := range s.seen {
			if oldest == "" || t.Before(at) {
				oldest, at = u, t
			}
		}
		delete(s.byUser, oldest)
		delete(s.seen, oldest)
	}
	list := append([]recentCheck{c}, s.byUser[user]...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	s.byUser[user] = list
	s.seen[user] = c.At
}

func (s *recentStore) list(user string) []recentCheck {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recentCheck(nil), s.byUser[user]...)
}

// seenSet remembers the latest event ids, to drop Events API
// redeliveries; the oldest id is forgotten first.
type seenSet struct {
	mu   sync.Mutex
	ids  map[string]struct{}
	ring []string
	next int
}

func newSeenSet(n int) *seenSet {
	return &seenSet{ids: make(map[string]struct{}, n), ring: make([]string, n)}
}

// add records id and reports whether it was already there.
func (s *seenSet) add(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return true
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.ids, old)
	}
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.ids[id] = struct{}{}
	return false
}

// localeCache remembers each user's language for an hour, so a command
// costs one users.info call now and then, not every time.
type localeCache struct {
	mu     sync.Mutex
	now    func() time.Time
	byUser map[string]cachedLang
}

type cachedLang struct {
	lang messages.Lang
	at   time.Time
}

const localeTTL = time.Hour

func newLocaleCache(now func() time.Time) *localeCache {
	return &localeCache{now: now, byUser: map[string]cachedLang{}}
}

func (c *localeCache) get(user string) (messages.Lang, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byUser[user]
	if !ok || c.now().Sub(e.at) > localeTTL {
		return "", false
	}
	return e.lang, true
}

func (c *localeCache) put(user string, lang messages.Lang) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byUser) >= maxUsers {
		now := c.now()
		for u, e := range c.byUser {
			if now.Sub(e.at) > localeTTL {
				delete(c.byUser, u)
			}
		}
		if len(c.byUser) >= maxUsers {
			clear(c.byUser)
		}
	}
	c.byUser[user] = cachedLang{lang: lang, at: c.now()}
}

// budget counts the posts to each response_url: Slack accepts 5 within
// 30 minutes of the command, after which answers go through
// chat.postEphemeral.
type budget struct {
	mu    sync.Mutex
	now   func() time.Time
	byURL map[string]*spent
}

type spent struct {
	n     int
	first time.Time
}

const (
	responseURLPosts = 5
	responseURLLife  = 30 * time.Minute
)

func newBudget(now func() time.Time) *budget {
	return &budget{now: now, byURL: map[string]*spent{}}
}

// take reports whether one more post to url is allowed, and counts it.
func (b *budget) take(url string) bool {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.byURL[url]
	if !ok {
		if len(b.byURL) >= maxURLs {
			for u, x := range b.byURL {
				if now.Sub(x.first) > responseURLLife {
					delete(b.byURL, u)
				}
			}
			if len(b.byURL) >= maxURLs {
				clear(b.byURL) // worst case: a fallback fails and is retried
			}
		}
		s = &spent{first: now}
		b.byURL[url] = s
	}
	if now.Sub(s.first) > responseURLLife || s.n >= responseURLPosts {
		return false
	}
	s.n++
	return true
}

// spend marks url as spent (Slack refused it: expired or used up).
func (b *budget) spend(url string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.byURL[url]; ok {
		s.n = responseURLPosts
	}
}

// maxFollowers bounds the requests waiting for one domain's check.
const maxFollowers = 256

// waiting holds, per domain, the requests that wait for a check of that
// domain already queued or running, so a burst about one outage runs one
// check and takes one slot of the check pool.
type waiting struct {
	mu sync.Mutex
	m  map[string][]*request
}

// lead records that a check of key is queued; requests may follow it.
func (w *waiting) lead(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[string][]*request{}
	}
	w.m[key] = []*request{}
}

// follow adds r to the waiters of key's check, if one is queued and the
// list has room.
func (w *waiting) follow(key string, r *request) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	list, ok := w.m[key]
	if !ok || len(list) >= maxFollowers {
		return false
	}
	w.m[key] = append(list, r)
	return true
}

// take ends key's check and returns its waiters.
func (w *waiting) take(key string) []*request {
	w.mu.Lock()
	defer w.mu.Unlock()
	list := w.m[key]
	delete(w.m, key)
	return list
}
