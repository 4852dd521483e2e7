package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/store"
)

// sample returns a realistic snapshot: eleven checks, the host's
// addresses, two MX, the records, six ports with certificates.
func sample(i int) store.Snapshot {
	notAfter := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	fp := fmt.Sprintf("%064x", i)
	port := func(id checks.ID, host string, n int) store.Port {
		return store.Port{Check: id, Host: host, Port: n, Answered: true, Fingerprint: fp, NotAfter: notAfter}
	}
	s := store.Snapshot{
		Status:    checks.StatusFail,
		Addresses: []string{"203.0.113.10", "2001:db8::10"},
		MX:        []string{"mx1.mail.example.net", "mx2.mail.example.net"},
		SPF:       "v=spf1 include:_spf.mail.example.net ~all",
		DMARC:     "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
		Ports: []store.Port{
			port(checks.IMAP993, "mail.example.com", 993), port(checks.POP3995, "mail.example.com", 995),
			port(checks.SMTP465, "mail.example.com", 465), port(checks.SMTP587, "mail.example.com", 587),
			port(checks.SMTP25, "mx1.mail.example.net", 25), port(checks.SMTP25, "mx2.mail.example.net", 25),
		},
	}
	for _, id := range checks.AllIDs {
		s.Checks = append(s.Checks, store.Check{ID: id, Status: checks.StatusPass})
	}
	s.Checks[8] = store.Check{ID: checks.SMTP465, Status: checks.StatusFail, Codes: []checks.Code{checks.TCPRefused}}
	s.Ports[2] = store.Port{Check: checks.SMTP465, Host: "mail.example.com", Port: 465}
	return s
}

