package messages

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages/sample"
	"github.com/pcmhosting/mailsetup/store"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// memoryClock is Friday 4 December 2026, 15:30 in Paris.
func memoryClock(t *testing.T) Clock {
	loc := paris(t)
	return Clock{Now: time.Date(2026, 12, 4, 15, 30, 0, 0, loc), Loc: loc}
}

// sampleMemory is a domain whose SMTP 465 fails since 14:02 today, whose
// MX changed yesterday at 18:40, whose certificate was renewed on 2
// December, whose SPF changed since the last check and whose DMARC
// record went on Tuesday.
func sampleMemory(t *testing.T) history.Memory {
	loc := paris(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, loc) }
	return history.Memory{Events: []history.Event{
		{Change: history.Change{Kind: history.SPFChanged, From: "v=spf1 include:mx.ovh.com ~all", To: "v=spf1 -all", Previous: at(4, 9, 5)}, At: at(4, 15, 29), Checks: 1},
		{Change: history.Change{Kind: history.CheckStatus, Check: checks.SMTP465, From: "pass", To: "fail", Previous: at(4, 11, 0)}, At: at(4, 14, 2), Checks: 3},
		{Change: history.Change{Kind: history.MXChanged, FromValues: []string{"mx1.ovh.net", "mx2.ovh.net"}, ToValues: []string{"client.com"}, Previous: at(3, 9, 0)}, At: at(3, 18, 40), Checks: 4},
		{Change: history.Change{Kind: history.CertRenewed, Check: checks.IMAP993, Host: "mail.client.com", Port: 993,
			NotAfter: time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), Previous: at(1, 9, 0)}, At: at(2, 8, 15), Checks: 6},
		{Change: history.Change{Kind: history.DMARCChanged, From: "v=DMARC1; p=none", Previous: at(1, 7, 0)}, At: at(1, 7, 30), Checks: 7},
		{Change: history.Change{Kind: history.PortSilent, Check: checks.SMTP25, Host: "mx2.ovh.net", Port: 25, Previous: at(4, 9, 5)}, At: at(4, 15, 29), Checks: 1},
	}}
}

// TestGoldenChanges renders what changed in both languages: the lines,
// the report's text with them, the customer reply's sentence and the
// unavailable line.
func TestGoldenChanges(t *testing.T) {
	c := memoryClock(t)
	m := sampleMemory(t)
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			var b bytes.Buffer
			v := NewView(sample.SMTP465Closed(), lang).WithMemory(m, c)
			if err := RenderText(&b, v, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			// The report's head: the lines under it are the other
			// golden files'.
			head, _, _ := strings.Cut(b.String(), "\n"+v.Words.Checks+"\n")
			b.Reset()
			b.WriteString(head + "\n")
			b.WriteString("\n--- customer reply\n" + ReplyChanges(m, c, lang) + "\n")
			b.WriteString("\n--- history unavailable\n" + strings.Join(ChangeLines(history.Memory{Unavailable: true}, c, lang), "\n") + "\n")
			golden.Check(t, "changes."+string(lang)+".golden", b.Bytes())
			js, err := json.MarshalIndent(v.JSON().Changes, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "changes."+string(lang)+".json.golden", append(js, '\n'))
		})
	}
}

