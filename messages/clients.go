package messages

import (
	"strconv"
	"strings"
)

// Client is a mail client the guide has a page for ("Configuration sur
// Apple, Gmail, Outlook, Thunderbird"), a phone app, or Generic: the
// guide's own steps 3.A and 3.B.
type Client string

// The clients.
const (
	Generic     Client = "generic"
	Outlook     Client = "outlook"
	Thunderbird Client = "thunderbird"
	Apple       Client = "apple"
	Gmail       Client = "gmail"
	Mobile      Client = "mobile"
)

// Clients lists the clients offered to choose from, in menu order.
var Clients = []Client{Outlook, Thunderbird, Apple, Gmail, Mobile}

// ParseClient reads a client as users type it ("Outlook", "iphone",
// "mac", "android"…). It reports false when s names no client.
func ParseClient(s string) (Client, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "generic", "autre", "other", "default":
		return Generic, true
	case "outlook", "office", "office365", "microsoft", "windows":
		return Outlook, true
	case "thunderbird", "tb", "mozilla":
		return Thunderbird, true
	case "apple", "mac", "macos", "osx", "ios", "iphone", "ipad", "mail.app", "applemail":
		return Apple, true
	case "gmail", "google":
		return Gmail, true
	case "mobile", "android", "phone", "smartphone", "telephone", "téléphone", "portable":
		return Mobile, true
	}
	return "", false
}

// clientWords is the catalog's wording of one client guide.
type clientWords struct {
	Name     string
	Menu     string
	Sections []guideSection
}

type guideSection struct {
	Title string
	Steps []string
}

// Guide is the where-to-click sequence of one client, filled with a
// settings card.
type Guide struct {
	Client Client
	// Name is the client as people call it ("Outlook", "Apple Mail").
	Name string
	// Menu is the client's entry in a menu of clients.
	Menu string
	// Title introduces the steps: "Pour configurer la boîte dans Outlook :".
	Title    string
	Sections []GuideSection
}

// GuideSection is one part of a guide; Apple's has one for the Mac and
// one for iPhone and iPad, the others a single untitled one.
type GuideSection struct {
	Title string
	Steps []string
}

// ClientGuide fills a client's steps with the recommended servers of a
// settings card. An unknown client gets the generic guide.
func ClientGuide(card SettingsCard, c Client, lang Lang) Guide {
	cw, ok := cat(lang).clients[c]
	if !ok {
		c = Generic
		cw = cat(lang).clients[Generic]
	}
	card = card.In(lang)
	vars := map[string]string{"username": card.Username}
	if len(card.Incoming) > 0 {
		in := card.Incoming[0]
		vars["in_protocol"] = in.Protocol
		vars["in_host"] = in.Host
		vars["in_port"] = strconv.Itoa(in.Port)
		vars["in_security"] = string(in.Security)
	}
	if len(card.Outgoing) > 0 {
		out := card.Outgoing[0]
		vars["out_host"] = out.Host
		vars["out_port"] = strconv.Itoa(out.Port)
		vars["out_security"] = string(out.Security)
	}
	g := Guide{Client: c, Name: cw.Name, Menu: cw.Menu}
	g.Title = fill(cat(lang).reply.GuideIntro, map[string]string{"client": cw.Name}, lang)
	for _, s := range cw.Sections {
		gs := GuideSection{Title: s.Title}
		for _, step := range s.Steps {
			gs.Steps = append(gs.Steps, fill(step, vars, lang))
		}
		g.Sections = append(g.Sections, gs)
	}
	return g
}
