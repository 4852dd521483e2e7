package autoconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// freenet is the example of Mozilla's "How to create a configuration file".
const freenet = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="freenet.de">
    <domain>freenet.de</domain>
    <displayName>Freenet Mail</displayName>
    <displayShortName>Freenet</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.freenet.de</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-encrypted</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.freenet.de</hostname>
      <port>110</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.freenet.de</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-encrypted</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <documentation url="http://kundenservice.freenet.de/hilfe/email/programme/config/index.html">
      <descr lang="de">Allgemeine Beschreibung</descr>
    </documentation>
  </emailProvider>
</clientConfig>`

func TestParseClientConfig(t *testing.T) {
	want := &ClientConfig{Version: "1.1", Providers: []Provider{{
		ID: "freenet.de", Domains: []string{"freenet.de"}, DisplayName: "Freenet Mail",
		Incoming: []Server{
			{Type: "imap", Hostname: "imap.freenet.de", Port: 993, SocketType: "SSL", Username: "%EMAILADDRESS%", Authentication: []string{"password-encrypted"}},
			{Type: "pop3", Hostname: "pop.freenet.de", Port: 110, SocketType: "STARTTLS", Username: "%EMAILADDRESS%", Authentication: []string{"password-cleartext"}},
		},
		Outgoing: []Server{
			{Type: "smtp", Hostname: "smtp.freenet.de", Port: 465, SocketType: "SSL", Username: "%EMAILADDRESS%", Authentication: []string{"password-encrypted"}},
		},
	}}}
	got, err := ParseClientConfig([]byte(freenet))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseClientConfig (-want +got):\n%s", diff)
	}
}

func TestParseClientConfigLatin1(t *testing.T) {
	data := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><clientConfig><emailProvider id=\"x\"><displayName>Caf\xe9</displayName></emailProvider></clientConfig>")
	got, err := ParseClientConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if name := got.Providers[0].DisplayName; name != "Café" {
		t.Errorf("DisplayName = %q, want Café", name)
	}
}

func TestParseClientConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"empty", ""},
		{"html", "<html><body>Not Found</body></html>"},
		{"no provider", `<clientConfig version="1.1"></clientConfig>`},
		{"truncated", freenet[:len(freenet)/2]},
		{"unknown charset", `<?xml version="1.0" encoding="KOI8-R"?><clientConfig><emailProvider/></clientConfig>`},
		{"too big", `<clientConfig><emailProvider/>` + strings.Repeat(" ", MaxConfigSize) + `</clientConfig>`},
		{"deep nesting", strings.Repeat("<a>", 20000) + strings.Repeat("</a>", 20000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := ParseClientConfig([]byte(tc.data)); err == nil {
				t.Errorf("ParseClientConfig = %+v, want an error", c)
			}
		})
	}
}

func TestSettings(t *testing.T) {
	const file = `<clientConfig version="1.1">
  <emailProvider id="example.com">
    <incomingServer type="imap"><hostname>%EMAILDOMAIN%.</hostname><port> 993 </port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="pop3"><hostname>Mail.Example.COM</hostname><port>110</port><socketType>plain</socketType></incomingServer>
    <incomingServer type="exchange"><hostname>outlook.example.com</hostname><port>443</port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>x y</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>example.com</hostname><port>99999</port><socketType>SSL</socketType></incomingServer>
    <incomingServer type="imap"><hostname>example.com</hostname><port>993</port><socketType>TLS1.3</socketType></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
    <outgoingServer type="imap"><hostname>example.com</hostname><port>993</port><socketType>SSL</socketType></outgoingServer>
  </emailProvider>
  <emailProvider id="second">
    <incomingServer type="imap"><hostname>second.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
  </emailProvider>
</clientConfig>`
	c, err := ParseClientConfig([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	got, ignored := c.Settings("jane@example.com")
	want := []checks.Advertised{
		{Source: "autoconfig", Protocol: "IMAP", Host: "example.com", Port: 993, Security: checks.SecurityTLS},
		{Source: "autoconfig", Protocol: "POP3", Host: "mail.example.com", Port: 110, Security: checks.SecurityNone},
		{Source: "autoconfig", Protocol: "SMTP", Host: "smtp.example.com", Port: 587, Security: checks.SecurityStartTLS},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Settings (-want +got):\n%s", diff)
	}
	// exchange, "x y", port 99999, socketType TLS1.3, outgoing imap.
	if len(ignored) != 5 {
		t.Errorf("ignored = %q, want 5 entries", ignored)
	}
}

func TestSettingsPlaceholders(t *testing.T) {
	for _, tc := range []struct{ name, hostname, address, want string }{
		{"domain", "%EMAILDOMAIN%", "jane@example.com", "example.com"},
		{"prefixed domain", "imap.%EMAILDOMAIN%", "postmaster@example.org", "imap.example.org"},
		{"local part", "%EMAILLOCALPART%.example.net", "jane@example.com", "jane.example.net"},
		{"literal", "mail.example.com", "jane@example.com", "mail.example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseClientConfig([]byte(`<clientConfig><emailProvider><incomingServer type="imap"><hostname>` +
				tc.hostname + `</hostname><port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := c.Settings(tc.address)
			if len(got) != 1 || got[0].Host != tc.want {
				t.Errorf("Settings = %+v, want host %q", got, tc.want)
			}
		})
	}
}

func FuzzParseClientConfig(f *testing.F) {
	f.Add([]byte(freenet))
	f.Add([]byte(freenet[:len(freenet)/2]))
	f.Add([]byte(freenet[:len(freenet)-20]))
	f.Add([]byte(strings.Repeat("<clientConfig>", 5000)))
	f.Add([]byte(strings.Repeat("<a>", 20000) + strings.Repeat("</a>", 20000)))
	f.Add([]byte(`<clientConfig><emailProvider><incomingServer type="imap"><hostname>%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`))
	f.Add([]byte(`<?xml version="1.0" encoding="latin1"?><clientConfig><emailProvider><outgoingServer type="smtp"><hostname>a.b</hostname><port>-1</port><socketType>plain</socketType></outgoingServer></emailProvider></clientConfig>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><clientConfig>&a;</clientConfig>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseClientConfig(data)
		if err != nil {
			if c != nil {
				t.Fatal("config returned with an error")
			}
			return
		}
		if len(c.Providers) == 0 {
			t.Fatal("no error and no provider")
		}
		settings, _ := c.Settings("jane@example.com")
		for _, s := range settings {
			if s.Port < 1 || s.Port > 65535 || !validHost(s.Host) || s.Protocol == "" {
				t.Fatalf("unusable setting %+v", s)
			}
			switch s.Security {
			case checks.SecurityTLS, checks.SecurityStartTLS, checks.SecurityNone:
			default:
				t.Fatalf("security %q", s.Security)
			}
		}
	})
}
