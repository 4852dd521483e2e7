package messages

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
)

// View is a report in words: everything a renderer shows, already
// localized and decided, so renderers only lay it out. Text in a View
// that came from the network or the user (domain, address, details,
// records) is raw: each renderer escapes it for its medium.
type View struct {
	Lang Lang
	// Domain is the domain checked (ASCII), Display the same for people
	// (Unicode), Address the e-mail address given, if any, Host the
	// mail server checked.
	Domain, Display, Address, Host string
	Status                         checks.Status
	// Verdict says the status in words ("1 problème à corriger") and
	// Headline prefixes it with the domain.
	Verdict, Headline string
	Checks            []CheckLine
	Remedies          []Remedy
	// Tips are the guide's troubleshooting steps (section 5), given
	// when nothing fails.
	Tips     []Remedy
	Settings SettingsCard
	// Certificates are the distinct certificates the findings' evidence
	// refers to, each shown once.
	Certificates []Certificate
	Elapsed      time.Duration
	// ElapsedText is "Vérifié en 1,2 s".
	ElapsedText string
	// Notes explain how the input was read ("J'ai pris le domaine de
	// l'adresse web : client.com").
	Notes []string
	Words Words
	// Changes say what changed since the previous checks of the domain
	// (WithMemory), under ChangesTitle; when HistoryUnavailable, the one
	// line saying history could not be used. ChangeEvents are the
	// changes said, for the JSON.
	Changes            []string
	ChangesTitle       string
	ChangeEvents       []history.Event
	HistoryUnavailable bool
}

// CheckLine is one check of a View.
type CheckLine struct {
	ID      checks.ID
	Label   string // "IMAP (port 993, SSL/TLS)"
	Status  checks.Status
	Summary string
	Elapsed time.Duration
	// Findings are all the check's findings, info ones included.
	Findings []FindingLine
}

// FindingLine is one finding in words.
type FindingLine struct {
	Code     checks.Code
	Severity checks.Severity
	Title    string
	// Message is the finding's meaning for the customer.
	Message string
	// Detail is the checker's technical, untranslated detail (JSON).
	Detail string
	// Evidence is the detail as people read it (text, Slack): a
	// certificate finding's reason labelled in the view's language with
	// a reference to its entry in View.Certificates, any other finding's
	// detail as is. Values are raw.
	Evidence string
}

// Shown reports whether a finding belongs in a human rendering: info
// findings are observations the summary already covers.
func (f FindingLine) Shown() bool { return f.Severity.Status() != checks.StatusPass }

// note names an explanation of how the input was read.
type note string

const (
	noteURL     note = "url"
	noteURLWWW  note = "url_www"
	noteHost    note = "host"
	noteExample note = "example"
)

// verdict names a report verdict.
type verdict string

const (
	verdictPass       verdict = "pass"
	verdictWarnOne    verdict = "warn_one"
	verdictWarnMany   verdict = "warn_many"
	verdictFailOne    verdict = "fail_one"
	verdictFailMany   verdict = "fail_many"
	verdictIncomplete verdict = "incomplete"
	verdictHeadline   verdict = "headline"
)

// NewView puts a report into words. An unknown lang means FR.
func NewView(rep *checks.Report, lang Lang) *View {
	lang = lang.orDefault()
	c := cat(lang)
	t := rep.Target
	v := &View{
		Lang:     lang,
		Domain:   t.Domain,
		Display:  cmp.Or(t.Display, t.Domain),
		Address:  t.Address,
		Host:     cmp.Or(t.Host, t.Domain),
		Status:   rep.Status,
		Remedies: Remedies(rep, lang),
		Tips:     Tips(rep, lang),
		Settings: Settings(rep).In(lang),
		Elapsed:  rep.Elapsed,
		Words:    c.words,
	}
	if v.Status == "" {
		v.Status = checks.Overall(rep.Results)
	}
	base := baseVars(rep, lang)
	for _, res := range rep.Results {
		v.Checks = append(v.Checks, checkLine(rep, res, lang, base))
	}
	v.certificates()
	v.Verdict = verdictOf(v, c)
	v.Headline = fill(c.verdicts[verdictHeadline], map[string]string{"domain": v.Display, "verdict": v.Verdict}, lang)
	v.ElapsedText = fill(c.words.Elapsed, map[string]string{"elapsed": FormatDuration(rep.Elapsed, lang)}, lang)
	switch {
	case t.FromURL && t.WWWDropped:
		v.Notes = append(v.Notes, fill(c.notes[noteURLWWW], base, lang))
	case t.FromURL:
		v.Notes = append(v.Notes, fill(c.notes[noteURL], base, lang))
	}
	if t.Host != "" && t.Host != t.Domain {
		v.Notes = append(v.Notes, fill(c.notes[noteHost], base, lang))
	}
	if v.Settings.Example {
		v.Notes = append(v.Notes, fill(c.notes[noteExample], base, lang))
	}
	return v
}

