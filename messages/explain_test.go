package messages

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages/sample"
	"github.com/pcmhosting/mailsetup/triage"
)

// ExplainCase is a corpus sample of triage/testdata/corpus paired with
// the sample report the live check gives for its domain, for golden
// answers.
type explainCase struct {
	file   string
	report func() *checks.Report
	// outcome is what the first cause must come out as ("" for none).
	outcome triage.Outcome
}

// explainCases are the dozen corpus samples whose answers are golden
// files, French and English, every outcome and the unrecognised text.
var explainCases = []explainCase{
	{"outlook-01-0x800ccc0e-en.txt", sample.SMTP465Closed, triage.Confirmed},
	{"outlook-02-0x800ccc0e-fr.txt", sample.SMTP465Closed, triage.Confirmed},
	{"outlook-03-0x800ccc92-fr.txt", sample.Good, triage.Unknown},
	{"postfix-05-auth-535.txt", sample.Good, triage.Unknown},
	{"gmail-01-unauthenticated-dsn.eml", sample.SPFMultiple, triage.Confirmed},
	{"gmail-13-spf.txt", sample.SPFPlusAll, triage.Confirmed},
	{"thunderbird-06-cert-fr.txt", sample.Good, triage.RuledOut},
	{"apple-05-verify-identity.txt", sample.CertExpired, triage.Confirmed},
	{"thunderbird-04-smtp-timeout-en.txt", sample.Good, triage.RuledOut},
	{"gmail-08-user-unknown-fr.txt", sample.Good, triage.Unknown},
	{"ms-02-5.7.708.txt", sample.Good, triage.Unknown},
	{"none-01-vague-fr.txt", sample.Good, ""},
	{"none-03-code-only.txt", sample.Good, ""},
}

// corpusText reads a corpus sample: its language and the pasted text.
func corpusText(t testing.TB, name string) (Lang, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "triage", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	head, text, ok := strings.Cut(string(data), "\n---\n")
	if !ok {
		t.Fatalf("%s: no --- line", name)
	}
	lang := FR
	if strings.Contains(head, "lang: en") {
		lang = EN
	}
	return lang, text
}

// Retarget moves a sample report of client.com to domain: the target,
// the findings' parameters and details, the endpoints' hosts.
func retarget(rep *checks.Report, domain string) *checks.Report {
	if domain == "" || domain == rep.Target.Domain {
		return rep
	}
	old := rep.Target.Domain
	r := strings.NewReplacer(old, domain)
	addr := ""
	if rep.Target.Address != "" {
		addr = strings.Replace(rep.Target.Address, old, domain, 1)
	}
	rep.Target = sample.Target(domain, addr)
	for i := range rep.Results {
		res := &rep.Results[i]
		for j := range res.Findings {
			f := &res.Findings[j]
			f.Detail = r.Replace(f.Detail)
			for k, v := range f.Params {
				f.Params[k] = r.Replace(v)
			}
		}
		if ep := res.Facts.Endpoint; ep != nil {
			ep.Host = r.Replace(ep.Host)
		}
		for k := range res.Facts.MXHosts {
			res.Facts.MXHosts[k] = r.Replace(res.Facts.MXHosts[k])
		}
	}
	return rep
}

// ExplainSample builds the explanation of a case as mailsetup explain
// does with no domain given.
func explainSample(t testing.TB, c explainCase) *Explanation {
	t.Helper()
	lang, text := corpusText(t, c.file)
	r, err := triage.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	choice := triage.Choose(r, "")
	var rep *checks.Report
	if choice.Domain != "" {
		rep = retarget(c.report(), choice.Domain)
	}
	return NewExplanation(r, choice, rep, lang, ExplainOptions{})
}

