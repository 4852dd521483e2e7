package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pcmhosting/mailsetup/store"
)

// benchRecord measures keeping one check of a 10,000-domain batch.
func benchRecord(b *testing.B, open opener) {
	s := open(b, nil)
	ctx := context.Background()
	snap := sample(1)
	i := 0
	for b.Loop() {
		i++
		r := store.Record{Domain: fmt.Sprintf("client-%05d.fr", i%10000), Source: store.SourceSchedule, Snapshot: snap}
		if _, err := s.Record(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchRecord(b, sqliteDB(b)) })
	b.Run("postgres", func(b *testing.B) { benchRecord(b, postgresDB(b)) })
}

// fill keeps 10,000 checks of the given number of domains, each domain
// with its own realistic snapshot: 10,000 domains checked once, or 1,000
// checked ten times unchanged (the nightly case, snapshots shared).
func fill(b *testing.B, s store.Store, domains int) {
	ctx := context.Background()
	for i := range 10000 {
		d := i % domains
		r := store.Record{Domain: fmt.Sprintf("client-%05d.fr", d), Source: store.SourceSchedule, UserID: "U0123456789", Snapshot: sample(d)}
		if _, err := s.Record(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSize reports the database size per 10,000 checks: the SQLite
// file (its WAL checkpointed at close), the PostgreSQL tables of checks
// and snapshots with their indexes and TOAST.
func BenchmarkSize(b *testing.B) {
	for _, domains := range []int{10000, 1000} {
		b.Run(fmt.Sprintf("sqlite/domains=%d", domains), func(b *testing.B) {
			var size int64
			for b.Loop() {
				path := filepath.Join(b.TempDir(), "state.db")
				s, err := store.OpenSQLite(context.Background(), path, store.Options{})
				if err != nil {
					b.Fatal(err)
				}
				fill(b, s, domains)
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				st, err := os.Stat(path)
				if err != nil {
					b.Fatal(err)
				}
				size = st.Size()
			}
			b.ReportMetric(float64(size), "bytes/10k-checks")
		})
		b.Run(fmt.Sprintf("postgres/domains=%d", domains), func(b *testing.B) {
			var size int64
			for b.Loop() {
				url := needPG(b)
				fill(b, postgresAt(url)(b, nil), domains)
				conn, err := pgx.Connect(context.Background(), url)
				if err != nil {
					b.Fatal(err)
				}
				err = conn.QueryRow(context.Background(),
					"SELECT pg_total_relation_size('checks') + pg_total_relation_size('snapshots')").Scan(&size)
				conn.Close(context.Background())
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/10k-checks")
		})
	}
}
