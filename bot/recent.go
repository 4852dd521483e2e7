package bot

import (
	"sync"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// The App Home's memory is bounded: the bot runs for months.
const (
	maxRecent = 10   // recent checks kept per user
	maxHomes  = 1000 // users whose recent checks are kept
)

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
