package messages

import (
	"strings"
	"testing"
)

// TestConversationComplete: every phrase exists in both languages and
// uses the same placeholders in each.
func TestConversationComplete(t *testing.T) {
	for p := Phrase(0); p < phraseCount; p++ {
		fr, en := phrases[FR][p], phrases[EN][p]
		if fr == "" || en == "" {
			t.Errorf("phrase %d: fr %q, en %q", p, fr, en)
			continue
		}
		if f, e := placeholders(fr), placeholders(en); strings.Join(f, ",") != strings.Join(e, ",") {
			t.Errorf("phrase %d: placeholders fr %v, en %v", p, f, e)
		}
	}
	if got := Say(FR, PhraseChecking, "domain", "client.fr"); got != "Vérification de client.fr en cours…" {
		t.Errorf("Say = %q", got)
	}
}
