// Package telemetry is what an operator of mailsetup watches: Prometheus
// metrics, the liveness and readiness probes of the operations HTTP
// server, and a log handler that keeps Slack secrets out of the logs.
//
// Metric names follow the Prometheus conventions
// (https://prometheus.io/docs/practices/naming/): a mailsetup_ prefix,
// the base unit in the name (_seconds), _total on counters. Label values
// come from small fixed sets — check ids and statuses, command kinds and
// results — and never name a domain or a user: every distinct label value
// is a time series of its own, so a customer's domain as a label would
// grow the server's memory with the customer list.
//
// The probes follow Kubernetes' meaning
// (https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/):
// /healthz answers while the process can answer at all (restart it
// otherwise), /readyz answers 200 only while it can take work now (send
// it none otherwise).
//
// The package reads no flag and no environment variable, and owns no
// global registry: cmd/ builds the registry and passes it in.
package telemetry

import (
	"context"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcmhosting/mailsetup/checks"
)

// Buckets of mailsetup_check_duration_seconds: from a cached DNS answer
// (1 ms) to a run that hit every step timeout (the suite bounds a run by
// 3 × the step timeout + 1 s, 16 s with the default 5 s).
var checkBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30}

// Buckets of mailsetup_ack_duration_seconds: Slack retries an envelope
// that is not acknowledged within 3 s.
var ackBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5}

// other replaces a label value outside the allowed set.
const other = "other"

// maxLabelValues bounds the distinct values of a free label (command kind
// or result); later values are counted as "other".
const maxLabelValues = 32

// Metrics holds mailsetup's own metrics. Its methods are safe for
// concurrent use, and are no-ops on a nil *Metrics, so code that may run
// without metrics needs no test before each call.
//
// The bot calls it through a small interface of its own (CommandDone,
// AckObserved, Reconnected, InflightAdd), which *Metrics satisfies.
type Metrics struct {
	checks     *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	commands   *prometheus.CounterVec
	ack        prometheus.Histogram
	inflight   prometheus.Gauge
	reconnects prometheus.Counter
	storeErrs  *prometheus.CounterVec

	kinds, results boundedLabel
}

// NewMetrics creates the metrics and registers them on reg. It registers
// only mailsetup_* metrics: the Go and process collectors are the
// caller's to add.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailsetup_checks_total",
			Help: "Checks run, by check id and status (pass, warn, fail, skip, error).",
		}, []string{"check", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mailsetup_check_duration_seconds",
			Help:    "Time one check took, by check id, waiting for the checks it depends on included.",
			Buckets: checkBuckets,
		}, []string{"check"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailsetup_commands_total",
			Help: "Slack commands handled, by kind (check, status, help, action…) and result.",
		}, []string{"kind", "result"}),
		ack: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "mailsetup_ack_duration_seconds",
			Help:    "Time from a Socket Mode envelope's arrival to its acknowledgement; Slack retries after 3 s.",
			Buckets: ackBuckets,
		}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mailsetup_inflight_checks",
			Help: "Domains being checked right now (one run of the whole suite each).",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mailsetup_slack_reconnects_total",
			Help: "Times the Socket Mode connection to Slack was opened again after it was lost.",
		}),
		storeErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mailsetup_store_errors_total",
			Help: "Failed operations on the store (history and what replicas share), by operation (record, read, claim, take, acquire, release, prune, open).",
		}, []string{"op"}),
		kinds:   boundedLabel{max: maxLabelValues},
		results: boundedLabel{max: maxLabelValues},
	}
	for _, c := range []prometheus.Collector{m.checks, m.duration, m.commands, m.ack, m.inflight, m.reconnects, m.storeErrs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Every check's series exist from the start, at zero, so a rate()
	// over a fresh process is 0 rather than absent.
	for _, id := range checks.AllIDs {
		for _, s := range statuses {
			m.checks.WithLabelValues(string(id), string(s))
		}
		m.duration.WithLabelValues(string(id))
	}
	for _, op := range StoreOps {
		m.storeErrs.WithLabelValues(op)
	}
	return m, nil
}

