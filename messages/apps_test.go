package messages

import "testing"

func TestAppsSentence(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lang    Lang
		clients map[string]string
		want    string
	}{
		{"autoconfig file", EN, map[string]string{"thunderbird": "autoconfig", "outlook": "none", "apple": "guess", "gmail": "guess"},
			"Thunderbird fills in the settings from the autoconfig file; Outlook finds no autodiscover service; Apple Mail and the Gmail app guess the servers or ask for them."},
		{"French separator", FR, map[string]string{"thunderbird": "guess", "outlook": "autodiscover", "apple": "guess", "gmail": "guess"},
			"Thunderbird devine les noms de serveur ; Outlook remplit seul les paramètres grâce à autodiscover ; Apple Mail et l'application Gmail devinent les serveurs ou les demandent."},
		{"could not tell", EN, map[string]string{"thunderbird": "unknown", "outlook": "unknown"},
			"Thunderbird: not checked; Outlook: not checked."},
		// An outcome the catalog does not word: the caller's default.
		{"unknown outcome", EN, map[string]string{"thunderbird": "jmap"}, ""},
		{"apple and gmail apart, unworded", EN, map[string]string{"apple": "guess", "gmail": "none"}, ""},
		{"nothing", EN, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cat(tc.lang).appsSentence(tc.clients); got != tc.want {
				t.Errorf("appsSentence = %q, want %q", got, tc.want)
			}
		})
	}
}
