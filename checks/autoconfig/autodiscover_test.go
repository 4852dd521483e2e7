package autoconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAutodiscoverURLs(t *testing.T) {
	for _, tc := range []struct {
		name string
		port int
		want []string
	}{
		{"standard port", 443, []string{
			"https://example.com/autodiscover/autodiscover.xml",
			"https://autodiscover.example.com/autodiscover/autodiscover.xml",
		}},
		{"mapped port", 8443, []string{
			"https://example.com:8443/autodiscover/autodiscover.xml",
			"https://autodiscover.example.com:8443/autodiscover/autodiscover.xml",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, AutodiscoverURLs("example.com", tc.port)); diff != "" {
				t.Errorf("AutodiscoverURLs (-want +got):\n%s", diff)
			}
		})
	}
	// An SRV target on another port keeps it; 443 follows the mapping.
	if got := autodiscoverURL("mail.example.com", 8443, 0); got != "https://mail.example.com:8443/autodiscover/autodiscover.xml" {
		t.Errorf("autodiscoverURL on 8443 = %s", got)
	}
}

// autodiscoverSeeds are answers a POST can get: a service's, an error
// document of a service, and what is not one.
var autodiscoverSeeds = []struct {
	body string
	want bool
}{
	{`<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response/></Autodiscover>`, true},
	{`<Autodiscover><Response><Error><ErrorCode>600</ErrorCode></Error></Response></Autodiscover>`, true},
	{`<?xml version="1.0" encoding="iso-8859-1"?><!-- a comment --><Autodiscover/>`, true},
	{`<html><body>Welcome</body></html>`, false},
	{`<clientConfig version="1.1"/>`, false},
	{`not XML`, false},
	{``, false},
	{`<?xml version="1.0" encoding="koi8-r"?><Autodiscover/>`, false},
}

func TestIsAutodiscoverXML(t *testing.T) {
	for _, s := range autodiscoverSeeds {
		if got := isAutodiscoverXML([]byte(s.body)); got != s.want {
			t.Errorf("isAutodiscoverXML(%q) = %v, want %v", s.body, got, s.want)
		}
	}
}

// FuzzIsAutodiscoverXML: any answer, however malformed, is judged
// without a panic, and only a document whose root is Autodiscover
// counts.
func FuzzIsAutodiscoverXML(f *testing.F) {
	for _, s := range autodiscoverSeeds {
		f.Add([]byte(s.body))
	}
	f.Add([]byte(strings.Repeat("<a>", 20000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if isAutodiscoverXML(data) && !strings.Contains(string(data), "Autodiscover") {
			t.Fatalf("%q counted as autodiscover", data)
		}
	})
}
