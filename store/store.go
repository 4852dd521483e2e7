// Package store is mailsetup's memory: the checks it ran (what each saw,
// not what was said about it) and the small records replicas share, an
// idempotency claim per Slack event, rate-limit buckets and in-flight
// slots.
//
// Two implementations stand behind one interface: an embedded SQLite file
// (modernc.org/sqlite, no cgo), the default, and PostgreSQL through pgx
// when the bot runs as several replicas. Both apply the versioned
// migrations embedded in the binary when opened, under a lock, so
// replicas starting together migrate once.
//
// The store fails soft: every method returns a wrapped error when the
// database is down or full, never panics, and works again once the
// database is back (the PostgreSQL pool reconnects by itself). Callers
// treat an error as "history unavailable" and carry on checking.
//
// What is kept is the domain, the time, where the check came from, the
// Slack user id (no name, no text) and a Snapshot of the observed values
// that matter for "what changed"; see package history for Snapshot and
// Diff.
package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
)

// DefaultRetention is how long checks are kept unless configured.
const DefaultRetention = 90 * 24 * time.Hour

// Source says what asked for a check.
type Source string

// Sources of a check.
const (
	SourceCLI      Source = "cli"
	SourceSlash    Source = "slash"
	SourceMention  Source = "mention"
	SourceSchedule Source = "schedule"
	SourceButton   Source = "button"
	SourceHome     Source = "home"
)

// Record is one check of a domain as kept.
type Record struct {
	// ID is assigned by the store; it orders records of the same instant.
	ID     int64
	Domain string
	At     time.Time
	Source Source
	// UserID is the Slack user id, empty for the CLI and schedules.
	UserID string
	Snapshot
}

// Snapshot is what a check observed, reduced to what "what changed"
// compares: statuses and codes per check and the observed values.
type Snapshot struct {
	Status checks.Status `json:"status"`
	Checks []Check       `json:"checks"`
	// Addresses of the mail host (dns.host).
	Addresses []string `json:"addresses,omitempty"`
	// MX are the MX targets by preference (dns.mx).
	MX []string `json:"mx,omitempty"`
	// SPF and DMARC are the records judged.
	SPF   string `json:"spf,omitempty"`
	DMARC string `json:"dmarc,omitempty"`
	// Ports are the ports probed, with what answered.
	Ports []Port `json:"ports,omitempty"`
}

// Check is the outcome of one check: its status and the codes of its
// findings that are not mere information.
type Check struct {
	ID     checks.ID     `json:"id"`
	Status checks.Status `json:"status"`
	Codes  []checks.Code `json:"codes,omitempty"`
}

// Port is one mail port of one host as a probe saw it.
type Port struct {
	Check    checks.ID `json:"check"`
	Host     string    `json:"host"`
	Port     int       `json:"port"`
	Answered bool      `json:"answered"`
	// Fingerprint is the SHA-256 of the leaf certificate (hex), when
	// known.
	Fingerprint string    `json:"fingerprint,omitempty"`
	NotAfter    time.Time `json:"not_after,omitzero"`
}

// Query selects checks, newest first.
type Query struct {
	// Domain, when set, selects one domain's checks.
	Domain string
	// UserID, when set, selects one user's checks (the App Home).
	UserID string
	// Since and Before bound the time of the checks (Since inclusive,
	// Before exclusive); zero means unbounded.
	Since, Before time.Time
	// Limit caps the answer: DefaultLimit when 0, MaxLimit at most.
	Limit int
}

// Limits of a Query.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// History keeps checks.
type History interface {
	// Record keeps one check and returns its id.
	Record(ctx context.Context, r Record) (int64, error)
	// Checks returns the checks q selects, newest first.
	Checks(ctx context.Context, q Query) ([]Record, error)
	// Prune forgets checks older than before and expired shared records;
	// it returns how many checks it removed.
	Prune(ctx context.Context, before time.Time) (int64, error)
}

// Coordinator is what replicas share so that they answer as one bot.
// When it fails (the database is down) callers fail open: they answer
// the event and allow the check, as a single replica would.
type Coordinator interface {
	// Claim records key for ttl; first is true for the one caller that
	// claimed it first (across replicas) while the claim lasts.
	Claim(ctx context.Context, key string, ttl time.Duration) (first bool, err error)
	// Take takes one token of the bucket key, which holds limit tokens
	// and refills them evenly over window (a token bucket of burst
	// limit). When empty it says how long until the next token.
	Take(ctx context.Context, key string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error)
	// Acquire takes one of limit in-flight slots of key for at most ttl
	// (a crashed holder's slot frees itself then). ok is false when all
	// slots are taken; lease is given back to Release.
	Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (lease string, ok bool, err error)
	// Release gives a slot back; releasing an expired or unknown lease
	// is not an error.
	Release(ctx context.Context, key, lease string) error
}

// Store is the whole memory of mailsetup.
type Store interface {
	History
	Coordinator
	// Close releases the database.
	Close() error
}

// Options configure a store.
type Options struct {
	// Path is the SQLite file, created if missing. Ignored when URL is
	// set.
	Path string
	// URL is a PostgreSQL connection URL or DSN; set, it selects
	// PostgreSQL.
	URL string
	// Now is the clock expiries and rate limits are judged by; nil is
	// time.Now.
	Now func() time.Time
}

// Open opens the store opts describe, PostgreSQL when a URL is given and
// SQLite otherwise, and applies the migrations it lacks.
func Open(ctx context.Context, opts Options) (Store, error) {
	if opts.URL != "" {
		return OpenPostgres(ctx, opts.URL, opts)
	}
	if opts.Path == "" {
		return nil, errors.New("store: neither a database URL nor a file path")
	}
	return OpenSQLite(ctx, opts.Path, opts)
}

// NormalizeDomain returns the form domains are kept in: lower case,
// without the final dot.
func NormalizeDomain(d string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
}