// TestExplainGolden renders the answer to a dozen corpus samples, text
// and JSON, and holds each to its expected outcome.
func TestExplainGolden(t *testing.T) {
	for _, c := range explainCases {
		t.Run(c.file, func(t *testing.T) {
			e := explainSample(t, c)
			switch {
			case c.outcome == "" && len(e.Causes) > 0:
				t.Errorf("causes %v for a text that must yield none", e.Causes[0].Cause)
			case c.outcome == "" && e.Unrecognised == "":
				t.Error("an unrecognised text is not said to be")
			case c.outcome != "" && (len(e.Causes) == 0 || e.Causes[0].Outcome != c.outcome):
				t.Errorf("causes %+v, want the first %s", e.Causes, c.outcome)
			}
			var text, js bytes.Buffer
			if err := RenderExplanationText(&text, e, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := RenderExplanationJSON(&js, e); err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(strings.TrimSuffix(c.file, ".txt"), ".eml")
			golden.Check(t, "explain-"+base+".txt.golden", text.Bytes())
			golden.Check(t, "explain-"+base+".json.golden", js.Bytes())
			checkMasked(t, e.Domain, text.String()+js.String())
		})
	}
}

var addressRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+`)

// checkMasked fails when an answer shows a whole address that is not
// the customer's.
func checkMasked(t *testing.T, domain, out string) {
	t.Helper()
	for _, a := range addressRE.FindAllString(out, -1) {
		if !strings.HasSuffix(a, "@"+domain) && !strings.HasSuffix(a, "."+domain) && !strings.Contains(a, "…") {
			t.Errorf("the answer shows %q, not the customer's (%s)", a, domain)
		}
	}
}

// TestExplainOutcomeWords: the brief's sentences come out of the live
// evidence: confirmed names the finding and who refuses, ruled out puts
// the certificate warning on the device, port 587 is advised while 465
// is down.
func TestExplainOutcomeWords(t *testing.T) {
	cases := []struct {
		c    explainCase
		want []string
	}{
		{explainCases[4], []string{"that is why Gmail refuses the message", "spf.multiple"}},
		{explainCases[6], []string{"l'avertissement vient de l'appareil du client, vérifiez sa date et son heure"}},
		{explainCases[0], []string{"set the outgoing server to port 587 with STARTTLS", "Port closed"}},
		{explainCases[2], []string{"le refus vient de l'identifiant ou du mot de passe", "guide, section 5.1"}},
	}
	for _, tc := range cases {
		e := explainSample(t, tc.c)
		var b bytes.Buffer
		if err := RenderExplanationText(&b, e, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(b.String()), " ")
		for _, w := range tc.want {
			if !strings.Contains(flat, w) {
				t.Errorf("%s: the answer lacks %q:\n%s", tc.c.file, w, b.String())
			}
		}
	}
}

// TestExplainNoDomain: without a domain nothing is checked, the answer
// says how to give one, and every cause stays unknown.
func TestExplainNoDomain(t *testing.T) {
	r, err := triage.Parse("Error 0x800CCC0E: cannot connect to the server.")
	if err != nil {
		t.Fatal(err)
	}
	e := NewExplanation(r, triage.Choose(r, ""), nil, EN, ExplainOptions{Example: "/mailsetup client.fr TEXT"})
	if e.Report != nil || len(e.Causes) != 1 || e.Causes[0].Outcome != triage.Unknown {
		t.Fatalf("explanation %+v", e)
	}
	if !strings.Contains(strings.Join(e.Notes, "\n"), "/mailsetup client.fr TEXT") {
		t.Errorf("notes %q do not say how to give the domain", e.Notes)
	}
	var js bytes.Buffer
	if err := RenderExplanationJSON(&js, e); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["checks"]; ok || got["triage"] == nil {
		t.Errorf("JSON without a report: %s", js.String())
	}
}

// TestTooLongMessage is one line naming the limit, in each language.
func TestTooLongMessage(t *testing.T) {
	for _, lang := range Langs {
		m := TooLongMessage(lang)
		if strings.Contains(m, "\n") || !strings.Contains(m, "32") {
			t.Errorf("%s: %q", lang, m)
		}
	}
}

// TestExplainSchema validates the JSON answer to every golden case, and
// one with no domain, against docs/report.schema.json with no
// undescribed field allowed.
func TestExplainSchema(t *testing.T) {
	strict := reportSchema(t, true)
	var es []*Explanation
	for _, c := range explainCases {
		es = append(es, explainSample(t, c))
	}
	r, err := triage.Parse("Outlook: 0x800CCC0E")
	if err != nil {
		t.Fatal(err)
	}
	es = append(es, NewExplanation(r, triage.Choose(r, ""), nil, FR, ExplainOptions{}))
	for _, e := range es {
		var b bytes.Buffer
		if err := RenderExplanationJSON(&b, e); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := strict.Validate(doc); err != nil {
			t.Errorf("%s: the answer does not follow %s:\n%v", e.Headline, schemaPath, err)
		}
	}
}

// TestExplainRepliesPromiseNothing: like the catalog's, the sentences of
// a triage reply promise nothing the bot cannot know (a fix, a call
// back).
func TestExplainRepliesPromiseNothing(t *testing.T) {
	promises := []string{"we are ", "we will", "get back to you", "nous corrigeons", "nous nous en", "revenons vers vous", "nous intervenons"}
	for _, w := range []*ExplainWords{&explainFR, &explainEN} {
		for _, s := range []string{w.ReplyIntro, w.ReplyIntroNoDomain, w.ReplyYouDo, w.ReplyServersOK, w.ReplyHost, w.ReplyRecipient, w.ReplyUse587, w.ReplyUnrecognised} {
			for _, p := range promises {
				if strings.Contains(strings.ToLower(s), p) {
					t.Errorf("%q says %q", s, p)
				}
			}
		}
	}
}

// TestExplainElision: French elides before a domain that starts with a
// vowel, as the catalog does.
func TestExplainElision(t *testing.T) {
	r, err := triage.Parse("Tâche « jane@acme.fr - Réception » : erreur (0x800CCC92) signalée")
	if err != nil {
		t.Fatal(err)
	}
	rep := retarget(sample.Good(), "acme.fr")
	e := NewExplanation(r, triage.Choose(r, ""), rep, FR, ExplainOptions{})
	if !strings.Contains(e.Reply, "la configuration d'acme.fr") {
		t.Errorf("reply without elision:\n%s", e.Reply)
	}
}
