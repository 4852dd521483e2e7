package messages

import "testing"

// TestNoticeWords: the notification reads naturally in both languages,
// singular and plural, and an unknown language falls back to French.
func TestNoticeWords(t *testing.T) {
	en, fr := NoticeWordsFor(EN), NoticeWordsFor(FR)
	for _, tc := range []struct{ got, want string }{
		{en.Failing(1, 2), "mailsetup: 1 of 2 domains failing"},
		{en.Failing(1, 1), "mailsetup: 1 of 1 domain failing"},
		{en.AllPass(1), "mailsetup: 1 domain checked, no failing check"},
		{en.Changed(2, 3), "mailsetup: 2 domains changed since the previous run (3 checked)"},
		{en.More(1), "… and 1 more domain"},
		{fr.Failing(2, 5), "mailsetup : 2 domaines en échec sur 5"},
		{fr.AllPass(3), "mailsetup : 3 domaines vérifiés, aucun contrôle en échec"},
		{fr.Changed(1, 1), "mailsetup : 1 domaine a changé depuis le contrôle précédent (1 vérifié)"},
		{fr.More(4), "… et 4 autres domaines"},
		{NoticeWordsFor("de").New, "nouveau"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
