package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/reputation"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/messages"
)

// TestStatusOutgoing: "/mailsetup status" shows, for each outgoing
// address of the lab's platform, its reverse DNS and its listing on the
// lab's blocklist, with the list's reason escaped; the title is the
// worst line.
func TestStatusOutgoing(t *testing.T) {
	rep := &reputation.Checker{Resolver: lookup.NewClient(theLab.DNSAddr, time.Second), Timeout: time.Second}
	got := outgoingStatus(t, rep, userEN, messages.EN, checks.StatusFail)
	for _, want := range []string{
		statusEmoji(checks.StatusPass) + " `127.0.0.10` PTR out1.lab.test, which points back",
		statusEmoji(checks.StatusPass) + " `127.0.0.10` not listed on bl.lab.test.",
		statusEmoji(checks.StatusFail) + " `127.0.0.11` no PTR (reverse DNS)",
		statusEmoji(checks.StatusFail) + " `127.0.0.12` PTR out2.lab.test, but that name does not point back",
		statusEmoji(checks.StatusPass) + " `127.0.0.13` PTR out3.lab.test, which points back",
		statusEmoji(checks.StatusFail) + " `127.0.0.13` listed on the blocklist bl.lab.test: " + slackEscape(lab.ListedReason),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<2026-12-01>") {
		t.Errorf("the listing's reason is not escaped:\n%s", got)
	}
}

// dropAll never answers: a resolver that times out.
type dropAll struct{}

func (dropAll) ServeDNS(dns.ResponseWriter, *dns.Msg) {}

// TestStatusOutgoingTimeout: a resolver that does not answer makes every
// outgoing line "could not tell": never "no PTR", "listed" nor "not
// listed", and the title says error, not fail.
func TestStatusOutgoingTimeout(t *testing.T) {
	const step = 200 * time.Millisecond
	rep := &reputation.Checker{Resolver: lookup.NewClient(dnstest.Serve(t, dropAll{}), step), Timeout: step}
	got := outgoingStatus(t, rep, userFR, messages.FR, checks.StatusError)
	for _, never := range []string{
		slackEscape(messages.Say(messages.FR, messages.PhraseOutgoingNoPTR)),
		"listée sur la liste de blocage",
		"pas listée",
	} {
		if strings.Contains(got, never) {
			t.Errorf("a timeout reads as %q:\n%s", never, got)
		}
	}
	if n := strings.Count(got, "impossible de dire si l'adresse y est listée"); n != 4 {
		t.Errorf("%d blocklist lines could not tell, want 4:\n%s", n, got)
	}
}

// outgoingStatus runs "/mailsetup status" for the lab's platform as user
// and returns its text, checking that the title has the worst status.
func outgoingStatus(t *testing.T, rep Reputation, user string, lang messages.Lang, worst checks.Status) string {
	t.Helper()
	h := start(t, Config{Platform: lab.Platform(), Reputation: rep})
	env, url := h.slash(user, "status")
	h.ack(env)
	got := blockTexts(t, h.answer(url).Blocks)
	if title := statusEmoji(worst) + " *" + messages.Say(lang, messages.PhraseStatusTitle) + "*"; !strings.HasPrefix(got, title) {
		t.Errorf("status title is not %q:\n%s", title, got)
	}
	return got
}
