package messages

import (
	"fmt"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
)

// DefaultTimeZone is the company's time zone, in which dates and times of
// changes are said unless configured otherwise.
const DefaultTimeZone = "Europe/Paris"

// Clock is when and where a report is read: dates are said relative to
// Now ("hier à 18 h 40") in Loc.
type Clock struct {
	Now time.Time
	// Loc is the time zone of the readers; nil means UTC.
	Loc *time.Location
}

func (c Clock) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// changeWords are the words of "what changed", per language.
type changeWords struct {
	title, unavailable             string
	months, weekdays               []string
	today, yesterday               string
	lastCheck                      string // "depuis la dernière vérification (%s)"
	sinceStreak                    string // "depuis %s (%s) : %s"
	checksOne, checksMany          string
	status                         map[checks.Status]string
	changed                        map[history.Kind]string // "MX modifié"
	none                           string
	portAnswering, portSilent      string
	certRenewed, certChanged       string
	validUntil                     string
	codes                          string
	timeline                       string
	timelineState                  string
	replyIntro                     string
	replyThing                     map[history.Kind]string
	morning, afternoon, evening    string
	thisMorning, thisAft, thisEven string
}

var changesFR = changeWords{
	title:       "Ce qui a changé",
	unavailable: "Historique indisponible : cette vérification n'est pas comparée aux précédentes.",
	months:      []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	weekdays:    []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	today:       "aujourd'hui", yesterday: "hier",
	lastCheck:   "depuis la dernière vérification (%s)",
	sinceStreak: "depuis %s (%s) : %s",
	checksOne:   "vérification", checksMany: "vérifications",
	status: map[checks.Status]string{
		checks.StatusFail: "%s en échec", checks.StatusWarn: "%s à surveiller",
		checks.StatusPass: "%s de nouveau OK", checks.StatusError: "%s impossible à vérifier",
	},
	changed: map[history.Kind]string{
		history.MXChanged: "MX modifié", history.HostAddresses: "adresses du serveur mail modifiées",
		history.SPFChanged: "SPF modifié", history.DMARCChanged: "DMARC modifié",
	},
	none:          "(aucun)",
	portAnswering: "%s : %s répond de nouveau", portSilent: "%s : %s ne répond plus",
	certRenewed: "certificat de %s renouvelé %s", certChanged: "certificat de %s remplacé %s",
	validUntil:    "valable jusqu'au %s",
	codes:         "%s : autre problème (%s, avant : %s)",
	timeline:      "Historique de %s (%s)",
	timelineState: "%s, %s : %s",
	replyIntro:    "Nous constatons que %s.",
	replyThing: map[history.Kind]string{
		history.MXChanged: "votre enregistrement MX a été modifié", history.HostAddresses: "l'adresse de votre serveur mail a été modifiée",
		history.SPFChanged: "votre enregistrement SPF a été modifié", history.DMARCChanged: "votre enregistrement DMARC a été modifié",
	},
	morning: "matin", afternoon: "après-midi", evening: "soir",
	thisMorning: "ce matin", thisAft: "cet après-midi", thisEven: "ce soir",
}

var changesEN = changeWords{
	title:       "What changed",
	unavailable: "History unavailable: this check is not compared with the previous ones.",
	months:      []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	weekdays:    []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	today:       "today", yesterday: "yesterday",
	lastCheck:   "since the last check (%s)",
	sinceStreak: "since %s (%s): %s",
	checksOne:   "check", checksMany: "checks",
	status: map[checks.Status]string{
		checks.StatusFail: "%s fails", checks.StatusWarn: "%s needs attention",
		checks.StatusPass: "%s OK again", checks.StatusError: "%s could not be checked",
	},
	changed: map[history.Kind]string{
		history.MXChanged: "MX changed", history.HostAddresses: "mail server addresses changed",
		history.SPFChanged: "SPF changed", history.DMARCChanged: "DMARC changed",
	},
	none:          "(none)",
	portAnswering: "%s: %s answers again", portSilent: "%s: %s no longer answers",
	certRenewed: "%s certificate renewed %s", certChanged: "%s certificate replaced %s",
	validUntil:    "valid until %s",
	codes:         "%s: another problem (%s, before: %s)",
	timeline:      "History of %s (%s)",
	timelineState: "%s, %s: %s",
	replyIntro:    "We see that %s.",
	replyThing: map[history.Kind]string{
		history.MXChanged: "your MX record was changed", history.HostAddresses: "the address of your mail server was changed",
		history.SPFChanged: "your SPF record was changed", history.DMARCChanged: "your DMARC record was changed",
	},
	morning: "morning", afternoon: "afternoon", evening: "evening",
	thisMorning: "this morning", thisAft: "this afternoon", thisEven: "this evening",
}

