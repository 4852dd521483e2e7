package messages

import (
	"regexp"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// Entry is the catalog's wording of one finding code, in one language.
// Texts hold placeholders in braces ({domain}, {host}, {ports}…) that
// are filled from the finding's parameters and the report's target.
type Entry struct {
	// Title names the problem in a few words.
	Title string
	// Meaning says what it means for the customer, in one or two
	// sentences.
	Meaning string
	// Steps are the remedy, in order. A step may end with lines to copy
	// as they are (a DNS record): they follow its first line after "\n".
	Steps []string
	// Reply is, for causes only the host can fix, the sentence the
	// customer reply uses to say the host is fixing it.
	Reply string
}

// checkWords is the catalog's wording of one check.
type checkWords struct {
	Label   string
	Summary map[checks.Status]string
}

// Words are the fixed words renderers need: headings, labels, the
// statuses. They are part of a View so renderers hold no wording.
type Words struct {
	Checks        string // heading of the per-check lines
	Remedies      string // heading of the remedies
	HostSide      string // marks a remedy the host must carry out
	Tips          string // heading of the guide's troubleshooting tips
	Settings      string // heading of the settings card
	Username      string
	Password      string
	PasswordValue string // what to type as password
	Incoming      string
	Outgoing      string
	Recommended   string
	Works         string
	Fails         string
	NotChecked    string // a server of the settings card whose check did not run or could not tell
	AuthRequired  string
	Address       string // "Adresse", for the e-mail address checked
	Host          string // "Serveur", for the mail host
	Note          string
	Elapsed       string // "Vérifié en {elapsed}"
	// Colon separates a label from its value: " : " in French.
	Colon string
	// Slack actions.
	Rerun         string
	ChooseClient  string
	CustomerReply string
	Share         string
	// Status names a check status in plain words (text without colour).
	Status map[checks.Status]string
}

// catalog is all the wording of one language.
type catalog struct {
	codes map[checks.Code]Entry
	// variants word a code where its usual wording would not be true
	// (variant.go): only the fields they set replace the usual ones.
	variants     map[variantKey]Entry
	inputs       map[checks.InputReason]string
	inputExample string
	checks       map[checks.ID]checkWords
	// apps words what each mail app does, keyed "app=outcome" (apps.go).
	apps map[string]string
	// Summaries shared by every check.
	skipped, skippedAfter, couldNotTell string
	tips                                map[tip]Entry
	workarounds                         map[workaround]string
	notes                               map[note]string
	verdicts                            map[verdict]string
	words                               Words
	// authSteps are SPF and DMARC steps chosen from the whole report.
	authSteps map[authStep][]string
	// defaults fill a placeholder the finding did not give a value for.
	defaults map[string]string
	// Lists: "le port 993" and "les ports 993 et 995".
	portOne, portMany, and string
	// quote puts a piece of a record in the language's quotation marks.
	quoteOpen, quoteClose string
	decimalComma          bool
	clients               map[Client]clientWords
	reply                 replyWords
	party                 partyWords
}

// partyWords say who must fix a cause seen on a server that is not known
// to be the platform's: the server of the domain, run by someone else
// (the profile's ranges do not hold the address dialled), or by someone
// unknown (no profile). Only the platform's own servers get "we are
// fixing it".
type partyWords struct {
	// OwnerNeutral and OwnerOther mark a remedy in the report, as
	// Words.HostSide marks the platform's.
	OwnerNeutral, OwnerOther string
	// ReplyNeutral and ReplyOther head the customer reply's paragraph
	// of such causes; ReplyTell ends it.
	ReplyNeutral, ReplyOther, ReplyTell string
}

var catalogs = map[Lang]*catalog{FR: &catalogFR, EN: &catalogEN}

func cat(lang Lang) *catalog { return catalogs[lang.orDefault()] }

// CheckLabel names a check for people: "IMAP (port 993, SSL/TLS)".
func CheckLabel(lang Lang, id checks.ID) string {
	if w, ok := cat(lang).checks[id]; ok {
		return w.Label
	}
	return string(id)
}

// WordsFor returns the fixed words of a language.
func WordsFor(lang Lang) Words { return cat(lang).words }

// InputMessage explains in one line why an input was refused, with an
// example of a good one. command is how the user runs a check, e.g.
// "/mailsetup" in Slack or "mailsetup check" in a shell; empty means
// "/mailsetup".
func InputMessage(lang Lang, e *checks.InputError, command string) string {
	c := cat(lang)
	if command == "" {
		command = "/mailsetup"
	}
	in := e.Input
	if r := []rune(in); len(r) > 64 {
		in = string(r[:63]) + "…"
	}
	msg, ok := c.inputs[e.Reason]
	if !ok {
		msg = c.inputs[checks.InputBadChar]
	}
	vars := map[string]string{"input": in, "command": command}
	return fill(msg, vars, lang) + " " + fill(c.inputExample, vars, lang)
}

// placeholder matches {name} in catalog texts, and the plural selector
// {name|one|many} (plural.go).
var placeholder = regexp.MustCompile(`\{([a-z_]+)(?:\|([^{}|]*)\|([^{}|]*))?\}`)

// fill replaces each {name} of s by vars[name], or by the language's
// default for that name, and each {name|one|many} by the form the value
// of name asks for. Replacement is a single pass, so values that contain
// braces (a record, a banner) are left as they are. In French a value
// is joined to the word before it as the language wants ("d'example.com",
// "du port 465": elide).
func fill(s string, vars map[string]string, lang Lang) string {
	defaults := cat(lang).defaults
	return fillWith(s, lang, func(k string) (string, bool) {
		if v, ok := vars[k]; ok && v != "" {
			return v, true
		}
		v, ok := defaults[k]
		return v, ok
	})
}

// fillWith is fill with the values of value: a placeholder it has no
// value for is left as it is.
func fillWith(s string, lang Lang, value func(name string) (string, bool)) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		out := b.String() + s[last:m[0]]
		last = m[1]
		k := s[m[2]:m[3]]
		v, ok := value(k)
		switch {
		case m[4] >= 0 && singular(lang, v):
			v = s[m[4]:m[5]]
		case m[4] >= 0:
			v = s[m[6]:m[7]]
		case !ok:
			v = s[m[0]:m[1]]
		case lang.orDefault() == FR:
			out, v = elide(out, v)
		}
		b.Reset()
		b.WriteString(out + v)
	}
	return b.String() + s[last:]
}

// quote puts s in the language's quotation marks.
func (c *catalog) quote(s string) string { return c.quoteOpen + s + c.quoteClose }

// list joins items the way the language writes a list: "a, b et c".
func (c *catalog) list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + c.and + items[len(items)-1]
}
