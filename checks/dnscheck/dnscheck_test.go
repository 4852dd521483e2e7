//go:debug rsa1024min=0

package dnscheck

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// Public-looking addresses (none in a special-use range) and private ones.
const (
	pub4  = "93.184.215.14"
	pub4b = "93.184.215.15"
	pub6  = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
	priv4 = "10.0.0.5"
	loop4 = "127.0.0.1"
)

// want is what a test expects of a result: its status, its non-info
// findings as "code/severity" in order, and for some codes the params
// (a subset) and the exact detail.
type want struct {
	status checks.Status
	codes  []string
	params map[checks.Code]map[string]string
	detail map[checks.Code]string
}

func verify(t *testing.T, res checks.Result, id checks.ID, w want) {
	t.Helper()
	if res.ID != id {
		t.Errorf("ID = %s, want %s", res.ID, id)
	}
	if res.Status != w.status {
		t.Errorf("status = %s, want %s (findings %+v)", res.Status, w.status, res.Findings)
	}
	var codes []string
	byCode := map[checks.Code]checks.Finding{}
	for _, f := range res.Findings {
		if _, ok := byCode[f.Code]; !ok {
			byCode[f.Code] = f
		}
		if f.Severity != checks.SeverityInfo {
			codes = append(codes, string(f.Code)+"/"+string(f.Severity))
		}
	}
	if diff := cmp.Diff(w.codes, codes); diff != "" {
		t.Errorf("findings (-want +got):\n%s\nall: %+v", diff, res.Findings)
	}
	for c, ps := range w.params {
		f, ok := byCode[c]
		if !ok {
			t.Errorf("no %s finding for params %v", c, ps)
			continue
		}
		for k, v := range ps {
			if f.Params[k] != v {
				t.Errorf("%s param %s = %q, want %q", c, k, f.Params[k], v)
			}
		}
	}
	for c, d := range w.detail {
		if f, ok := byCode[c]; !ok || f.Detail != d {
			t.Errorf("%s detail:\n got %q\nwant %q", c, f.Detail, d)
		}
	}
}

func run(t *testing.T, c checks.Check, env *checks.Env, domain string) checks.Result {
	t.Helper()
	tgt := checks.Target{Input: domain, Domain: domain, Display: domain, Host: domain}
	return c.Run(t.Context(), env, tgt, nil)
}

// failType fails the questions of one type, as a resolver whose AAAA
// queries time out would.
type failType struct {
	lookup.Resolver
	qtype uint16
}

func (f failType) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	if qtype == f.qtype {
		return nil, fmt.Errorf("%w: %s: timeout", lookup.ErrFailed, name)
	}
	return f.Resolver.Query(ctx, name, qtype)
}

// failSuffix fails every question about a name and the names under it.
type failSuffix struct {
	lookup.Resolver
	suffix string
}

func (f failSuffix) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	if n := strings.TrimSuffix(name, "."); n == f.suffix || strings.HasSuffix(n, "."+f.suffix) {
		return nil, fmt.Errorf("%w: %s: SERVFAIL", lookup.ErrFailed, name)
	}
	return f.Resolver.Query(ctx, name, qtype)
}

func TestConstructors(t *testing.T) {
	for _, tt := range []struct {
		c  checks.Check
		id checks.ID
	}{{Host(), checks.DNSHost}, {MX(), checks.DNSMX}, {SPF(), checks.DNSSPF}, {DKIM(), checks.DNSDKIM}, {DMARC(), checks.DNSDMARC}} {
		if tt.c.ID != tt.id || len(tt.c.DependsOn) != 0 || tt.c.Run == nil {
			t.Errorf("%s: ID %s, DependsOn %v, Run set %v", tt.id, tt.c.ID, tt.c.DependsOn, tt.c.Run != nil)
		}
	}
}

