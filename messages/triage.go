package messages

import "github.com/pcmhosting/mailsetup/triage"

// TriageText is the wording of one triage cause (what a bounce or a mail
// client's error means) in one language. Texts may hold {domain}, the
// domain checked, filled by the renderer.
type TriageText struct {
	// Title names the cause in a few words.
	Title string
	// Meaning says what the message the customer saw means, in plain
	// words.
	Meaning string
	// Who says who must act: the customer, the host, the recipient.
	Who string
	// Steps are what to do, the guide's steps first, citing its section.
	Steps []string
}

// triageTexts holds the wording of every triage cause, per language.
var triageTexts = map[Lang]map[triage.Cause]TriageText{FR: triageFR, EN: triageEN}

// TriageLookup returns the wording of a triage cause, placeholders
// unfilled. A language the catalog lacks falls back to French.
func TriageLookup(lang Lang, cause triage.Cause) (TriageText, bool) {
	t, ok := triageTexts[lang.orDefault()][cause]
	return t, ok
}