// StoreOps are the operations mailsetup_store_errors_total counts.
var StoreOps = []string{"record", "read", "claim", "take", "acquire", "release", "prune", "open"}

// StoreError counts a failed store operation; an op outside StoreOps is
// counted as "other".
func (m *Metrics) StoreError(op string) {
	if m == nil {
		return
	}
	if !slices.Contains(StoreOps, op) {
		op = other
	}
	m.storeErrs.WithLabelValues(op).Inc()
}

var statuses = []checks.Status{checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip, checks.StatusError}

// ObserveResult counts one check result and its duration (r.Elapsed).
// An id or status outside the contract's is counted as "other".
func (m *Metrics) ObserveResult(r checks.Result) {
	if m == nil {
		return
	}
	id := string(r.ID)
	if !slices.Contains(checks.AllIDs, r.ID) {
		id = other
	}
	st := string(r.Status)
	if !slices.Contains(statuses, r.Status) {
		st = other
	}
	m.checks.WithLabelValues(id, st).Inc()
	m.duration.WithLabelValues(id).Observe(r.Elapsed.Seconds())
}

// CommandDone counts one Slack command of this kind ("check", "status",
// "help"…) with this result ("pass", "fail", "invalid_input", "busy",
// "rate_limited"…). Values must be short lower_snake words: anything
// else (a domain, a user id) is counted as "other", and so is any value
// past the first 32 of each label.
func (m *Metrics) CommandDone(kind, result string) {
	if m == nil {
		return
	}
	m.commands.WithLabelValues(m.kinds.value(kind), m.results.value(result)).Inc()
}

// AckObserved records the time a Socket Mode envelope took to be
// acknowledged.
func (m *Metrics) AckObserved(d time.Duration) {
	if m == nil {
		return
	}
	m.ack.Observe(d.Seconds())
}

// Reconnected counts a Socket Mode reconnection.
func (m *Metrics) Reconnected() {
	if m == nil {
		return
	}
	m.reconnects.Inc()
}

// InflightAdd adds n (negative to remove) to the domains being checked.
func (m *Metrics) InflightAdd(n int) {
	if m == nil {
		return
	}
	m.inflight.Add(float64(n))
}

// Instrument returns the checks with each Run wrapped to record its
// result and duration, ids, order and dependencies unchanged: give it to
// suite.Config.Checks and every run of that runner is counted, whoever
// calls it. On a nil *Metrics it returns list itself.
func (m *Metrics) Instrument(list []checks.Check) []checks.Check {
	if m == nil {
		return list
	}
	out := make([]checks.Check, len(list))
	for i, c := range list {
		run := c.Run
		c.Run = func(ctx context.Context, env *checks.Env, t checks.Target, d checks.Deps) (res checks.Result) {
			start := time.Now()
			returned := false
			defer func() {
				obs := checks.Result{ID: c.ID, Status: res.Status, Elapsed: time.Since(start)}
				switch {
				case !returned: // a panic, which the suite reports as status error
					obs.Status = checks.StatusError
				case obs.Status == "":
					obs.Status = checks.StatusPass // as the suite reads it
				}
				m.ObserveResult(obs)
			}()
			res = run(ctx, env, t, d)
			returned = true
			return res
		}
		out[i] = c
	}
	return out
}

// labelWord is what a free label value may look like: a short
// lower_snake word. Domains (dots), Slack ids (capitals) and free text
// (spaces) do not match.
var labelWord = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// boundedLabel admits at most max distinct label values.
type boundedLabel struct {
	max  int
	mu   sync.Mutex
	seen map[string]bool
}

func (b *boundedLabel) value(v string) string {
	if !labelWord.MatchString(v) {
		return other
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen[v] {
		return v
	}
	if len(b.seen) >= b.max {
		return other
	}
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	b.seen[v] = true
	return v
}