func TestHost(t *testing.T) {
	tests := []struct {
		name    string
		fake    lookup.Fake
		wrap    func(lookup.Resolver) lookup.Resolver
		private bool
		addrs   []string
		want    want
	}{
		{name: "pass", fake: lookup.Fake{A: map[string][]string{"client.com": {pub4}}, AAAA: map[string][]string{"client.com": {pub6}}},
			addrs: []string{pub4, pub6},
			want: want{status: checks.StatusPass,
				params: map[checks.Code]map[string]string{checks.HostFound: {"host": "client.com", "count": "2"}},
				detail: map[checks.Code]string{checks.HostFound: "client.com: " + pub4 + ", " + pub6}}},
		{name: "cname chain", fake: lookup.Fake{CNAME: map[string]string{"client.com": "web.host.net", "web.host.net": "lb.host.net"}, A: map[string][]string{"lb.host.net": {pub4}}},
			addrs: []string{pub4},
			want: want{status: checks.StatusPass,
				detail: map[checks.Code]string{checks.HostFound: "client.com → web.host.net → lb.host.net: " + pub4}}},
		{name: "nxdomain", fake: lookup.Fake{},
			want: want{status: checks.StatusFail, codes: []string{"host.nxdomain/fail"},
				params: map[checks.Code]map[string]string{checks.HostNXDomain: {"host": "client.com"}},
				detail: map[checks.Code]string{checks.HostNXDomain: "client.com: NXDOMAIN"}}},
		{name: "cname to nowhere", fake: lookup.Fake{CNAME: map[string]string{"client.com": "gone.host.net"}},
			want: want{status: checks.StatusFail, codes: []string{"host.nxdomain/fail"},
				detail: map[checks.Code]string{checks.HostNXDomain: "client.com → gone.host.net: NXDOMAIN"}}},
		{name: "no address", fake: lookup.Fake{TXT: map[string][]string{"client.com": {"v=spf1 -all"}}},
			want: want{status: checks.StatusFail, codes: []string{"host.no_address/fail"}}},
		{name: "private", fake: lookup.Fake{A: map[string][]string{"client.com": {priv4, loop4}}},
			addrs: []string{priv4, loop4},
			want:  want{status: checks.StatusFail, codes: []string{"host.private_address/fail"}}},
		{name: "private allowed", fake: lookup.Fake{A: map[string][]string{"client.com": {loop4}}}, private: true,
			addrs: []string{loop4}, want: want{status: checks.StatusPass}},
		{name: "private and public", fake: lookup.Fake{A: map[string][]string{"client.com": {priv4, pub4}}},
			addrs: []string{priv4, pub4}, want: want{status: checks.StatusPass}},
		{name: "resolver failed", fake: lookup.Fake{Fail: map[string]bool{"client.com": true}},
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
		{name: "AAAA fails, A answers", fake: lookup.Fake{A: map[string][]string{"client.com": {pub4}}},
			wrap:  func(r lookup.Resolver) lookup.Resolver { return failType{r, dns.TypeAAAA} },
			addrs: []string{pub4}, want: want{status: checks.StatusPass}},
		{name: "AAAA fails, A empty: not a false no_address", fake: lookup.Fake{TXT: map[string][]string{"client.com": {"x"}}},
			wrap: func(r lookup.Resolver) lookup.Resolver { return failType{r, dns.TypeAAAA} },
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r lookup.Resolver = &tt.fake
			if tt.wrap != nil {
				r = tt.wrap(r)
			}
			res := run(t, Host(), &checks.Env{Resolver: r, AllowPrivate: tt.private}, "client.com")
			verify(t, res, checks.DNSHost, tt.want)
			if diff := cmp.Diff(tt.addrs, res.Facts.Addresses); diff != "" {
				t.Errorf("Facts.Addresses (-want +got):\n%s", diff)
			}
		})
	}
}

func mx(pref uint16, host string) *dns.MX { return &dns.MX{Preference: pref, Mx: host} }

