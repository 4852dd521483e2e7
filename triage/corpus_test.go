package triage

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sample is one file of testdata/corpus: a header ("key: value" lines)
// saying what it must yield, "---", then the text as an agent pastes it.
type sample struct {
	name    string
	causes  []Cause // nil: nothing must be recognised as a cause
	section Section
	domain  string // the domain Choose must pick with none given; "" for none
	others  []string
	lang    string
	text    string
}

func loadCorpus(t testing.TB) []sample {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, text, ok := strings.Cut(string(data), "\n---\n")
		if !ok {
			t.Fatalf("%s: no --- line after the header", f)
		}
		s := sample{name: filepath.Base(f), text: text}
		for _, line := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "cause":
				if v != "none" {
					for _, c := range strings.Split(v, ",") {
						s.causes = append(s.causes, Cause(c))
					}
				}
			case "section":
				s.section = Section(v)
			case "domain":
				s.domain = strings.TrimPrefix(v, "-")
			case "others":
				s.others = strings.Split(v, ",")
			case "lang":
				s.lang = v
			default:
				t.Fatalf("%s: unknown header line %q", f, line)
			}
		}
		if s.lang != "fr" && s.lang != "en" {
			t.Fatalf("%s: lang %q, want fr or en", f, s.lang)
		}
		out = append(out, s)
	}
	return out
}

// TestCorpus runs Parse over every sample of the corpus: each must yield
// exactly its expected causes (none for the unrecognisable ones, never
// a guess), with the expected guide section and domain choice.
func TestCorpus(t *testing.T) {
	corpus := loadCorpus(t)
	if len(corpus) < 60 {
		t.Errorf("the corpus has %d samples, want at least 60", len(corpus))
	}
	families := map[string]int{}
	langs := map[string]int{}
	meant, recognised := 0, 0
	for _, s := range corpus {
		families[strings.SplitN(s.name, "-", 2)[0]]++
		langs[s.lang]++
		if s.causes != nil {
			meant++
		}
		t.Run(s.name, func(t *testing.T) {
			r, err := Parse(s.text)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Causes()
			slices.Sort(got)
			want := slices.Clone(s.causes)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("causes %v, want %v (audit: %s)", got, want, r.Audit())
			}
			if s.causes != nil {
				recognised++
				info, ok := LookupCause(s.causes[0])
				if !ok || info.Section != s.section {
					t.Errorf("section of %s is %q, the sample says %q", s.causes[0], info.Section, s.section)
				}
			}
			c := Choose(r, "")
			if c.Domain != s.domain {
				t.Errorf("Choose picked %q (%s), want %q; mentions %+v", c.Domain, c.Reason, s.domain, r.Mentions)
			}
			for _, o := range s.others {
				if !slices.Contains(c.Others, o) {
					t.Errorf("Others %v lacks %s", c.Others, o)
				}
			}
		})
	}
	for _, f := range []string{"gmail", "ms", "yahoo", "orange", "free", "sfr", "laposte", "blocklist", "postfix",
		"outlook", "thunderbird", "apple", "android", "none"} {
		if families[f] < 2 {
			t.Errorf("family %s has %d samples, want at least 2", f, families[f])
		}
	}
	if langs["fr"] < 15 || langs["en"] < 15 {
		t.Errorf("languages %v, want at least 15 samples of each", langs)
	}
	t.Logf("corpus: %d samples (%d fr, %d en), %d meant to be recognised, %d recognised with the expected causes (%.0f%%), %d that must yield no cause",
		len(corpus), langs["fr"], langs["en"], meant, recognised, 100*float64(recognised)/float64(max(meant, 1)), len(corpus)-meant)
}
