package triage

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChooseGiven(t *testing.T) {
	r := mustParse(t, "X-Postfix-Sender: rfc822; jane@client.fr\nFinal-Recipient: rfc822; paul@dest.example\nStatus: 5.1.1")
	for _, tc := range []struct {
		given string
		want  Choice
	}{
		{"", Choice{Domain: "client.fr", Reason: ReasonSender, Others: []string{"dest.example"}}},
		{"client.fr", Choice{Domain: "client.fr", Reason: ReasonGiven, Others: []string{"dest.example"}}},
		{"Jane@Client.FR", Choice{Domain: "client.fr", Reason: ReasonGiven, Others: []string{"dest.example"}}},
		{"client.com", Choice{Domain: "client.com", Reason: ReasonGiven, Found: "client.fr", Others: []string{"dest.example"}}},
	} {
		if d := cmp.Diff(tc.want, Choose(r, tc.given)); d != "" {
			t.Errorf("Choose(%q) (-want +got):\n%s", tc.given, d)
		}
	}
	if c := Choose(mustParse(t, "nothing here"), ""); c.Reason != ReasonNone || c.Domain != "" {
		t.Errorf("Choose on nothing = %+v", c)
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, customer, want string }{
		{"bob@dest.example", "client.com", "b…@dest.example"},
		{"jane@client.com", "client.com", "jane@client.com"},
		{"jane@mail.client.com", "client.com", "jane@mail.client.com"},
		{"From jane@client.com to bob.smith@dest.example, id <CAF12ab@mail.gmail.com>", "client.com",
			"From jane@client.com to b…@dest.example, id <C…@mail.gmail.com>"},
		{"jane@client.com", "", "j…@client.com"},
		{"a@b.example@c.example", "client.com", "a…@b…@c.example"},
	} {
		if got := Mask(tc.in, tc.customer); got != tc.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tc.in, tc.customer, got, tc.want)
		}
	}
}

// TestAudit: the audit line carries codes and causes, no piece of text.
func TestAudit(t *testing.T) {
	r := mustParse(t, "Task 'jane@client.com' reported error (0x800CCC0E)\n<paul@dest.example>: host mx.dest.example said: 550 5.1.1 User unknown\nsecret-word")
	got := r.Audit()
	want := "statuses=5.1.1 replies=550 errors=0x800ccc0e dsn=0 sources=outlook,rfc3463,smtp causes=conn.port_blocked,recipient.unknown"
	if got != want {
		t.Errorf("Audit = %q, want %q", got, want)
	}
	for _, leak := range []string{"jane", "client", "paul", "dest", "secret"} {
		if strings.Contains(got, leak) {
			t.Errorf("Audit leaks %q", leak)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		text   string
		domain string
		others []string
	}{
		{"Bonjour, le client jane@client.com a l'erreur 0x800CCC0E quand il envoie à bob@dest.example", "client.com", []string{"dest.example"}},
		{"The server responded: 554 5.7.1 <jane@client.com>: Sender address rejected: Access denied", "client.com", nil},
		{"<bob@dest.example>: host mx.dest.example[203.0.113.9] said: 550 5.1.1 User unknown", "", []string{"dest.example"}},
	} {
		c := Choose(mustParse(t, tc.text), "")
		if c.Domain != tc.domain || !cmp.Equal(c.Others, tc.others) {
			t.Errorf("%q: Choose = %+v, want domain %q others %v", tc.text, c, tc.domain, tc.others)
		}
	}
}

// TestChooseAddressDomain: an address's own domain is checked, not its
// registered domain: the mailbox jane@shop.client.com is at
// shop.client.com, and under a suffix the list does not know (the lab's
// .test) the registered domain would be a parent.
func TestChooseAddressDomain(t *testing.T) {
	for text, want := range map[string]string{
		"Login to server failed for username jane@shop.client.com": "shop.client.com",
		"Login to server failed for username jane@good.lab.test":   "good.lab.test",
		"Sending to server mail.client.com timed out":              "client.com",
	} {
		r, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if c := Choose(r, ""); c.Domain != want {
			t.Errorf("%q: Choose picked %q (%s), want %q", text, c.Domain, c.Reason, want)
		}
	}
}

// TestChosenFrom names the address or host the domain came from, never
// a recipient's.
func TestChosenFrom(t *testing.T) {
	for text, want := range map[string]string{
		"From: jane@client.com\n550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown": "jane@client.com",
		"Login to server mail.client.com with username jane@client.com failed.":                         "jane@client.com",
		"Sending to server mail.client.com timed out":                                                   "mail.client.com",
		"Error 0x800CCC0E": "",
	} {
		r, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.ChosenFrom(Choose(r, "")); got != want {
			t.Errorf("%q: ChosenFrom = %q, want %q", text, got, want)
		}
	}
}
