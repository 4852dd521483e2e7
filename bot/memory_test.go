package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/store"
)

// TestReportSaysWhatChanged: a domain whose MX the store remembers
// otherwise gets a report that starts with the change; the check is
// recorded with the Slack user id and its source; the history route
// shows the two states.
func TestReportSaysWhatChanged(t *testing.T) {
	st := sqliteStore(t)
	clk := newClock()
	rep := theEngine.Check(context.Background(), checks.Target{Domain: domain("good"), Host: domain("good")})
	before := history.Snapshot(rep)
	before.MX = []string{"mx1.ovh.net", "mx2.ovh.net"}
	if _, err := st.Record(context.Background(), store.Record{Domain: domain("good"), At: clk.Now().Add(-20 * time.Hour), Source: store.SourceCLI, Snapshot: before}); err != nil {
		t.Fatal(err)
	}
	h := start(t, Config{History: &history.Recorder{Store: st}, Now: clk.Now})
	env, url := h.slash(userEN, domain("good"))
	h.ack(env)
	got := blockTexts(t, h.answer(url).Blocks)
	if !strings.Contains(got, "What changed") || !strings.Contains(got, "MX changed since the last check (yesterday at 13:00): mx1.ovh.net, mx2.ovh.net →") {
		t.Errorf("the report does not start with the MX change:\n%s", got)
	}
	recs, err := st.Checks(context.Background(), store.Query{UserID: userEN})
	if err != nil || len(recs) != 1 || recs[0].Source != store.SourceSlash || recs[0].Domain != domain("good") {
		t.Errorf("recorded %+v, %v; want one slash check of %s by %s", recs, err, domain("good"), userEN)
	}
	env, url = h.slash(userEN, "history "+domain("good"))
	h.ack(env)
	got = blockTexts(t, h.answer(url).Blocks)
	if !strings.Contains(got, "History of good.lab.test (2 checks)") || !strings.Contains(got, "MX changed") {
		t.Errorf("history:\n%s", got)
	}
}

// TestStatusSaysSinceWhen: with history, a failing line of "/mailsetup
// status" says since when it fails.
func TestStatusSaysSinceWhen(t *testing.T) {
	// Checks are recorded at the time they ran: the real clock.
	h := start(t, Config{Fleet: []string{"no465.lab.test"}, History: &history.Recorder{Store: sqliteStore(t)}})
	env, url := h.slash(userEN, "status")
	h.ack(env)
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "smtp.465 fail: tcp.refused") {
		t.Fatalf("status:\n%s", got)
	}
	env, url = h.slash(userEN, "status")
	h.ack(env)
	got := blockTexts(t, h.answer(url).Blocks)
	if !strings.Contains(got, "smtp.465 fail: tcp.refused") || !strings.Contains(got, "— since at least ") || !strings.Contains(got, " (2 checks)") {
		t.Errorf("the failing line does not say since when:\n%s", got)
	}
}
