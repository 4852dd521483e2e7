package checks

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in           string
		allowPrivate bool
		domain       string
		address      string
		display      string
		fromURL      bool
	}{
		{in: "client.com", domain: "client.com"},
		{in: "  Client.COM. ", domain: "client.com"},
		{in: "exämple.fr", domain: "xn--exmple-cua.fr", display: "exämple.fr"},
		{in: "jane@client.com", domain: "client.com", address: "jane@client.com"},
		{in: "Jane.Doe@Client.COM", domain: "client.com", address: "Jane.Doe@client.com"},
		{in: "mailto:jane@client.com?subject=hi", domain: "client.com", address: "jane@client.com"},
		{in: "https://www.client.com/contact", domain: "client.com", fromURL: true},
		{in: "https://mail.client.com:8443/x?y", domain: "mail.client.com", fromURL: true},
		{in: "good.lab.test", allowPrivate: true, domain: "good.lab.test"},
		{in: "sub.domain.co.uk", domain: "sub.domain.co.uk"},
		{in: "a.b.co.uk", domain: "a.b.co.uk"},
		// A suffix of the list's private section under an ICANN TLD is
		// on the Internet: accepted.
		{in: "x.github.io", domain: "x.github.io"},
		{in: "пример.рф", domain: "xn--e1afmkfd.xn--p1ai", display: "пример.рф"},
		// Internal names pass when private targets are allowed.
		{in: "x.lan", allowPrivate: true, domain: "x.lan"},
		{in: "kubernetes.default.svc", allowPrivate: true, domain: "kubernetes.default.svc"},
		{in: strings.Repeat("a", 63) + ".com", domain: strings.Repeat("a", 63) + ".com"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in, tt.allowPrivate)
			if err != nil {
				t.Fatalf("ParseTarget(%q) = error %v", tt.in, err)
			}
			display := tt.display
			if display == "" {
				display = tt.domain
			}
			if got.Domain != tt.domain || got.Host != tt.domain || got.Address != tt.address || got.Display != display || got.FromURL != tt.fromURL {
				t.Errorf("ParseTarget(%q) = %+v, want domain %q address %q display %q fromURL %v", tt.in, got, tt.domain, tt.address, display, tt.fromURL)
			}
		})
	}
}

func TestParseTargetRefused(t *testing.T) {
	long := strings.Repeat("abcdefghi.", 26) + "com" // 263 characters
	tests := []struct {
		in   string
		want InputReason
	}{
		{"", InputEmpty},
		{"   ", InputEmpty},
		{"client com", InputSeveralWords},
		{"check client.com please", InputSeveralWords},
		{long, InputTooLong},
		{strings.Repeat("a", 64) + ".com", InputLabelTooLong},
		{"cli_ent.com", InputBadChar},
		{"client!.com", InputBadChar},
		{"a..com", InputBadChar},
		{"192.0.2.1", InputIPLiteral},
		{"[2001:db8::1]", InputIPLiteral},
		{"2001:db8::1", InputIPLiteral},
		{"192.0.2.1:25", InputIPLiteral},
		{"client.com:25", InputPort},
		{"localhost", InputSingleLabel},
		{"intranet", InputSingleLabel},
		{"printer.local", InputSpecialUse},
		{"db.internal", InputSpecialUse},
		{"x.invalid", InputSpecialUse},
		{"good.lab.test", InputSpecialUse},
		{"www.example", InputSpecialUse},
		// Internal names: no public suffix of the ICANN section.
		{"x.lan", InputNotPublic},
		{"x.corp", InputNotPublic},
		{"x.home", InputNotPublic},
		{"x.intranet", InputNotPublic},
		{"kubernetes.default.svc", InputNotPublic},
		{"jane@mail.corp", InputNotPublic},
		{"https://wiki.intranet/page", InputNotPublic},
		{"x.private", InputNotPublic},
		{"api.cluster.local", InputSpecialUse},
		{"x.internal", InputSpecialUse},
		{"@client.com", InputBadAddress},
		{"ja<ne@client.com", InputBadAddress},
		{strings.Repeat("x", 2000), InputTooLong},
		// Chat link markup is the bot's to undo (bot/router.go): the
		// engine takes plain text only.
		{"<http://client.com|client.com>", InputBadChar},
		{"<mailto:jane@client.com|jane@client.com>", InputBadAddress},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseTarget(tt.in, false)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseTarget(%q) error = %v, want *InputError", tt.in, err)
			}
			if ie.Reason != tt.want {
				t.Errorf("ParseTarget(%q) reason = %s, want %s", tt.in, ie.Reason, tt.want)
			}
		})
	}
}

func TestWithHost(t *testing.T) {
	tg, err := ParseTarget("jane@client.com", false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tg.WithHost("Mail.Client.com", false)
	if err != nil || got.Host != "mail.client.com" || got.Domain != "client.com" {
		t.Fatalf("WithHost = %+v, %v", got, err)
	}
	if _, err := tg.WithHost("10.0.0.1", false); err == nil {
		t.Error("WithHost accepted an IP literal")
	}
}

// FuzzParseTarget: never panics, and anything accepted is a valid,
// normalised host name.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"client.com", "jane@client.com", "exämple.fr", "<http://a.b|a.b>", "https://www.x.y/z", "a:1", "[::1]", "xn--zz.com", "\x00", "a@b@c.d", "<mailto:a@b.c|a@b.c>", "ＡＢＣ.com"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, in string, allowPrivate bool) {
		tg, err := ParseTarget(in, allowPrivate)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("non-input error %v", err)
			}
			return
		}
		if len(tg.Domain) == 0 || len(tg.Domain) > 253 {
			t.Fatalf("bad domain length %q", tg.Domain)
		}
		for _, r := range tg.Domain {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
				t.Fatalf("domain %q has %q", tg.Domain, r)
			}
		}
		for _, l := range strings.Split(tg.Domain, ".") {
			if l == "" || len(l) > 63 {
				t.Fatalf("bad label in %q", tg.Domain)
			}
		}
		if again, err := ParseTarget(tg.Domain, allowPrivate); err != nil || again.Domain != tg.Domain {
			t.Fatalf("not idempotent: %q → %q → %q, %v", in, tg.Domain, again.Domain, err)
		}
	})
}
