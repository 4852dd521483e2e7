package messages

import "fmt"

// NoticeWords are the few words of the on-call notification that
// "mailsetup check --notify" posts after a run (bot/notify lays them
// out), in one language.
type NoticeWords struct {
	// Failing heads a notification of failing domains: "1 of 2 domains
	// failing".
	Failing func(failing, total int) string
	// AllPass heads a notification of a run without failure
	// (--notify-on always).
	AllPass func(total int) string
	// Changed heads a notification of changes since the previous run.
	Changed func(changed, total int) string
	// More stands for the domains left out of a long notification.
	More func(left int) string
	// New marks a domain the previous run did not have; Fix introduces
	// the first remedy.
	New, Fix string
}

// NoticeWordsFor returns the notification's words in lang (French for an
// unknown language, like every other text).
func NoticeWordsFor(lang Lang) NoticeWords {
	if w, ok := noticeWords[lang]; ok {
		return w
	}
	return noticeWords[FR]
}

var noticeWords = map[Lang]NoticeWords{
	EN: {
		Failing: func(f, t int) string {
			return fmt.Sprintf("mailsetup: %d of %s failing", f, countOf(EN, t, "domain", "domains"))
		},
		AllPass: func(t int) string {
			return fmt.Sprintf("mailsetup: %s, no failing check", countOf(EN, t, "domain checked", "domains checked"))
		},
		Changed: func(c, t int) string {
			return fmt.Sprintf("mailsetup: %s since the previous run (%d checked)", countOf(EN, c, "domain changed", "domains changed"), t)
		},
		More: func(n int) string { return fmt.Sprintf("… and %s", countOf(EN, n, "more domain", "more domains")) },
		New:  "new",
		Fix:  "fix",
	},
	FR: {
		Failing: func(f, t int) string {
			return fmt.Sprintf("mailsetup : %s sur %d", countOf(FR, f, "domaine en échec", "domaines en échec"), t)
		},
		AllPass: func(t int) string {
			return fmt.Sprintf("mailsetup : %s, aucun contrôle en échec", countOf(FR, t, "domaine vérifié", "domaines vérifiés"))
		},
		Changed: func(c, t int) string {
			return fmt.Sprintf("mailsetup : %s depuis le contrôle précédent (%s)", countOf(FR, c, "domaine a changé", "domaines ont changé"), countOf(FR, t, "vérifié", "vérifiés"))
		},
		More: func(n int) string {
			return fmt.Sprintf("… et %s", countOf(FR, n, "autre domaine", "autres domaines"))
		},
		New: "nouveau",
		Fix: "à faire",
	},
}
