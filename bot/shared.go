package bot

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/pcmhosting/mailsetup/store"
)

// sharedTimeout bounds one call to what replicas share: the event loop
// makes it, and a database that hangs must not hold the acks back.
const sharedTimeout = 500 * time.Millisecond

// sharedPause is how long a failing Shared is left alone before it is
// tried again: meanwhile the bot decides alone, as one replica would.
const sharedPause = 10 * time.Second

// claimTTL is how long an envelope or event id is remembered across
// replicas: Slack retries an event three times within about five
// minutes.
const claimTTL = 10 * time.Minute

// shared is the bot's way to what replicas share (Config.Shared). Each
// call reports ok false when there is no Shared or it failed: the
// caller then decides with this process's own state (fail open). After
// a failure, Shared is not asked for sharedPause.
type shared struct {
	s     store.Coordinator
	now   func() time.Time
	onErr func(op string, err error)
	// pausedUntil is when (unix ns) Shared may be asked again.
	pausedUntil atomic.Int64
}

func (c *shared) usable() bool {
	return c != nil && c.s != nil && c.now().UnixNano() >= c.pausedUntil.Load()
}

func (c *shared) failed(op string, err error) {
	c.pausedUntil.Store(c.now().Add(sharedPause).UnixNano())
	if c.onErr != nil {
		c.onErr(op, err)
	}
}

// claim reports whether key is claimed here first across replicas.
func (c *shared) claim(key string) (first, ok bool) {
	if !c.usable() {
		return false, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	first, err := c.s.Claim(ctx, key, claimTTL)
	if err != nil {
		c.failed("claim", err)
		return false, false
	}
	return first, true
}

// take takes one check from user's bucket, limit a minute, across
// replicas.
func (c *shared) take(user string, limit int) (allowed bool, wait time.Duration, ok bool) {
	if !c.usable() {
		return false, 0, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	allowed, wait, err := c.s.Take(ctx, "rate:"+user, limit, time.Minute)
	if err != nil {
		c.failed("take", err)
		return false, 0, false
	}
	return allowed, wait, true
}

// duplicate reports whether an envelope or event id was seen already,
// here or, with Shared, by another replica.
func (b *Bot) duplicate(key string) bool {
	if b.seen.add(key) {
		return true
	}
	first, ok := b.shared.claim(key)
	return ok && !first
}

// allow is the per-user rate limit of checks: across replicas with
// Shared, else this process's.
func (b *Bot) allow(user string) (bool, time.Duration) {
	if b.cfg.RatePerMinute > 0 {
		if allowed, wait, ok := b.shared.take(user, b.cfg.RatePerMinute); ok {
			return allowed, wait
		}
	}
	return b.limits.allow(user)
}

// storeObserver is the part of an Observer that counts store errors
// (telemetry.Metrics has it).
type storeObserver interface{ StoreError(op string) }

// sharedError logs and counts a failure of Shared.
func (b *Bot) sharedError(op string, err error) {
	b.log.Warn("shared state unavailable, deciding alone for a while", "op", op, "error", errString(err), "pause", sharedPause.String())
	if o, ok := b.cfg.Observer.(storeObserver); ok {
		o.StoreError(op)
	}
}

// duplicateEnvelope reports whether an envelope was delivered already
// (Socket Mode redelivers one that was not acked in time, possibly to
// another replica).
func (b *Bot) duplicateEnvelope(req *socketmode.Request) bool {
	return req != nil && req.EnvelopeID != "" && b.duplicate("envelope:"+req.EnvelopeID)
}

// inflight is the fair share of a pool beyond this process: acquire
// holds one of limit slots of key until release, waiting for one until
// deadline at most. The nil inflight, a single replica's, grants every
// slot: the pool's own per-key cap is the share.
type inflight interface {
	acquire(ctx context.Context, key string, limit int, deadline time.Time) (release func(), ok bool)
}

// slotTTL bounds how long a replica that died holds a slot.
const slotTTL = 2 * time.Minute

// slotPoll is how often a job whose key's slots are all taken on other
// replicas asks again.
const slotPoll = 200 * time.Millisecond

// sharedSlots are in-flight slots counted across replicas
// (store.Coordinator's Acquire and Release).
type sharedSlots struct{ c *shared }

// inflight is the pool's cross-replica share, nil without Shared.
func (c *shared) inflight() inflight {
	if c == nil || c.s == nil {
		return nil
	}
	return sharedSlots{c: c}
}

func (s sharedSlots) acquire(ctx context.Context, key string, limit int, deadline time.Time) (func(), bool) {
	noop := func() {}
	if limit <= 0 || key == "" {
		return noop, true
	}
	for {
		if !s.c.usable() {
			return noop, true // fail open: the local cap holds
		}
		actx, cancel := context.WithTimeout(ctx, sharedTimeout)
		lease, ok, err := s.c.s.Acquire(actx, "inflight:"+key, limit, slotTTL)
		cancel()
		switch {
		case err != nil:
			s.c.failed("acquire", err)
			return noop, true
		case ok:
			return func() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedTimeout)
				defer cancel()
				if err := s.c.s.Release(rctx, "inflight:"+key, lease); err != nil {
					s.c.failed("release", err) // the slot frees itself after slotTTL
				}
			}, true
		}
		if !s.c.now().Add(slotPoll).Before(deadline) {
			return noop, false
		}
		select {
		case <-ctx.Done():
			return noop, false
		case <-time.After(slotPoll):
		}
	}
}
