package dnscheck

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
)

// silent never answers: a name server that drops every question.
type silent struct{}

func (silent) ServeDNS(dns.ResponseWriter, *dns.Msg) {}

// zoneServer is an authoritative server of example.test at one serial,
// with its MX; it returns the port it listens on.
func zoneServer(t *testing.T, serial, mx string) int {
	t.Helper()
	z := dnstest.NewZone(t,
		"example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. "+serial+" 3600 600 86400 300",
		"example.test. 600 IN MX 10 "+mx,
		"example.test. 600 IN TXT \"v=spf1 mx -all\"",
		"example.test. 600 IN A 192.0.2.10",
	)
	z.Authoritative = true
	return port(t, dnstest.Serve(t, z))
}

func port(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

// propagationEnv is a resolver holding the delegation of example.test to
// its servers (ns2 at ns2addr), the MX it caches, with its remaining TTL.
func propagationEnv(t *testing.T, ns2addr, cachedMX string, ports map[string]int) *checks.Env {
	t.Helper()
	res := dnstest.NewZone(t,
		"example.test. 300 IN NS ns1.example.test.",
		"example.test. 300 IN NS ns2.example.test.",
		"ns1.example.test. 300 IN A 127.0.0.1",
		"ns2.example.test. 300 IN A "+ns2addr,
		"example.test. 540 IN MX 10 "+cachedMX,
		"example.test. 600 IN TXT \"v=spf1 mx -all\"",
		"example.test. 600 IN A 192.0.2.10",
	)
	const step = 300 * time.Millisecond
	return &checks.Env{
		Resolver:     lookup.NewClient(dnstest.Serve(t, res), step),
		Timeout:      step,
		AllowPrivate: true,
		Profile:      checks.Profile{NameServerPorts: ports},
	}
}

// TestPropagation: the servers and the resolver compared, each way a
// comparison can end; a server that does not answer is never a
// disagreement, and one on an unspecified address is never dialled.
func TestPropagation(t *testing.T) {
	t.Run("agree", func(t *testing.T) {
		ports := map[string]int{"ns1.example.test": zoneServer(t, "2", "mx.example.test."), "ns2.example.test": zoneServer(t, "2", "mx.example.test.")}
		res := run(t, Propagation(), propagationEnv(t, "127.0.0.1", "mx.example.test.", ports), "example.test")
		verify(t, res, checks.DNSPropagation, want{status: checks.StatusPass,
			params: map[checks.Code]map[string]string{checks.PropagationFound: {"zone": "example.test", "serial": "2", "count": "2"}}})
	})
	t.Run("stale secondary and stale resolver", func(t *testing.T) {
		ports := map[string]int{"ns1.example.test": zoneServer(t, "2", "mx.example.test."), "ns2.example.test": zoneServer(t, "1", "old.example.test.")}
		res := run(t, Propagation(), propagationEnv(t, "127.0.0.1", "old.example.test.", ports), "example.test")
		verify(t, res, checks.DNSPropagation, want{status: checks.StatusWarn,
			codes: []string{"propagation.servers_disagree/warn", "propagation.resolver_stale/warn"},
			params: map[checks.Code]map[string]string{
				checks.PropagationDisagree: {"stale": "ns2.example.test", "serial": "2", "stale_serial": "1", "kinds": "MX"},
				// 540 s left in the resolver's cache: 9 minutes.
				checks.PropagationStale: {"kind": "MX", "check": "dns.mx", "minutes": "9", "new_record": "10 mx.example.test."},
			}})
	})
	t.Run("one server silent", func(t *testing.T) {
		ports := map[string]int{"ns1.example.test": zoneServer(t, "2", "mx.example.test."), "ns2.example.test": port(t, dnstest.Serve(t, silent{}))}
		res := run(t, Propagation(), propagationEnv(t, "127.0.0.1", "mx.example.test.", ports), "example.test")
		verify(t, res, checks.DNSPropagation, want{status: checks.StatusWarn,
			codes:  []string{"propagation.server_unreachable/warn"},
			params: map[checks.Code]map[string]string{checks.PropagationUnreachable: {"server": "ns2.example.test"}}})
	})
	t.Run("every server silent", func(t *testing.T) {
		s := port(t, dnstest.Serve(t, silent{}))
		ports := map[string]int{"ns1.example.test": s, "ns2.example.test": s}
		res := run(t, Propagation(), propagationEnv(t, "127.0.0.1", "mx.example.test.", ports), "example.test")
		if res.Status != checks.StatusError || !res.Has(checks.PropagationUnknown) || res.Has(checks.PropagationDisagree) || res.Has(checks.PropagationStale) {
			t.Errorf("every server silent: %s %+v, want error with propagation.unknown and no verdict", res.Status, res.Findings)
		}
	})
	t.Run("server on 0.0.0.0 and a lame one", func(t *testing.T) {
		lame := &dnstest.Zone{Rcode: dns.RcodeRefused}
		ports := map[string]int{"ns1.example.test": port(t, dnstest.Serve(t, lame)), "ns2.example.test": zoneServer(t, "2", "mx.example.test.")}
		res := run(t, Propagation(), propagationEnv(t, "0.0.0.0", "mx.example.test.", ports), "example.test")
		verify(t, res, checks.DNSPropagation, want{status: checks.StatusError,
			codes: []string{"propagation.server_lame/warn", "propagation.server_forbidden/warn", "propagation.unknown/error"},
			params: map[checks.Code]map[string]string{
				checks.PropagationForbidden: {"server": "ns2.example.test", "addr": "0.0.0.0"},
				checks.PropagationLame:      {"server": "ns1.example.test", "reason": "lame"},
			}})
	})
	t.Run("no zone", func(t *testing.T) {
		env := &checks.Env{Resolver: lookup.NewClient(dnstest.Serve(t, dnstest.NewZone(t, "other.test. 300 IN A 192.0.2.1")), time.Second), Timeout: time.Second}
		res := run(t, Propagation(), env, "example.test")
		verify(t, res, checks.DNSPropagation, want{status: checks.StatusSkip})
		if !res.Has(checks.PropagationNoZone) {
			t.Errorf("no zone: findings %+v", res.Findings)
		}
	})
}
