package suite_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
)

// countingResolver counts the questions that reach the upstream
// resolver, past each run's cache.
type countingResolver struct {
	lookup.Resolver
	n atomic.Int64
}

func (c *countingResolver) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	c.n.Add(1)
	return c.Resolver.Query(ctx, name, qtype)
}

// TestPlatformQueries: the provider profile costs a bounded handful of
// DNS questions per domain (NS of the domain and its parents, check_host
// for the outgoing address past the cache), and none without a profile;
// its attributions follow from the dialled addresses.
func TestPlatformQueries(t *testing.T) {
	l := startLab(t)
	s, _ := l.Scenario("good")
	count := func(withPlatform bool) int64 {
		cr := &countingResolver{Resolver: lookup.NewClient(l.DNSAddr, labTimeout)}
		r, err := suite.New(suite.Config{Resolver: cr, RootCAs: l.RootCAs, Timeout: labTimeout, AllowPrivate: true, EHLOName: "checker.lab.test"})
		if err != nil {
			t.Fatal(err)
		}
		p := s.Profile
		if !withPlatform {
			p.Platform = nil
		}
		target, _ := checks.ParseTarget(s.Domain, true)
		rep := r.Run(context.Background(), suite.Request{Target: target, Profile: &p})
		for _, res := range rep.Results {
			if ep := res.Facts.Endpoint; ep != nil {
				want := checks.PartyOurs
				if !withPlatform {
					want = checks.PartyUnknown
				}
				if ep.Party != want {
					t.Errorf("%s: party %q, want %q (dialled %s)", res.ID, ep.Party, want, ep.Addr)
				}
			}
		}
		return cr.n.Load()
	}
	without, with := count(false), count(true)
	t.Logf("DNS questions for %s: %d without a profile, %d with the lab's (+%d)", s.Domain, without, with, with-without)
	if extra := with - without; extra < 1 || extra > 6 {
		t.Errorf("the profile costs %d more questions (%d → %d), want 1 to 6", extra, without, with)
	}
}

// TestPlatformParty: every port check records whose server it dialled,
// from the address actually dialled: the lab platform's (127.0.0.1) or
// another provider's (127.0.0.2), a refused port included.
func TestPlatformParty(t *testing.T) {
	l := startLab(t)
	r := newLabRunner(t, l)
	for name, want := range map[string]checks.Party{
		"expired":          checks.PartyOurs,
		"nopop3":           checks.PartyOurs,
		"expiredelsewhere": checks.PartyOther,
		"elsewhere":        checks.PartyOther,
	} {
		s, _ := l.Scenario(name)
		rep := runScenario(t, r, s)
		for _, res := range rep.Results {
			eps := res.Facts.Endpoints
			if ep := res.Facts.Endpoint; ep != nil {
				eps = append(eps, *ep)
			}
			for _, ep := range eps {
				if ep.Party != want {
					t.Errorf("%s %s %s: party %q, want %q (dialled %q)", name, res.ID, ep.Host, ep.Party, want, ep.Addr)
				}
			}
		}
	}
}