func TestMX(t *testing.T) {
	addrs := map[string][]string{"mx1.host.net": {pub4}, "mx2.host.net": {pub4b}, "real.host.net": {pub4}, "priv.host.net": {priv4}, "zero.host.net": {"0.0.0.0"}}
	tests := []struct {
		name    string
		mx      []*dns.MX
		txt     bool // the domain exists through a TXT record
		fail    []string
		private bool
		a       map[string][]string // addresses beside the shared ones
		hosts   []string
		want    want
	}{
		{name: "pass, by preference", mx: []*dns.MX{mx(20, "MX2.host.net."), mx(10, "mx1.host.net.")},
			hosts: []string{"mx1.host.net", "mx2.host.net"},
			want: want{status: checks.StatusPass,
				detail: map[checks.Code]string{checks.MXFound: "10 mx1.host.net (" + pub4 + "); 20 mx2.host.net (" + pub4b + ")"}}},
		{name: "nxdomain",
			want: want{status: checks.StatusFail, codes: []string{"mx.missing/fail"}, detail: map[checks.Code]string{checks.MXMissing: "NXDOMAIN"}}},
		{name: "no MX, no address", txt: true,
			want: want{status: checks.StatusFail, codes: []string{"mx.missing/fail"},
				detail: map[checks.Code]string{checks.MXMissing: "no MX record, and client.com has no A or AAAA record"}}},
		// RFC 5321 §5.1: the domain is its own implicit MX.
		{name: "no MX, the domain has an address", a: map[string][]string{"client.com": {pub4}}, hosts: []string{"client.com"},
			want: want{status: checks.StatusWarn, codes: []string{"mx.missing/warn"},
				detail: map[checks.Code]string{checks.MXMissing: "no MX record; senders fall back to client.com (" + pub4 + ")"}}},
		{name: "no MX, the domain has a private address", a: map[string][]string{"client.com": {priv4}},
			want: want{status: checks.StatusFail, codes: []string{"mx.missing/fail"},
				detail: map[checks.Code]string{checks.MXMissing: "no MX record, and client.com has only private or reserved addresses (1)"}}},
		{name: "null MX", mx: []*dns.MX{mx(0, ".")},
			want: want{status: checks.StatusFail, codes: []string{"mx.null/fail"}}},
		{name: "cname target", mx: []*dns.MX{mx(10, "alias.elsewhere.net.")}, hosts: []string{"alias.elsewhere.net"},
			want: want{status: checks.StatusWarn, codes: []string{"mx.cname/warn"},
				params: map[checks.Code]map[string]string{checks.MXCNAME: {"host": "alias.elsewhere.net"}},
				detail: map[checks.Code]string{checks.MXCNAME: "alias.elsewhere.net → real.host.net"}}},
		{name: "one of two unresolvable", mx: []*dns.MX{mx(10, "mx1.host.net."), mx(20, "gone.host.net.")}, hosts: []string{"mx1.host.net"},
			want: want{status: checks.StatusWarn, codes: []string{"mx.unresolvable/warn"},
				params: map[checks.Code]map[string]string{checks.MXUnresolvable: {"host": "gone.host.net"}},
				detail: map[checks.Code]string{checks.MXUnresolvable: "gone.host.net: NXDOMAIN"}}},
		{name: "all unresolvable", mx: []*dns.MX{mx(10, "gone.host.net."), mx(20, "client.com.")}, txt: true,
			want: want{status: checks.StatusFail, codes: []string{"mx.unresolvable/fail", "mx.unresolvable/fail"}}},
		{name: "private target", mx: []*dns.MX{mx(10, "priv.host.net.")},
			want: want{status: checks.StatusFail, codes: []string{"mx.private_address/fail"},
				params: map[checks.Code]map[string]string{checks.MXPrivateAddress: {"host": "priv.host.net", "count": "1"}},
				detail: map[checks.Code]string{checks.MXPrivateAddress: "priv.host.net: 1 private or reserved address(es), no public one"}}},
		{name: "private target beside a public one", mx: []*dns.MX{mx(10, "mx1.host.net."), mx(20, "priv.host.net.")}, hosts: []string{"mx1.host.net"},
			want: want{status: checks.StatusWarn, codes: []string{"mx.private_address/warn"}}},
		{name: "unspecified target, private allowed", mx: []*dns.MX{mx(10, "zero.host.net.")}, private: true,
			want: want{status: checks.StatusFail, codes: []string{"mx.private_address/fail"}}},
		{name: "private target allowed", mx: []*dns.MX{mx(10, "priv.host.net.")}, private: true, hosts: []string{"priv.host.net"},
			want: want{status: checks.StatusPass}},
		{name: "resolver failed", fail: []string{"client.com"},
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
		{name: "one target fails, another works", mx: []*dns.MX{mx(10, "bad.host.net."), mx(20, "mx1.host.net.")}, fail: []string{"bad.host.net"},
			hosts: []string{"mx1.host.net"}, want: want{status: checks.StatusPass}},
		{name: "only target fails", mx: []*dns.MX{mx(10, "bad.host.net."), mx(20, "gone.host.net.")}, fail: []string{"bad.host.net"},
			want: want{status: checks.StatusError, codes: []string{"mx.unresolvable/warn", "resolver.failed/error"}}},
		{name: "duplicates", mx: []*dns.MX{mx(10, "mx1.host.net."), mx(10, "MX1.host.net.")},
			hosts: []string{"mx1.host.net"}, want: want{status: checks.StatusPass}},
		// RFC 7505 §3: a null MX must stand alone; the other hosts are
		// still handed to smtp.25.
		{name: "null among others", mx: []*dns.MX{mx(10, "mx1.host.net."), mx(0, ".")},
			hosts: []string{"mx1.host.net"}, want: want{status: checks.StatusFail, codes: []string{"mx.null_mixed/fail"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &lookup.Fake{A: maps.Clone(addrs), CNAME: map[string]string{"alias.elsewhere.net": "real.host.net"},
				MX: map[string][]*dns.MX{}, TXT: map[string][]string{}, Fail: map[string]bool{}}
			maps.Copy(f.A, tt.a)
			if tt.mx != nil {
				f.MX["client.com"] = tt.mx
			}
			if tt.txt {
				f.TXT["client.com"] = []string{"v=spf1 -all"}
			}
			for _, n := range tt.fail {
				f.Fail[n] = true
			}
			res := run(t, MX(), &checks.Env{Resolver: f, AllowPrivate: tt.private}, "client.com")
			verify(t, res, checks.DNSMX, tt.want)
			if diff := cmp.Diff(tt.hosts, res.Facts.MXHosts); diff != "" {
				t.Errorf("Facts.MXHosts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMXAtMostTen(t *testing.T) {
	f := &lookup.Fake{A: map[string][]string{}, MX: map[string][]*dns.MX{}}
	for i := range 15 {
		h := fmt.Sprintf("mx%02d.host.net", i)
		f.A[h] = []string{pub4}
		f.MX["client.com"] = append(f.MX["client.com"], mx(uint16(i), h+"."))
	}
	res := run(t, MX(), &checks.Env{Resolver: f}, "client.com")
	if res.Status != checks.StatusPass || len(res.Facts.MXHosts) != maxMX || res.Facts.MXHosts[0] != "mx00.host.net" {
		t.Errorf("status %s, MXHosts %v: want pass and the %d most preferred", res.Status, res.Facts.MXHosts, maxMX)
	}
}

// spfWorld publishes the records the SPF cases point at.
func spfWorld(record ...string) *lookup.Fake {
	f := &lookup.Fake{
		A:  map[string][]string{"client.com": {pub4}, "mail.client.com": {pub4}},
		MX: map[string][]*dns.MX{"client.com": {mx(10, "mail.client.com.")}},
		TXT: map[string][]string{
			"_spf.host.net": {"v=spf1 ip4:" + pub4 + " -all"},
			"l1.net":        {"v=spf1 a:client.com mx:client.com include:l2.net ~all"},
			"l2.net":        {"v=spf1 a:client.com mx:client.com include:l3.net ~all"},
			"l3.net":        {"v=spf1 a:client.com mx:client.com exists:client.com -all"},
			"loop.net":      {"v=spf1 include:client.com -all"},
			"nospf.net":     {"some-verification=1"},
			"neutral.net":   {"v=spf1 ?all"},
			"redir.net":     {"v=spf1 mx"},
		},
		Fail: map[string]bool{"servfail.net": true},
	}
	f.TXT["client.com"] = append([]string{"google-site-verification=xyz"}, record...)
	// big.mxs.net has 11 MX hosts, ten.mxs.net 10 (RFC 7208
	// §4.6.4: more than 10 behind one mx term is permerror).
	for i := 1; i <= 11; i++ {
		host := fmt.Sprintf("mx%d.client.com.", i)
		f.MX["big.mxs.net"] = append(f.MX["big.mxs.net"], mx(uint16(i), host))
		if i <= 10 {
			f.MX["ten.mxs.net"] = append(f.MX["ten.mxs.net"], mx(uint16(i), host))
		}
	}
	return f
}

func TestSPF(t *testing.T) {
	tests := []struct {
		name    string
		records []string
		nx      bool
		lookups int
		want    want
	}{
		{name: "pass", records: []string{"v=spf1 mx include:_spf.host.net -all"}, lookups: 2,
			want: want{status: checks.StatusPass,
				params: map[checks.Code]map[string]string{checks.SPFFound: {"count": "2", "record": "v=spf1 mx include:_spf.host.net -all"}},
				detail: map[checks.Code]string{checks.SPFFound: "2 lookups; client.com (2) → include:_spf.host.net (0)"}}},
		{name: "softfail passes", records: []string{"v=spf1 a mx ~all"}, lookups: 2, want: want{status: checks.StatusPass}},
		{name: "redirect to a -all", records: []string{"v=spf1 redirect=_spf.host.net"}, lookups: 1, want: want{status: checks.StatusPass}},
		{name: "missing", want: want{status: checks.StatusFail, codes: []string{"spf.missing/fail"},
			params: map[checks.Code]map[string]string{checks.SPFMissing: {"domain": "client.com"}}}},
		{name: "nxdomain", nx: true, want: want{status: checks.StatusFail, codes: []string{"spf.missing/fail"},
			detail: map[checks.Code]string{checks.SPFMissing: "NXDOMAIN"}}},
		{name: "multiple", records: []string{"v=spf1 mx -all", "v=spf1 a -all"}, want: want{status: checks.StatusFail, codes: []string{"spf.multiple/fail"},
			params: map[checks.Code]map[string]string{checks.SPFMultiple: {"count": "2"}}}},
		{name: "syntax", records: []string{"v=spf1 ip4:192.0.2.300 -all"}, want: want{status: checks.StatusFail, codes: []string{"spf.syntax/fail"},
			params: map[checks.Code]map[string]string{checks.SPFSyntax: {"record": "v=spf1 ip4:192.0.2.300 -all"}},
			detail: map[checks.Code]string{checks.SPFSyntax: `spf: invalid term "ip4:192.0.2.300": invalid address "192.0.2.300"`}}},
		{name: "too many lookups", records: []string{"v=spf1 a mx include:l1.net -all"}, lookups: 12,
			want: want{status: checks.StatusFail, codes: []string{"spf.too_many_lookups/fail"},
				params: map[checks.Code]map[string]string{checks.SPFTooManyLookups: {"count": "12", "limit": "10"}},
				detail: map[checks.Code]string{checks.SPFTooManyLookups: "client.com (12) → include:l1.net (9) → include:l2.net (6) → include:l3.net (3)"}}},
		{name: "loop", records: []string{"v=spf1 include:loop.net -all"}, lookups: 2,
			want: want{status: checks.StatusFail, codes: []string{"spf.too_many_lookups/fail"},
				params: map[checks.Code]map[string]string{checks.SPFTooManyLookups: {"count": ">2"}}}},
		// RFC 7208 §4.6.4: "Exceeding the limit produces a "permerror"".
		{name: "void lookups", records: []string{"v=spf1 a:nx1.client.com a:nx2.client.com mx:nx3.client.com mx -all"}, lookups: 4,
			want: want{status: checks.StatusFail, codes: []string{"spf.void_lookups/fail"},
				params: map[checks.Code]map[string]string{checks.SPFVoidLookups: {"count": "3"}}}},
		// §4.6.4: more than 10 MX hosts behind one mx term is permerror;
		// the a mechanism has no such limit.
		{name: "mx over 10", records: []string{"v=spf1 mx:big.mxs.net -all"}, lookups: 1,
			want: want{status: checks.StatusFail, codes: []string{"spf.mx_limit/fail"},
				params: map[checks.Code]map[string]string{checks.SPFMXLimit: {"count": "11", "limit": "10", "where": "client.com", "term": "mx:big.mxs.net", "name": "big.mxs.net"}}}},
		{name: "mx of 10", records: []string{"v=spf1 mx:ten.mxs.net -all"}, lookups: 1, want: want{status: checks.StatusPass}},
		// §7.2: c, r and t only in explanation text, not in a domain-spec.
		{name: "macro c", records: []string{"v=spf1 exists:%{c}.x.client.com -all"},
			want: want{status: checks.StatusFail, codes: []string{"spf.syntax/fail"}}},
		{name: "macro r in exp", records: []string{"v=spf1 -all exp=%{r}.client.com"},
			want: want{status: checks.StatusFail, codes: []string{"spf.syntax/fail"}}},
		{name: "macro t", records: []string{"v=spf1 a:%{t}.client.com -all"},
			want: want{status: checks.StatusFail, codes: []string{"spf.syntax/fail"}}},
		{name: "empty label", records: []string{"v=spf1 a:x..client.com -all"}, lookups: 1,
			want: want{status: checks.StatusFail, codes: []string{"spf.invalid_name/fail"},
				params: map[checks.Code]map[string]string{checks.SPFInvalidName: {"name": "x..client.com", "term": "a:x..client.com", "where": "client.com"}},
				detail: map[checks.Code]string{checks.SPFInvalidName: "a:x..client.com: empty label"}}},
		{name: "label over 63", records: []string{"v=spf1 include:" + strings.Repeat("a", 64) + ".client.com -all"}, lookups: 1,
			want: want{status: checks.StatusFail, codes: []string{"spf.invalid_name/fail"},
				detail: map[checks.Code]string{checks.SPFInvalidName: "include:" + strings.Repeat("a", 64) + ".client.com: label of 64 octets, over 63"}}},
		{name: "name over 253", records: []string{"v=spf1 exists:" + strings.Repeat(strings.Repeat("b", 60)+".", 4) + "client.com -all"}, lookups: 1,
			want: want{status: checks.StatusFail, codes: []string{"spf.invalid_name/fail"},
				detail: map[checks.Code]string{checks.SPFInvalidName: "exists:" + strings.Repeat(strings.Repeat("b", 60)+".", 4) + "client.com: name of 254 octets, over 253"}}},
		{name: "ptr", records: []string{"v=spf1 mx ptr -all"}, lookups: 2,
			want: want{status: checks.StatusWarn, codes: []string{"spf.ptr/warn"},
				params: map[checks.Code]map[string]string{checks.SPFPTR: {"where": "client.com", "term": "ptr"}}}},
		// §6.1: the target's "all" applies; the fix is there, the
		// redirect stays.
		{name: "redirect without all", records: []string{"v=spf1 redirect=redir.net"}, lookups: 2,
			want: want{status: checks.StatusWarn, codes: []string{"spf.permissive/warn"},
				params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "none", "redirect": "redir.net",
					"target_record": "v=spf1 mx", "suggest": "v=spf1 mx ~all", "record": "v=spf1 redirect=redir.net"}}}},
		{name: "two void lookups are fine", records: []string{"v=spf1 a:nx1.client.com a:nx2.client.com -all"}, lookups: 2,
			want: want{status: checks.StatusPass}},
		{name: "+all", records: []string{"v=spf1 mx +all"}, lookups: 1, want: want{status: checks.StatusFail, codes: []string{"spf.permissive/fail"},
			params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "+all"}}}},
		{name: "bare all", records: []string{"v=spf1 all"}, want: want{status: checks.StatusFail, codes: []string{"spf.permissive/fail"},
			params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "+all"}}}},
		{name: "?all", records: []string{"v=spf1 mx ?all"}, lookups: 1, want: want{status: checks.StatusWarn, codes: []string{"spf.permissive/warn"},
			params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "?all"}}}},
		{name: "no all", records: []string{"v=spf1 mx"}, lookups: 1, want: want{status: checks.StatusWarn, codes: []string{"spf.permissive/warn"},
			params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "none"}}}},
		{name: "redirect to ?all", records: []string{"v=spf1 redirect=neutral.net"}, lookups: 1, want: want{status: checks.StatusWarn, codes: []string{"spf.permissive/warn"},
			params: map[checks.Code]map[string]string{checks.SPFPermissive: {"all": "?all", "redirect": "neutral.net", "suggest": "v=spf1 ~all"}}}},
		{name: "include missing", records: []string{"v=spf1 include:nospf.net -all"}, lookups: 1,
			want: want{status: checks.StatusFail, codes: []string{"spf.include_missing/fail"},
				params: map[checks.Code]map[string]string{checks.SPFIncludeMissing: {"domain": "nospf.net", "include": "include:nospf.net"}},
				detail: map[checks.Code]string{checks.SPFIncludeMissing: "include:nospf.net: no v=spf1 record"}}},
		{name: "include fails to resolve", records: []string{"v=spf1 include:servfail.net -all"},
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := spfWorld(tt.records...)
			if tt.nx {
				delete(f.TXT, "client.com")
				delete(f.A, "client.com")
				delete(f.MX, "client.com")
				delete(f.A, "mail.client.com")
			}
			res := run(t, SPF(), &checks.Env{Resolver: f}, "client.com")
			verify(t, res, checks.DNSSPF, tt.want)
			if res.Facts.Lookups != tt.lookups {
				t.Errorf("Facts.Lookups = %d, want %d", res.Facts.Lookups, tt.lookups)
			}
			if len(tt.records) > 0 && tt.want.status != checks.StatusError && res.Facts.Record != strings.Join(tt.records, "\n") {
				t.Errorf("Facts.Record = %q, want %q", res.Facts.Record, strings.Join(tt.records, "\n"))
			}
		})
	}
	res := run(t, SPF(), &checks.Env{Resolver: &lookup.Fake{Fail: map[string]bool{"client.com": true}}}, "client.com")
	verify(t, res, checks.DNSSPF, want{status: checks.StatusError, codes: []string{"resolver.failed/error"}})
}

