package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"
)

// OpenSQLite opens (creating it if need be) the SQLite store in the file
// at path and applies the migrations it lacks. Several processes may
// share the file: write transactions begin IMMEDIATE and wait for each
// other up to a busy timeout.
func OpenSQLite(ctx context.Context, path string, opts Options) (Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	// A file: URI: the characters that would end its path are escaped.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite", "file:"+escaped+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	// One connection: SQLite writes one at a time anyway, and a single
	// connection never waits on itself.
	db.SetMaxOpenConns(1)
	d := dialect{name: "sqlite", migrate: migrateSQLite}
	return newSQLStore(ctx, db, d, opts, nil)
}

// migrateSQLite migrates in one IMMEDIATE transaction: a second process
// opening the file waits for the first to commit, then finds nothing to
// do.
func migrateSQLite(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := applyMigrations(ctx, tx, "sqlite", func(s string) string { return s }); err != nil {
		return err
	}
	return tx.Commit()
}
