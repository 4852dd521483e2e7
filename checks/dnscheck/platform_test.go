package dnscheck

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"testing"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/platform"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// testPlatform is a profile: ranges 93.184.215.0/24 (pub4 is ours), MX
// mx1.host.example, outgoing 93.184.215.25 authorised by
// include:_spf.host.example, DKIM selector pcm with the key keyB64.
func testPlatform(t *testing.T, keyB64 string) *checks.Profile {
	t.Helper()
	der, _ := base64.StdEncoding.DecodeString(keyB64)
	sum := sha256.Sum256(der)
	p, err := platform.Parse([]byte(fmt.Sprintf(`provider: PCM Hosting
ranges: [93.184.215.0/24]
mx: [mx1.host.example]
outgoing: [93.184.215.25]
spf: include:_spf.host.example
dkim:
  - selector: pcm
    sha256: "%s"
`, hex.EncodeToString(sum[:]))))
	if err != nil {
		t.Fatal(err)
	}
	return &checks.Profile{Platform: p}
}

// platformEnv is an env over f judged against testPlatform.
func platformEnv(t *testing.T, f *lookup.Fake) *checks.Env {
	return &checks.Env{Resolver: f, Profile: *testPlatform(t, base64.StdEncoding.EncodeToString([]byte("our key")))}
}

// TestSPFOutgoing: check_host for each outgoing address, one finding per
// result; a DNS failure is could-not-tell, never fail.
func TestSPFOutgoing(t *testing.T) {
	ours := map[string][]string{"_spf.host.example": {"v=spf1 ip4:93.184.215.25 -all"}, "_spf.google.example": {"v=spf1 ip4:192.0.2.0/24 -all"}}
	tests := []struct {
		name   string
		record string
		fail   bool
		want   want
	}{
		{"with our include", "v=spf1 include:_spf.google.example include:_spf.host.example -all", false,
			want{status: checks.StatusPass}},
		{"google only, -all", "v=spf1 include:_spf.google.example -all", false,
			want{status: checks.StatusFail, codes: []string{"spf.platform_missing/warn", "spf.outgoing_fail/fail"},
				params: map[checks.Code]map[string]string{checks.SPFOutgoingFail: {"ip": "93.184.215.25", "matched": "-all", "expected": "include:_spf.host.example"}}}},
		{"google only, ~all", "v=spf1 include:_spf.google.example ~all", false,
			want{status: checks.StatusWarn, codes: []string{"spf.platform_missing/warn", "spf.outgoing_softfail/warn"}}},
		{"our address by ip4, no include", "v=spf1 ip4:93.184.215.0/24 -all", false,
			want{status: checks.StatusWarn, codes: []string{"spf.platform_missing/warn"}}},
		{"our include unreachable", "v=spf1 include:_spf.host.example -all", true,
			want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &lookup.Fake{TXT: map[string][]string{"client.com": {tt.record}}}
			for k, v := range ours {
				f.TXT[k] = v
			}
			if tt.fail {
				f.Fail = map[string]bool{"_spf.host.example": true}
			}
			verify(t, run(t, SPF(), platformEnv(t, f), "client.com"), checks.DNSSPF, tt.want)
		})
	}
}

// TestOutgoingFinding: each check_host result has its code; temperror is
// could-not-tell (status error), never fail.
func TestOutgoingFinding(t *testing.T) {
	ip := netip.MustParseAddr("93.184.215.25")
	for res, want := range map[spf.Result]checks.Finding{
		spf.ResultPass:      {Code: checks.SPFOutgoingPass, Severity: checks.SeverityInfo},
		spf.ResultFail:      {Code: checks.SPFOutgoingFail, Severity: checks.SeverityFail},
		spf.ResultSoftfail:  {Code: checks.SPFOutgoingSoftfail, Severity: checks.SeverityWarn},
		spf.ResultNeutral:   {Code: checks.SPFOutgoingNeutral, Severity: checks.SeverityWarn},
		spf.ResultNone:      {Code: checks.SPFOutgoingNeutral, Severity: checks.SeverityWarn},
		spf.ResultPermError: {Code: checks.SPFOutgoingPermerror, Severity: checks.SeverityFail},
		spf.ResultTempError: {Code: checks.SPFOutgoingTemperror, Severity: checks.SeverityError},
	} {
		f := outgoingFinding(ip, &spf.CheckResult{Result: res, Domain: "client.com"}, "include:_spf.host.example", "PCM Hosting")
		if f.Code != want.Code || f.Severity != want.Severity || f.Params["ip"] != ip.String() || f.Params["result"] != string(res) {
			t.Errorf("%s: %+v, want %s/%s", res, f, want.Code, want.Severity)
		}
	}
}

// TestMXAndHostElsewhere: an MX that is not the profile's names the
// provider from the MX host; a mail host outside the ranges is not ours.
func TestMXAndHostElsewhere(t *testing.T) {
	f := &lookup.Fake{
		MX: map[string][]*dns.MX{"client.com": {{Preference: 1, Mx: "aspmx.l.google.com."}}},
		A:  map[string][]string{"aspmx.l.google.com": {pub4b}, "client.com": {"93.184.216.34"}},
	}
	env := platformEnv(t, f)
	verify(t, run(t, MX(), env, "client.com"), checks.DNSMX, want{status: checks.StatusWarn, codes: []string{"mx.elsewhere/warn"},
		params: map[checks.Code]map[string]string{checks.MXElsewhere: {"mx": "aspmx.l.google.com", "other": "Google", "provider": "PCM Hosting", "expected_mx": "mx1.host.example"}}})
	verify(t, run(t, Host(), env, "client.com"), checks.DNSHost, want{status: checks.StatusWarn, codes: []string{"host.not_ours/warn"},
		params: map[checks.Code]map[string]string{checks.HostNotOurs: {"ip": "93.184.216.34"}}})
	// Ours: nothing to say.
	f.MX["client.com"] = []*dns.MX{{Preference: 10, Mx: "mx1.host.example."}}
	f.A["mx1.host.example"], f.A["client.com"] = []string{pub4}, []string{pub4}
	verify(t, run(t, MX(), env, "client.com"), checks.DNSMX, want{status: checks.StatusPass})
	verify(t, run(t, Host(), env, "client.com"), checks.DNSHost, want{status: checks.StatusPass})
	// No profile: the guide's generic rules only.
	verify(t, run(t, Host(), &checks.Env{Resolver: f}, "client.com"), checks.DNSHost, want{status: checks.StatusPass})
}

// TestDKIMPlatform: the platform's selector without a key, or with
// another key than the profile's.
func TestDKIMPlatform(t *testing.T) {
	ourKey := base64.StdEncoding.EncodeToString([]byte("our key"))
	ed := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name string
		txt  map[string][]string
		want want
	}{
		{"another key at our selector", map[string][]string{"pcm._domainkey.client.com": {ed}},
			want{status: checks.StatusFail, codes: []string{"dkim.key_mismatch/fail"}}},
		{"a key elsewhere, none at ours", map[string][]string{"default._domainkey.client.com": {ed}},
			want{status: checks.StatusWarn, codes: []string{"dkim.platform_missing/warn"}}},
		{"no key at all: dkim.missing says it", map[string][]string{},
			want{status: checks.StatusWarn, codes: []string{"dkim.missing/warn"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &checks.Env{Resolver: &lookup.Fake{TXT: tt.txt}, Profile: *testPlatform(t, ourKey)}
			verify(t, run(t, DKIM(), env, "client.com"), checks.DNSDKIM, tt.want)
		})
	}
}
