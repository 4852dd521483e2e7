package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/triage"
)

// labExplain runs the triage of text against a lab scenario through the
// same engine path as check (a.check), with the lab's resolver, roots
// and ports, and returns the exit code and the JSON answer.
func labExplain(t *testing.T, scenario, given, text, lang string) (int, map[string]any, string) {
	t.Helper()
	l := startLab(t)
	s, ok := l.Scenario(scenario)
	if !ok {
		t.Fatalf("no lab scenario %s", scenario)
	}
	c, err := defaults(env())
	if err != nil {
		t.Fatal(err)
	}
	c.allowPrivate, c.timeout, c.lang, c.format = true, 2*time.Second, lang, "json"
	var stderr bytes.Buffer
	a, err := build(c, &stderr, buildOptions{resolver: lookup.NewClient(l.DNSAddr, c.timeout), roots: l.RootCAs})
	if err != nil {
		t.Fatal(err)
	}
	profile := func(checks.Target) *checks.Profile { return &s.Profile }
	var out bytes.Buffer
	code := explain(context.Background(), a, given, text, profile, &out, &stderr, false)
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, out.String(), stderr.String())
	}
	c.format = "text"
	a.cfg = c
	var txt bytes.Buffer
	explain(context.Background(), a, given, text, profile, &txt, &stderr, false)
	return code, got, txt.String()
}

