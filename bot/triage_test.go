package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/messages"
)

// A customer's Outlook error as an agent pastes it in Slack: the
// address in Slack's markup, and a sentence that must never reach the
// logs.
const (
	outlookSecret = "Le client dit que sa fille Zoé envoie aussi depuis ce poste."
	outlookPasted = "Tâche « <mailto:jane@no465.lab.test|jane@no465.lab.test> - Envoi et réception » : erreur (0x800CCC0E) signalée : " +
		"« Impossible de se connecter au serveur. »\n" + outlookSecret
)

// noText fails when a log line carries a piece of the pasted text.
func noText(t *testing.T, h *harness) {
	t.Helper()
	for _, piece := range []string{"Zoé", "paul@dest.example", "jane@", "Impossible de se connecter", "authentication failure"} {
		if strings.Contains(h.logs.String(), piece) {
			t.Errorf("the logs carry %q of the pasted text", piece)
		}
	}
}

// TestShortcutAnswersInThread: the message shortcut sends a real
// message_action payload to the socketmode client; the message's text is
// read, the domain chosen from it is checked, and the answer is posted in
// the message's thread, in the shortcut's language; the audit line holds
// the codes, not the text.
func TestShortcutAnswersInThread(t *testing.T) {
	h := start(t, Config{})
	before := len(h.slack.Calls("chat.postMessage"))
	env, _, err := h.slack.SendMessageAction(slacktest.MessageAction{User: userEN, Channel: channel, CallbackID: ShortcutDiagnose,
		Text: outlookPasted, MessageTS: "1700000300.000300", Author: "UCUSTOMER"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	call := h.calls("chat.postMessage", before+1)[before]
	got := map[string]string{"channel": call.Params.Get("channel"), "thread_ts": call.Params.Get("thread_ts")}
	if diff := cmp.Diff(map[string]string{"channel": channel, "thread_ts": "1700000300.000300"}, got); diff != "" {
		t.Errorf("posted (-want +got):\n%s", diff)
	}
	text := blockTexts(t, call.JSON)
	for _, want := range []string{"Connexion au serveur impossible", "confirmé par la vérification", "no465.lab.test", "587"} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, outlookSecret) {
		t.Errorf("the answer echoes the pasted text:\n%s", text)
	}
	eventually(t, "the audit line", func() bool { return len(logLines(h.logs, "audit")) > 0 })
	audits := logLines(h.logs, "audit")
	last := audits[len(audits)-1]
	if last["source"] != "shortcut" || last["command"] != "explain" || last["domain"] != "no465.lab.test" ||
		!strings.Contains(last["triage"].(string), "errors=0x800ccc0e") || !strings.Contains(last["triage"].(string), "causes=conn.port_blocked") {
		t.Errorf("audit line %v", last)
	}
	noText(t, h)
}

// TestShortcutNotInChannel: where the app cannot post, the user alone
// gets the answer, in the channel.
func TestShortcutNotInChannel(t *testing.T) {
	h := start(t, Config{})
	h.slack.SetFault("chat.postMessage", slacktest.Fault{Error: "not_in_channel"})
	env, _, err := h.slack.SendMessageAction(slacktest.MessageAction{User: userEN, Channel: "C0SHARED", CallbackID: ShortcutDiagnoseEN,
		Text: outlookPasted, MessageTS: "1700000400.000400", ThreadTS: "1700000350.000350", Author: "UCUSTOMER"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	call := h.calls("chat.postEphemeral", 1)[0]
	if call.Params.Get("user") != userEN || call.Params.Get("channel") != "C0SHARED" || call.Params.Get("thread_ts") != "1700000350.000350" {
		t.Errorf("ephemeral %v", call.Params)
	}
	if text := blockTexts(t, call.JSON); !strings.Contains(text, "Cannot connect to the server") {
		t.Errorf("the answer is not the English triage:\n%s", text)
	}
	noText(t, h)
}

// TestSlashExplain: "/mailsetup DOMAIN <pasted text>", in quotes or not,
// answers the triage through the response_url; the check goes through
// the report cache, keyed by the domain only, so a check of the domain
// right after runs nothing more.
func TestSlashExplain(t *testing.T) {
	runs := &counter{Checker: theEngine}
	h := start(t, Config{Checker: runs})
	for i, text := range []string{
		"good.lab.test 535 5.7.8 Error: authentication failed: authentication failure",
		"good.lab.test \"535 5.7.8 Error: authentication failed: authentication failure\"",
	} {
		env, url := h.slash(userFR, text)
		h.ack(env)
		got := blockTexts(t, h.answer(url).Blocks)
		for _, want := range []string{"Identifiant ou mot de passe refusé", "le refus vient de l'identifiant ou du mot de passe", "guide, section 5.1"} {
			if !strings.Contains(strings.Join(strings.Fields(got), " "), want) {
				t.Errorf("%d: the answer lacks %q:\n%s", i, want, got)
			}
		}
	}
	env, url := h.slash(userFR, "good.lab.test")
	h.ack(env)
	h.answer(url)
	if n := runs.n.Load(); n != 1 {
		t.Errorf("%d checks for one domain within the cache's life, want 1", n)
	}
	noText(t, h)
}

// TestMentionExplain: "@mailsetup <pasted bounce>" without a domain: the
// domain is the bounce's sender, the answer is in the thread.
func TestMentionExplain(t *testing.T) {
	h := start(t, Config{})
	bounce := "<mailto:paul@dest.example|paul@dest.example>: host gmail-smtp-in.l.google.com said: 550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n" +
		"550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. SPF [twospf.lab.test] with ip: [192.0.2.10] = did not pass\n" +
		"From: <mailto:jane@twospf.lab.test|jane@twospf.lab.test>"
	before := len(h.slack.Calls("chat.postMessage"))
	env, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.Mention(userEN, channel, bounce, "1700000500.000500", "")})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	call := h.calls("chat.postMessage", before+1)[before]
	text := blockTexts(t, call.JSON)
	if call.Params.Get("thread_ts") != "1700000500.000500" || !strings.Contains(text, "that is why Gmail refuses the message") ||
		!strings.Contains(text, "twospf.lab.test") || strings.Contains(text, "paul@dest.example") {
		t.Errorf("thread %q, answer:\n%s", call.Params.Get("thread_ts"), text)
	}
}

// TestParseExplain: which commands are what a customer saw.
func TestParseExplain(t *testing.T) {
	for _, tc := range []struct {
		text        string
		explain     bool
		given, body string
	}{
		{"client.fr 550 5.7.26 unauthenticated", true, "client.fr", "550 5.7.26 unauthenticated"},
		{"client.fr \"535 5.7.8 Error: authentication failed\"", true, "client.fr", "535 5.7.8 Error: authentication failed"},
		{"<mailto:jane@client.fr|jane@client.fr> « erreur 0x800CCC0E »", true, "jane@client.fr", "erreur 0x800CCC0E"},
		{"explain Outlook error 0x800CCC92", true, "", "Outlook error 0x800CCC92"},
		{"diag client.fr ```550 5.1.1 user unknown```", true, "client.fr", "550 5.1.1 user unknown"},
		{"Error 0x800CCC0E &lt;jane@client.fr&gt;", true, "", "Error 0x800CCC0E <jane@client.fr>"},
		{"client.fr the customer says mail does not work since this morning", true, "client.fr", "the customer says mail does not work since this morning"},
		{"client.fr", false, "", ""},
		{"client.fr outlook en", false, "", ""},
		{"client.fr please", false, "", ""},
		{"client com", false, "", ""},
		{"status", false, "", ""},
		{"help", false, "", ""},
	} {
		inv := parse(tc.text, false)
		if got := inv.route.kind == routeExplain; got != tc.explain || inv.given != tc.given || inv.text != tc.body {
			t.Errorf("parse(%q) = explain %v, given %q, text %q; want %v, %q, %q", tc.text, got, inv.given, inv.text, tc.explain, tc.given, tc.body)
		}
	}
}

// TestExplainHelp: the help lists the explain route in both languages.
func TestExplainHelp(t *testing.T) {
	for _, lang := range messages.Langs {
		if h := helpText(lang); !strings.Contains(h, command+" explain") || !strings.Contains(h, messages.Say(lang, messages.PhraseHelpExplain)) {
			t.Errorf("%s help:\n%s", lang, h)
		}
	}
}

// FuzzSlackPlain feeds message texts, which anyone can write, to the
// markup reader and the explain parser.
func FuzzSlackPlain(f *testing.F) {
	for _, s := range []string{outlookPasted, "<mailto:a@b.fr|a@b.fr>", "<@U1|x> 550 5.7.1", "&lt;&gt;&amp;", "```x```", "«»", "\"", "<<|>>", "client.fr 0x800ccc0e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = slackPlain(s)
		if inv := parse(s, false); inv.route == nil {
			t.Fatal("no route")
		}
	})
}

