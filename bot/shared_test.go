package bot

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/store"
)

func sqliteStore(t *testing.T) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSharedSlots: two replicas sharing one store share a user's
// in-flight cap: with one slot taken on one, the other waits and then
// answers busy; released, the slot is the other's.
func TestSharedSlots(t *testing.T) {
	st := sqliteStore(t)
	a := (&shared{s: st, now: time.Now}).inflight()
	b := (&shared{s: st, now: time.Now}).inflight()
	ctx := context.Background()
	release, ok := a.acquire(ctx, "u:U1", 1, time.Now().Add(time.Minute))
	if !ok {
		t.Fatal("first slot refused")
	}
	if _, ok := b.acquire(ctx, "u:U1", 1, time.Now()); ok {
		t.Error("the other replica got a second slot of a cap of one")
	}
	if _, ok := b.acquire(ctx, "u:U2", 1, time.Now()); !ok {
		t.Error("another user's slot refused")
	}
	release()
	if _, ok := b.acquire(ctx, "u:U1", 1, time.Now()); !ok {
		t.Error("the released slot was not given to the other replica")
	}
}

// TestSharedFailsOpen: with the store gone, claims, rate limits and
// slots fall back to the process's own, the failure is reported once,
// and Shared is left alone for a while.
func TestSharedFailsOpen(t *testing.T) {
	st := sqliteStore(t)
	st.Close()
	var ops []string
	c := &shared{s: st, now: time.Now, onErr: func(op string, err error) { ops = append(ops, op) }}
	if _, ok := c.claim("event:1"); ok {
		t.Error("a claim on a closed store succeeded")
	}
	if _, _, ok := c.take("U1", 10); ok {
		t.Error("a rate limit on a closed store was decided by it")
	}
	if release, ok := c.inflight().acquire(context.Background(), "u:U1", 1, time.Now()); !ok {
		t.Error("a slot on a closed store was refused: want fail open")
	} else {
		release()
	}
	if len(ops) != 1 || ops[0] != "claim" {
		t.Errorf("failures reported %v; want [claim], then a pause", ops)
	}
}
