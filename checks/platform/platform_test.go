package platform

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks/spf"
)

const full = `
provider: PCM Hosting
mail_host: "mail.{domain}"
ports: {imaps: 10993, smtp: 2525}
ranges: [203.0.113.0/24, "2001:db8:100::/48"]
mx: ["mx1.example-host.fr.", "{domain}"]
name_servers: [NS1.example-host.fr]
outgoing: [203.0.113.25, "2001:db8:100::25"]
spf: include:_spf.example-host.fr
dkim:
  - {selector: pcm1, public_key: "AAEC Aw==", sha256: ` + `"054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8"}
  - {selector: Pcm2}
autoconfig: ["https://autoconfig.{domain}/mail/config-v1.1.xml"]
autodiscover: ["https://autodiscover.{domain}/autodiscover/autodiscover.xml"]
dnsbl: [zen.spamhaus.org]
`

func TestParseFull(t *testing.T) {
	p, err := Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if p.Generic() {
		t.Error("a full profile is not generic")
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"provider", p.Provider, "PCM Hosting"},
		{"mail host", p.MailHost("Client.FR."), "mail.client.fr"},
		{"imaps", p.Port(IMAPS), 10993},
		{"smtp", p.Port(SMTP), 2525},
		{"pop3s default", p.Port(POP3S), 995},
		{"mx", p.ExpectedMX("client.fr"), []string{"mx1.example-host.fr", "client.fr"}},
		{"ns", p.ExpectedNS("client.fr"), []string{"ns1.example-host.fr"}},
		{"outgoing", len(p.Outgoing), 2},
		{"spf", p.SPF.String(), "include:_spf.example-host.fr"},
		{"selectors", p.DKIMSelectors(), []string{"pcm1", "pcm2"}},
		{"autoconfig", p.AutoconfigURLs("client.fr"), []string{"https://autoconfig.client.fr/mail/config-v1.1.xml"}},
		{"autodiscover", p.AutodiscoverURLs("client.fr"), []string{"https://autodiscover.client.fr/autodiscover/autodiscover.xml"}},
		{"dnsbl", p.DNSBL, []string{"zen.spamhaus.org"}},
		{"ours v4", p.Ours(netip.MustParseAddr("203.0.113.9")), true},
		{"ours mapped", p.Ours(netip.MustParseAddr("::ffff:203.0.113.9")), true},
		{"ours v6", p.Ours(netip.MustParseAddr("2001:db8:100:7::1")), true},
		{"not ours", p.Ours(netip.MustParseAddr("198.51.100.1")), false},
		{"expected mx", pair(p.IsExpectedMX("MX1.example-host.fr.", "client.fr")), [2]bool{true, true}},
		{"domain as mx", pair(p.IsExpectedMX("client.fr", "client.fr")), [2]bool{true, true}},
		{"google mx", pair(p.IsExpectedMX("aspmx.l.google.com", "client.fr")), [2]bool{false, true}},
		{"expected ns", pair(p.IsExpectedNS("ns1.example-host.fr", "client.fr")), [2]bool{true, true}},
		{"other ns", pair(p.IsExpectedNS("ns1.ovh.net", "client.fr")), [2]bool{false, true}},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func pair(a, b bool) [2]bool { return [2]bool{a, b} }

// TestGeneric: no profile, a nil one and an empty file are the guide's
// generic rules.
func TestGeneric(t *testing.T) {
	empty, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*Platform{"nil": nil, "zero": {}, "empty file": empty} {
		if !p.Generic() || p.Ours(netip.MustParseAddr("203.0.113.9")) || p.HasRanges() {
			t.Errorf("%s: not generic", name)
		}
		if got := p.MailHost("client.fr"); got != "client.fr" {
			t.Errorf("%s: mail host %q, want the domain", name, got)
		}
		if p.Port(Submission) != 587 || p.ExpectedMX("client.fr") != nil || p.ExpectedNS("client.fr") != nil {
			t.Errorf("%s: not the guide's defaults", name)
		}
		if _, known := p.IsExpectedMX("aspmx.l.google.com", "client.fr"); known {
			t.Errorf("%s: MX expectation known", name)
		}
		if _, known := p.SPFAuthorises(nil); known {
			t.Errorf("%s: SPF expectation known", name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"ranges: [10.0.0.0/8, 192.168.0.0/16, 10.0.0.0/33]", `profile: ranges[2]: "10.0.0.0/33" is not a CIDR`},
		{"ranges: [10.0.0.1/8]", `profile: ranges[0]: "10.0.0.1/8" has host bits set: write 10.0.0.0/8`},
		{"rangez: []", `profile: unknown field "rangez"`},
		{"dkim: [{selector: a, key: b}]", `profile: unknown field "dkim[0].key"`},
		{"ports: {imap: 993}", `profile: unknown field "ports.imap"`},
		{"ports: {imaps: 70000}", `profile: ports.imaps: 70000 is not a port (1-65535)`},
		{"ports: {imaps: nine}", `profile: ports.imaps: a string where a int is expected`},
		{"ranges: 10.0.0.0/8", `profile: ranges: a string where a string is expected`},
		{"outgoing: [203.0.113.300]", `profile: outgoing[0]: "203.0.113.300" is not an IP address`},
		{"mx: [mx1.example.fr, 'bad host']", `profile: mx[1]: "bad host" is not a host name`},
		{"mx: ['mx.{dom}']", `profile: mx[0]: "mx.{dom}": only {domain} may appear in braces`},
		{"mail_host: localhost", `profile: mail_host: "localhost" is not a host name`},
		{"spf: -all", `profile: spf: "-all" authorises everyone, not the platform`},
		{"spf: ~include:x.example.fr", `profile: spf: "~include:x.example.fr" must authorise (no qualifier, or +)`},
		{"spf: 'include:a.fr ip4:1.2.3.4'", `profile: spf: "include:a.fr ip4:1.2.3.4" must be one SPF term`},
		{"spf: redirect=x.fr", `profile: spf: "redirect=x.fr" is not an SPF mechanism (a modifier?)`},
		{"spf: inclde:x.fr", `profile: spf: "inclde:x.fr" is not an SPF mechanism`},
		{"dkim: [{selector: 'a b'}]", `profile: dkim[0].selector: "a b" is not a DKIM selector`},
		{"dkim: [{selector: a, sha256: abc}]", `profile: dkim[0].sha256: "abc" is not a SHA-256 in hex (64 digits)`},
		{"dkim: [{selector: a, public_key: '!!'}]", `profile: dkim[0].public_key: not base64 (the p= value of the DKIM record)`},
		{"dkim: [{selector: a, public_key: AAEC, sha256: '" + strings.Repeat("0", 64) + "'}]", `profile: dkim[0].sha256: is not the SHA-256 of public_key`},
		{"autoconfig: ['ftp://x.fr/']", `profile: autoconfig[0]: "ftp://x.fr/" is not an http or https URL`},
		{"dnsbl: [a.fr, b.fr, c.fr, d.fr, e.fr, f.fr, g.fr]", `profile: dnsbl: at most 6 zones`},
		{"provider: [a]", `profile: provider: a array where a string is expected`},
		{"provider: a\nprovider: b", `profile: yaml: unmarshal errors: line 2: key "provider" already set in map`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.yaml))
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.yaml, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.yaml, err, tt.want)
		}
	}
}

