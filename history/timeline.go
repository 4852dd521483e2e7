package history

import (
	"cmp"
	"slices"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/store"
)

// chronological returns the records oldest first (by time, then id),
// whatever their order.
func chronological(records []store.Record) []store.Record {
	out := slices.Clone(records)
	slices.SortStableFunc(out, func(a, b store.Record) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Streak is since when a check has had its current status.
type Streak struct {
	Check  checks.ID     `json:"check"`
	Status checks.Status `json:"status"`
	// Since is the time of the first check of the streak.
	Since time.Time `json:"since"`
	// Checks counts the checks of the streak, the latest included.
	Checks int `json:"checks"`
	// AtLeast is set when the streak reaches the oldest check given: it
	// may have begun before.
	AtLeast bool `json:"at_least,omitempty"`
}

// Streaks says, for each check of the latest record that is in trouble
// (warn, error or fail), since when it has had that status without a
// break: "since 14:02 today (3 checks)". records are one domain's
// checks, in any order; a check missing from a record breaks its streak.
func Streaks(records []store.Record) []Streak {
	recs := chronological(records)
	if len(recs) == 0 {
		return nil
	}
	latest := recs[len(recs)-1]
	var out []Streak
	for _, c := range latest.Checks {
		if c.Status == checks.StatusPass || c.Status == checks.StatusSkip {
			continue
		}
		s := Streak{Check: c.ID, Status: c.Status, AtLeast: true}
		for i := len(recs) - 1; i >= 0; i-- {
			if status(recs[i], c.ID) != c.Status {
				s.AtLeast = false
				break
			}
			s.Since = recs[i].At
			s.Checks++
		}
		out = append(out, s)
	}
	return out
}

// status returns the status of check id in r, "" if it did not run.
func status(r store.Record, id checks.ID) checks.Status {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

// State is one state of a domain in its timeline: the check that found
// it, what changed from the state before, and how long it lasted.
type State struct {
	// Record is the first check that found this state.
	Record store.Record `json:"record"`
	// Changes are what changed from the previous state; nil for the
	// first state.
	Changes []Change `json:"changes,omitempty"`
	// Checks counts the checks that found this state.
	Checks int `json:"checks"`
	// Last is the time of the last check that found it.
	Last time.Time `json:"last"`
}

// Timeline folds one domain's checks (in any order) into its states,
// oldest first: a check identical to the one before it (Diff finds
// nothing) extends the current state instead of starting one.
func Timeline(records []store.Record) []State {
	var out []State
	var prev store.Record
	for i, r := range chronological(records) {
		var changes []Change
		if i > 0 {
			if changes = Diff(prev, r); len(changes) == 0 {
				cur := &out[len(out)-1]
				cur.Checks++
				cur.Last = r.At
				prev = r
				continue
			}
		}
		out = append(out, State{Record: r, Changes: changes, Checks: 1, Last: r.At})
		prev = r
	}
	return out
}
