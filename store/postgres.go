package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// migrationLock is the pg_advisory_lock key replicas migrate under.
const migrationLock int64 = 0x6d61696c7365 // "mailse"

// connectTimeout bounds a connection attempt when the URL does not: a
// database that is down makes calls fail fast instead of hang.
const connectTimeout = 5 * time.Second

// OpenPostgres connects to the PostgreSQL database at url (a URL or a
// key=value DSN, as libpq takes) through a pgx pool and applies the
// migrations it lacks, holding an advisory lock so that replicas
// starting together migrate once. The pool reconnects by itself when the
// database comes back.
func OpenPostgres(ctx context.Context, url string, opts Options) (Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL and its password.
		return nil, fmt.Errorf("store: the PostgreSQL URL does not parse")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connecting to PostgreSQL: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	closeFn := func() error {
		err := db.Close()
		pool.Close()
		return err
	}
	d := dialect{name: "postgres", numbered: true, lockKey: lockKeyPostgres, migrate: migratePostgres}
	s, err := newSQLStore(ctx, db, d, opts, closeFn)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// CheckURL reports whether url is a PostgreSQL URL or DSN pgx can use,
// without connecting. Its error never quotes the URL, which may hold a
// password.
func CheckURL(url string) error {
	if _, err := pgxpool.ParseConfig(url); err != nil {
		return fmt.Errorf("not a PostgreSQL URL (postgres://user:password@host:5432/db?sslmode=require) or key=value DSN")
	}
	return nil
}

// lockKeyPostgres holds a transaction-scoped advisory lock on key, so
// that two replicas updating one bucket or slot set take turns.
func lockKeyPostgres(ctx context.Context, tx *sql.Tx, key string) error {
	h := fnv.New64a()
	h.Write([]byte(key))
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64()))
	return err
}

// migratePostgres migrates on one connection holding the migration
// advisory lock, in one transaction.
func migratePostgres(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := applyMigrations(ctx, tx, "postgres", numbered); err != nil {
		return err
	}
	return tx.Commit()
}
