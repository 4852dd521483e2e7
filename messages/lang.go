package messages

import "strings"

// Lang is the language of a rendering: FR, the guide's, or EN.
type Lang string

// The languages of the catalog.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Langs lists the languages the catalog is complete in.
var Langs = []Lang{FR, EN}

// ParseLang reads a language as a user or an environment variable gives
// it: "fr", "FR", "fr_FR.UTF-8", "fr-CA", "français", "en", "en-US",
// "english". It reports false for anything else.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_.@"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "fr", "fra", "fre", "french", "français", "francais":
		return FR, true
	case "en", "eng", "english", "anglais":
		return EN, true
	}
	return "", false
}

// orDefault returns l when the catalog has it, FR otherwise.
func (l Lang) orDefault() Lang {
	if _, ok := catalogs[l]; ok {
		return l
	}
	return FR
}
