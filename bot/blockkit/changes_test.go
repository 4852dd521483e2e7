package blockkit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// TestChangesUnderHeader: what changed comes right under the header and
// its context, escaped (an MX name from the network cannot mention the
// channel); nothing when nothing changed; one line when the history is
// unavailable.
func TestChangesUnderHeader(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
	c := messages.Clock{Now: now}
	mem := history.Memory{Events: []history.Event{{
		Change: history.Change{Kind: history.MXChanged, FromValues: []string{"mx1.ovh.net"}, ToValues: []string{"<!channel>"}, Previous: now.Add(-48 * time.Hour)},
		At:     now.Add(-21 * time.Hour), Checks: 3,
	}}}
	render := func(m history.Memory) []map[string]any {
		v := messages.NewView(sample.Good(), messages.FR).WithMemory(m, c)
		b, err := json.Marshal(Render(v, Options{}))
		if err != nil {
			t.Fatal(err)
		}
		var blocks []map[string]any
		if err := json.Unmarshal(b, &blocks); err != nil {
			t.Fatal(err)
		}
		return blocks
	}
	text := func(b map[string]any) string {
		tx, _ := b["text"].(map[string]any)
		s, _ := tx["text"].(string)
		return s
	}
	plain := render(history.Memory{})
	got := render(mem)
	if len(got) != len(plain)+1 {
		t.Fatalf("%d blocks with a change, %d without; want one more", len(got), len(plain))
	}
	s := text(got[2])
	if !strings.Contains(s, "Ce qui a changé") || !strings.Contains(s, "MX modifié hier à 18 h 30") || strings.Contains(s, "<!channel>") {
		t.Errorf("changes block %q", s)
	}
	un := render(history.Memory{Unavailable: true})
	if s := text(un[2]); !strings.Contains(s, "Historique indisponible") {
		t.Errorf("unavailable block %q", s)
	}
}
