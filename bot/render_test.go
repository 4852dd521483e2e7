package bot

import "testing"

// FuzzDecodeAction feeds button values, which anyone able to craft an
// interaction payload controls, to the decoder.
func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{"", "{}", `{"t":"client.fr","l":"fr"}`, `{"t":"jane@client.fr","l":"en","c":"outlook","h":"mail.client.fr"}`,
		`{"t":1}`, `{"t":"x","l":"de"}`, "client.fr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := decodeAction(s)
		if v.input == "" && (v.lang != "" || v.client != "") {
			t.Fatalf("decodeAction(%q) = %+v: choices without a target", s, v)
		}
		inv := parse(v.input, false)
		_ = inv
	})
}