func checkLine(rep *checks.Report, res checks.Result, lang Lang, base map[string]string) CheckLine {
	c := cat(lang)
	line := CheckLine{ID: res.ID, Label: CheckLabel(lang, res.ID), Status: res.Status, Elapsed: res.Elapsed}
	for _, f := range res.Findings {
		fv := findingVars(rep, res, f, lang)
		fl := FindingLine{Code: f.Code, Severity: f.Severity, Detail: f.Detail, Evidence: f.Detail}
		var ports []int
		if p := findingPort(res, f); p > 0 {
			ports = []int{p}
		}
		if e, ok := c.entry(f.Code, variantFor(f.Code, f.Severity, ports)); ok {
			fl.Title = fill(e.Title, fv, lang)
			fl.Message = fill(e.Meaning, fv, lang)
		} else {
			fl.Title = string(f.Code)
		}
		line.Findings = append(line.Findings, fl)
	}
	sv := map[string]string{}
	for k, val := range base {
		sv[k] = val
	}
	if a := res.Facts.Addresses; len(a) > 0 {
		sv["addresses"] = c.list(clip(a, 3))
	}
	if mx := res.Facts.MXHosts; len(mx) > 0 {
		sv["mx_list"] = c.list(clip(mx, 3))
	}
	if ep := res.Facts.Endpoint; ep != nil && ep.Host != "" {
		sv["host"] = ep.Host
	}
	if cl := res.Facts.Clients; len(cl) > 0 {
		if a := c.appsSentence(cl); a != "" {
			sv["apps"] = a
		}
	}
	if res.Has(checks.OutgoingNone) {
		// Nothing was looked at: the pass says so, not "all clean".
		if e, ok := c.entry(checks.OutgoingNone, ""); ok {
			sv["outgoing"] = e.Meaning
		}
	}
	switch res.Status {
	case checks.StatusSkip:
		line.Summary = c.skipped
		for _, f := range res.Findings {
			if d := f.Params["dependency"]; d != "" {
				line.Summary = fill(c.skippedAfter, map[string]string{"dependency": CheckLabel(lang, checks.ID(d))}, lang)
				break
			}
		}
	case checks.StatusError:
		// The checker could not tell; the finding says why.
		line.Summary = c.couldNotTell
	default:
		if w, ok := c.checks[res.ID]; ok {
			line.Summary = fill(w.Summary[res.Status], sv, lang)
		}
	}
	return line
}

// clip keeps the first n items and marks the cut with "…".
func clip(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(append([]string(nil), items[:n-1]...), items[n-1]+"…")
}

func verdictOf(v *View, c *catalog) string {
	n := len(v.Remedies)
	vars := map[string]string{"n": strconv.Itoa(n)}
	hasError := false
	for _, l := range v.Checks {
		if l.Status == checks.StatusError {
			hasError = true
		}
	}
	switch {
	case v.Status == checks.StatusFail && n == 1:
		return c.verdicts[verdictFailOne]
	case v.Status == checks.StatusFail:
		return fillPlain(c.verdicts[verdictFailMany], vars)
	case hasError:
		return c.verdicts[verdictIncomplete]
	case v.Status == checks.StatusWarn && n == 1:
		return c.verdicts[verdictWarnOne]
	case v.Status == checks.StatusWarn:
		return fillPlain(c.verdicts[verdictWarnMany], vars)
	}
	return c.verdicts[verdictPass]
}

// fillPlain fills without language defaults.
func fillPlain(s string, vars map[string]string) string {
	for k, val := range vars {
		s = strings.ReplaceAll(s, "{"+k+"}", val)
	}
	return s
}

// FormatDuration writes a run time for people: "340 ms", "1,2 s" in
// French, "1.2 s" in English, "1 min 5 s".
func FormatDuration(d time.Duration, lang Lang) string {
	switch {
	case d < 0:
		d = 0
	case d >= time.Minute:
		d = d.Round(time.Second)
		return strconv.Itoa(int(d/time.Minute)) + " min " + strconv.Itoa(int(d%time.Minute/time.Second)) + " s"
	}
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	s := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
	if cat(lang).decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " s"
}