// TestShortcutTooLong: a message over 32 KB gets the one-line refusal
// in the user's language, and nothing is checked.
func TestShortcutTooLong(t *testing.T) {
	runs := &counter{Checker: theEngine}
	h := start(t, Config{Checker: runs})
	before := len(h.slack.Calls("chat.postMessage"))
	env, _, err := h.slack.SendMessageAction(slacktest.MessageAction{User: userFR, Channel: channel, CallbackID: ShortcutDiagnose,
		Text: strings.Repeat("550 5.7.1 refusé pour jane@good.lab.test\n", 1000), MessageTS: "1700000600.000600", Author: "UCUSTOMER"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	call := h.calls("chat.postMessage", before+1)[before]
	if got := blockTexts(t, call.JSON); !strings.Contains(got, "Texte trop long") || !strings.Contains(got, "32 Ko") {
		t.Errorf("answer:\n%s", got)
	}
	if n := runs.n.Load(); n != 0 {
		t.Errorf("%d checks for a refused text", n)
	}
	noText(t, h)
}

// TestSlashExplainNoDomain: pasted text alone, naming no customer
// domain: the meaning, no check, and how to give the domain.
func TestSlashExplainNoDomain(t *testing.T) {
	runs := &counter{Checker: theEngine}
	h := start(t, Config{Checker: runs})
	env, url := h.slash(userEN, "Outlook says: Task reported error (0x800CCC0E): Cannot connect to the server.")
	h.ack(env)
	got := strings.Join(strings.Fields(blockTexts(t, h.answer(url).Blocks)), " ")
	for _, want := range []string{"Cannot connect to the server", "No customer domain in the text", command + " client.fr"} {
		if !strings.Contains(got, want) {
			t.Errorf("the answer lacks %q:\n%s", want, got)
		}
	}
	if n := runs.n.Load(); n != 0 {
		t.Errorf("%d checks without a domain", n)
	}
}
