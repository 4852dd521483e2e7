package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

func TestChanges(t *testing.T) {
	rep := func(s ...checks.Status) *checks.Report {
		r := &checks.Report{}
		for i, st := range s {
			r.Results = append(r.Results, checks.Result{ID: checks.AllIDs[i], Status: st})
		}
		return r
	}
	for _, tc := range []struct {
		name      string
		prev, cur *checks.Report
		want      string
	}{
		{"nothing", rep(checks.StatusPass, checks.StatusFail), rep(checks.StatusPass, checks.StatusFail), messages.Say(messages.EN, messages.PhraseUnchanged)},
		{"two changes", rep(checks.StatusPass, checks.StatusFail, checks.StatusWarn), rep(checks.StatusFail, checks.StatusPass, checks.StatusWarn),
			messages.Say(messages.EN, messages.PhraseChanged) + "\n• `dns.host`: pass → fail\n• `dns.mx`: fail → pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, changes(tc.prev, tc.cur, messages.EN)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestChunkLines(t *testing.T) {
	lines := []string{strings.Repeat("a", 10), strings.Repeat("b", 10), strings.Repeat("c", 10)}
	if diff := cmp.Diff([]string{"aaaaaaaaaa\nbbbbbbbbbb", "cccccccccc"}, chunkLines(lines, 21)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