func changeWordsFor(lang Lang) changeWords {
	if lang.orDefault() == EN {
		return changesEN
	}
	return changesFR
}

// shortLabels name checks in a change line: "SMTP 465".
var shortLabels = map[checks.ID]string{
	checks.DNSHost: "DNS", checks.DNSMX: "MX", checks.DNSSPF: "SPF", checks.DNSDKIM: "DKIM", checks.DNSDMARC: "DMARC",
	checks.DNSAutoconfig: "autoconfig", checks.IMAP993: "IMAP 993", checks.POP3995: "POP3 995",
	checks.SMTP465: "SMTP 465", checks.SMTP587: "SMTP 587", checks.SMTP25: "SMTP 25",
}

func shortLabel(id checks.ID) string {
	if l, ok := shortLabels[id]; ok {
		return l
	}
	return string(id)
}

// clockTime is "14 h 02" in French, "14:02" in English.
func clockTime(t time.Time, lang Lang) string {
	if lang.orDefault() == EN {
		return t.Format("15:04")
	}
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// dayNumber is "1er" or "2" in French, "2" in English.
func dayNumber(d int, lang Lang) string {
	if d == 1 && lang.orDefault() == FR {
		return "1er"
	}
	return fmt.Sprint(d)
}

// calendarDate is "2 décembre" / "2 December", with the year when it is
// not now's.
func calendarDate(t, now time.Time, lang Lang) string {
	w := changeWordsFor(lang)
	s := dayNumber(t.Day(), lang) + " " + w.months[t.Month()-1]
	if t.Year() != now.Year() {
		s += fmt.Sprintf(" %d", t.Year())
	}
	return s
}

// daysBefore is how many calendar days t is before now (0 the same day).
func daysBefore(t, now time.Time) int {
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	a := time.Date(ty, tm, td, 12, 0, 0, 0, time.UTC)
	b := time.Date(ny, nm, nd, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

// Day says the day of t relative to the clock: "aujourd'hui", "hier",
// "lundi", "le 2 décembre" ("today", "yesterday", "on Monday", "on 2
// December").
func Day(t time.Time, c Clock, lang Lang) string {
	t, now := t.In(c.loc()), c.Now.In(c.loc())
	w := changeWordsFor(lang)
	en := lang.orDefault() == EN
	switch d := daysBefore(t, now); {
	case d == 0:
		return w.today
	case d == 1:
		return w.yesterday
	case d > 1 && d < 7:
		if en {
			return "on " + w.weekdays[t.Weekday()]
		}
		return w.weekdays[t.Weekday()]
	}
	if en {
		return "on " + calendarDate(t, now, lang)
	}
	return "le " + calendarDate(t, now, lang)
}

// At says a time relative to the clock: "aujourd'hui à 14 h 02", "hier à
// 18 h 40", "le 2 décembre à 9 h 05" ("today at 14:02"…).
func At(t time.Time, c Clock, lang Lang) string {
	at := " à "
	if lang.orDefault() == EN {
		at = " at "
	}
	return Day(t, c, lang) + at + clockTime(t.In(c.loc()), lang)
}

// since is the "depuis …" form of a time: "14 h 02 aujourd'hui", "hier
// 18 h 40", "le 2 décembre à 9 h 05" ("14:02 today", "yesterday
// 18:40"…).
func since(t time.Time, c Clock, lang Lang) string {
	t, now := t.In(c.loc()), c.Now.In(c.loc())
	w := changeWordsFor(lang)
	switch daysBefore(t, now) {
	case 0:
		return clockTime(t, lang) + " " + w.today
	case 1:
		return w.yesterday + " " + clockTime(t, lang)
	}
	return strings.TrimPrefix(At(t, c, lang), "on ")
}

func counted(n int, w changeWords) string {
	if n == 1 {
		return "1 " + w.checksOne
	}
	return fmt.Sprintf("%d %s", n, w.checksMany)
}

func values(vs []string, w changeWords) string {
	if len(vs) == 0 {
		return w.none
	}
	return strings.Join(vs, ", ")
}

func value(v string, w changeWords) string {
	if v == "" {
		return w.none
	}
	return v
}

// ChangeLine says one change in words, dated: "depuis 14 h 02
// aujourd'hui (3 vérifications) : SMTP 465 en échec", "MX modifié hier à
// 18 h 40 : mx1.ovh.net → client.com", "certificat de IMAP 993 renouvelé
// le 2 décembre (valable jusqu'au 1er mars 2027)". Values from the
// network are raw: renderers escape them. It returns "" for a change it
// does not tell (a check now skipped).
func ChangeLine(e history.Event, c Clock, lang Lang) string {
	w := changeWordsFor(lang)
	colon := " : "
	if lang.orDefault() == EN {
		colon = ": "
	}
	// when dates a change: first seen by this check, or at an earlier
	// one that later checks confirmed.
	when := func() string {
		if e.Checks <= 1 {
			return fmt.Sprintf(w.lastCheck, At(e.Previous, c, lang))
		}
		return At(e.At, c, lang)
	}
	switch e.Kind {
	case history.CheckStatus:
		f, ok := w.status[checks.Status(e.To)]
		if !ok {
			return ""
		}
		what := fmt.Sprintf(f, shortLabel(e.Check))
		if e.Checks <= 1 {
			return fmt.Sprintf(w.lastCheck, At(e.Previous, c, lang)) + colon + what
		}
		return fmt.Sprintf(w.sinceStreak, since(e.At, c, lang), counted(e.Checks, w), what)
	case history.CheckCodes:
		return fmt.Sprintf(w.codes, shortLabel(e.Check), strings.Join(e.ToValues, ", "), strings.Join(e.FromValues, ", ")) + ", " + when()
	case history.MXChanged, history.HostAddresses:
		return w.changed[e.Kind] + " " + when() + colon + values(e.FromValues, w) + " → " + values(e.ToValues, w)
	case history.SPFChanged, history.DMARCChanged:
		return w.changed[e.Kind] + " " + when() + colon + value(e.From, w) + " → " + value(e.To, w)
	case history.PortAnswering, history.PortSilent:
		f := w.portSilent
		if e.Kind == history.PortAnswering {
			f = w.portAnswering
		}
		return fmt.Sprintf(f, shortLabel(e.Check), fmt.Sprintf("%s:%d", e.Host, e.Port)) + ", " + when()
	case history.CertRenewed, history.CertChanged:
		f := w.certChanged
		if e.Kind == history.CertRenewed {
			f = w.certRenewed
		}
		// A certificate is renewed on a day: "le 2 décembre".
		d := "le " + calendarDate(e.At.In(c.loc()), c.Now.In(c.loc()), lang)
		if lang.orDefault() == EN {
			d = "on " + calendarDate(e.At.In(c.loc()), c.Now.In(c.loc()), lang)
		}
		if e.Checks <= 1 {
			d = when()
		}
		s := fmt.Sprintf(f, shortLabel(e.Check), d)
		if !e.NotAfter.IsZero() {
			s += " (" + fmt.Sprintf(w.validUntil, dayNumber(e.NotAfter.Day(), lang)+" "+w.months[e.NotAfter.Month()-1]+fmt.Sprintf(" %d", e.NotAfter.Year())) + ")"
		}
		return s
	}
	return ""
}

// ChangeLines says a domain's memory in words: one line per change, or
// one line saying the history is unavailable, or nothing when nothing
// changed.
func ChangeLines(m history.Memory, c Clock, lang Lang) []string {
	if m.Unavailable {
		return []string{changeWordsFor(lang).unavailable}
	}
	var out []string
	for _, e := range m.Events {
		if s := ChangeLine(e, c, lang); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WithMemory adds to the view what changed since the previous checks of
// its domain: Changes (its title ChangesTitle) are the lines rendered
// before the checks, HistoryUnavailable says history could not be used.
func (v *View) WithMemory(m history.Memory, c Clock) *View {
	v.HistoryUnavailable = m.Unavailable
	v.ChangesTitle = changeWordsFor(v.Lang).title
	v.Changes = nil
	v.ChangeEvents = nil
	for _, e := range m.Events {
		if s := ChangeLine(e, c, v.Lang); s != "" {
			v.Changes = append(v.Changes, s)
			v.ChangeEvents = append(v.ChangeEvents, e)
		}
	}
	if m.Unavailable {
		v.Changes = []string{changeWordsFor(v.Lang).unavailable}
	}
	return v
}

// period is the part of the day of t: "ce matin", "hier soir", "lundi"
// ("this morning", "yesterday evening", "on Monday").
func period(t time.Time, c Clock, lang Lang) string {
	w := changeWordsFor(lang)
	lt := t.In(c.loc())
	part, this := w.evening, w.thisEven
	switch h := lt.Hour(); {
	case h >= 5 && h < 12:
		part, this = w.morning, w.thisMorning
	case h >= 12 && h < 18:
		part, this = w.afternoon, w.thisAft
	}
	switch daysBefore(lt, c.Now.In(c.loc())) {
	case 0:
		return this
	case 1:
		if lang.orDefault() == EN {
			return "yesterday " + part
		}
		return "hier " + part
	}
	return Day(t, c, lang)
}

// ReplyChanges is the sentence of the customer reply that says what the
// customer changed, when it helps: "Nous constatons que votre
// enregistrement MX a été modifié hier soir." Only changes of the
// customer's DNS are said; "" when there is none.
func ReplyChanges(m history.Memory, c Clock, lang Lang) string {
	w := changeWordsFor(lang)
	var parts []string
	for _, e := range m.Events {
		thing, ok := w.replyThing[e.Kind]
		if !ok {
			continue
		}
		at := e.At
		if e.Checks <= 1 {
			at = e.Previous // changed since then: say the earliest it may have
		}
		parts = append(parts, thing+" "+period(at, c, lang))
	}
	if len(parts) == 0 {
		return ""
	}
	// "que A, que B et que C" / "that A, that B and that C".
	that, and := ", que ", " et que "
	if lang.orDefault() == EN {
		that, and = ", that ", " and that "
	}
	list := parts[len(parts)-1]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], that) + and + list
	}
	return fmt.Sprintf(w.replyIntro, list)
}

// TimelineLines says a domain's timeline (history.Timeline, oldest
// first) in words, newest first: one line per state, "hier à 18 h 40 →
// aujourd'hui à 14 h 02, 3 vérifications : MX modifié …".
func TimelineLines(domain string, states []history.State, c Clock, lang Lang) []string {
	w := changeWordsFor(lang)
	total := 0
	for _, s := range states {
		total += s.Checks
	}
	out := []string{fmt.Sprintf(w.timeline, domain, counted(total, w))}
	sw := WordsFor(lang).Status
	for i := len(states) - 1; i >= 0; i-- {
		s := states[i]
		var what []string
		for _, ch := range s.Changes {
			e := history.Event{Change: ch, At: s.Record.At, Checks: 2}
			if ch.Kind == history.CheckStatus {
				// The state's own line: what the check became.
				if f, ok := w.status[checks.Status(ch.To)]; ok {
					what = append(what, fmt.Sprintf(f, shortLabel(ch.Check)))
				}
				continue
			}
			if ch.Kind == history.PortAnswering || ch.Kind == history.PortSilent {
				continue // the status says it
			}
			if l := ChangeLine(e, c, lang); l != "" {
				what = append(what, stripWhen(l, e, c, lang))
			}
		}
		status := sw[s.Record.Status]
		if status == "" {
			status = string(s.Record.Status)
		}
		if len(what) == 0 {
			what = []string{status}
		} else {
			what = append([]string{status}, what...)
		}
		span := At(s.Record.At, c, lang)
		if s.Checks > 1 {
			span += " → " + At(s.Last, c, lang)
		}
		out = append(out, fmt.Sprintf(w.timelineState, span, counted(s.Checks, w), strings.Join(what, " · ")))
	}
	return out
}

// stripWhen removes the date ChangeLine puts in a line: a timeline line
// is dated already.
func stripWhen(line string, e history.Event, c Clock, lang Lang) string {
	at := At(e.At, c, lang)
	return strings.Replace(strings.Replace(line, ", "+at, "", 1), " "+at, "", 1)
}

// changes writes what changed, when something did, before the checks.
func (t *textWriter) changes(v *View) {
	if len(v.Changes) == 0 {
		return
	}
	t.blank()
	if !v.HistoryUnavailable {
		t.line(0, 0, t.style(ansiBold, v.ChangesTitle))
	}
	for _, l := range v.Changes {
		t.line(2, 4, "- "+Clean(l))
	}
}

// JSONChange is one change of JSONReport.Changes: history.Change's
// fields, when it was first seen, by how many checks, and in words.
type JSONChange struct {
	history.Event
	Text string `json:"text"`
}

// jsonChanges is the changes list of the JSON, nil when nothing changed.
func (v *View) jsonChanges() []JSONChange {
	var out []JSONChange
	for i, e := range v.ChangeEvents {
		if i < len(v.Changes) && !v.HistoryUnavailable {
			out = append(out, JSONChange{Event: e, Text: v.Changes[i]})
		}
	}
	return out
}

// StreakText says since when a check has had its status: "depuis 14 h 02
// aujourd'hui (3 vérifications)", "depuis au moins hier 18 h 40 (50
// vérifications)" when the streak reaches the oldest check kept.
func StreakText(s history.Streak, c Clock, lang Lang) string {
	w := changeWordsFor(lang)
	at := since(s.Since, c, lang)
	if s.AtLeast {
		if lang.orDefault() == EN {
			at = "at least " + at
		} else {
			at = "au moins " + at
		}
	}
	sinceWord := "depuis "
	if lang.orDefault() == EN {
		sinceWord = "since "
	}
	return sinceWord + at + " (" + counted(s.Checks, w) + ")"
}
