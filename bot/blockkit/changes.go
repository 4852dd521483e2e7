package blockkit

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/messages"
)

// changesBlocks is what changed since the previous checks of the domain
// (messages.View.WithMemory), right under the header: one section, or
// nothing when nothing changed.
func changesBlocks(v *messages.View) []slack.Block {
	if len(v.Changes) == 0 {
		return nil
	}
	var b strings.Builder
	if v.HistoryUnavailable {
		b.WriteString(":grey_question: " + Escape(v.Changes[0]))
	} else {
		b.WriteString(":clock3: *" + Escape(v.ChangesTitle) + "*")
		for _, l := range v.Changes {
			b.WriteString("\n• " + Escape(l))
		}
	}
	return []slack.Block{section(b.String())}
}
