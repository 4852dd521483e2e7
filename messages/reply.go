package messages

import (
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
	c := cat(lang)
	w := c.reply
	v := NewView(rep, lang)
	vars := baseVars(rep, lang)
	vars["domain"] = v.Display

	var b strings.Builder
	para := func(lines ...string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		for _, l := range lines {
			b.WriteString(l)
			b.WriteString("\n")
		}
	}
	para(w.Greeting)
	para(fill(w.Intro, vars, lang))

	var ours, yours []Remedy
	var meanwhile []string
	for _, r := range v.Remedies {
		if r.Reply != "" {
			ours = append(ours, r)
		} else {
			yours = append(yours, r)
		}
		for _, s := range r.Workarounds {
			if !contains(meanwhile, s) {
				meanwhile = append(meanwhile, s)
			}
		}
	}
	if len(v.Remedies) == 0 {
		para(w.AllGood)
	}
	if len(ours) > 0 {
		lines := []string{w.WeFix}
		for _, r := range ours {
			if !contains(lines[1:], "- "+r.Reply) {
				lines = append(lines, "- "+r.Reply)
			}
		}
		para(lines...)
	}
	if len(meanwhile) > 0 {
		para(meanwhile...)
	}
	if len(yours) > 0 {
		lines := []string{w.YouDo}
		for i, r := range yours {
			lines = append(lines, strconv.Itoa(i+1)+". "+r.Message)
			for _, s := range r.Steps {
				lines = append(lines, indentStep("   - ", "     ", s)...)
			}
		}
		para(lines...)
	}

	// Section 2 of the guide, with the servers that work.
	card := v.Settings
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
	para(lines...)

	if client != "" {
		g := ClientGuide(card, client, lang)
		lines := []string{g.Title}
		for _, s := range g.Sections {
			if s.Title != "" {
				lines = append(lines, s.Title+strings.TrimRight(w.Colon, " "))
			}
			for i, step := range s.Steps {
				lines = append(lines, strconv.Itoa(i+1)+". "+step)
			}
		}
		para(lines...)
	}
	if len(v.Tips) > 0 {
		lines := []string{w.TipsIntro}
		for _, t := range v.Tips {
			for _, s := range t.Steps {
				lines = append(lines, "- "+s)
			}
		}
		para(lines...)
	}
	para(w.Closing)
	para(strings.Split(w.Signature, "\n")...)
	return b.String()
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
