package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/pcmhosting/mailsetup/checks"
)

// serve starts the operations server on 127.0.0.1:0 and returns its base
// URL; the server stops with the test.
func serve(t *testing.T, g prometheus.Gatherer, ready func() error) string {
	t.Helper()
	s, err := Listen("127.0.0.1:0", Handler(g, ready, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + s.Addr()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// scrape fetches /metrics and parses the text exposition.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v\n%s", err, body)
	}
	return fams
}

// series returns the metrics of a family keyed by their labels, "k=v,k=v".
func series(f *dto.MetricFamily) map[string]*dto.Metric {
	out := map[string]*dto.Metric{}
	for _, m := range f.GetMetric() {
		var parts []string
		for _, l := range m.GetLabel() {
			parts = append(parts, l.GetName()+"="+l.GetValue())
		}
		out[strings.Join(parts, ",")] = m
	}
	return out
}

// fakeChecks is a suite of three checks: one passes, one fails and one
// panics, as the engine's Check functions would.
func fakeChecks() []checks.Check {
	return []checks.Check{
		{ID: checks.DNSHost, Run: func(context.Context, *checks.Env, checks.Target, checks.Deps) checks.Result {
			return checks.Result{} // an empty status is a pass
		}},
		{ID: checks.SMTP465, DependsOn: []checks.ID{checks.DNSHost}, Run: func(context.Context, *checks.Env, checks.Target, checks.Deps) checks.Result {
			r := checks.Result{ID: checks.SMTP465}
			r.Add(checks.Finding{Code: checks.TCPRefused, Severity: checks.SeverityFail})
			return r
		}},
		{ID: checks.IMAP993, Run: func(context.Context, *checks.Env, checks.Target, checks.Deps) checks.Result {
			panic("boom")
		}},
	}
}

func TestInstrumentAndScrape(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	list := m.Instrument(fakeChecks())
	if got := list[1].DependsOn; !cmp.Equal(got, []checks.ID{checks.DNSHost}) {
		t.Errorf("DependsOn = %v, lost by Instrument", got)
	}
	for range 3 {
		for _, c := range list {
			func() {
				defer func() {
					if p := recover(); p != nil && c.ID != checks.IMAP993 {
						t.Errorf("%s panicked: %v", c.ID, p)
					}
				}()
				c.Run(context.Background(), nil, checks.Target{}, nil)
			}()
		}
	}
	m.CommandDone("check", "fail")
	m.CommandDone("check", "fail")
	m.CommandDone("status", "pass")
	m.AckObserved(20 * time.Millisecond)
	m.Reconnected()
	m.InflightAdd(3)
	m.InflightAdd(-1)

	fams := scrape(t, serve(t, reg, nil))
	counts := map[string]float64{}
	for k, s := range series(fams["mailsetup_checks_total"]) {
		if v := s.GetCounter().GetValue(); v != 0 {
			counts[k] = v
		}
	}
	want := map[string]float64{
		"check=dns.host,status=pass":  3,
		"check=smtp.465,status=fail":  3,
		"check=imap.993,status=error": 3, // the panic
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("mailsetup_checks_total (-want +got):\n%s", diff)
	}
	// Every check id has its series from the start, at zero.
	if n := len(series(fams["mailsetup_checks_total"])); n != len(checks.AllIDs)*len(statuses) {
		t.Errorf("%d check series, want %d", n, len(checks.AllIDs)*len(statuses))
	}
	h := series(fams["mailsetup_check_duration_seconds"])["check=smtp.465"].GetHistogram()
	// The exposition adds the +Inf bucket.
	if h.GetSampleCount() != 3 || len(h.GetBucket()) != len(checkBuckets)+1 {
		t.Errorf("histogram of smtp.465: %d samples, %d buckets; want 3 and %d", h.GetSampleCount(), len(h.GetBucket()), len(checkBuckets)+1)
	}
	if ub := h.GetBucket()[0].GetUpperBound(); ub != 0.001 {
		t.Errorf("first bucket %v, want 0.001", ub)
	}
	if ub := h.GetBucket()[len(h.GetBucket())-2].GetUpperBound(); ub != 30 {
		t.Errorf("last bucket %v, want 30", ub)
	}
	cmds := series(fams["mailsetup_commands_total"])
	if v := cmds["kind=check,result=fail"].GetCounter().GetValue(); v != 2 {
		t.Errorf("commands check/fail = %v, want 2", v)
	}
	if v := fams["mailsetup_ack_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleCount(); v != 1 {
		t.Errorf("ack samples = %v, want 1", v)
	}
	if v := fams["mailsetup_inflight_checks"].GetMetric()[0].GetGauge().GetValue(); v != 2 {
		t.Errorf("inflight = %v, want 2", v)
	}
	if v := fams["mailsetup_slack_reconnects_total"].GetMetric()[0].GetCounter().GetValue(); v != 1 {
		t.Errorf("reconnects = %v, want 1", v)
	}
	for name, f := range fams {
		if f.GetHelp() == "" {
			t.Errorf("%s has no help", name)
		}
	}
}

// TestLabelsBounded: no domain, user or free text becomes a label value,
// and a label never holds more than maxLabelValues values.
func TestLabelsBounded(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveResult(checks.Result{ID: "client.com", Status: "weird"})
	for _, kind := range []string{"client.com", "U024BE7LH", "jane@client.com", "two words", "", strings.Repeat("a", 40)} {
		m.CommandDone(kind, "ok")
	}
	for i := range 100 {
		m.CommandDone("check", "r"+strings.Repeat("x", i%40)+"y")
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]map[string]bool{}
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if values[l.GetName()] == nil {
					values[l.GetName()] = map[string]bool{}
				}
				values[l.GetName()][l.GetValue()] = true
			}
		}
	}
	for name, vs := range values {
		if len(vs) > maxLabelValues+len(checks.AllIDs)+1 {
			t.Errorf("label %s has %d values", name, len(vs))
		}
		for v := range vs {
			if strings.ContainsAny(v, ".@ ") && name != "check" || v == "client.com" || v == "U024BE7LH" {
				t.Errorf("label %s=%q", name, v)
			}
		}
	}
	if !values["check"][other] || !values["status"][other] || !values["kind"][other] {
		t.Errorf("out-of-set values not counted as %q: %v", other, values)
	}
	if n := len(values["result"]); n > maxLabelValues+1 {
		t.Errorf("result label has %d values, want at most %d", n, maxLabelValues+1)
	}
}