func TestSPFAuthorises(t *testing.T) {
	p, err := Parse([]byte("spf: include:_SPF.example-host.fr."))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		record string
		want   bool
	}{
		{"v=spf1 include:_spf.example-host.fr -all", true},
		{"v=spf1 mx +include:_spf.example-host.fr. ~all", true},
		{"v=spf1 ?include:_spf.example-host.fr -all", false},
		{"v=spf1 include:_spf.google.com -all", false},
		{"v=spf1 redirect=_spf.example-host.fr", false},
	}
	for _, tt := range tests {
		rec, err := spf.Parse(tt.record)
		if err != nil {
			t.Fatal(err)
		}
		if got, known := p.SPFAuthorises(rec); got != tt.want || !known {
			t.Errorf("%q: got %v (known %v), want %v", tt.record, got, known, tt.want)
		}
	}
}

func TestDKIMMatches(t *testing.T) {
	key := []byte("a public key")
	b64 := base64.StdEncoding.EncodeToString(key)
	sum := sha256.Sum256(key)
	p, err := Parse([]byte("dkim: [{selector: k, public_key: " + b64 + "}, {selector: h, sha256: " + hex.EncodeToString(sum[:]) + "}, {selector: none}]"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"k", "h"} {
		k, ok := p.DKIMKeyFor(strings.ToUpper(sel))
		if !ok {
			t.Fatalf("selector %s not found", sel)
		}
		spaced := b64[:4] + " " + b64[4:]
		if m, known := k.Matches(spaced); !m || !known {
			t.Errorf("%s: published key does not match (%v %v)", sel, m, known)
		}
		if m, known := k.Matches(base64.StdEncoding.EncodeToString([]byte("another key"))); m || !known {
			t.Errorf("%s: another key matches (%v %v)", sel, m, known)
		}
		if m, known := k.Matches("%%%"); m || !known {
			t.Errorf("%s: garbage matches (%v %v)", sel, m, known)
		}
	}
	k, _ := p.DKIMKeyFor("none")
	if _, known := k.Matches(b64); known {
		t.Error("a selector without key knows its key")
	}
}

// FuzzParse: any input gives a Platform or an error of one line that
// starts with "profile: ", and a Platform's values are within the bounds.
func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("ranges: [10.0.0.0/33]"))
	f.Add([]byte("dkim: [{selector: a, sha256: 00}]"))
	f.Add([]byte("mx: ['{domain}']\nports: {smtp: -1}"))
	f.Add([]byte("- a\n- b"))
	f.Add([]byte("{a: [[[["))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if p != nil || !strings.HasPrefix(err.Error(), "profile: ") || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("bad error %q", err)
			}
			return
		}
		if len(p.Ranges) > MaxRanges || len(p.DNSBL) > MaxDNSBLZones || len(p.Outgoing) > MaxOutgoing {
			t.Fatal("bounds not kept")
		}
		for _, r := range p.Ranges {
			if r.Masked() != r {
				t.Fatalf("range %s not masked", r)
			}
		}
		for _, h := range p.ExpectedMX("example.com") {
			if !validHost(h) {
				t.Fatalf("expected MX %q is not a host", h)
			}
		}
		if h := p.MailHost("example.com"); !validHost(h) {
			t.Fatalf("mail host %q is not a host", h)
		}
	})
}

func TestKnownProvider(t *testing.T) {
	for host, want := range map[string]string{
		"aspmx.l.google.com.":                    "Google",
		"ALT1.ASPMX.L.GOOGLE.COM":                "Google",
		"client-com.mail.protection.outlook.com": "Microsoft 365",
		"mx1.mail.ovh.net":                       "OVH",
		"spool.mail.gandi.net":                   "Gandi",
		"mx00.ionos.fr":                          "Ionos",
		"mx.zoho.eu":                             "Zoho",
		"mail.protonmail.ch":                     "Proton",
		"ns-1234.awsdns-56.org":                  "Amazon Route 53",
		"ada.ns.cloudflare.com":                  "Cloudflare",
		"notgoogle.com":                          "",
		"mx.example-host.fr":                     "",
		"":                                       "",
	} {
		if got := KnownProvider(host); got != want {
			t.Errorf("KnownProvider(%q) = %q, want %q", host, got, want)
		}
	}
}
