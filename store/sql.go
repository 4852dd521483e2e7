package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL; the queries are
// written once, in the subset both speak, with ? placeholders.
type dialect struct {
	name string
	// numbered turns ? placeholders into $1, $2… (PostgreSQL).
	numbered bool
	// lockKey serialises read-modify-write transactions on key across
	// replicas. SQLite needs nothing: its write transactions begin
	// IMMEDIATE and so exclude each other.
	lockKey func(ctx context.Context, tx *sql.Tx, key string) error
	// migrate applies the missing migrations under the dialect's lock.
	migrate func(ctx context.Context, db *sql.DB) error
}

// snapshotSlack is how far a snapshot's last use may lag behind the
// latest check that saw it; pruning keeps snapshots that much longer.
const snapshotSlack = 7 * 24 * time.Hour

// sqlStore implements Store over database/sql for both dialects.
type sqlStore struct {
	db      *sql.DB
	d       dialect
	now     func() time.Time
	closeFn func() error
}

var _ Store = (*sqlStore)(nil)

func newSQLStore(ctx context.Context, db *sql.DB, d dialect, opts Options, closeFn func() error) (*sqlStore, error) {
	s := &sqlStore{db: db, d: d, now: opts.Now, closeFn: closeFn}
	if s.now == nil {
		s.now = time.Now
	}
	if err := d.migrate(ctx, db); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: migrating %s: %w", d.name, err)
	}
	return s, nil
}

// q rewrites a query's placeholders for the dialect.
func (s *sqlStore) q(query string) string {
	if !s.d.numbered {
		return query
	}
	return numbered(query)
}

// numbered turns ? placeholders into $1, $2….
func numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *sqlStore) Close() error {
	if s.closeFn != nil {
		return s.closeFn()
	}
	return s.db.Close()
}

// micros is how times are kept: microseconds since the epoch, UTC, so
// that both dialects compare and index them the same way.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func (s *sqlStore) Record(ctx context.Context, r Record) (int64, error) {
	r.Domain = NormalizeDomain(r.Domain)
	if r.Domain == "" {
		return 0, errors.New("store: record: no domain")
	}
	if r.At.IsZero() {
		r.At = s.now()
	}
	data, err := json.Marshal(r.Snapshot)
	if err != nil {
		return 0, fmt.Errorf("store: record %s: %w", r.Domain, err)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:16])
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// The snapshot is kept once. Its last use moves forward only
		// when it lags by more than snapshotSlack, so that a domain
		// checked every few minutes does not rewrite (and, in
		// PostgreSQL, bloat) the row each time.
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO snapshots (hash, data, last_us) VALUES (?, ?, ?)
			ON CONFLICT (hash) DO UPDATE SET last_us = excluded.last_us
			WHERE snapshots.last_us < ?`), hash, string(data), micros(r.At), micros(r.At.Add(-snapshotSlack))); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO checks (domain, at_us, source, user_id, status, snapshot)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			r.Domain, micros(r.At), string(r.Source), r.UserID, string(r.Status), hash).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store: record %s: %w", r.Domain, err)
	}
	return id, nil
}

func (s *sqlStore) Checks(ctx context.Context, q Query) ([]Record, error) {
	var where []string
	var args []any
	if q.Domain != "" {
		where = append(where, "c.domain = ?")
		args = append(args, NormalizeDomain(q.Domain))
	}
	if q.UserID != "" {
		where = append(where, "c.user_id = ?")
		args = append(args, q.UserID)
	}
	if !q.Since.IsZero() {
		where = append(where, "c.at_us >= ?")
		args = append(args, micros(q.Since))
	}
	if !q.Before.IsZero() {
		where = append(where, "c.at_us < ?")
		args = append(args, micros(q.Before))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query := "SELECT c.id, c.domain, c.at_us, c.source, c.user_id, s.data FROM checks c JOIN snapshots s ON s.hash = c.snapshot"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY c.at_us DESC, c.id DESC LIMIT " + strconv.Itoa(limit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: reading checks: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var at int64
		var source, data string
		if err := rows.Scan(&r.ID, &r.Domain, &at, &source, &r.UserID, &data); err != nil {
			return nil, fmt.Errorf("store: reading checks: %w", err)
		}
		r.At, r.Source = fromMicros(at), Source(source)
		if err := json.Unmarshal([]byte(data), &r.Snapshot); err != nil {
			return nil, fmt.Errorf("store: reading check %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading checks: %w", err)
	}
	return out, nil
}

func (s *sqlStore) Prune(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q("DELETE FROM checks WHERE at_us < ?"), micros(before))
	if err != nil {
		return 0, fmt.Errorf("store: pruning checks: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: pruning checks: %w", err)
	}
	// A check at t left its snapshot's last use at t-snapshotSlack or
	// later: a snapshot last used before the cut minus the slack is no
	// longer used by any check kept.
	if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM snapshots WHERE last_us < ?"), micros(before.Add(-snapshotSlack))); err != nil {
		return n, fmt.Errorf("store: pruning snapshots: %w", err)
	}
	now := micros(s.now())
	for _, table := range []string{"claims", "buckets", "slots"} {
		if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM "+table+" WHERE expires_us < ?"), now); err != nil {
			return n, fmt.Errorf("store: pruning %s: %w", table, err)
		}
	}
	return n, nil
}

func (s *sqlStore) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := s.now()
	// One statement, atomic in both dialects: a new key is inserted, an
	// expired one taken over, a live one left alone (no row changed).
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO claims (key, expires_us) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_us = excluded.expires_us
		WHERE claims.expires_us <= ?`),
		key, micros(now.Add(ttl)), micros(now))
	if err != nil {
		return false, fmt.Errorf("store: claiming %q: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claiming %q: %w", key, err)
	}
	return n == 1, nil
}

