package messages

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Counts and elision: the two ways a filled-in value changes the words
// around it.
//
// A catalog text writes the noun after a count as a plural selector,
// {name|one|many}: "{lookups} {lookups|requête DNS|requêtes DNS}". The
// selector writes "one" when the value of name is a count the language
// says in the singular (French: 0 and 1; English: 1), "many" otherwise,
// also for a value that is not a number ("plusieurs", "more than 10").

// singular reports whether lang says the count s in the singular.
func singular(lang Lang, s string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	if lang.orDefault() == FR {
		return n == 0 || n == 1
	}
	return n == 1
}

// countOf writes n followed by its noun, singular or plural in lang:
// "1 domaine", "0 domaine", "0 domains".
func countOf(lang Lang, n int, one, many string) string {
	s := strconv.Itoa(n)
	if singular(lang, s) {
		return s + " " + one
	}
	return s + " " + many
}

// elidable are the French words that lose their vowel before a vowel:
// "de" + "example.com" is "d'example.com", "que" + "aux" is "qu'aux".
var elidable = map[string]bool{"de": true, "le": true, "la": true, "que": true, "ne": true,
	"lorsque": true, "puisque": true, "jusque": true}

// muteH are the French words in h that elide like a vowel ("l'hôte");
// any other h, as in most host names, does not ("de hotmail.com").
var muteH = []string{"hôte", "héberge", "heure", "historique"}

// elide joins a French value to the text before it: "de" + "le port"
// is "du port", "de" + "les ports" "des ports", "à" + "le" "au", "à" +
// "les" "aux", and an elidable word before a vowel or a mute h loses its
// vowel ("d'example.com"). before is the text written so far; elide
// returns it and the value, rewritten where the language wants it.
func elide(before, value string) (string, string) {
	if !strings.HasSuffix(before, " ") || value == "" {
		return before, value
	}
	head := before[:len(before)-1]
	i := strings.LastIndexFunc(head, func(r rune) bool { return !unicode.IsLetter(r) })
	word := head[i+1:]
	lower := strings.ToLower(word)
	switch {
	case lower == "de" || lower == "à":
		contracted := map[string][2]string{"de": {"du", "des"}, "à": {"au", "aux"}}[lower]
		for j, article := range []string{"le ", "les "} {
			if rest, ok := strings.CutPrefix(value, article); ok {
				return head[:i+1] + sameCase(word, contracted[j]) + " ", rest
			}
		}
	}
	if elidable[lower] && startsWithVowelSound(value) {
		return head[:i+1] + word[:len(word)-1] + "'", value
	}
	return before, value
}

// sameCase writes w with the capital of like ("De" → "Du").
func sameCase(like, w string) string {
	r, _ := utf8.DecodeRuneInString(like)
	if unicode.IsUpper(r) {
		f, n := utf8.DecodeRuneInString(w)
		return string(unicode.ToUpper(f)) + w[n:]
	}
	return w
}

// startsWithVowelSound reports whether a French word elides before s:
// a vowel (accented or not, any case; not y) or a mute h.
func startsWithVowelSound(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("aeiouàâäéèêëîïôöùûüœæ", unicode.ToLower(r)) {
		return true
	}
	lower := strings.ToLower(s)
	for _, w := range muteH {
		if strings.HasPrefix(lower, w) {
			return true
		}
	}
	return false
}
