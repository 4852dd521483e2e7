package history_test

import (
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/store"
)

// world is what a domain's DNS and mail host look like at one time.
type world struct {
	addrs      []string
	mx         []string
	spf, dmarc string
	// down maps ports that refuse connections to the code they fail with.
	down map[int]checks.Code
	// expiring maps ports whose certificate ends soon to its end.
	expiring map[int]string
}

func good() world {
	return world{
		addrs: []string{"203.0.113.10", "2001:db8::10"},
		mx:    []string{"mx1.ovh.net", "mx2.ovh.net"},
		spf:   "v=spf1 include:mx.ovh.com ~all",
		dmarc: "v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com",
	}
}

// report builds the report the checks would return for w, with the
// findings and facts real checks produce.
func (w world) report(at time.Time) *checks.Report {
	const host = "mail.client.com"
	info := func(code checks.Code) checks.Finding {
		return checks.Finding{Code: code, Severity: checks.SeverityInfo}
	}
	result := func(id checks.ID, fs ...checks.Finding) checks.Result {
		r := checks.Result{ID: id, Status: checks.StatusPass}
		for _, f := range fs {
			r.Add(f)
		}
		return r
	}
	hostRes := result(checks.DNSHost, info(checks.HostFound))
	hostRes.Facts.Addresses = w.addrs
	mxRes := result(checks.DNSMX, info(checks.MXFound))
	mxRes.Facts.MXHosts = w.mx
	spfRes := result(checks.DNSSPF, info(checks.SPFFound))
	spfRes.Facts.Record = w.spf
	dmarcRes := result(checks.DNSDMARC, info(checks.DMARCFound))
	dmarcRes.Facts.Record = w.dmarc
	results := []checks.Result{hostRes, mxRes, spfRes,
		result(checks.DNSDKIM, checks.Finding{Code: checks.DKIMMissing, Severity: checks.SeverityWarn}),
		dmarcRes, result(checks.DNSAutoconfig, info(checks.AutoconfigFound)),
		result(checks.DNSPropagation, info(checks.PropagationFound))}

	probe := func(id checks.ID, protocol, h string, port int) (checks.Endpoint, []checks.Finding) {
		ep := checks.Endpoint{Protocol: protocol, Host: h, Port: port, Security: checks.SecurityTLS}
		params := map[string]string{"host": h, "port": strconv.Itoa(port)}
		if code, ok := w.down[port]; ok {
			return ep, []checks.Finding{{Code: code, Severity: checks.SeverityFail, Params: params, Detail: "connection refused"}}
		}
		ep.Addr = net.JoinHostPort(w.addrs[0], strconv.Itoa(port))
		ep.Works = true
		var fs []checks.Finding
		if na, ok := w.expiring[port]; ok {
			p := map[string]string{"host": h, "port": strconv.Itoa(port), "days": "5", "not_after": na}
			fs = append(fs, checks.Finding{Code: checks.TLSCertExpiringSoon, Severity: checks.SeverityWarn, Params: p})
		}
		return ep, fs
	}
	for _, p := range []struct {
		id       checks.ID
		protocol string
		port     int
	}{{checks.IMAP993, "IMAP", 993}, {checks.POP3995, "POP3", 995}, {checks.SMTP465, "SMTP", 465}, {checks.SMTP587, "SMTP", 587}} {
		ep, fs := probe(p.id, p.protocol, host, p.port)
		r := result(p.id, fs...)
		ep.Works = r.Status.Works()
		r.Facts.Endpoint = &ep
		results = append(results, r)
	}
	relay := result(checks.SMTP25)
	for _, mx := range w.mx {
		ep, fs := probe(checks.SMTP25, "SMTP", mx, 25)
		for _, f := range fs {
			relay.Add(f)
		}
		relay.Facts.Endpoints = append(relay.Facts.Endpoints, ep)
	}
	results = append(results, relay, result(checks.SMTPOutgoing))
	return &checks.Report{
		Target:  checks.Target{Domain: "client.com", Host: host},
		Status:  checks.Overall(results),
		Results: results,
		Started: at,
		Elapsed: 2 * time.Second,
	}
}

// with returns a copy of w changed by fn.
func (w world) with(fn func(*world)) world {
	w.addrs, w.mx = slices.Clone(w.addrs), slices.Clone(w.mx)
	fn(&w)
	return w
}

var t0 = time.Date(2026, 12, 4, 13, 0, 0, 0, time.UTC)

// record is the check of w at minute m after t0, as the store returns it.
func record(id int64, m int, w world) store.Record {
	at := t0.Add(time.Duration(m) * time.Minute)
	return store.Record{ID: id, Domain: "client.com", At: at, Source: store.SourceSlash, UserID: "U1", Snapshot: history.Snapshot(w.report(at))}
}