// locked runs fn in a write transaction holding the lock of key.
func (s *sqlStore) locked(ctx context.Context, key string, fn func(tx *sql.Tx) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if s.d.lockKey != nil {
			if err := s.d.lockKey(ctx, tx, key); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// inTx runs fn in a write transaction.
func (s *sqlStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStore) Take(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || window <= 0 {
		return false, 0, fmt.Errorf("store: taking from %q: limit %d per %v", key, limit, window)
	}
	// GCRA, the token bucket as one timestamp: tat is when the bucket
	// would be full again. A token is there while tat is at most
	// window-interval ahead of now.
	interval := window / time.Duration(limit)
	now := s.now()
	var allowed bool
	var wait time.Duration
	err := s.locked(ctx, "bucket:"+key, func(tx *sql.Tx) error {
		var tatUS int64
		err := tx.QueryRowContext(ctx, s.q("SELECT tat_us FROM buckets WHERE key = ?"), key).Scan(&tatUS)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		tat := fromMicros(tatUS)
		if tat.Before(now) {
			tat = now
		}
		if ahead := tat.Sub(now); ahead > window-interval {
			wait = ahead - (window - interval)
			return nil
		}
		allowed = true
		tat = tat.Add(interval)
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO buckets (key, tat_us, expires_us) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET tat_us = excluded.tat_us, expires_us = excluded.expires_us`),
			key, micros(tat), micros(tat))
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("store: taking from %q: %w", key, err)
	}
	return allowed, wait, nil
}

func (s *sqlStore) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (string, bool, error) {
	var buf [16]byte
	rand.Read(buf[:])
	lease := hex.EncodeToString(buf[:])
	now := s.now()
	var ok bool
	err := s.locked(ctx, "slots:"+key, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM slots WHERE key = ? AND expires_us <= ?"), key, micros(now)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM slots WHERE key = ?"), key).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return nil
		}
		ok = true
		_, err := tx.ExecContext(ctx, s.q("INSERT INTO slots (key, lease, expires_us) VALUES (?, ?, ?)"),
			key, lease, micros(now.Add(ttl)))
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("store: acquiring a slot of %q: %w", key, err)
	}
	if !ok {
		return "", false, nil
	}
	return lease, true, nil
}

func (s *sqlStore) Release(ctx context.Context, key, lease string) error {
	if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM slots WHERE key = ? AND lease = ?"), key, lease); err != nil {
		return fmt.Errorf("store: releasing a slot of %q: %w", key, err)
	}
	return nil
}
