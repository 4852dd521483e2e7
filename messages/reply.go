package messages

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// replyWords is the catalog's wording of the customer reply.
type replyWords struct {
	Greeting, Intro, AllGood                      string
	WeFix, YouDo                                  string
	Settings, Username, UsernameExample, Password string
	IncomingLabel, OutgoingLabel, ServerLine      string
	Or, Recommended, Colon                        string
	GuideIntro, TipsIntro, Closing, Signature     string
}

// CustomerReply writes a paste-ready answer to the customer, in French
// with "vous" or in English: a greeting, what the host is fixing for
// causes on the server's side and what the customer can use meanwhile,
// what else is wrong in plain words and what the customer must do, the settings
// of section 2 (only the servers that work), the steps for the client
// when one is given (Generic for the guide's own steps 3.A and 3.B, ""
// for none), and the guide's troubleshooting tips when nothing fails.
// Technical details are left out: they are for the support team.
func CustomerReply(rep *checks.Report, lang Lang, client Client) string {
	lang = lang.orDefault()
	w := cat(lang).reply
	v := NewView(rep, lang)
	vars := baseVars(rep, lang)
	vars["domain"] = v.Display

	var b paragraphs
	b.add(w.Greeting)
	b.add(fill(w.Intro, vars, lang))
	if len(v.Remedies) == 0 {
		b.add(w.AllGood)
	}
	ours, theirs, yours, meanwhile := splitRemedies(v.Remedies)
	if len(ours) > 0 {
		b.add(replyWeFix(w, ours)...)
	}
	if len(theirs) > 0 {
		b.add(replyTheirs(cat(lang).party, theirs, vars, lang)...)
	}
	if len(meanwhile) > 0 {
		b.add(meanwhile...)
	}
	if len(yours) > 0 {
		b.add(replyYouDo(w, yours)...)
	}
	// Mail handled by another provider: the guide's settings do not
	// apply, and the reply does not give them.
	if mx, ok := rep.Result(checks.DNSMX); !ok || !mx.Has(checks.MXElsewhere) {
		b.add(replySettings(lang, v.Settings, vars)...)
		if client != "" {
			b.add(replyClientGuide(lang, v.Settings, client)...)
		}
	}
	if len(v.Tips) > 0 {
		lines := []string{w.TipsIntro}
		for _, t := range v.Tips {
			for _, s := range t.Steps {
				lines = append(lines, "- "+s)
			}
		}
		b.add(lines...)
	}
	b.add(w.Closing)
	b.add(strings.Split(w.Signature, "\n")...)
	return b.String()
}

// paragraphs builds a plain-text message of paragraphs separated by an
// empty line.
type paragraphs struct{ strings.Builder }

// add writes one paragraph of lines.
func (b *paragraphs) add(lines ...string) {
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
}

// splitRemedies sorts remedies into those the host fixes (ours: they
// have words for the customer), those whoever runs a server not known to
// be ours fixes (theirs), and those the customer does (yours), and
// gathers once each what the customer can use meanwhile.
func splitRemedies(remedies []Remedy) (ours, theirs, yours []Remedy, meanwhile []string) {
	for _, r := range remedies {
		switch {
		case r.Reply != "":
			ours = append(ours, r)
		case r.Elsewhere:
			theirs = append(theirs, r)
		default:
			yours = append(yours, r)
		}
		for _, s := range r.Workarounds {
			if !slices.Contains(meanwhile, s) {
				meanwhile = append(meanwhile, s)
			}
		}
	}
	return ours, theirs, yours, meanwhile
}

// replyTheirs is the paragraph of causes on a server not known to be
// ours: what is wrong, and that whoever runs it must fix it. It names
// another provider only when the profile's ranges showed the server is
// not ours.
func replyTheirs(w partyWords, theirs []Remedy, vars map[string]string, lang Lang) []string {
	head := w.ReplyNeutral
	for _, r := range theirs {
		if r.Party == checks.PartyOther {
			head = w.ReplyOther
		}
	}
	lines := []string{fill(head, vars, lang)}
	for _, r := range theirs {
		if !slices.Contains(lines[1:], "- "+r.Message) {
			lines = append(lines, "- "+r.Message)
		}
	}
	return append(lines, w.ReplyTell)
}

// replyWeFix is the paragraph of what the host is fixing, each cause
// said once.
func replyWeFix(w replyWords, ours []Remedy) []string {
	lines := []string{w.WeFix}
	for _, r := range ours {
		if !slices.Contains(lines[1:], "- "+r.Reply) {
			lines = append(lines, "- "+r.Reply)
		}
	}
	return lines
}

// replyYouDo is the numbered list of what the customer must do, with
// the steps of each.
func replyYouDo(w replyWords, yours []Remedy) []string {
	lines := []string{w.YouDo}
	for i, r := range yours {
		lines = append(lines, strconv.Itoa(i+1)+". "+r.Message)
		for _, s := range r.Steps {
			lines = append(lines, indentStep("   - ", "     ", s)...)
		}
	}
	return lines
}

// replySettings is section 2 of the guide, with the servers that work.
func replySettings(lang Lang, card SettingsCard, vars map[string]string) []string {
	c := cat(lang)
	w := c.reply
	lines := []string{w.Settings}
	if card.Example {
		lines = append(lines, "- "+fill(w.UsernameExample, vars, lang))
	} else {
		lines = append(lines, "- "+fill(w.Username, vars, lang))
	}
	lines = append(lines, "- "+w.Password)
	serverLines := func(label string, list []Server) {
		for i, s := range working(list) {
			line := fill(w.ServerLine, map[string]string{
				"host": s.Host, "protocol": s.Protocol, "port": strconv.Itoa(s.Port), "security": string(s.Security),
			}, lang)
			if s.Recommended && len(working(list)) > 1 {
				line += w.Recommended
			}
			if s.Auth {
				line += ", " + c.words.AuthRequired
			}
			if i == 0 {
				lines = append(lines, "- "+label+w.Colon+line)
			} else {
				lines = append(lines, "  "+w.Or+w.Colon+line)
			}
		}
	}
	serverLines(w.IncomingLabel, card.Incoming)
	serverLines(w.OutgoingLabel, card.Outgoing)
	return lines
}

// replyClientGuide is the where-to-click steps of one mail client.
func replyClientGuide(lang Lang, card SettingsCard, client Client) []string {
	colon := strings.TrimRight(cat(lang).reply.Colon, " ")
	g := ClientGuide(card, client, lang)
	lines := []string{g.Title}
	for _, s := range g.Sections {
		if s.Title != "" {
			lines = append(lines, s.Title+colon)
		}
		for i, step := range s.Steps {
			lines = append(lines, strconv.Itoa(i+1)+". "+step)
		}
	}
	return lines
}

// indentStep lays out a step whose copy-as-is lines follow its first
// line.
func indentStep(first, rest, step string) []string {
	parts := strings.Split(step, "\n")
	out := []string{first + parts[0]}
	for _, p := range parts[1:] {
		out = append(out, rest+"  "+p)
	}
	return out
}
