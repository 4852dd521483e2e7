package deploy_test

import (
	"os"
	"testing"

	"github.com/pcmhosting/mailsetup/checks/platform"
)

// TestProfileExample: the documented example profile is valid and sets
// every field of the schema.
func TestProfileExample(t *testing.T) {
	b, err := os.ReadFile("profile.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := platform.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	unset := map[string]bool{
		"provider": p.Provider == "", "mail_host": p.MailHostTemplate == "", "ports": len(p.Ports) != 5,
		"ranges": len(p.Ranges) == 0, "mx": len(p.MX) == 0, "name_servers": len(p.NameServers) == 0,
		"outgoing": len(p.Outgoing) == 0, "spf": p.SPF == nil, "autoconfig": len(p.Autoconfig) == 0,
		"autodiscover": len(p.Autodiscover) == 0, "dnsbl": len(p.DNSBL) == 0,
		"dkim": len(p.DKIM) == 0 || !p.DKIM[0].Known(),
	}
	for field, missing := range unset {
		if missing {
			t.Errorf("profile.example.yaml does not show %s", field)
		}
	}
}
