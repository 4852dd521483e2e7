package bot

import (
	"sync"
	"time"

	"github.com/pcmhosting/mailsetup/messages"
)

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
