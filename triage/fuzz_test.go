package triage

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// auditRE is all an audit line may hold: keys, codes, cause ids.
var auditRE = regexp.MustCompile(`^statuses=[0-9.,]* replies=[0-9,]* errors=[0-9a-fx,]* dsn=[0-9]+ sources=[a-z0-9,-]* causes=[a-z0-9_.,]*$`)

// FuzzParse feeds Parse any text, seeded with the corpus: it never
// panics, refuses only text over MaxInput, matches only known causes,
// logs nothing of the text, and Mask leaves no foreign address whole.
func FuzzParse(f *testing.F) {
	for _, s := range loadCorpus(f) {
		f.Add(s.text)
	}
	f.Add("550-5.7.26 \xff\xfe 5.")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Parse(text)
		if len(text) > MaxInput {
			if !errors.Is(err, ErrTooLong) {
				t.Fatalf("Parse of %d bytes: %v", len(text), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Causes() {
			if _, ok := LookupCause(c); !ok {
				t.Fatalf("unknown cause %q", c)
			}
		}
		if a := r.Audit(); !auditRE.MatchString(a) {
			t.Fatalf("audit line %q holds more than codes", a)
		}
		_ = Evaluate(r, report("client.com"))
		_ = Choose(r, "")
		for _, a := range addressRE.FindAllString(Mask(text, "client.com"), -1) {
			if _, host, _ := strings.Cut(a, "@"); registered(host) != "client.com" {
				t.Fatalf("Mask left %q whole", a)
			}
		}
	})
}