// testStore is the behaviour every implementation shares.
func testStore(t *testing.T, open opener) {
	ctx := context.Background()
	clk := newClock()
	s := open(t, clk.Now)

	t.Run("history", func(t *testing.T) {
		t0 := clk.Now()
		recs := []store.Record{
			{Domain: "Client.COM.", At: t0, Source: store.SourceSlash, UserID: "U1", Snapshot: sample(1)},
			{Domain: "other.org", At: t0.Add(time.Minute), Source: store.SourceCLI, Snapshot: sample(2)},
			{Domain: "client.com", At: t0.Add(2 * time.Minute), Source: store.SourceMention, UserID: "U2", Snapshot: sample(3)},
		}
		for i := range recs {
			id, err := s.Record(ctx, recs[i])
			if err != nil {
				t.Fatal(err)
			}
			recs[i].ID, recs[i].Domain = id, store.NormalizeDomain(recs[i].Domain)
		}
		for _, tc := range []struct {
			name string
			q    store.Query
			want []store.Record
		}{
			{"domain", store.Query{Domain: "CLIENT.com"}, []store.Record{recs[2], recs[0]}},
			{"user", store.Query{UserID: "U1"}, []store.Record{recs[0]}},
			{"since", store.Query{Since: t0.Add(time.Minute)}, []store.Record{recs[2], recs[1]}},
			{"before", store.Query{Before: t0.Add(time.Minute)}, []store.Record{recs[0]}},
			{"limit", store.Query{Domain: "client.com", Limit: 1}, []store.Record{recs[2]}},
			{"none", store.Query{Domain: "nobody.net"}, nil},
		} {
			got, err := s.Checks(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s: (-want +got)\n%s", tc.name, d)
			}
		}
		if _, err := s.Record(ctx, store.Record{Domain: " ."}); err == nil {
			t.Error("a record without a domain was kept")
		}
	})

	t.Run("prune", func(t *testing.T) {
		t0 := clk.Now()
		// The same snapshot, seen by the three checks, outlives the two
		// pruned.
		for _, age := range []time.Duration{100 * 24 * time.Hour, 91 * 24 * time.Hour, 89 * 24 * time.Hour} {
			if _, err := s.Record(ctx, store.Record{Domain: "prune.example", At: t0.Add(-age), Snapshot: sample(7)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Record(ctx, store.Record{Domain: "gone.example", At: t0.Add(-120 * 24 * time.Hour), Snapshot: sample(8)}); err != nil {
			t.Fatal(err)
		}
		n, err := s.Prune(ctx, t0.Add(-store.DefaultRetention))
		if err != nil || n != 3 {
			t.Fatalf("Prune = %d, %v; want 3", n, err)
		}
		left, err := s.Checks(ctx, store.Query{Domain: "prune.example"})
		if err != nil || len(left) != 1 {
			t.Fatalf("after Prune, %d checks, %v; want 1", len(left), err)
		}
		if d := cmp.Diff(sample(7), left[0].Snapshot); d != "" {
			t.Errorf("the snapshot of the check kept: (-want +got)\n%s", d)
		}
	})

	t.Run("claim", func(t *testing.T) {
		want := []struct {
			after time.Duration
			first bool
		}{{0, true}, {0, false}, {59 * time.Second, false}, {time.Second, true}, {time.Second, false}}
		for i, w := range want {
			clk.Add(w.after)
			first, err := s.Claim(ctx, "event:Ev1", time.Minute)
			if err != nil || first != w.first {
				t.Fatalf("claim %d = %v, %v; want %v", i, first, err, w.first)
			}
		}
		if first, err := s.Claim(ctx, "event:Ev2", time.Minute); err != nil || !first {
			t.Fatalf("another key: %v, %v", first, err)
		}
	})

	t.Run("take", func(t *testing.T) {
		for i := range 10 {
			if ok, _, err := s.Take(ctx, "user:U1", 10, time.Minute); err != nil || !ok {
				t.Fatalf("take %d refused: %v", i+1, err)
			}
		}
		ok, wait, err := s.Take(ctx, "user:U1", 10, time.Minute)
		if err != nil || ok || wait != 6*time.Second {
			t.Fatalf("11th take = %v, %v, %v; want refused, retry in 6s", ok, wait, err)
		}
		if ok, _, err := s.Take(ctx, "user:U2", 10, time.Minute); err != nil || !ok {
			t.Fatalf("another user refused: %v", err)
		}
		clk.Add(6 * time.Second)
		if ok, _, err := s.Take(ctx, "user:U1", 10, time.Minute); err != nil || !ok {
			t.Fatalf("take after the refill refused: %v", err)
		}
		if ok, _, _ := s.Take(ctx, "user:U1", 10, time.Minute); ok {
			t.Fatal("a second token after one refill")
		}
		if _, _, err := s.Take(ctx, "user:U1", 0, time.Minute); err == nil {
			t.Fatal("a zero limit was accepted")
		}
	})

	t.Run("slots", func(t *testing.T) {
		a, ok1, err1 := s.Acquire(ctx, "pool:U1", 2, time.Minute)
		_, ok2, err2 := s.Acquire(ctx, "pool:U1", 2, time.Minute)
		_, ok3, err3 := s.Acquire(ctx, "pool:U1", 2, time.Minute)
		if err1 != nil || err2 != nil || err3 != nil || !ok1 || !ok2 || ok3 {
			t.Fatalf("acquire = %v %v %v (%v %v %v); want two slots of two", ok1, ok2, ok3, err1, err2, err3)
		}
		if err := s.Release(ctx, "pool:U1", a); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(ctx, "pool:U1", a); err != nil {
			t.Fatalf("releasing twice: %v", err)
		}
		if _, ok, err := s.Acquire(ctx, "pool:U1", 2, time.Minute); err != nil || !ok {
			t.Fatalf("a released slot was not given again: %v", err)
		}
		// The holders crash: their slots free themselves at expiry.
		clk.Add(time.Minute)
		for i := range 2 {
			if _, ok, err := s.Acquire(ctx, "pool:U1", 2, time.Minute); err != nil || !ok {
				t.Fatalf("expired slot %d not freed: %v", i, err)
			}
		}
	})

	t.Run("prune shared", func(t *testing.T) {
		if _, err := s.Prune(ctx, clk.Now().Add(-store.DefaultRetention)); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		if _, err := s.Prune(ctx, clk.Now().Add(-store.DefaultRetention)); err != nil {
			t.Fatal(err)
		}
		if first, err := s.Claim(ctx, "event:Ev1", time.Minute); err != nil || !first {
			t.Fatalf("claim after pruning: %v, %v", first, err)
		}
	})

	t.Run("reopen", func(t *testing.T) {
		// A second instance on the same database finds it migrated and
		// sees what the first wrote.
		s2 := open(t, clk.Now)
		got, err := s2.Checks(ctx, store.Query{Domain: "client.com"})
		if err != nil || len(got) != 2 {
			t.Fatalf("second instance: %d checks, %v", len(got), err)
		}
	})
}

func TestSQLite(t *testing.T)   { testStore(t, sqliteDB(t)) }
func TestPostgres(t *testing.T) { testStore(t, postgresDB(t)) }
