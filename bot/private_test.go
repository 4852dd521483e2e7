package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// TestPrivateAddressesHidden: a host that resolves only to private
// addresses is said to, with their count, and no private address is
// printed anywhere in the Slack answer; public ones still are.
func TestPrivateAddressesHidden(t *testing.T) {
	rep := sample.Good()
	for i := range rep.Results {
		r := &rep.Results[i]
		switch r.ID {
		case checks.DNSHost:
			r.Facts.Addresses = []string{"10.1.2.3", "fd00::25"}
			r.Findings[0].Detail = "A 10.1.2.3, AAAA fd00::25"
		case checks.IMAP993:
			r.Status = checks.StatusFail
			r.Findings = append(r.Findings, checks.Finding{Code: checks.TCPRefused, Severity: checks.SeverityFail,
				Params: map[string]string{"host": "client.com", "port": "993", "addr": "192.168.1.9:993"},
				Detail: "dial tcp 192.168.1.9:993: connect: connection refused; [fd00::25]:993 refused; 8.8.8.8:993 ok."})
		}
	}
	for _, lang := range messages.Langs {
		blocks, text := render(rep, lang, "", false, history.Memory{}, messages.Clock{})
		js, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		all := text + "\n" + blockTexts(t, js)
		for _, private := range []string{"10.1.2.3", "fd00::25", "192.168.1.9"} {
			if strings.Contains(all, private) {
				t.Errorf("%s: the answer prints %s:\n%s", lang, private, all)
			}
		}
		if want := messages.Say(lang, messages.PhrasePrivateOnly, "count", "2"); !strings.Contains(all, want) {
			t.Errorf("%s: the answer does not say %q:\n%s", lang, want, all)
		}
		if !strings.Contains(all, "8.8.8.8:993") {
			t.Errorf("%s: a public address was hidden:\n%s", lang, all)
		}
	}
	if rep.Results[0].Facts.Addresses[0] != "10.1.2.3" {
		t.Error("hidePrivate changed the cached report")
	}
}

func TestHideIPs(t *testing.T) {
	for in, want := range map[string]string{
		"A 10.0.0.5":                 "A X",
		"10.0.0.5:993.":              "X:993.",
		"[fe80::1]:25 and 8.8.8.8":   "[X]:25 and 8.8.8.8",
		"v=spf1 ip4:10.0.0.0/8 -all": "v=spf1 ip4:10.0.0.0/8 -all",
		"mail.client.com":            "mail.client.com",
		"127.0.0.1":                  "X",
		"dial 192.168.1.9:993: no":   "dial X:993: no",
	} {
		if got := hideIPs(in, "X"); got != want {
			t.Errorf("hideIPs(%q) = %q, want %q", in, got, want)
		}
	}
}
