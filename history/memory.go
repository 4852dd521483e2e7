package history

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/store"
)

// Event is a change still in force at the latest check: the change, when
// it was first seen and how many checks have seen it since.
type Event struct {
	Change
	// At is the time of the first check that saw the change.
	At time.Time `json:"at"`
	// Checks counts the checks that have seen it, the latest included:
	// 1 when the latest check is the first to see it.
	Checks int `json:"checks"`
}

// Memory is what the store remembers of a domain when it is checked.
type Memory struct {
	// Unavailable is set when the store could not be read or written:
	// the report says history is unavailable.
	Unavailable bool
	// Events are the recent changes still in force, newest first.
	Events []Event
	// Previous is the domain's check before this one, nil when there was
	// none (or it could not be read).
	Previous *store.Record
}

// Recent limits what Events lists: changes first seen within
// RecentWindow of the latest check, at most MaxEvents of them.
const (
	RecentWindow = 7 * 24 * time.Hour
	MaxEvents    = 6
)

// Events lists the recent changes of one domain still in force at its
// latest check, newest first: for each thing that changed (a check's
// status, the MX, a port's certificate…) its latest change, if the
// checks since have kept it. records are the domain's checks in any
// order, the latest included. A port that fell silent or answered again
// at the same time as its check changed status is said once, by the
// status.
func Events(records []store.Record) []Event {
	states := Timeline(records)
	if len(states) < 2 {
		return nil
	}
	latest := states[len(states)-1]
	seen := map[string]bool{}
	var out []Event
	checksSince := 0
	for i := len(states) - 1; i > 0; i-- {
		s := states[i]
		checksSince += s.Checks
		if latest.Last.Sub(s.Record.At) > RecentWindow {
			break
		}
		for _, c := range s.Changes {
			key := subject(c)
			if seen[key] || redundant(c, s.Changes) {
				seen[key] = true
				continue
			}
			seen[key] = true
			out = append(out, Event{Change: c, At: s.Record.At, Checks: checksSince})
		}
	}
	if len(out) > MaxEvents {
		out = out[:MaxEvents]
	}
	return out
}

// subject names what a change is about, so that only its latest change
// is told.
func subject(c Change) string {
	switch c.Kind {
	case CheckStatus, CheckCodes:
		return "check " + string(c.Check)
	case PortAnswering, PortSilent:
		return fmt.Sprintf("port %s %s %d", c.Check, c.Host, c.Port)
	case CertRenewed, CertChanged:
		return fmt.Sprintf("cert %s %s %d", c.Check, c.Host, c.Port)
	}
	return string(c.Kind)
}

// redundant reports whether c repeats another change of the same state:
// a port's answering, when its check's status changed too.
func redundant(c Change, all []Change) bool {
	if c.Kind != PortAnswering && c.Kind != PortSilent {
		return false
	}
	return slices.ContainsFunc(all, func(o Change) bool { return o.Kind == CheckStatus && o.Check == c.Check })
}

// Depth is how many of a domain's latest checks the Recorder reads to
// tell what changed.
const Depth = 50

// opTimeout bounds one store call made while answering: a database
// that hangs costs the history, not the answer.
const opTimeout = 3 * time.Second

// Recorder records checks in a store and tells what changed. A nil
// *Recorder, or one without a store, records nothing and remembers
// nothing. Its methods never fail: a store error is logged, counted and
// said as Memory.Unavailable.
type Recorder struct {
	// Store keeps the checks.
	Store store.History
	// Log receives one line per store error; nil discards.
	Log *slog.Logger
	// OnError is told each failed store operation ("record", "read"),
	// for a metric; nil ignores them.
	OnError func(op string)
	// Down is set when the store could not be opened: every check's
	// memory says history is unavailable.
	Down bool
}

func (r *Recorder) fail(ctx context.Context, op string, err error) {
	if r.Log != nil {
		r.Log.WarnContext(ctx, "history unavailable", "op", op, "err", err)
	}
	if r.OnError != nil {
		r.OnError(op)
	}
}

// Enabled reports whether checks are recorded.
func (r *Recorder) Enabled() bool { return r != nil && r.Store != nil }

// Record keeps the check rep made, asked by source (user is the Slack
// user id, empty otherwise), and returns the domain's memory with it.
func (r *Recorder) Record(ctx context.Context, rep *checks.Report, source store.Source, user string) Memory {
	if !r.Enabled() || rep == nil || rep.Target.Domain == "" {
		return Memory{Unavailable: r != nil && r.Down}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	cur := store.Record{Domain: store.NormalizeDomain(rep.Target.Domain), At: rep.Started, Source: source, UserID: user, Snapshot: Snapshot(rep)}
	if cur.At.IsZero() {
		cur.At = time.Now()
	}
	var m Memory
	prev, err := r.Store.Checks(ctx, store.Query{Domain: cur.Domain, Limit: Depth})
	if err != nil {
		r.fail(ctx, "read", err)
		m.Unavailable = true
	}
	id, err := r.Store.Record(ctx, cur)
	if err != nil {
		r.fail(ctx, "record", err)
		m.Unavailable = true
	}
	cur.ID = id
	if len(prev) > 0 {
		m.Events = Events(append(prev, cur))
		m.Previous = &prev[0]
	}
	return m
}

// Domain returns a domain's latest checks, newest first, at most limit.
func (r *Recorder) Domain(ctx context.Context, domain string, limit int) ([]store.Record, error) {
	return r.query(ctx, store.Query{Domain: store.NormalizeDomain(domain), Limit: limit})
}

// User returns the latest checks a Slack user asked for, newest first.
func (r *Recorder) User(ctx context.Context, user string, limit int) ([]store.Record, error) {
	return r.query(ctx, store.Query{UserID: user, Limit: limit})
}

// Memory is the memory of a domain at its latest check, without
// recording one: what a button acting on the last report tells.
func (r *Recorder) Memory(ctx context.Context, domain string) Memory {
	if !r.Enabled() {
		return Memory{Unavailable: r != nil && r.Down}
	}
	recs, err := r.Domain(ctx, domain, Depth)
	if err != nil {
		return Memory{Unavailable: true}
	}
	return Memory{Events: Events(recs)}
}

func (r *Recorder) query(ctx context.Context, q store.Query) ([]store.Record, error) {
	if !r.Enabled() {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	recs, err := r.Store.Checks(ctx, q)
	if err != nil {
		r.fail(ctx, "read", err)
		return nil, fmt.Errorf("history: %w", err)
	}
	return recs, nil
}
