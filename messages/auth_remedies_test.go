package messages

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// remedyOf returns the remedy of code, failing the test when there is none.
func remedyOf(t *testing.T, rs []Remedy, code checks.Code) Remedy {
	t.Helper()
	for _, r := range rs {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no %s remedy in %+v", code, rs)
	return Remedy{}
}

// TestSPFRedirectRemedy: when the record ends in redirect= and the
// target has no "all", the fix is in the target's record and the
// suggested record never drops the redirect (RFC 7208 §6.1).
func TestSPFRedirectRemedy(t *testing.T) {
	rec := "v=spf1 redirect=_spf.client.com"
	rep := with(sample.Good(), checks.DNSSPF, checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn,
		Params: map[string]string{"record": rec, "all": "none", "redirect": "_spf.client.com", "target_record": "v=spf1 mx", "suggest": "v=spf1 mx ~all"}})
	want := map[Lang][]string{
		EN: {"Keep the record of client.com as it is: it hands the check over to _spf.client.com (\"redirect=_spf.client.com\"), and the final rule to add belongs at the end of the SPF record of _spf.client.com:\n_spf.client.com TXT \"v=spf1 mx ~all\"",
			"If _spf.client.com is managed by your e-mail provider, ask the provider to make that change."},
		FR: {"Gardez l'enregistrement de client.com tel quel : il confie la vérification à _spf.client.com (« redirect=_spf.client.com »), et la règle finale à ajouter se place à la fin de l'enregistrement SPF de _spf.client.com :\n_spf.client.com TXT \"v=spf1 mx ~all\"",
			"Si _spf.client.com est géré par votre fournisseur de messagerie, demandez-lui de faire ce changement."},
	}
	for lang, steps := range want {
		r := remedyOf(t, Remedies(rep, lang), checks.SPFPermissive)
		if strings.Join(r.Steps, "\n---\n") != strings.Join(steps, "\n---\n") {
			t.Errorf("%s steps:\n%q\nwant\n%q", lang, r.Steps, steps)
		}
		for _, s := range r.Steps {
			if strings.Contains(s, "client.com TXT \"v=spf1") && !strings.Contains(s, "_spf.client.com TXT") {
				t.Errorf("%s: a record for client.com without its redirect is suggested: %q", lang, s)
			}
		}
	}

	// Without the engine's suggestion the record itself is kept whole.
	rep = with(sample.Good(), checks.DNSSPF, checks.Finding{Code: checks.SPFPermissive, Severity: checks.SeverityWarn,
		Params: map[string]string{"record": "v=spf1 a ?all redirect=_spf.client.com", "all": "?all"}})
	r := remedyOf(t, Remedies(rep, EN), checks.SPFPermissive)
	if !strings.HasSuffix(r.Steps[0], "client.com TXT \"v=spf1 a ~all redirect=_spf.client.com\"") {
		t.Errorf("step %q drops a term", r.Steps[0])
	}
}