// TestStoreErrors: failed store operations are counted by operation,
// any other word as "other".
func TestStoreErrors(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.StoreError("record")
	m.StoreError("record")
	m.StoreError("postgres://u:secret@db/x")
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "mailsetup_store_errors_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			got[s.GetLabel()[0].GetValue()] = s.GetCounter().GetValue()
		}
	}
	if got["record"] != 2 || got[other] != 1 || got["read"] != 0 || len(got) != len(StoreOps)+1 {
		t.Errorf("mailsetup_store_errors_total %v", got)
	}
}

func TestNilMetrics(t *testing.T) {
	var m *Metrics
	m.ObserveResult(checks.Result{ID: checks.DNSHost})
	m.CommandDone("check", "pass")
	m.AckObserved(time.Second)
	m.Reconnected()
	m.InflightAdd(1)
	m.StoreError("record")
	list := fakeChecks()[:1]
	if got := m.Instrument(list); &got[0] != &list[0] {
		t.Error("Instrument on nil copied the list")
	}
}

func TestRegisterTwice(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering twice on one registry: no error")
	}
}

func TestProbes(t *testing.T) {
	var down atomic.Bool
	ready := func() error {
		if down.Load() {
			return errors.New("not connected to Slack")
		}
		return nil
	}
	base := serve(t, prometheus.NewRegistry(), ready)
	for _, tc := range []struct {
		name, path string
		down       bool
		code       int
		body       string
	}{
		{"alive", "/healthz", false, 200, "ok"},
		{"ready", "/readyz", false, 200, "ready"},
		{"unready", "/readyz", true, 503, "not ready: not connected to Slack"},
		{"alive while unready", "/healthz", true, 200, "ok"},
		{"unknown path", "/debug/pprof/", false, 404, "404 page not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			down.Store(tc.down)
			code, body := get(t, base+tc.path)
			if code != tc.code || strings.TrimSpace(body) != tc.body {
				t.Errorf("GET %s = %d %q, want %d %q", tc.path, code, body, tc.code, tc.body)
			}
		})
	}
	resp, err := http.Post(base+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", resp.StatusCode)
	}
}

func TestListenRefusesBusyPort(t *testing.T) {
	s, err := Listen("127.0.0.1:0", Handler(prometheus.NewRegistry(), nil, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.ln.Close()
	if _, err := Listen(s.Addr(), http.NotFoundHandler(), nil); err == nil || !strings.Contains(err.Error(), s.Addr()) {
		t.Errorf("second Listen on %s: %v, want an error naming the address", s.Addr(), err)
	}
}

// TestServeStopsWithContext: Serve returns nil once its context ends and
// the port is closed.
func TestServeStopsWithContext(t *testing.T) {
	s, err := Listen("127.0.0.1:0", Handler(prometheus.NewRegistry(), nil, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	if code, _ := get(t, "http://"+s.Addr()+"/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}
