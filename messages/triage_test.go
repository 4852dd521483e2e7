package messages

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/triage"
)

// TestTriageComplete: every triage cause has its fr and en wording, no
// text is empty, the steps cite the guide section of the cause, and no
// wording is left for a cause that does not exist.
func TestTriageComplete(t *testing.T) {
	causes, err := triage.Causes()
	if err != nil {
		t.Fatal(err)
	}
	known := map[triage.Cause]bool{}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, ci := range causes {
		known[ci.ID] = true
		for _, lang := range Langs {
			w, ok := TriageLookup(lang, ci.ID)
			if !ok {
				t.Errorf("%s: no %s wording", ci.ID, lang)
				continue
			}
			if w.Title == "" || w.Meaning == "" || w.Who == "" || len(w.Steps) == 0 {
				t.Errorf("%s %s: empty title, meaning, who or steps: %+v", ci.ID, lang, w)
			}
			all := strings.Join(append([]string{w.Title, w.Meaning, w.Who}, w.Steps...), "\n")
			for _, p := range placeholder.FindAllString(all, -1) {
				if p != "{domain}" {
					t.Errorf("%s %s: placeholder %s, only {domain} is filled", ci.ID, lang, p)
				}
			}
			if ci.Section != triage.SectionNone && !strings.Contains(strings.Join(w.Steps, "\n"), "section "+string(ci.Section)) {
				t.Errorf("%s %s: no step cites the guide's section %s", ci.ID, lang, ci.Section)
			}
		}
	}
	for lang, texts := range triageTexts {
		for c := range texts {
			if !known[c] {
				t.Errorf("%s wording for unknown cause %s", lang, c)
			}
		}
	}
}

func TestTriageLookupFallsBackToFrench(t *testing.T) {
	w, ok := TriageLookup(Lang("de"), "auth.bad_credentials")
	if !ok || w.Title != triageFR["auth.bad_credentials"].Title {
		t.Errorf("TriageLookup(de) = %+v, %v; want the French wording", w, ok)
	}
}
