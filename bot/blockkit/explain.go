package blockkit

import (
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/triage"
)

var outcomeEmoji = map[triage.Outcome]string{
	triage.Confirmed: ":red_circle:",
	triage.RuledOut:  ":large_green_circle:",
	triage.Unknown:   ":large_yellow_circle:",
}

// causeEmoji is a cause's outcome as an emoji: green as well when the
// check cannot confirm it but every server it concerns works.
func causeEmoji(c messages.CauseView) string {
	if c.Outcome == triage.Unknown && slices.Contains(c.Flags, triage.FlagServersOK) {
		return outcomeEmoji[triage.RuledOut]
	}
	return outcomeEmoji[c.Outcome]
}

// maxExplainCauses bounds the causes shown: a text rarely yields more
// than three, and each takes a section.
const maxExplainCauses = 6

// Explanation renders a triage answer: a header, what was recognised
// and which domain was checked, one section per cause (outcome,
// meaning, who acts, the verdict, the evidence, the guide's steps), the
// checks of the domain in one line each, and the customer reply to
// copy. Everything is escaped: the explanation carries the domains the
// pasted text names and masked addresses, never trusted markup.
func Explanation(e *messages.Explanation) []slack.Block {
	w := e.Words
	colon := messages.WordsFor(e.Lang).Colon
	emoji := ":mag:"
	if len(e.Causes) > 0 {
		emoji = causeEmoji(e.Causes[0])
	}
	blocks := []slack.Block{header(emoji + " " + e.Headline)}

	var ctx []string
	if e.Unrecognised != "" {
		ctx = append(ctx, ":grey_question: "+Escape(e.Unrecognised))
	}
	if len(e.Recognised) > 0 {
		label := w.Recognised
		if e.Unrecognised != "" {
			label = w.AlsoRecognised
		}
		ctx = append(ctx, "*"+Escape(label)+"*"+colon+Escape(strings.Join(e.Recognised, ", ")))
	}
	if len(e.Domains) > 0 {
		ctx = append(ctx, "*"+Escape(w.Domains)+"*"+colon+Escape(strings.Join(e.Domains, ", ")))
	}
	if e.Unrecognised != "" && len(e.Recognised) == 0 && len(e.Domains) == 0 {
		ctx = append(ctx, Escape(w.NothingRecognised))
	}
	if e.Choice != "" {
		ctx = append(ctx, ":dart: "+Escape(e.Choice))
	}
	for _, n := range e.Notes {
		ctx = append(ctx, ":information_source: "+Escape(n))
	}
	var elems []slack.MixedElement
	for _, c := range ctx {
		if len(elems) == MaxContextElements {
			break
		}
		elems = append(elems, mrkdwn(c, MaxSectionText))
	}
	blocks = append(blocks, slack.NewContextBlock("", elems...))

	for i, c := range e.Causes {
		if i == maxExplainCauses {
			blocks = append(blocks, section("…"))
			break
		}
		blocks = append(blocks, slack.NewDividerBlock())
		for _, s := range causeEntries(c, w, colon, e.Lang) {
			blocks = append(blocks, section(s))
		}
	}
	if e.Report != nil {
		var lines []string
		for _, l := range e.Report.Checks {
			lines = append(lines, Emoji(l.Status)+" *"+Escape(l.Label)+"*"+colon+Escape(l.Summary))
		}
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+Escape(w.Report+" · "+e.Report.Display)+"*"))
		blocks = append(blocks, pack(lines, "\n")...)
	}
	blocks = append(blocks, slack.NewDividerBlock())
	blocks = append(blocks, Reply(w.Reply, e.Reply)...)
	if len(blocks) > MaxBlocks {
		blocks = append(blocks[:MaxBlocks-1:MaxBlocks-1], section("…"))
	}
	return blocks
}

// causeEntries are the sections of one cause: title, outcome, meaning,
// who acts, verdict and evidence; what the check found; the guide's
// steps.
func causeEntries(c messages.CauseView, w *messages.ExplainWords, colon string, lang messages.Lang) []string {
	var b strings.Builder
	b.WriteString(causeEmoji(c) + " *" + Escape(c.Title) + "* — _" + Escape(c.OutcomeText) + "_")
	b.WriteString("\n*" + Escape(w.Meaning) + "*" + colon + Escape(c.Meaning))
	b.WriteString("\n*" + Escape(w.Who) + "*" + colon + Escape(c.Who))
	b.WriteString("\n*" + Escape(w.Check) + "*" + colon + Escape(c.Verdict))
	if c.Advice != "" {
		b.WriteString("\n:bulb: " + Escape(c.Advice))
	}
	if len(c.Evidence) > 0 {
		b.WriteString("\n*" + Escape(w.Evidence) + "*")
		for _, l := range c.Evidence {
			b.WriteString("\n• " + Escape(l))
		}
	}
	out := []string{b.String()}
	if len(c.Found) > 0 {
		var f strings.Builder
		f.WriteString("*" + Escape(w.FoundByCheck) + "*")
		for _, r := range c.Found {
			f.WriteString("\n*" + Escape(r.Title) + "*")
			if r.Owner != "" {
				f.WriteString("  _(" + Escape(r.Owner) + ")_")
			}
			f.WriteString(colon + Escape(r.Message))
			for _, s := range r.Steps {
				f.WriteString("\n" + step(s))
			}
		}
		out = append(out, f.String())
	}
	var st strings.Builder
	st.WriteString("*" + Escape(w.Steps+" ("+messages.SectionWord(lang, c.Section)+")") + "*")
	for _, s := range c.Steps {
		st.WriteString("\n" + step(s))
	}
	return append(out, st.String())
}

// ExplanationFallback is the notification text of a triage answer.
func ExplanationFallback(e *messages.Explanation) string { return Escape(e.Headline) }
