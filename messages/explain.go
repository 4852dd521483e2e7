package messages

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/triage"
)

// Explanation is a triage answer in words: what the text the customer
// saw means, which domain was checked and why, and for each cause
// recognised whether the live check confirms it, rules it out or cannot
// tell, with the evidence, the guide's steps and a customer reply. Like
// a View, it is decided and localized; renderers only lay it out.
//
// It is built from what triage.Parse recognised, never from the pasted
// text itself: addresses other than the customer's are masked
// (triage.Mask), nothing else of the text is carried.
type Explanation struct {
	Lang Lang
	// Headline is "Ce que le client a vu : <cause> — <outcome>".
	Headline string
	// Recognised lists what was recognised in the text ("5.7.26 (code
	// d'état)", "Gmail"); Domains the domains it names.
	Recognised, Domains []string
	// Unrecognised is set when no cause was recognised: the sentence that
	// says so. No cause is then guessed.
	Unrecognised string
	// Domain is the domain checked, "" when none could be.
	Domain string
	// Choice says which domain was checked and why; Notes add the other
	// domains named, a mismatch with the domain given, or why nothing
	// was checked.
	Choice string
	Notes  []string
	Causes []CauseView
	// Report is the normal check of Domain; nil when nothing was checked.
	Report *View
	// Reply is a paste-ready answer to the customer, adapted to the
	// causes and to what the check found.
	Reply string
	// Audit is triage.Result.Audit: codes only, safe to log.
	Audit string
	// Words are the headings and labels renderers need.
	Words *ExplainWords
	// The data behind the words, for the JSON rendering.
	result *triage.Result
	choice triage.Choice
}

// CauseView is one recognised cause in words.
type CauseView struct {
	Cause   triage.Cause
	Section triage.Section
	Actor   triage.Actor
	Outcome triage.Outcome
	Flags   []triage.Flag
	Title   string
	// OutcomeText is the outcome in words: "confirmé par la vérification".
	OutcomeText string
	Meaning     string
	Who         string
	// Verdict says why the outcome: "Pas d'enregistrement SPF : c'est
	// pourquoi Gmail refuse le message."; Advice adds what the live
	// check allows (port 587 while 465 is down).
	Verdict, Advice string
	// Evidence is one line per check consulted: label, status, findings.
	Evidence []string
	// Found are the remedies of the report for the findings that confirm
	// the cause.
	Found []Remedy
	// Steps are the guide's steps for the cause, {domain} filled.
	Steps    []string
	evidence []triage.Evidence
}

// ExplainOptions are the choices of an explanation.
type ExplainOptions struct {
	// Example is the command that checks a domain with the text, shown
	// when none could be chosen: "mailsetup explain client.fr".
	Example string
	// BadDomain is set when the domain chosen from the text could not be
	// checked (not a valid domain).
	BadDomain bool
}

// NewExplanation puts a triage into words: r is what the text yielded,
// choice the domain picked (triage.Choose), rep the check of
// choice.Domain (nil when nothing was checked).
func NewExplanation(r *triage.Result, choice triage.Choice, rep *checks.Report, lang Lang, opts ExplainOptions) *Explanation {
	lang = lang.orDefault()
	w := explainFor(lang)
	c := cat(lang)
	e := &Explanation{Lang: lang, Words: w, result: r, choice: choice, Audit: r.Audit()}
	if rep != nil {
		e.Report = NewView(rep, lang)
		e.Domain = rep.Target.Domain
	}
	domain := cmp.Or(e.Domain, choice.Domain)
	mask := func(s string) string { return triage.Mask(s, domain) }
	e.Recognised = recognised(r, w)
	e.Domains = namedDomains(r)
	if opts.Example == "" {
		opts.Example = "mailsetup explain client.fr"
	}
	switch {
	case choice.Domain == "" || choice.Reason == triage.ReasonNone:
		e.Notes = append(e.Notes, fill(w.NoDomain, map[string]string{"example": opts.Example}, lang))
	case opts.BadDomain:
		e.Notes = append(e.Notes, fill(w.BadDomain, map[string]string{"domain": choice.Domain, "example": opts.Example}, lang))
	default:
		e.Choice = fill(w.Reason[choice.Reason], map[string]string{"domain": domain, "who": mask(cmp.Or(r.ChosenFrom(choice), choice.Domain))}, lang)
	}
	if choice.Found != "" {
		e.Notes = append(e.Notes, fill(w.Found, map[string]string{"found": choice.Found, "domain": domain}, lang))
	}
	if len(choice.Others) > 0 {
		e.Notes = append(e.Notes, fill(w.Others, map[string]string{"list": c.list(choice.Others)}, lang))
	}
	for _, v := range triage.Evaluate(r, rep) {
		e.Causes = append(e.Causes, causeView(v, r, choice, rep, e.Report, lang))
	}
	switch {
	case len(e.Causes) == 0:
		e.Unrecognised = w.Unrecognised
		e.Headline = w.Heading + c.words.Colon + strings.TrimSuffix(strings.SplitN(w.Unrecognised, c.words.Colon, 2)[0], ".")
	case len(e.Causes) == 1:
		e.Headline = w.Heading + c.words.Colon + e.Causes[0].Title + " — " + e.Causes[0].OutcomeText
	default:
		e.Headline = w.Heading + c.words.Colon + e.Causes[0].Title + " (+" + strconv.Itoa(len(e.Causes)-1) + ") — " + e.Causes[0].OutcomeText
	}
	e.Reply = explainReply(e, rep)
	return e
}

