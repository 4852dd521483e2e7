package bot

import "sync"

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
