package dnscheck

import (
	"net/netip"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/platform"
)

// TestOutgoing: smtp.outgoing reports each outgoing address's reverse
// DNS and listings; a lookup that fails is could-not-tell (info while
// another answered, error when none did), never listed nor clean.
func TestOutgoing(t *testing.T) {
	const (
		rev    = "25.215.184.93.in-addr.arpa"
		listed = "25.215.184.93.bl.example"
	)
	good := func() *lookup.Fake {
		return &lookup.Fake{
			PTR: map[string][]string{rev: {"out.host.example"}},
			A:   map[string][]string{"out.host.example": {"93.184.215.25"}},
		}
	}
	profile := checks.Profile{Platform: &platform.Platform{
		Outgoing: []netip.Addr{netip.MustParseAddr("93.184.215.25")},
		DNSBL:    []string{"bl.example"},
	}}
	tests := []struct {
		name    string
		fake    func(*lookup.Fake)
		profile checks.Profile
		want    want
		info    checks.Code
	}{
		{name: "clean", fake: func(*lookup.Fake) {}, profile: profile, want: want{status: checks.StatusPass}},
		{name: "listed with a reason", profile: profile, fake: func(f *lookup.Fake) {
			f.A[listed] = []string{"127.0.0.2"}
			f.TXT = map[string][]string{listed: {"spam <b>*x*</b>"}}
		}, want: want{status: checks.StatusFail, codes: []string{"outgoing.listed/fail"},
			params: map[checks.Code]map[string]string{checks.OutgoingListed: {"ip": "93.184.215.25", "zone": "bl.example", "reason": "spam <b>*x*</b>"}}}},
		{name: "no PTR", profile: profile, fake: func(f *lookup.Fake) { f.PTR = nil },
			want: want{status: checks.StatusWarn, codes: []string{"outgoing.no_ptr/warn"}}},
		{name: "PTR not back", profile: profile, fake: func(f *lookup.Fake) { f.A["out.host.example"] = []string{"93.184.215.99"} },
			want: want{status: checks.StatusWarn, codes: []string{"outgoing.ptr_unconfirmed/warn"},
				params: map[checks.Code]map[string]string{checks.OutgoingPTRUnconfirmed: {"name": "out.host.example"}}}},
		{name: "blocklist fails, PTR answers: could not tell, info", profile: profile,
			fake: func(f *lookup.Fake) { f.Fail = map[string]bool{listed: true} },
			want: want{status: checks.StatusPass}, info: checks.OutgoingUnknown},
		{name: "every lookup fails: error", profile: profile,
			fake: func(f *lookup.Fake) { f.Fail = map[string]bool{listed: true, rev: true} },
			want: want{status: checks.StatusError, codes: []string{"outgoing.unknown/error", "outgoing.unknown/error"}}},
		{name: "no outgoing address", fake: func(*lookup.Fake) {},
			want: want{status: checks.StatusPass}, info: checks.OutgoingNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			tt.fake(f)
			res := run(t, Outgoing(), &checks.Env{Resolver: f, Profile: tt.profile}, "client.com")
			verify(t, res, checks.SMTPOutgoing, tt.want)
			if tt.info != "" && !res.Has(tt.info) {
				t.Errorf("no %s in %+v", tt.info, res.Findings)
			}
		})
	}
}