func TestNothingChangedSaysNothing(t *testing.T) {
	for _, lang := range Langs {
		var b bytes.Buffer
		v := NewView(sample.Good(), lang).WithMemory(history.Memory{}, memoryClock(t))
		if err := RenderText(&b, v, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		var plain bytes.Buffer
		if err := RenderText(&plain, NewView(sample.Good(), lang), TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if b.String() != plain.String() {
			t.Errorf("%s: nothing changed, yet the report differs from one without history:\n%s", lang, b.String())
		}
		if s := ReplyChanges(history.Memory{}, memoryClock(t), lang); s != "" {
			t.Errorf("%s: reply sentence %q; want none", lang, s)
		}
	}
}

func TestDates(t *testing.T) {
	c := memoryClock(t)
	loc := c.Loc
	for _, tc := range []struct {
		at     time.Time
		fr, en string
	}{
		{time.Date(2026, 12, 4, 14, 2, 0, 0, loc), "aujourd'hui à 14 h 02", "today at 14:02"},
		{time.Date(2026, 12, 3, 18, 40, 0, 0, loc), "hier à 18 h 40", "yesterday at 18:40"},
		{time.Date(2026, 11, 30, 9, 5, 0, 0, loc), "lundi à 9 h 05", "on Monday at 09:05"},
		{time.Date(2026, 11, 1, 0, 30, 0, 0, loc), "le 1er novembre à 0 h 30", "on 1 November at 00:30"},
		{time.Date(2025, 12, 2, 8, 0, 0, 0, loc), "le 2 décembre 2025 à 8 h 00", "on 2 December 2025 at 08:00"},
		// 23:30 UTC on the 3rd is 00:30 on the 4th in Paris: today.
		{time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC), "aujourd'hui à 0 h 30", "today at 00:30"},
	} {
		if got := At(tc.at, c, FR); got != tc.fr {
			t.Errorf("At(%v, fr) = %q; want %q", tc.at, got, tc.fr)
		}
		if got := At(tc.at, c, EN); got != tc.en {
			t.Errorf("At(%v, en) = %q; want %q", tc.at, got, tc.en)
		}
	}
}

// TestGoldenTimeline renders a domain's timeline: a good week, SMTP 465
// failing since 14:02, the MX changed yesterday.
func TestGoldenTimeline(t *testing.T) {
	c := memoryClock(t)
	loc := c.Loc
	rec := func(id int64, at time.Time, mx []string, s465 checks.Status) store.Record {
		st := checks.StatusPass
		if s465 == checks.StatusFail {
			st = checks.StatusFail
		}
		return store.Record{ID: id, Domain: "client.com", At: at, Source: store.SourceCLI, Snapshot: store.Snapshot{
			Status: st, MX: mx,
			Checks: []store.Check{{ID: checks.DNSMX, Status: checks.StatusPass}, {ID: checks.SMTP465, Status: s465}},
			Ports:  []store.Port{{Check: checks.SMTP465, Host: "mail.client.com", Port: 465, Answered: s465 == checks.StatusPass}},
		}}
	}
	ovh, own := []string{"mx1.ovh.net", "mx2.ovh.net"}, []string{"client.com"}
	recs := []store.Record{
		rec(1, time.Date(2026, 11, 30, 9, 0, 0, 0, loc), ovh, checks.StatusPass),
		rec(2, time.Date(2026, 12, 2, 9, 0, 0, 0, loc), ovh, checks.StatusPass),
		rec(3, time.Date(2026, 12, 3, 18, 40, 0, 0, loc), own, checks.StatusPass),
		rec(4, time.Date(2026, 12, 4, 11, 0, 0, 0, loc), own, checks.StatusPass),
		rec(5, time.Date(2026, 12, 4, 14, 2, 0, 0, loc), own, checks.StatusFail),
		rec(6, time.Date(2026, 12, 4, 15, 0, 0, 0, loc), own, checks.StatusFail),
	}
	for _, lang := range Langs {
		lines := TimelineLines("client.com", history.Timeline(recs), c, lang)
		golden.Check(t, "timeline."+string(lang)+".golden", []byte(strings.Join(lines, "\n")+"\n"))
	}
}

// TestChangesSchema: a report with changes, and one whose history was
// unavailable, follow docs/report.schema.json with no undescribed field.
func TestChangesSchema(t *testing.T) {
	strict := reportSchema(t, true)
	for _, m := range []history.Memory{sampleMemory(t), {Unavailable: true}} {
		for _, lang := range Langs {
			var b bytes.Buffer
			if err := RenderJSON(&b, NewView(sample.SMTP465Closed(), lang).WithMemory(m, memoryClock(t))); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			if err := strict.Validate(doc); err != nil {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
}