// firstCause is the first cause of a JSON answer's triage object.
func firstCause(t *testing.T, got map[string]any) map[string]any {
	t.Helper()
	tr, _ := got["triage"].(map[string]any)
	causes, _ := tr["causes"].([]any)
	if len(causes) == 0 {
		t.Fatalf("no cause in %v", tr)
	}
	return causes[0].(map[string]any)
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

// corpusSample is a sample of the triage corpus with its domain moved
// to the lab's.
func corpusSample(t *testing.T, name, from, to string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "triage", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	_, text, _ := strings.Cut(string(data), "\n---\n")
	return strings.ReplaceAll(text, from, to)
}

// TestExplainLab: the live check of the lab confirms what the customer
// saw, or says the servers are fine.
func TestExplainLab(t *testing.T) {
	t.Run("outlook 0x800CCC0E with 465 closed: confirmed, 587 advised", func(t *testing.T) {
		text := corpusSample(t, "outlook-01-0x800ccc0e-en.txt", "client.com", "no465.lab.test")
		code, got, txt := labExplain(t, "no465", "", text, "fr")
		c := firstCause(t, got)
		if c["cause"] != "conn.port_blocked" || c["outcome"] != string(triage.Confirmed) || !slices.Contains(strs(c["flags"]), string(triage.FlagUse587)) {
			t.Errorf("cause %v, want conn.port_blocked confirmed with use_587", c)
		}
		if code != exitFail {
			t.Errorf("exit %d, want %d (smtp.465 fails)", code, exitFail)
		}
		flat := strings.Join(strings.Fields(txt), " ")
		for _, want := range []string{"CONFIRMÉ PAR LA VÉRIFICATION", "configurez le serveur sortant sur le port 587 avec STARTTLS", "SMTP (port 465, SSL/TLS) : ÉCHEC — Port fermé (tcp.refused)"} {
			if !strings.Contains(flat, want) {
				t.Errorf("answer lacks %q:\n%s", want, txt)
			}
		}
	})
	t.Run("0x800CCC92 and 535 5.7.8 with every server fine: the guide's 5.1 steps", func(t *testing.T) {
		text := "Tâche « jane@good.lab.test - Réception » : erreur (0x800CCC92) signalée : « Votre serveur de messagerie a rejeté votre connexion. »\n" +
			"Le serveur a répondu : 535 5.7.8 Error: authentication failed: authentication failure"
		code, got, txt := labExplain(t, "good", "", text, "fr")
		c := firstCause(t, got)
		if c["cause"] != "auth.bad_credentials" || !slices.Contains(strs(c["flags"]), string(triage.FlagServersOK)) || c["section"] != "5.1" {
			t.Errorf("cause %v, want auth.bad_credentials, servers_ok, section 5.1", c)
		}
		if code != exitOK {
			t.Errorf("exit %d, want 0: every check passes", code)
		}
		steps := strings.Join(strs(c["steps"]), "\n")
		for _, want := range []string{"nom d'utilisateur correspond à votre adresse e-mail complète (guide, section 5.1)", "mot de passe est correct (guide, section 5.1)"} {
			if !strings.Contains(steps, want) {
				t.Errorf("steps lack %q: %s", want, steps)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(txt), " "), "le refus vient de l'identifiant ou du mot de passe") {
			t.Errorf("answer does not put the refusal on the credentials:\n%s", txt)
		}
	})
	t.Run("Gmail 5.7.26 bounce with two SPF records: confirmed", func(t *testing.T) {
		text := corpusSample(t, "gmail-01-unauthenticated-dsn.eml", "client.com", "twospf.lab.test")
		_, got, txt := labExplain(t, "twospf", "", text, "en")
		c := firstCause(t, got)
		if c["cause"] != "send.unauthenticated" || c["outcome"] != string(triage.Confirmed) {
			t.Errorf("cause %v, want send.unauthenticated confirmed", c)
		}
		tr := got["triage"].(map[string]any)
		if tr["domain"] != "twospf.lab.test" || tr["domain_reason"] != string(triage.ReasonSender) || !slices.Contains(strs(tr["other_domains"]), "dest.example") {
			t.Errorf("domain %v (%v), others %v", tr["domain"], tr["domain_reason"], tr["other_domains"])
		}
		if !strings.Contains(txt, "that is why Gmail refuses the message") || strings.Contains(txt, "paul@dest.example") {
			t.Errorf("answer:\n%s", txt)
		}
	})
	t.Run("Gmail 5.7.26 bounce, SPF without our servers (platform profile): confirmed", func(t *testing.T) {
		text := corpusSample(t, "gmail-01-unauthenticated-dsn.eml", "client.com", "spfnotours.lab.test")
		_, got, txt := labExplain(t, "spfnotours", "", text, "fr")
		c := firstCause(t, got)
		var confirms []string
		for _, ev := range c["evidence"].([]any) {
			confirms = append(confirms, strs(ev.(map[string]any)["confirms"])...)
		}
		if c["cause"] != "send.unauthenticated" || c["outcome"] != string(triage.Confirmed) ||
			!slices.Contains(confirms, string(checks.SPFOutgoingFail)) || !slices.Contains(confirms, string(checks.SPFPlatformMissing)) {
			t.Errorf("cause %v, want send.unauthenticated confirmed by spf.outgoing_fail and spf.platform_missing", c)
		}
		if flat := strings.Join(strings.Fields(txt), " "); !strings.Contains(flat, "c'est pourquoi Gmail refuse le message") {
			t.Errorf("answer:\n%s", txt)
		}
	})
	t.Run("blocklist bounce, our outgoing address listed on bl.lab.test: confirmed", func(t *testing.T) {
		text := "554 5.7.1 Service unavailable; Client host [127.0.0.13] blocked using bl.lab.test\n" +
			"From: jane@outgoinglisted.lab.test"
		_, got, txt := labExplain(t, "outgoinglisted", "outgoinglisted.lab.test", text, "fr")
		c := firstCause(t, got)
		var confirms []string
		for _, ev := range c["evidence"].([]any) {
			confirms = append(confirms, strs(ev.(map[string]any)["confirms"])...)
		}
		if c["cause"] != "send.blocklisted" || c["outcome"] != string(triage.Confirmed) || !slices.Contains(confirms, string(checks.OutgoingListed)) {
			t.Errorf("cause %v, want send.blocklisted confirmed by %s", c, checks.OutgoingListed)
		}
		if flat := strings.Join(strings.Fields(txt), " "); !strings.Contains(flat, "bl.lab.test") || !strings.Contains(flat, "127.0.0.13") {
			t.Errorf("answer:\n%s", txt)
		}
	})
	t.Run("Gmail SPF bounce with +all: confirmed", func(t *testing.T) {
		text := corpusSample(t, "gmail-13-spf.txt", "client.com", "spfall.lab.test")
		_, got, _ := labExplain(t, "spfall", "", text, "en")
		if c := firstCause(t, got); c["cause"] != "send.spf_fail" || c["outcome"] != string(triage.Confirmed) {
			t.Errorf("cause %v, want send.spf_fail confirmed", c)
		}
	})
	t.Run("certificate warning with valid certificates: ruled out", func(t *testing.T) {
		// The agent names the domain: a server name under the lab's .test
		// points to lab.test, as mail.client.fr points to client.fr.
		text := corpusSample(t, "thunderbird-06-cert-fr.txt", "client.fr", "good.lab.test")
		_, got, _ := labExplain(t, "good", "good.lab.test", text, "fr")
		if c := firstCause(t, got); c["cause"] != "tls.cert_untrusted" || c["outcome"] != string(triage.RuledOut) {
			t.Errorf("cause %v, want tls.cert_untrusted ruled out", c)
		}
	})
	t.Run("unrecognised text: said, no cause, the normal check runs", func(t *testing.T) {
		code, got, txt := labExplain(t, "no465", "no465.lab.test", "Bonjour, mes mails ne marchent plus depuis hier, merci de regarder.", "fr")
		tr := got["triage"].(map[string]any)
		if tr["recognised"] != false || len(tr["causes"].([]any)) != 0 {
			t.Errorf("triage %v: a cause was guessed", tr)
		}
		if code != exitFail || got["domain"] != "no465.lab.test" || !strings.Contains(txt, "Texte non reconnu") || !strings.Contains(txt, "Port fermé") {
			t.Errorf("exit %d, answer:\n%s", code, txt)
		}
	})
}

// TestExplainCLI: the command's input rules: a text over 32 KB is one
// localized line and exit 2, a text naming no domain is answered with
// exit 2, the domain argument is checked as check does.
func TestExplainCLI(t *testing.T) {
	big := strings.Repeat("550 5.7.1 blocked\n", triage.MaxInput/10)
	for _, lang := range []string{"fr", "en"} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"explain", "--lang", lang, "client.com"}, strings.NewReader(big), &out, &errOut, env())
		lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
		if code != exitUsage || len(lines) != 1 || !strings.Contains(lines[0], messages.TooLongMessage(messages.Lang(lang))) || out.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", lang, code, out.String(), errOut.String())
		}
	}
	file := filepath.Join(t.TempDir(), "bounce.txt")
	if err := os.WriteFile(file, []byte("Outlook: error 0x800CCC0E, cannot connect to the server."), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, env(), "explain", "--lang", "en", "--text", file, "--resolver", "127.0.0.1:1", "--timeout", "100ms")
	if code != exitUsage || !strings.Contains(out, "No customer domain in the text") || !strings.Contains(out, "Cannot connect to the server") {
		t.Errorf("no domain: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env(), "explain", "--format", "blocks", "--text", file, "--resolver", "127.0.0.1:1", "--timeout", "100ms")
	var blocks struct {
		Blocks []map[string]any `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(out), &blocks); code != exitUsage || err != nil || len(blocks.Blocks) == 0 {
		t.Errorf("--format blocks: exit %d, %v\n%s", code, err, out)
	}
	code, out, _ = runCLI(t, env(), "explain", "-h")
	if code != exitOK || !strings.Contains(out, "--text") {
		t.Errorf("explain -h: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, env(), "explain", "client", "com")
	if code != exitUsage || !strings.Contains(errOut, "client com") {
		t.Errorf("several words: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = runCLI(t, env(), "explain", "--text", "/nonexistent/bounce")
	if code != exitUsage || !strings.Contains(errOut, "nonexistent") {
		t.Errorf("missing file: exit %d, stderr %s", code, errOut)
	}
}
