package messages

import (
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// Server is one line of the settings card: a server the customer types
// into a mail client, and whether the check found it working.
type Server struct {
	Protocol string          `json:"protocol"` // IMAP, POP3, SMTP
	Host     string          `json:"host"`
	Port     int             `json:"port"`
	Security checks.Security `json:"security"`
	// Auth is true for outgoing servers: the guide requires SMTP
	// authentication (section 2, "Authentification requise : Oui").
	Auth  bool `json:"auth,omitempty"`
	Works bool `json:"works"`
	// Checked is false when the server's check did not run (skipped
	// behind a check it depends on) or could not tell: Works then says
	// nothing, and the card says "not checked", not "does not work".
	Checked bool `json:"-"`
	// Recommended marks the server to give first.
	Recommended bool `json:"recommended,omitempty"`
	// Check is the check that judged this server.
	Check checks.ID `json:"-"`
}

// SettingsCard is the settings of section 2 of the guide, for one
// report: the username, then the incoming and outgoing servers, the
// recommended one first.
type SettingsCard struct {
	// Username is the address checked or, when only a domain was given,
	// the guide's example "prenom.nom@domain" (in English
	// "firstname.lastname@domain": see In).
	Username string
	// Example is true when Username is the guide's example, not an
	// address the user gave.
	Example  bool
	Incoming []Server
	Outgoing []Server
}

// Settings builds the settings card of a report. Incoming: IMAP on 993
// (recommended by the guide, sections 2 and 6) then POP3 on 995, both
// SSL/TLS. Outgoing: SMTP on 465 with SSL/TLS, then 587 with STARTTLS
// (section 5.3), both with authentication. The second of a pair comes
// first when only it works.
func Settings(rep *checks.Report) SettingsCard {
	t := rep.Target
	card := SettingsCard{Username: t.Address}
	if card.Username == "" {
		card.Username = exampleUser(FR) + "@" + t.Domain
		card.Example = true
	}
	server := func(id checks.ID, protocol string, port int, sec checks.Security, auth bool) Server {
		s := Server{Protocol: protocol, Host: t.Host, Port: port, Security: sec, Auth: auth, Check: id}
		if res, ok := rep.Result(id); ok {
			s.Works = res.Status.Works()
			s.Checked = res.Status != checks.StatusSkip && res.Status != checks.StatusError
			if ep := res.Facts.Endpoint; ep != nil && ep.Host != "" {
				s.Host = ep.Host
			}
		}
		return s
	}
	card.Incoming = order(
		server(checks.IMAP993, "IMAP", checks.PortIMAPS, checks.SecurityTLS, false),
		server(checks.POP3995, "POP3", checks.PortPOP3S, checks.SecurityTLS, false))
	card.Outgoing = order(
		server(checks.SMTP465, "SMTP", checks.PortSubmissions, checks.SecurityTLS, true),
		server(checks.SMTP587, "SMTP", checks.PortSubmission, checks.SecurityStartTLS, true))
	return card
}

// order puts the guide's choice first unless only the fallback works,
// and marks the first as recommended.
func order(first, fallback Server) []Server {
	if !first.Works && fallback.Works {
		first, fallback = fallback, first
	}
	first.Recommended = true
	return []Server{first, fallback}
}

// setting writes a server the way the check labels do: "IMAP (port 993,
// SSL/TLS)".
func (s Server) setting() string {
	return s.Protocol + " (port " + strconv.Itoa(s.Port) + ", " + string(s.Security) + ")"
}

// working returns the servers that work, or the recommended one when
// none does: the guide's settings stay the answer once the host is fixed.
func working(list []Server) []Server {
	var out []Server
	for _, s := range list {
		if s.Works {
			out = append(out, s)
		}
	}
	if len(out) == 0 && len(list) > 0 {
		out = list[:1]
	}
	return out
}

// worksByID reports whether the check with this id works in the report.
func worksByID(rep *checks.Report, id checks.ID) bool {
	res, ok := rep.Result(id)
	return ok && res.Status.Works()
}

// failsByID reports whether the check with this id failed in the report.
func failsByID(rep *checks.Report, id checks.ID) bool {
	res, ok := rep.Result(id)
	return ok && res.Status == checks.StatusFail
}

// In returns the card as lang writes it: the guide's French example
// "prenom.nom@domain" becomes "firstname.lastname@domain" in English.
func (card SettingsCard) In(lang Lang) SettingsCard {
	if card.Example {
		if _, domain, ok := strings.Cut(card.Username, "@"); ok {
			card.Username = exampleUser(lang) + "@" + domain
		}
	}
	return card
}

// exampleUser is the local part of the language's example address:
// "prenom.nom" as in the guide, "firstname.lastname" in English.
func exampleUser(lang Lang) string {
	user, _, _ := strings.Cut(cat(lang).defaults["username"], "@")
	return user
}
