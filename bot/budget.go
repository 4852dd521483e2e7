package bot

import (
	"sync"
	"time"
)

// maxURLs bounds the response URLs whose budget is tracked.
const maxURLs = 4096

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