func TestSnapshot(t *testing.T) {
	w := good().with(func(w *world) {
		w.down = map[int]checks.Code{465: checks.TCPRefused}
		w.expiring = map[int]string{993: "2026-12-09"}
	})
	s := history.Snapshot(w.report(t0))
	if s.Status != checks.StatusFail {
		t.Errorf("status %s; want fail", s.Status)
	}
	wantChecks := map[checks.ID][]checks.Code{
		checks.DNSHost: nil, checks.DNSDKIM: {checks.DKIMMissing}, checks.DNSAutoconfig: nil,
		checks.IMAP993: {checks.TLSCertExpiringSoon}, checks.SMTP465: {checks.TCPRefused},
	}
	for _, c := range s.Checks {
		if want, ok := wantChecks[c.ID]; ok && !slices.Equal(c.Codes, want) {
			t.Errorf("%s codes %v; want %v (no information codes)", c.ID, c.Codes, want)
		}
	}
	if len(s.Checks) != len(checks.AllIDs) {
		t.Errorf("%d checks kept; want %d", len(s.Checks), len(checks.AllIDs))
	}
	want := store.Snapshot{
		Status: s.Status, Checks: s.Checks,
		Addresses: []string{"203.0.113.10", "2001:db8::10"},
		MX:        []string{"mx1.ovh.net", "mx2.ovh.net"},
		SPF:       "v=spf1 include:mx.ovh.com ~all",
		DMARC:     "v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com",
		Ports: []store.Port{
			{Check: checks.IMAP993, Host: "mail.client.com", Port: 993, Answered: true, NotAfter: time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)},
			{Check: checks.POP3995, Host: "mail.client.com", Port: 995, Answered: true},
			{Check: checks.SMTP465, Host: "mail.client.com", Port: 465},
			{Check: checks.SMTP587, Host: "mail.client.com", Port: 587, Answered: true},
			{Check: checks.SMTP25, Host: "mx1.ovh.net", Port: 25, Answered: true},
			{Check: checks.SMTP25, Host: "mx2.ovh.net", Port: 25, Answered: true},
		},
	}
	if d := cmp.Diff(want, s); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// withCert sets the certificate of port 993 in a record.
func withCert(r store.Record, fingerprint string, notAfter time.Time) store.Record {
	r.Ports = slices.Clone(r.Ports)
	r.Ports[0].Fingerprint, r.Ports[0].NotAfter = fingerprint, notAfter
	return r
}

func TestDiff(t *testing.T) {
	prevAt := t0
	dec9, mar1, nov1 := time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	base := record(1, 0, good())
	for _, tc := range []struct {
		name      string
		prev, cur store.Record
		want      []history.Change
	}{
		{"nothing", base, record(2, 60, good()), nil},
		{"addresses rotated", base, record(2, 60, good().with(func(w *world) { slices.Reverse(w.addrs) })), nil},
		{"mx", base, record(2, 60, good().with(func(w *world) { w.mx = []string{"client.com."} })), []history.Change{
			{Kind: history.MXChanged, FromValues: []string{"mx1.ovh.net", "mx2.ovh.net"}, ToValues: []string{"client.com"}, Previous: prevAt},
		}},
		{"addresses", base, record(2, 60, good().with(func(w *world) { w.addrs = []string{"198.51.100.7"} })), []history.Change{
			{Kind: history.HostAddresses, FromValues: []string{"2001:db8::10", "203.0.113.10"}, ToValues: []string{"198.51.100.7"}, Previous: prevAt},
		}},
		{"smtp 465 fails", base, record(2, 60, good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} })), []history.Change{
			{Kind: history.CheckStatus, Check: checks.SMTP465, From: "pass", To: "fail", Previous: prevAt},
			{Kind: history.PortSilent, Check: checks.SMTP465, Host: "mail.client.com", Port: 465, Previous: prevAt},
		}},
		{"smtp 465 fails otherwise",
			record(1, 0, good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} })),
			record(2, 60, good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPTimeout} })),
			[]history.Change{{Kind: history.CheckCodes, Check: checks.SMTP465, From: "fail", To: "fail",
				FromValues: []string{"tcp.refused"}, ToValues: []string{"tcp.timeout"}, Previous: prevAt}}},
		{"records", base, record(2, 60, good().with(func(w *world) { w.spf, w.dmarc = "v=spf1 -all", "" })), []history.Change{
			{Kind: history.SPFChanged, From: "v=spf1 include:mx.ovh.com ~all", To: "v=spf1 -all", Previous: prevAt},
			{Kind: history.DMARCChanged, From: "v=DMARC1; p=quarantine; rua=mailto:dmarc@client.com", Previous: prevAt},
		}},
		{"certificate renewed", withCert(base, "aa", dec9), withCert(record(2, 60, good()), "bb", mar1), []history.Change{
			{Kind: history.CertRenewed, Check: checks.IMAP993, Host: "mail.client.com", Port: 993, From: "aa", To: "bb",
				NotAfter: mar1, PrevNotAfter: dec9, Previous: prevAt},
		}},
		{"certificate replaced by an older one", withCert(base, "aa", dec9), withCert(record(2, 60, good()), "cc", nov1), []history.Change{
			{Kind: history.CertChanged, Check: checks.IMAP993, Host: "mail.client.com", Port: 993, From: "aa", To: "cc",
				NotAfter: nov1, PrevNotAfter: dec9, Previous: prevAt},
		}},
		{"same certificate", withCert(base, "aa", dec9), withCert(record(2, 60, good()), "aa", dec9), nil},
		{"renewed, dates only", withCert(base, "", dec9), withCert(record(2, 60, good()), "", mar1), []history.Change{
			{Kind: history.CertRenewed, Check: checks.IMAP993, Host: "mail.client.com", Port: 993,
				NotAfter: mar1, PrevNotAfter: dec9, Previous: prevAt},
		}},
		{"resolver failed, then answered", resolverFailed(base), record(2, 60, good()), []history.Change{
			{Kind: history.CheckStatus, Check: checks.DNSMX, From: "error", To: "pass", Previous: prevAt},
		}},
		{"certificate unknown before", base, withCert(record(2, 60, good()), "bb", mar1), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, history.Diff(tc.prev, tc.cur)); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// resolverFailed is r with dns.mx unable to tell: no MX observed.
