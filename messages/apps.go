package messages

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// appOrder is the order the apps are named in, the client guides' own.
var appOrder = []string{"thunderbird", "outlook", "apple", "gmail"}

// appsSentence says in one sentence what each mail app's automatic setup
// does, from dns.autoconfig's Facts.Clients ({"thunderbird":
// "autoconfig", "outlook": "none", …}); Apple Mail and the Gmail app
// share a phrase when they do the same; the catalog's "sep" goes between
// two apps (" ; " in French). It returns "" when the catalog
// has no phrase for an outcome, so the caller's default applies.
func (c *catalog) appsSentence(clients map[string]string) string {
	var parts []string
	for _, app := range appOrder {
		out, ok := clients[app]
		if !ok {
			continue
		}
		key := app + "=" + out
		if app == "apple" && clients["gmail"] == out {
			key = "apple+gmail=" + out
		} else if app == "gmail" && clients["apple"] == out {
			continue
		}
		p, ok := c.apps[key]
		if !ok {
			return ""
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, c.apps["sep"]) + "."
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
