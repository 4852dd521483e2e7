package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// job is one unit of work for a pool: a check and its answer, or a
// quick reply.
type job struct {
	name     string // for logs: "check", "rerun", "help"…
	key      string // whose share it counts against: "u:U123", "c:C123"
	enqueued time.Time
	// run does the work.
	run func(ctx context.Context)
	// busy tells the user the bot is busy; called instead of run when
	// the job waited longer than the pool's wait.
	busy func(ctx context.Context)
	// failed tells the user the work failed; called after run panicked.
	failed func(ctx context.Context)
}

// pool runs jobs on a fixed number of workers, sharing them fairly
// between keys (users, or channels for "status"): a key has at most
// perKey jobs running at once, at most keyQueue waiting, and a free
// worker takes the next job of the key with the fewest jobs running,
// keys served in turn. So one user's ten slow checks hold two workers,
// not all of them, and another user's check starts at the next free
// worker, ahead of the first user's third.
//
// Only the event loop submits, so "is there room?" followed by a put
// never fails: workers only ever make room.
type pool struct {
	name     string
	workers  int
	perKey   int // 0: no cap
	keyQueue int // 0: no bound but the total
	total    int
	wait     time.Duration
	now      func() time.Time
	log      *slog.Logger
	wg       sync.WaitGroup

	mu      sync.Mutex
	cond    *sync.Cond
	queues  map[string][]*job
	order   []string // keys with queued jobs, the next served first
	running map[string]int
	queued  int
	active  int
	closed  bool
	// slots holds a job's share across replicas while it runs; the
	// in-process cap above is the only one when it is nil.
	slots inflight
	// started is told each job as a worker takes it, for tests.
	started func(*job)
}

// poolConfig is the shape of a pool.
type poolConfig struct {
	name     string
	workers  int
	perKey   int
	keyQueue int
	total    int
	wait     time.Duration
}

func newPool(c poolConfig, now func() time.Time, log *slog.Logger) *pool {
	p := &pool{name: c.name, workers: c.workers, perKey: c.perKey, keyQueue: c.keyQueue, total: c.total, wait: c.wait,
		now: now, log: log, queues: map[string][]*job{}, running: map[string]int{}}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *pool) start(ctx context.Context) {
	for range p.workers {
		p.wg.Go(func() { p.work(ctx) })
	}
}

// work is one worker: it takes the next fair job until the pool is
// closed and drained.
func (p *pool) work(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		j := p.next()
		if j == nil {
			if p.closed && p.queued == 0 {
				return
			}
			p.cond.Wait()
			continue
		}
		p.running[j.key]++
		p.active++
		if p.started != nil {
			p.started(j)
		}
		p.mu.Unlock()
		p.do(ctx, j)
		p.mu.Lock()
		p.active--
		if p.running[j.key]--; p.running[j.key] == 0 {
			delete(p.running, j.key)
		}
		p.cond.Broadcast() // a key under its cap again may have work
	}
}

// next removes and returns the job to run now, or nil: among the keys
// under their cap, the one with the fewest jobs running, the earliest
// in turn on a tie. The key served goes to the back of the turn. Called
// with mu held.
func (p *pool) next() *job {
	best := -1
	for i, k := range p.order {
		n := p.running[k]
		if p.perKey > 0 && n >= p.perKey {
			continue
		}
		if best < 0 || n < p.running[p.order[best]] {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	k := p.order[best]
	q := p.queues[k]
	j := q[0]
	q[0] = nil
	p.queued--
	p.order = append(p.order[:best], p.order[best+1:]...)
	if len(q) == 1 {
		delete(p.queues, k)
	} else {
		p.queues[k] = q[1:]
		p.order = append(p.order, k)
	}
	return j
}

// room reports whether a job of key would be taken: the key's queue
// and the pool's are not full.
func (p *pool) room(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.roomLocked(key)
}

func (p *pool) roomLocked(key string) bool {
	if p.closed || p.queued >= p.total {
		return false
	}
	// A job of a key under its cap starts as soon as a worker is free:
	// the key's queue holds keyQueue jobs beyond those.
	return p.keyQueue <= 0 || len(p.queues[key])+p.running[key] < p.perKey+p.keyQueue
}

// full reports whether every worker is busy and the queue is full.
func (p *pool) full() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queued >= p.total && p.active >= p.workers
}

// pending is the number of jobs running or waiting.
func (p *pool) pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queued + p.active
}

// put queues a job; it reports false when its key's queue or the pool's
// is full.
func (p *pool) put(j *job) bool {
	j.enqueued = p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.roomLocked(j.key) {
		return false
	}
	if _, ok := p.queues[j.key]; !ok {
		p.order = append(p.order, j.key)
	}
	p.queues[j.key] = append(p.queues[j.key], j)
	p.queued++
	p.cond.Signal()
	return true
}

// close stops taking jobs and waits for the queued and running ones.
func (p *pool) close() {
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}

// do runs one job, recovering a panic so a bug costs one answer, not the
// bot.
func (p *pool) do(ctx context.Context, j *job) {
	if p.now().Sub(j.enqueued) > p.wait && j.busy != nil {
		p.log.Warn("job waited too long, answering busy", "pool", p.name, "job", j.name)
		p.safe(ctx, j.name+".busy", j.busy)
		return
	}
	release, ok := func() {}, true
	if p.slots != nil {
		release, ok = p.slots.acquire(ctx, j.key, p.perKey, j.enqueued.Add(p.wait))
	}
	if !ok && j.busy != nil {
		p.log.Warn("the key's checks are all running on other replicas, answering busy", "pool", p.name, "job", j.name)
		p.safe(ctx, j.name+".busy", j.busy)
		return
	}
	defer release()
	if !p.safe(ctx, j.name, j.run) && j.failed != nil {
		p.safe(ctx, j.name+".failed", j.failed)
	}
}

// safe calls f and reports whether it returned without panicking.
func (p *pool) safe(ctx context.Context, name string, f func(context.Context)) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("job panicked", "pool", p.name, "job", name, "panic", redact(fmt.Sprint(r)), "stack", string(debug.Stack()))
			ok = false
		}
	}()
	f(ctx)
	return true
}

// then makes after run once the job is over: done is true when it ran
// (or panicked), false when it was answered busy.
func (j *job) then(after func(done bool)) {
	run, busy := j.run, j.busy
	j.run = func(ctx context.Context) {
		defer after(true)
		run(ctx)
	}
	j.busy = func(ctx context.Context) {
		defer after(false)
		if busy != nil {
			busy(ctx)
		}
	}
}
