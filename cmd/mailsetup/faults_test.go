package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// TestResolverFaultsExit: a resolver that is not there (nothing listens
// on its port) or answers SERVFAIL to everything makes the run say it
// could not check: every DNS check error, nothing failed, exit 3, for
// one domain and for a --file batch. (A resolver that drops every packet
// is TestResolverDown.)
func TestResolverFaultsExit(t *testing.T) {
	closed := func(t *testing.T) string { return dnstest.ClosedAddr(t) }
	servfail := func(t *testing.T) string {
		return dnstest.Serve(t, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
			m := new(dns.Msg)
			m.SetRcode(r, dns.RcodeServerFailure)
			w.WriteMsg(m)
		}))
	}
	for _, tt := range []struct {
		name     string
		resolver func(t *testing.T) string
	}{{"nothing listening", closed}, {"SERVFAIL", servfail}} {
		t.Run(tt.name, func(t *testing.T) {
			resolver := tt.resolver(t)
			code, out, errOut := runCLI(t, env(), "check", "--resolver", resolver, "--timeout", "500ms", "--format", "json", "client.com")
			if code != exitErrored {
				t.Errorf("exit %d, want %d\n%s\n%s", code, exitErrored, out, errOut)
			}
			var rep struct {
				Status string `json:"status"`
				Checks []struct {
					ID       string `json:"id"`
					Status   string `json:"status"`
					Findings []struct {
						Code string `json:"code"`
					} `json:"findings"`
				} `json:"checks"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s", err, out)
			}
			if rep.Status == "fail" {
				t.Errorf("report status fail for a resolver fault")
			}
			for _, c := range rep.Checks {
				switch {
				case strings.HasPrefix(c.ID, "dns."):
					if c.Status != "error" || len(c.Findings) == 0 || c.Findings[0].Code != string(checks.ResolverFailed) {
						t.Errorf("%s = %s %+v, want error with %s", c.ID, c.Status, c.Findings, checks.ResolverFailed)
					}
				case c.ID == string(checks.SMTPOutgoing):
					// No profile: no outgoing address, nothing looked up.
					if c.Status != "pass" || len(c.Findings) != 1 || c.Findings[0].Code != string(checks.OutgoingNone) {
						t.Errorf("%s = %s %+v, want pass with %s", c.ID, c.Status, c.Findings, checks.OutgoingNone)
					}
				case c.Status != "skip":
					t.Errorf("%s = %s, want skip (no address to probe)", c.ID, c.Status)
				}
			}

			var bout, berr bytes.Buffer
			code = run(context.Background(), []string{"check", "--file", "-", "--resolver", resolver, "--timeout", "500ms", "--format", "json"},
				strings.NewReader("client.com\nexample.org\n"), &bout, &berr, env())
			if code != exitErrored || !strings.Contains(berr.String(), "2 could not be checked") {
				t.Errorf("--file: exit %d, want %d; summary %q", code, exitErrored, berr.String())
			}
		})
	}
}