// recognised lists the codes, error numbers and sources found.
func recognised(r *triage.Result, w *ExplainWords) []string {
	var out []string
	for _, s := range r.Statuses {
		out = append(out, s.String()+" ("+w.Kinds["status"]+")")
	}
	for _, rp := range r.Replies {
		s := strconv.Itoa(rp.Code) + " (" + w.Kinds["reply"] + ")"
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, n := range r.ErrorNumbers {
		out = append(out, "0x"+strings.ToUpper(strings.TrimPrefix(n, "0x"))+" ("+w.Kinds["error"]+")")
	}
	if r.DSN != nil {
		out = append(out, w.Kinds["dsn"])
	}
	for _, m := range r.Matches {
		if name, ok := w.Sources[m.Source]; ok && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// namedDomains lists the domains the text names: every address's own
// domain, and the registered domain of a host named in a role (links
// and message ids left out).
func namedDomains(r *triage.Result) []string {
	var out []string
	for _, m := range r.Mentions {
		d := m.Domain()
		if m.Address != "" {
			d = m.Host
		}
		if (m.Address != "" || m.Role != triage.RoleOther) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func causeView(v triage.Verdict, r *triage.Result, choice triage.Choice, rep *checks.Report, view *View, lang Lang) CauseView {
	w := explainFor(lang)
	c := cat(lang)
	domain := choice.Domain
	if rep != nil {
		domain = rep.Target.Domain
	}
	vars := map[string]string{"domain": cmp.Or(domain, c.defaults["domain"])}
	tt, _ := TriageLookup(lang, v.Cause)
	cv := CauseView{Cause: v.Cause, Section: v.Info.Section, Actor: v.Info.Actor, Outcome: v.Outcome, Flags: v.Flags,
		Title: tt.Title, OutcomeText: w.Outcome[v.Outcome], Meaning: fill(tt.Meaning, vars, lang), Who: tt.Who, evidence: v.Evidence}
	for _, s := range tt.Steps {
		cv.Steps = append(cv.Steps, fill(s, vars, lang))
	}
	if v.Outcome == triage.Unknown && slices.Contains(v.Flags, triage.FlagServersOK) {
		cv.OutcomeText = w.ServersFine
	}
	use587 := slices.Contains(v.Flags, triage.FlagUse587)
	if use587 {
		cv.Advice = w.Use587
		step := fill(stepTry587[lang.orDefault()], vars, lang)
		cv.Steps = append([]string{step}, slices.DeleteFunc(cv.Steps, func(s string) bool { return s == step })...)
	}
	var confirms []checks.Code
	for _, ev := range v.Evidence {
		cv.Evidence = append(cv.Evidence, evidenceLine(ev, view, lang))
		for _, code := range ev.Confirms {
			if !slices.Contains(confirms, code) {
				confirms = append(confirms, code)
			}
		}
	}
	if view != nil {
		for _, rem := range view.Remedies {
			if slices.Contains(confirms, rem.Code) {
				cv.Found = append(cv.Found, rem)
			}
		}
	}
	switch {
	case v.Outcome == triage.Confirmed:
		var titles []string
		for _, rem := range cv.Found {
			titles = append(titles, rem.Title)
		}
		if len(titles) == 0 {
			for _, code := range confirms {
				titles = append(titles, fill(c.codes[code].Title, baseVars(rep, lang), lang))
			}
		}
		tmpl := w.ConfirmedClient
		if r.DSN != nil || v.Info.Section == triage.SectionDNS || strings.HasPrefix(string(v.Cause), "send.") && !clientError(r) {
			tmpl = w.ConfirmedBounce
		}
		cv.Verdict = fill(tmpl, map[string]string{"list": c.list(titles), "provider": provider(r, choice, w)}, lang)
	case v.Outcome == triage.RuledOut:
		cv.Verdict = fill(cmp.Or(w.RuledOut[v.Cause], w.RuledOutDefault), vars, lang)
	case slices.Contains(v.Flags, triage.FlagOtherDomain):
		cv.Verdict = fill(w.OtherDomain, vars, lang)
	case rep == nil:
		cv.Verdict = w.NoReport
	case len(v.Info.Checks) == 0:
		cv.Verdict = w.NoCheck
	case len(v.Evidence) == 0:
		cv.Verdict = w.NotRun
	case slices.Contains(v.Flags, triage.FlagServersOK):
		cv.Verdict = fill(cmp.Or(w.ServersOK[v.Cause], w.ServersOKDefault), vars, lang)
	default:
		cv.Verdict = w.Undecided
	}
	return cv
}

// stepTry587 is the guide's step 5.3 for port 587, as the triage
// wording quotes it.
var stepTry587 = map[Lang]string{FR: guideFR53b, EN: guideEN53b}

// clientError reports whether the text is a mail client's error rather
// than a bounce.
func clientError(r *triage.Result) bool {
	if len(r.ErrorNumbers) > 0 {
		return true
	}
	return slices.ContainsFunc(r.Matches, func(m triage.Entry) bool {
		switch m.Source {
		case "outlook", "thunderbird", "apple", "android":
			return true
		}
		return false
	})
}

// provider names who refused the message: the provider whose bounce
// text matched, else the recipient's domain, else "the recipient's
// server".
func provider(r *triage.Result, choice triage.Choice, w *ExplainWords) string {
	for _, m := range r.Matches {
		switch m.Source {
		case "gmail", "microsoft", "yahoo":
			return w.Sources[m.Source]
		}
	}
	if len(choice.Others) > 0 {
		return choice.Others[0]
	}
	return w.Recipient
}

// evidenceLine is one check consulted: "SMTP (port 465, SSL/TLS) :
// ÉCHEC — Port fermé (tcp.refused)".
func evidenceLine(ev triage.Evidence, view *View, lang Lang) string {
	c := cat(lang)
	word := c.words.Status[ev.Status]
	line := CheckLabel(lang, ev.Check) + c.words.Colon + cmp.Or(word, string(ev.Status))
	var found []string
	for _, code := range ev.Codes {
		title := string(code)
		if view != nil {
			for _, l := range view.Checks {
				if l.ID != ev.Check {
					continue
				}
				for _, f := range l.Findings {
					if f.Code == code && f.Title != "" {
						title = f.Title + " (" + string(code) + ")"
					}
				}
			}
		}
		found = append(found, title)
	}
	if len(found) > 0 {
		line += " — " + strings.Join(found, ", ")
	}
	return line
}

// explainReply writes the customer reply of an explanation: what the
// message means, what the check found, who acts and what to do, the
// settings of section 2 when the cause is the mail app's.
func explainReply(e *Explanation, rep *checks.Report) string {
	lang := e.Lang
	w := e.Words
	rw := cat(lang).reply
	if len(e.Causes) == 0 {
		if rep == nil {
			var b paragraphs
			b.add(rw.Greeting)
			b.add(w.ReplyUnrecognised)
			b.add(rw.Closing)
			b.add(strings.Split(rw.Signature, "\n")...)
			return b.String()
		}
		body := CustomerReply(rep, lang, "")
		greeting, rest, _ := strings.Cut(body, "\n\n")
		return greeting + "\n\n" + w.ReplyUnrecognised + "\n\n" + rest
	}
	var b paragraphs
	b.add(rw.Greeting)
	if e.Domain != "" {
		b.add(fill(w.ReplyIntro, map[string]string{"domain": e.Domain}, lang))
	} else {
		b.add(w.ReplyIntroNoDomain)
	}
	settings := false
	for _, cv := range e.Causes {
		lines := []string{cv.Title + rw.Colon + cv.Meaning}
		if cv.Outcome == triage.Confirmed {
			lines = append(lines, cv.Verdict)
		}
		// What the check found on a server: ours to fix (the profile
		// says the server is the platform's), or whoever runs it.
		ours, theirs, _, _ := splitRemedies(cv.Found)
		if len(ours) > 0 {
			lines = append(lines, replyWeFix(rw, ours)[1:]...)
		}
		b.add(lines...)
		if len(theirs) > 0 {
			vars := map[string]string{"domain": e.Domain}
			if rep != nil {
				vars = baseVars(rep, lang)
			}
			b.add(replyTheirs(cat(lang).party, theirs, vars, lang)...)
		}
		switch {
		case cv.Actor == triage.ActorHost:
			b.add(w.ReplyHost)
		case cv.Actor == triage.ActorRecipient:
			b.add(append([]string{w.ReplyRecipient}, bullets(cv.Steps)...)...)
		case len(ours)+len(theirs) > 0:
			// The check found the fault on a server: the customer only
			// has the workaround, if any.
			if slices.Contains(cv.Flags, triage.FlagUse587) {
				b.add(w.ReplyUse587)
				settings = true
			}
		default:
			if cv.Outcome == triage.RuledOut || slices.Contains(cv.Flags, triage.FlagServersOK) {
				b.add(w.ReplyServersOK)
			}
			b.add(append([]string{w.ReplyYouDo}, bullets(cv.Steps)...)...)
			switch cv.Section {
			case triage.SectionSettings, triage.SectionAuth, triage.SectionConnection, triage.SectionSending:
				settings = true
			}
		}
	}
	if settings && rep != nil {
		vars := baseVars(rep, lang)
		vars["domain"] = cmp.Or(rep.Target.Display, rep.Target.Domain)
		b.add(replySettings(lang, Settings(rep), vars)...)
	}
	b.add(rw.Closing)
	b.add(strings.Split(rw.Signature, "\n")...)
	return b.String()
}

// bullets makes "- step" lines, a step's copy-as-is lines indented.
func bullets(steps []string) []string {
	var out []string
	for _, s := range steps {
		out = append(out, indentStep("- ", "  ", s)...)
	}
	return out
}