func resolverFailed(r store.Record) store.Record {
	r.Checks = slices.Clone(r.Checks)
	r.Checks[1] = store.Check{ID: checks.DNSMX, Status: checks.StatusError, Codes: []checks.Code{checks.ResolverFailed}}
	r.MX = nil
	return r
}

// newestFirst returns records as the store does.
func newestFirst(rs ...store.Record) []store.Record {
	slices.Reverse(rs)
	return rs
}

func TestStreaks(t *testing.T) {
	down := good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} })
	recs := newestFirst(record(1, 0, good()), record(2, 62, down), record(3, 70, down), record(4, 80, down))
	want := []history.Streak{
		{Check: checks.DNSDKIM, Status: checks.StatusWarn, Since: t0, Checks: 4, AtLeast: true},
		{Check: checks.SMTP465, Status: checks.StatusFail, Since: t0.Add(62 * time.Minute), Checks: 3},
	}
	if d := cmp.Diff(want, history.Streaks(recs)); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if got := history.Streaks(nil); got != nil {
		t.Errorf("Streaks(nil) = %v", got)
	}
	// A failure that changed code is still the same failing streak; one
	// that changed status is not.
	errored := good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPTimeout} })
	got := history.Streaks(newestFirst(record(1, 0, down), record(2, 10, errored)))
	if got[1].Checks != 2 || !got[1].Since.Equal(t0) {
		t.Errorf("smtp.465 streak %+v; want 2 checks since %v", got[1], t0)
	}
}

func TestTimeline(t *testing.T) {
	down := good().with(func(w *world) { w.down = map[int]checks.Code{465: checks.TCPRefused} })
	a1, a2, b1, b2, a3 := record(1, 0, good()), record(2, 10, good()), record(3, 20, down), record(4, 30, down), record(5, 40, good())
	got := history.Timeline(newestFirst(a1, a2, b1, b2, a3))
	if len(got) != 3 {
		t.Fatalf("%d states; want 3: %+v", len(got), got)
	}
	want := []struct {
		first  int64
		checks int
		last   time.Time
		kinds  []history.Kind
	}{
		{1, 2, a2.At, nil},
		{3, 2, b2.At, []history.Kind{history.CheckStatus, history.PortSilent}},
		{5, 1, a3.At, []history.Kind{history.CheckStatus, history.PortAnswering}},
	}
	for i, w := range want {
		s := got[i]
		var kinds []history.Kind
		for _, c := range s.Changes {
			kinds = append(kinds, c.Kind)
		}
		if s.Record.ID != w.first || s.Checks != w.checks || !s.Last.Equal(w.last) || !slices.Equal(kinds, w.kinds) {
			t.Errorf("state %d: first %d, %d checks, last %v, changes %v; want %d, %d, %v, %v",
				i, s.Record.ID, s.Checks, s.Last, kinds, w.first, w.checks, w.last, w.kinds)
		}
	}
	if got[1].Changes[0].Previous != a2.At {
		t.Errorf("the change to state 2 is dated after %v; want after the previous check %v", got[1].Changes[0].Previous, a2.At)
	}
	if history.Timeline(nil) != nil {
		t.Error("Timeline(nil) is not empty")
	}
}

func TestSnapshotCertificateFromHandshake(t *testing.T) {
	rep := good().report(t0)
	notAfter := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range rep.Results {
		if ep := rep.Results[i].Facts.Endpoint; ep != nil && ep.Port == 993 {
			ep.CertSHA256, ep.CertNotAfter = "ab12", notAfter
		}
	}
	s := history.Snapshot(rep)
	i := slices.IndexFunc(s.Ports, func(p store.Port) bool { return p.Port == 993 })
	if i < 0 || s.Ports[i].Fingerprint != "ab12" || !s.Ports[i].NotAfter.Equal(notAfter) {
		t.Fatalf("port 993 %+v; want the handshake's fingerprint ab12 and not-after %v", s.Ports, notAfter)
	}
}