func TestDMARC(t *testing.T) {
	tests := []struct {
		name   string
		domain string
		txt    map[string][]string
		fail   []string
		record string
		want   want
	}{
		{name: "pass", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=reject; rua=mailto:d@client.com", "unrelated"}},
			record: "v=DMARC1; p=reject; rua=mailto:d@client.com",
			want: want{status: checks.StatusPass,
				params: map[checks.Code]map[string]string{checks.DMARCFound: {"policy": "reject", "rua": "mailto:d@client.com"}}}},
		{name: "missing", domain: "client.com",
			want: want{status: checks.StatusWarn, codes: []string{"dmarc.missing/warn"},
				detail: map[checks.Code]string{checks.DMARCMissing: "_dmarc.client.com: NXDOMAIN"}}},
		{name: "only other TXT", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"hello"}},
			want: want{status: checks.StatusWarn, codes: []string{"dmarc.missing/warn"}}},
		{name: "multiple", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=reject", "v=DMARC1; p=none"}},
			record: "v=DMARC1; p=reject\nv=DMARC1; p=none",
			want: want{status: checks.StatusFail, codes: []string{"dmarc.multiple/fail"},
				params: map[checks.Code]map[string]string{checks.DMARCMultiple: {"count": "2"}}}},
		{name: "syntax", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=maybe"}},
			record: "v=DMARC1; p=maybe",
			want:   want{status: checks.StatusFail, codes: []string{"dmarc.syntax/fail"}}},
		{name: "lower-case version is invalid, not missing", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"v=dmarc1; p=reject"}},
			record: "v=dmarc1; p=reject",
			want:   want{status: checks.StatusFail, codes: []string{"dmarc.syntax/fail"}}},
		{name: "policy none", domain: "client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=none; rua=mailto:a@x.net,mailto:b@y.net"}},
			record: "v=DMARC1; p=none; rua=mailto:a@x.net,mailto:b@y.net",
			want: want{status: checks.StatusWarn, codes: []string{"dmarc.policy_none/warn"},
				params: map[checks.Code]map[string]string{checks.DMARCPolicyNone: {"policy": "none", "rua": "mailto:a@x.net,mailto:b@y.net"}}}},
		{name: "resolver failed", domain: "client.com", fail: []string{"_dmarc.client.com"},
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
		{name: "subdomain inherits sp", domain: "shop.client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=reject; sp=none"}},
			record: "v=DMARC1; p=reject; sp=none",
			want: want{status: checks.StatusWarn, codes: []string{"dmarc.policy_none/warn"},
				params: map[checks.Code]map[string]string{checks.DMARCPolicyNone: {"policy": "none"}}}},
		{name: "subdomain inherits p", domain: "shop.client.com", txt: map[string][]string{"_dmarc.client.com": {"v=DMARC1; p=quarantine"}},
			record: "v=DMARC1; p=quarantine",
			want: want{status: checks.StatusPass,
				detail: map[checks.Code]string{checks.DMARCFound: "_dmarc.client.com: v=DMARC1; p=quarantine (organizational domain, RFC 7489 §6.6.3)"}}},
		{name: "subdomain's own record first", domain: "shop.client.com", txt: map[string][]string{
			"_dmarc.shop.client.com": {"v=DMARC1; p=reject"}, "_dmarc.client.com": {"v=DMARC1; p=none"}},
			record: "v=DMARC1; p=reject", want: want{status: checks.StatusPass}},
		{name: "organizational lookup fails", domain: "shop.client.com", fail: []string{"_dmarc.client.com"},
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &lookup.Fake{TXT: tt.txt, Fail: map[string]bool{}}
			for _, n := range tt.fail {
				f.Fail[n] = true
			}
			res := run(t, DMARC(), &checks.Env{Resolver: f}, tt.domain)
			verify(t, res, checks.DNSDMARC, tt.want)
			if res.Facts.Record != tt.record {
				t.Errorf("Facts.Record = %q, want %q", res.Facts.Record, tt.record)
			}
		})
	}
}

