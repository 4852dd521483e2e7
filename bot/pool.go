package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// job is one unit of work for a pool: a check and its answer, or a
// quick reply.
type job struct {
	name     string // for logs: "check", "rerun", "help"…
	enqueued time.Time
	// run does the work.
	run func(ctx context.Context)
	// busy tells the user the bot is busy; called instead of run when
	// the job waited longer than the pool's wait.
	busy func(ctx context.Context)
	// failed tells the user the work failed; called after run panicked.
	failed func(ctx context.Context)
}

// pool runs jobs on a fixed number of workers fed by a short queue. Only
// the event loop submits, so "is there room?" followed by a put never
// blocks: workers only ever make room.
type pool struct {
	name    string
	workers int
	queue   chan *job
	wait    time.Duration
	now     func() time.Time
	log     *slog.Logger
	wg      sync.WaitGroup
	active  atomic.Int64
	closed  sync.Once
}

func newPool(name string, workers, queue int, wait time.Duration, now func() time.Time, log *slog.Logger) *pool {
	return &pool{name: name, workers: workers, queue: make(chan *job, queue), wait: wait, now: now, log: log}
}

func (p *pool) start(ctx context.Context) {
	for range p.workers {
		p.wg.Go(func() {
			for j := range p.queue {
				p.active.Add(1)
				p.do(ctx, j)
				p.active.Add(-1)
			}
		})
	}
}

// room reports whether a put would not block.
func (p *pool) room() bool { return len(p.queue) < cap(p.queue) }

// full reports whether every worker is busy and the queue is full.
func (p *pool) full() bool { return !p.room() && p.active.Load() >= int64(p.workers) }

// pending is the number of jobs running or waiting.
func (p *pool) pending() int { return len(p.queue) + int(p.active.Load()) }

// put queues a job; it reports false when the queue is full.
func (p *pool) put(j *job) bool {
	j.enqueued = p.now()
	select {
	case p.queue <- j:
		return true
	default:
		return false
	}
}

// close stops taking jobs and waits for the queued and running ones.
func (p *pool) close() {
	p.closed.Do(func() { close(p.queue) })
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
