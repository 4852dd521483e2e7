package messages

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/triage"
)

// RenderExplanationText writes a triage answer for a terminal: the
// headline, what was recognised and which domain was checked, each cause
// with its outcome, evidence and steps, the customer reply, then the
// normal report of the domain (RenderText), within opts.Width columns.
func RenderExplanationText(w io.Writer, e *Explanation, opts TextOptions) error {
	width := opts.Width
	if width <= 0 || width > MaxWidth {
		width = MaxWidth
	}
	width = max(width, minWidth)
	t := &textWriter{w: bufio.NewWriter(w), width: width, color: opts.Color}
	ew := e.Words
	colon := cat(e.Lang).words.Colon
	t.line(0, 0, t.style(ansiBold, Clean(e.Headline)))
	if e.Unrecognised != "" {
		t.line(0, 2, Clean(e.Unrecognised))
	}
	if len(e.Recognised) > 0 {
		label := ew.Recognised
		if e.Unrecognised != "" {
			label = ew.AlsoRecognised
		}
		t.line(0, 2, label+colon+Clean(strings.Join(e.Recognised, ", ")))
	}
	if len(e.Domains) > 0 {
		t.line(0, 2, ew.Domains+colon+Clean(strings.Join(e.Domains, ", ")))
	}
	if e.Unrecognised != "" && len(e.Recognised) == 0 && len(e.Domains) == 0 {
		t.line(0, 2, ew.NothingRecognised)
	}
	if e.Choice != "" {
		t.line(0, 2, Clean(e.Choice))
	}
	for _, n := range e.Notes {
		t.line(0, 2, Clean(n))
	}
	for i, c := range e.Causes {
		t.blank()
		n := strconv.Itoa(i+1) + ". "
		in := 2 + len(n)
		t.line(0, in, t.style(ansiBold, n+Clean(c.Title))+" — "+t.style(outcomeColor[c.Outcome], strings.ToUpper(c.OutcomeText)))
		t.line(in, in+2, ew.Meaning+colon+Clean(c.Meaning))
		t.line(in, in+2, ew.Who+colon+Clean(c.Who))
		t.line(in, in+2, ew.Check+colon+Clean(c.Verdict))
		if c.Advice != "" {
			t.line(in, in+2, Clean(c.Advice))
		}
		if len(c.Evidence) > 0 {
			t.line(in, in, ew.Evidence+strings.TrimRight(colon, " "))
			for _, l := range c.Evidence {
				t.line(in+2, in+4, "- "+Clean(l))
			}
		}
		if len(c.Found) > 0 {
			t.line(in, in, ew.FoundByCheck+strings.TrimRight(colon, " "))
			for _, r := range c.Found {
				title := Clean(r.Title)
				if r.Owner != "" {
					title += " — " + Clean(r.Owner)
				}
				t.line(in+2, in+4, "- "+title+colon+Clean(r.Message))
				for _, s := range r.Steps {
					t.step(in+4, s)
				}
			}
		}
		t.line(in, in, ew.Steps+" ("+sectionWord(e.Lang, c.Section)+")"+strings.TrimRight(colon, " "))
		for _, s := range c.Steps {
			t.step(in+2, s)
		}
	}
	t.blank()
	t.line(0, 0, t.style(ansiBold, ew.Reply))
	// The reply is pasted as it is: not wrapped nor indented.
	for _, l := range strings.Split(strings.TrimRight(e.Reply, "\n"), "\n") {
		t.w.WriteString(Clean(l) + "\n")
	}
	if err := t.w.Flush(); err != nil {
		return err
	}
	if e.Report == nil {
		return nil
	}
	fmt.Fprintf(w, "\n%s\n", t.style(ansiBold, "── "+ew.Report+" · "+Clean(e.Report.Display)))
	if e.Unrecognised != "" {
		fmt.Fprintln(w, fill(ew.ReportIntro, map[string]string{"domain": Clean(e.Report.Display)}, e.Lang))
	}
	return RenderText(w, e.Report, opts)
}

var outcomeColor = map[triage.Outcome]string{triage.Confirmed: ansiRed, triage.RuledOut: ansiGreen, triage.Unknown: ansiYellow}

// sectionWord names a section of the guide: "guide, section 5.1".
func sectionWord(lang Lang, s triage.Section) string {
	if s == triage.SectionNone || s == "" {
		if lang.orDefault() == FR {
			return "hors guide"
		}
		return "not in the guide"
	}
	return "guide, section " + string(s)
}

// SectionWord names the guide's section of a cause for renderers:
// "guide, section 5.1", or that the guide is silent.
func SectionWord(lang Lang, s triage.Section) string { return sectionWord(lang, s) }