// dkimKeys are generated once per test binary; 512 bits needs the
// rsa1024min=0 setting at the top of this file.
var dkimKeys = sync.OnceValue(func() map[int]string {
	keys := map[int]string{}
	for _, bits := range []int{512, 1024, 2048} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			panic(err)
		}
		keys[bits] = base64.StdEncoding.EncodeToString(der)
	}
	return keys
})

func TestDKIM(t *testing.T) {
	keys := dkimKeys()
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ed := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(edPub)
	rsa2048 := "v=DKIM1; k=rsa; p=" + keys[2048]
	tests := []struct {
		name       string
		txt        map[string][]string
		cname      map[string]string
		configured []string
		wrap       func(lookup.Resolver) lookup.Resolver
		record     string
		want       want
	}{
		{name: "pass", txt: map[string][]string{"default._domainkey.client.com": {"other", rsa2048}}, record: rsa2048,
			want: want{status: checks.StatusPass,
				params: map[checks.Code]map[string]string{checks.DKIMFound: {"selectors": "default", "count": "1"}},
				detail: map[checks.Code]string{checks.DKIMFound: "selector default: rsa 2048 bits"}}},
		{name: "configured selector, several keys", configured: []string{"Custom2024"},
			txt:    map[string][]string{"custom2024._domainkey.client.com": {"p=" + keys[2048]}, "google._domainkey.client.com": {ed}},
			record: "p=" + keys[2048],
			want: want{status: checks.StatusPass,
				detail: map[checks.Code]string{checks.DKIMFound: "selector custom2024: rsa 2048 bits; selector google: ed25519"}}},
		{name: "through a CNAME", cname: map[string]string{"s1._domainkey.client.com": "s1.domainkey.u1.esp.net"},
			txt: map[string][]string{"s1.domainkey.u1.esp.net": {rsa2048}}, record: rsa2048, want: want{status: checks.StatusPass}},
		{name: "1024 bits", txt: map[string][]string{"mail._domainkey.client.com": {"v=DKIM1; p=" + keys[1024]}}, record: "v=DKIM1; p=" + keys[1024],
			want: want{status: checks.StatusWarn, codes: []string{"dkim.weak_key/warn"},
				params: map[checks.Code]map[string]string{checks.DKIMWeakKey: {"selector": "mail", "bits": "1024"}}}},
		// RFC 8301 §3.2: verifiers must not accept signatures made
		// with an RSA key under 1024 bits.
		{name: "512 bits", txt: map[string][]string{"k1._domainkey.client.com": {"v=DKIM1; p=" + keys[512]}}, record: "v=DKIM1; p=" + keys[512],
			want: want{status: checks.StatusFail, codes: []string{"dkim.key_too_short/fail"},
				params: map[checks.Code]map[string]string{checks.DKIMKeyTooShort: {"selector": "k1", "bits": "512"}}}},
		{name: "revoked", txt: map[string][]string{"selector1._domainkey.client.com": {"v=DKIM1; k=rsa; p="}}, record: "v=DKIM1; k=rsa; p=",
			want: want{status: checks.StatusWarn, codes: []string{"dkim.revoked/warn"},
				params: map[checks.Code]map[string]string{checks.DKIMRevoked: {"selector": "selector1"}}}},
		{name: "malformed", txt: map[string][]string{"dkim._domainkey.client.com": {"v=DKIM1; k=rsa; p=notbase64!"}}, record: "v=DKIM1; k=rsa; p=notbase64!",
			want: want{status: checks.StatusFail, codes: []string{"dkim.syntax/fail"},
				params: map[checks.Code]map[string]string{checks.DKIMSyntax: {"selector": "dkim"}}}},
		{name: "missing", txt: map[string][]string{"client.com": {"v=spf1 -all"}, "default._domainkey.client.com": {"not a key"}},
			want: want{status: checks.StatusWarn, codes: []string{"dkim.missing/warn"},
				params: map[checks.Code]map[string]string{checks.DKIMMissing: {"selectors": strings.Join(commonSelectors, ",")}}}},
		{name: "every selector fails", wrap: func(r lookup.Resolver) lookup.Resolver { return failSuffix{r, "_domainkey.client.com"} },
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"},
				params: map[checks.Code]map[string]string{checks.ResolverFailed: {"count": fmt.Sprint(len(commonSelectors))}}}},
		{name: "some fail, a key elsewhere", txt: map[string][]string{"google._domainkey.client.com": {rsa2048}}, record: rsa2048,
			wrap: func(r lookup.Resolver) lookup.Resolver { return failSuffix{r, "mail._domainkey.client.com"} },
			want: want{status: checks.StatusPass}},
		{name: "some fail, no key: cannot tell",
			wrap: func(r lookup.Resolver) lookup.Resolver { return failSuffix{r, "mail._domainkey.client.com"} },
			want: want{status: checks.StatusError, codes: []string{"resolver.failed/error"},
				params: map[checks.Code]map[string]string{checks.ResolverFailed: {"selectors": "mail", "count": "1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r lookup.Resolver = &lookup.Fake{TXT: tt.txt, CNAME: tt.cname}
			if tt.wrap != nil {
				r = tt.wrap(r)
			}
			res := run(t, DKIM(), &checks.Env{Resolver: r, DKIMSelectors: tt.configured}, "client.com")
			verify(t, res, checks.DNSDKIM, tt.want)
			if res.Facts.Record != tt.record {
				t.Errorf("Facts.Record = %q, want %q", res.Facts.Record, tt.record)
			}
		})
	}
}

func TestSelectors(t *testing.T) {
	got := Selectors([]string{" Custom ", "google", "bad selector", "a..b", "x._sub.", "custom"})
	// Configured first (valid ones, lower-cased, once), then the common
	// ones not already listed, cut at maxSelectors.
	want := []string{"custom", "google", "x._sub"}
	for _, s := range commonSelectors {
		if s != "google" {
			want = append(want, s)
		}
	}
	want = want[:maxSelectors]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Selectors (-want +got):\n%s", diff)
	}
	if n := len(Selectors(nil)); n != len(commonSelectors) || n > maxSelectors {
		t.Errorf("%d built-in selectors, want %d ≤ %d", n, len(commonSelectors), maxSelectors)
	}
}

// inFlight counts the queries in flight, to show the DKIM lookups are
// bounded.
type inFlight struct {
	lookup.Resolver
	mu       sync.Mutex
	cur, max int
}

func (f *inFlight) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	f.mu.Lock()
	f.cur++
	f.max = max(f.max, f.cur)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.cur--
		f.mu.Unlock()
	}()
	return f.Resolver.Query(ctx, name, qtype)
}

func TestDKIMBounded(t *testing.T) {
	f := &inFlight{Resolver: &lookup.Fake{}}
	res := run(t, DKIM(), &checks.Env{Resolver: f}, "client.com")
	if res.Status != checks.StatusWarn {
		t.Errorf("status %s, want warn", res.Status)
	}
	if f.max > dkimParallel {
		t.Errorf("%d queries in flight, want at most %d", f.max, dkimParallel)
	}
}
