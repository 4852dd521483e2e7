package messages

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// SchemaVersion is the version of the JSON of docs/contract.md. Fields are
// only ever added to a version.
const SchemaVersion = 1

// JSONReport is the JSON rendering of a View (`--format json`), and
// what DecodeJSON reads back from a previous run.
type JSONReport struct {
	SchemaVersion int           `json:"schema_version"`
	Domain        string        `json:"domain"`
	Address       string        `json:"address"`
	Host          string        `json:"host"`
	Status        checks.Status `json:"status"`
	Lang          Lang          `json:"lang"`
	ElapsedMS     int64         `json:"elapsed_ms"`
	Checks        []JSONCheck   `json:"checks"`
	Remedies      []JSONRemedy  `json:"remedies"`
	Settings      JSONSettings  `json:"settings"`
	// Changes are what changed since the previous checks of the domain
	// (absent when nothing changed or without history); HistoryUnavailable is set when the
	// history could not be read or written.
	Changes            []JSONChange `json:"changes,omitempty"`
	HistoryUnavailable bool         `json:"history_unavailable,omitempty"`
	// ClientGuide is the where-to-click guide of one mail app (`check
	// --client`), absent unless asked for.
	ClientGuide *JSONGuide `json:"client_guide,omitempty"`
	// CustomerReply is the paste-ready reply to the customer (`check
	// --reply`), absent unless asked for.
	CustomerReply string `json:"customer_reply,omitempty"`
}

// JSONGuide is a client guide of a JSONReport.
type JSONGuide struct {
	Client   Client             `json:"client"`
	Name     string             `json:"name"`
	Title    string             `json:"title"`
	Sections []JSONGuideSection `json:"sections"`
}

// JSONGuideSection is one part of a JSONGuide; Title is "" for the
// guides that have a single part.
type JSONGuideSection struct {
	Title string   `json:"title"`
	Steps []string `json:"steps"`
}

// JSON returns the guide in the shape of a JSONReport's client_guide.
func (g Guide) JSON() *JSONGuide {
	out := &JSONGuide{Client: g.Client, Name: g.Name, Title: g.Title, Sections: []JSONGuideSection{}}
	for _, s := range g.Sections {
		out.Sections = append(out.Sections, JSONGuideSection{Title: s.Title, Steps: append([]string{}, s.Steps...)})
	}
	return out
}

// JSONCheck is one check of a JSONReport.
type JSONCheck struct {
	ID        checks.ID     `json:"id"`
	Status    checks.Status `json:"status"`
	Summary   string        `json:"summary"`
	ElapsedMS int64         `json:"elapsed_ms"`
	Findings  []JSONFinding `json:"findings"`
}

// JSONFinding is one finding; info findings have severity "info".
type JSONFinding struct {
	Code     checks.Code     `json:"code"`
	Severity checks.Severity `json:"severity"`
	Message  string          `json:"message"`
	Detail   string          `json:"detail,omitempty"`
}

// JSONRemedy is one remedy.
type JSONRemedy struct {
	Code  checks.Code `json:"code"`
	Title string      `json:"title"`
	Steps []string    `json:"steps"`
}

// JSONSettings is the settings card.
type JSONSettings struct {
	Username string         `json:"username"`
	Incoming []JSONIncoming `json:"incoming"`
	Outgoing []JSONOutgoing `json:"outgoing"`
}

// JSONIncoming is an incoming server of the settings card.
type JSONIncoming struct {
	Protocol string          `json:"protocol"`
	Host     string          `json:"host"`
	Port     int             `json:"port"`
	Security checks.Security `json:"security"`
	Works    bool            `json:"works"`
}

// JSONOutgoing is an outgoing server of the settings card.
type JSONOutgoing struct {
	Protocol string          `json:"protocol"`
	Host     string          `json:"host"`
	Port     int             `json:"port"`
	Security checks.Security `json:"security"`
	Auth     bool            `json:"auth"`
	Works    bool            `json:"works"`
}

// JSON returns the view in the shape of docs/contract.md's schema_version 1.
func (v *View) JSON() JSONReport {
	out := JSONReport{
		SchemaVersion:      SchemaVersion,
		Domain:             v.Domain,
		Address:            v.Address,
		Host:               v.Host,
		Status:             v.Status,
		Lang:               v.Lang,
		ElapsedMS:          v.Elapsed.Milliseconds(),
		Checks:             []JSONCheck{},
		Remedies:           []JSONRemedy{},
		Changes:            v.jsonChanges(),
		HistoryUnavailable: v.HistoryUnavailable,
		Settings: JSONSettings{
			Username: v.Settings.Username,
			Incoming: []JSONIncoming{},
			Outgoing: []JSONOutgoing{},
		},
	}
	for _, l := range v.Checks {
		jc := JSONCheck{ID: l.ID, Status: l.Status, Summary: l.Summary, ElapsedMS: l.Elapsed.Milliseconds(), Findings: []JSONFinding{}}
		for _, f := range l.Findings {
			jc.Findings = append(jc.Findings, JSONFinding{Code: f.Code, Severity: f.Severity, Message: f.Message, Detail: f.Detail})
		}
		out.Checks = append(out.Checks, jc)
	}
	for _, r := range v.Remedies {
		out.Remedies = append(out.Remedies, JSONRemedy{Code: r.Code, Title: r.Title, Steps: r.Steps})
	}
	for _, s := range v.Settings.Incoming {
		out.Settings.Incoming = append(out.Settings.Incoming, JSONIncoming{s.Protocol, s.Host, s.Port, s.Security, s.Works})
	}
	for _, s := range v.Settings.Outgoing {
		out.Settings.Outgoing = append(out.Settings.Outgoing, JSONOutgoing{s.Protocol, s.Host, s.Port, s.Security, s.Auth, s.Works})
	}
	return out
}

// RenderJSON writes the view as docs/contract.md's JSON, indented, with "<",
// ">" and "&" left as they are (the consumer is a program, not a page).
func RenderJSON(w io.Writer, v *View) error {
	return WriteJSON(w, v.JSON(), "  ")
}

// WriteJSON writes x as JSON followed by a newline, indented by indent
// ("" for one object per line, JSON Lines). Control characters are
// escaped by encoding/json; the bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which JSON may carry raw, are written
// as \u escapes too, so that a terminal showing the output cannot be
// reordered by a hostile record. The decoded values are unchanged.
func WriteJSON(w io.Writer, x any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return fmt.Errorf("messages: encode JSON: %w", err)
	}
	if _, err := io.WriteString(w, bidiJSON.Replace(buf.String())); err != nil {
		return fmt.Errorf("messages: write JSON: %w", err)
	}
	return nil
}

// bidiJSON replaces each bidirectional control by its JSON escape.
var bidiJSON = func() *strings.Replacer {
	var pairs []string
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		pairs = append(pairs, string(r), fmt.Sprintf("\\u%04x", r))
	}
	return strings.NewReplacer(pairs...)
}()

// DecodeJSON reads back what RenderJSON wrote, for comparing a run with
// a previous one. It refuses another schema version; unknown fields,
// added by later versions of the same schema, are ignored.
func DecodeJSON(r io.Reader) (*JSONReport, error) {
	var out JSONReport
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, fmt.Errorf("messages: decode JSON report: %w", err)
	}
	if out.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("messages: JSON report has schema_version %d, want %d", out.SchemaVersion, SchemaVersion)
	}
	return &out, nil
}