// TestDMARCRemedyInProportion: no quarantine or reject while SPF or
// DKIM fails for the domain's own mail; the customer's tags are kept.
func TestDMARCRemedyInProportion(t *testing.T) {
	none := checks.Finding{Code: checks.DMARCPolicyNone, Severity: checks.SeverityWarn,
		Params: map[string]string{"policy": "none", "record": "v=DMARC1; p=none; rua=mailto:dmarc@client.com; ruf=mailto:f@client.com; fo=1"}}

	// SPF failing: keep p=none, say why.
	rep := with(with(sample.Good(), checks.DNSDMARC, none), checks.DNSSPF,
		checks.Finding{Code: checks.SPFMissing, Severity: checks.SeverityFail, Params: map[string]string{"domain": "client.com"}})
	wait := map[Lang]string{
		EN: "Keep \"p=none\" for now: this check does not show both SPF and DKIM in place for client.com (see above), and a stricter policy could send your own e-mails to spam.",
		FR: "Gardez « p=none » pour l'instant : cette vérification ne montre pas SPF et DKIM en place pour client.com (voir plus haut), et une politique plus stricte pourrait envoyer vos propres e-mails en spam.",
	}
	for lang, step := range wait {
		for _, r := range Remedies(rep, lang) {
			for _, s := range r.Steps {
				if strings.Contains(s, "quarantine") || strings.Contains(s, "reject") {
					t.Errorf("%s: SPF fails, yet %s advises %q", lang, r.Code, s)
				}
			}
		}
		if r := remedyOf(t, Remedies(rep, lang), checks.DMARCPolicyNone); !hasStep([]Remedy{r}, step) {
			t.Errorf("%s steps %q, want %q", lang, r.Steps, step)
		}
	}

	// DKIM not found at the usual selectors: not shown in place either.
	rep = with(with(sample.Good(), checks.DNSDMARC, none), checks.DNSDKIM,
		checks.Finding{Code: checks.DKIMMissing, Severity: checks.SeverityWarn, Params: map[string]string{"selectors": "default"}})
	if r := remedyOf(t, Remedies(rep, EN), checks.DMARCPolicyNone); !hasStep([]Remedy{r}, wait[EN]) {
		t.Errorf("DKIM not found: steps %q", r.Steps)
	}

	// SPF and DKIM in place: the next policy, only p= changed.
	rep = with(sample.Good(), checks.DNSDMARC, none)
	enforce := map[Lang]string{
		EN: "Once the reports show that your own e-mails pass SPF or DKIM, you can ask receivers to put the e-mails that fail in spam, by changing only p=:\n_dmarc.client.com TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com; ruf=mailto:f@client.com; fo=1\"",
		FR: "Quand les rapports montrent que vos propres e-mails passent SPF ou DKIM, vous pouvez demander aux destinataires de classer en spam les e-mails qui échouent, en ne changeant que p= :\n_dmarc.client.com TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com; ruf=mailto:f@client.com; fo=1\"",
	}
	for lang, step := range enforce {
		if r := remedyOf(t, Remedies(rep, lang), checks.DMARCPolicyNone); !hasStep([]Remedy{r}, step) {
			t.Errorf("%s steps %q, want %q", lang, r.Steps, step)
		}
	}

	// An invalid record: the customer's rua is kept, the invalid p is
	// replaced; with SPF failing, the customer's reject becomes none.
	bad := checks.Finding{Code: checks.DMARCSyntax, Severity: checks.SeverityFail,
		Params: map[string]string{"record": "v=DMARC1; p=reject; rua=mailto:dmarc@client.com; pct=500"}}
	rep = with(sample.Good(), checks.DNSDMARC, bad)
	if r := remedyOf(t, Remedies(rep, EN), checks.DMARCSyntax); !strings.HasSuffix(r.Steps[0], "_dmarc.client.com TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@client.com\"") {
		t.Errorf("syntax, SPF and DKIM pass: step %q", r.Steps[0])
	}
	rep = with(with(sample.Good(), checks.DNSDMARC, bad), checks.DNSSPF,
		checks.Finding{Code: checks.SPFMissing, Severity: checks.SeverityFail})
	if r := remedyOf(t, Remedies(rep, FR), checks.DMARCSyntax); !strings.HasSuffix(r.Steps[0], "_dmarc.client.com TXT \"v=DMARC1; p=none; rua=mailto:dmarc@client.com\"") {
		t.Errorf("syntax, SPF failing: step %q", r.Steps[0])
	}
}

// TestDKIMWording: no key at the guessed selectors says so and nothing
// more; a key under 1024 bits says signatures do not count.
func TestDKIMWording(t *testing.T) {
	rep := with(sample.Good(), checks.DNSDKIM, checks.Finding{Code: checks.DKIMMissing, Severity: checks.SeverityWarn,
		Params: map[string]string{"selectors": "default,mail"}})
	for _, lang := range []Lang{EN, FR} {
		r := remedyOf(t, Remedies(rep, lang), checks.DKIMMissing)
		all := r.Title + " " + r.Message + " " + strings.Join(r.Steps, " ")
		for _, false_ := range []string{"not signed", "ne sont pas signés", "tell support", "indiquez-le au support"} {
			if strings.Contains(all, false_) {
				t.Errorf("%s: %q in %q", lang, false_, all)
			}
		}
		if !strings.Contains(r.Message, "default, mail") {
			t.Errorf("%s: the selectors tried are not listed: %q", lang, r.Message)
		}
	}
	rep = with(sample.Good(), checks.DNSDKIM, checks.Finding{Code: checks.DKIMKeyTooShort, Severity: checks.SeverityFail,
		Params: map[string]string{"selector": "k1", "bits": "512"}})
	want := map[Lang]string{
		EN: "The DKIM key of selector k1 has only 512 bits: RFC 8301 requires receiving servers to treat signatures made with an RSA key under 1024 bits as invalid, so the DKIM signature of your e-mails does not count.",
		FR: "La clé DKIM du sélecteur k1 ne fait que 512 bits : la RFC 8301 impose aux serveurs destinataires de tenir pour invalide une signature faite avec une clé RSA de moins de 1024 bits, si bien que la signature DKIM de vos e-mails ne compte pas.",
	}
	for lang, msg := range want {
		if r := remedyOf(t, Remedies(rep, lang), checks.DKIMKeyTooShort); r.Message != msg || r.Severity != checks.SeverityFail {
			t.Errorf("%s: %s %q, want fail %q", lang, r.Severity, r.Message, msg)
		}
	}
}
