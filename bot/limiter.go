package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxUsers bounds the users whose rate limiter or locale is kept: the
// bot runs for months.
const maxUsers = 10000

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
