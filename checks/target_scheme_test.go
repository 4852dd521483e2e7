package checks

import "testing"

// TestMistypedScheme: a web address with its slashes mistyped is read as
// a web address; it was refused as "contains a port".
func TestMistypedScheme(t *testing.T) {
	for _, in := range []string{"http:/client.com", "https:client.com", "HTTP:/www.client.com/contact", "https:/client.com:443/"} {
		got, err := ParseTarget(in, false)
		if err != nil || got.Domain != "client.com" || !got.FromURL {
			t.Errorf("ParseTarget(%q) = %+v, %v; want client.com from a web address", in, got, err)
		}
	}
	if _, err := ParseTarget("client.com:25", false); err == nil {
		t.Errorf("client.com:25 accepted")
	}
}