// JSONTriage is the `triage` object of the JSON report of `mailsetup
// explain` (docs/contract.md): what the pasted text yielded and what the
// check says of each cause. It holds no piece of the pasted text but the
// domains it names.
type JSONTriage struct {
	Recognised    bool              `json:"recognised"`
	Statuses      []string          `json:"statuses"`
	Replies       []int             `json:"replies"`
	ErrorNumbers  []string          `json:"error_numbers"`
	DSN           bool              `json:"dsn"`
	Sources       []string          `json:"sources"`
	Domain        string            `json:"domain"`
	DomainReason  triage.Reason     `json:"domain_reason"`
	DomainFound   string            `json:"domain_found,omitempty"`
	OtherDomains  []string          `json:"other_domains"`
	Headline      string            `json:"headline"`
	Notes         []string          `json:"notes"`
	Causes        []JSONTriageCause `json:"causes"`
	CustomerReply string            `json:"customer_reply"`
}

// JSONTriageCause is one cause of a JSONTriage.
type JSONTriageCause struct {
	Cause    triage.Cause         `json:"cause"`
	Section  triage.Section       `json:"section"`
	Actor    triage.Actor         `json:"actor"`
	Outcome  triage.Outcome       `json:"outcome"`
	Flags    []triage.Flag        `json:"flags"`
	Title    string               `json:"title"`
	Meaning  string               `json:"meaning"`
	Who      string               `json:"who"`
	Verdict  string               `json:"verdict"`
	Advice   string               `json:"advice,omitempty"`
	Evidence []JSONTriageEvidence `json:"evidence"`
	Steps    []string             `json:"steps"`
}

// JSONTriageEvidence is what one check said of a cause.
type JSONTriageEvidence struct {
	Check    checks.ID     `json:"check"`
	Status   checks.Status `json:"status"`
	Codes    []checks.Code `json:"codes"`
	Confirms []checks.Code `json:"confirms"`
}

// JSON returns the triage object of the explanation.
func (e *Explanation) JSON() JSONTriage {
	r := e.result
	out := JSONTriage{
		Recognised: len(e.Causes) > 0, Statuses: []string{}, Replies: []int{}, ErrorNumbers: []string{},
		DSN: r.DSN != nil, Sources: []string{}, Domain: e.Domain, DomainReason: e.choice.Reason, DomainFound: e.choice.Found,
		OtherDomains: append([]string{}, e.choice.Others...), Headline: e.Headline, Notes: []string{},
		Causes: []JSONTriageCause{}, CustomerReply: e.Reply,
	}
	if e.Choice != "" {
		out.Notes = append(out.Notes, e.Choice)
	}
	out.Notes = append(out.Notes, e.Notes...)
	for _, s := range r.Statuses {
		out.Statuses = append(out.Statuses, s.String())
	}
	for _, rp := range r.Replies {
		out.Replies = append(out.Replies, rp.Code)
	}
	out.ErrorNumbers = append(out.ErrorNumbers, r.ErrorNumbers...)
	for _, m := range r.Matches {
		if !slices.Contains(out.Sources, m.Source) {
			out.Sources = append(out.Sources, m.Source)
		}
	}
	for _, c := range e.Causes {
		jc := JSONTriageCause{Cause: c.Cause, Section: c.Section, Actor: c.Actor, Outcome: c.Outcome,
			Flags: append([]triage.Flag{}, c.Flags...), Title: c.Title, Meaning: c.Meaning, Who: c.Who,
			Verdict: c.Verdict, Advice: c.Advice, Evidence: []JSONTriageEvidence{}, Steps: append([]string{}, c.Steps...)}
		for _, ev := range c.evidence {
			jc.Evidence = append(jc.Evidence, JSONTriageEvidence{Check: ev.Check, Status: ev.Status,
				Codes: append([]checks.Code{}, ev.Codes...), Confirms: append([]checks.Code{}, ev.Confirms...)})
		}
		out.Causes = append(out.Causes, jc)
	}
	return out
}

// JSONExplanation is what `mailsetup explain --format json` prints: the
// JSON report of the domain checked (docs/contract.md) with its triage
// object; without a domain to check, the report's fields are absent and
// only schema_version, lang and triage are present.
type JSONExplanation struct {
	*JSONReport
	// SchemaVersion and Lang stand for the report's when there is none.
	SchemaVersion int        `json:"schema_version"`
	Lang          Lang       `json:"lang"`
	Triage        JSONTriage `json:"triage"`
}

// RenderExplanationJSON writes the explanation as JSON: the report of
// docs/contract.md with a triage object.
func RenderExplanationJSON(w io.Writer, e *Explanation) error {
	out := JSONExplanation{SchemaVersion: SchemaVersion, Lang: e.Lang, Triage: e.JSON()}
	if e.Report != nil {
		rep := e.Report.JSON()
		out.JSONReport = &rep
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("messages: encode JSON explanation: %w", err)
	}
	return nil
}
