// Package suite puts the checks in their report order and runs them.
//
// Every check starts at once. A check that needs another one's result
// (the port checks need dns.host's addresses, smtp.25 needs dns.mx's
// hosts) waits for that one only, through checks.Deps, so the time of a
// report is the time of its slowest chain, not the sum of its checks.
// Each run gets its own resolver cache, so identical DNS questions of one
// run go out once, and its own guarded dialer.
package suite

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/autoconfig"
	"github.com/pcmhosting/mailsetup/checks/dnscheck"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/mailcheck"
	"github.com/pcmhosting/mailsetup/checks/netguard"
)

// Checks returns the checks of docs/contract.md in report order. The list is
// explicit on purpose: no check registers itself.
func Checks() []checks.Check {
	return []checks.Check{
		dnscheck.Host(),
		dnscheck.MX(),
		dnscheck.SPF(),
		dnscheck.DKIM(),
		dnscheck.DMARC(),
		autoconfig.Check(),
		dnscheck.Propagation(),
		mailcheck.IMAP(),
		mailcheck.POP3(),
		mailcheck.Submissions(),
		mailcheck.Submission(),
		mailcheck.Relay(),
		dnscheck.Outgoing(),
	}
}

// Config holds what stays the same from one run to the next.
type Config struct {
	// Resolver is the shared upstream resolver; each run wraps it in a
	// cache of its own.
	Resolver lookup.Resolver
	// RootCAs verifies server certificates; nil means the system's.
	RootCAs *x509.CertPool
	// Timeout bounds each network step (default checks.DefaultTimeout).
	Timeout time.Duration
	// RunTimeout bounds a whole run (default 3 × Timeout + 1 s).
	RunTimeout    time.Duration
	AllowPrivate  bool
	EHLOName      string
	DKIMSelectors []string
	// Profile is the default provider profile (zero: the guide's ports).
	Profile checks.Profile
	Now     func() time.Time
	Logger  *slog.Logger
	// Checks replaces the suite, for tests; nil means Checks().
	Checks []checks.Check
}

// Runner runs the suite. It is safe for concurrent use.
type Runner struct {
	cfg    Config
	checks []checks.Check
}

// New validates the configuration and the dependency graph.
func New(cfg Config) (*Runner, error) {
	if cfg.Resolver == nil {
		return nil, errors.New("suite: no resolver")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = checks.DefaultTimeout
	}
	if cfg.RunTimeout <= 0 {
		cfg.RunTimeout = 3*cfg.Timeout + time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	list := cfg.Checks
	if list == nil {
		list = Checks()
	}
	if err := validate(list); err != nil {
		return nil, err
	}
	if cfg.RootCAs == nil {
		// The system's trust store is read once per process, at the first
		// certificate verified: some 150 files, tens of milliseconds. Read
		// it now, while a run's DNS questions are out, rather than when
		// every port check waits for it.
		go x509.SystemCertPool()
	}
	return &Runner{cfg: cfg, checks: list}, nil
}

// validate rejects unknown dependencies, duplicate ids and cycles, so a
// Wait can never block forever.
func validate(list []checks.Check) error {
	index := map[checks.ID]int{}
	for i, c := range list {
		if _, dup := index[c.ID]; dup {
			return fmt.Errorf("suite: check %s listed twice", c.ID)
		}
		index[c.ID] = i
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(list))
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case visiting:
			return fmt.Errorf("suite: dependency cycle through %s", list[i].ID)
		case done:
			return nil
		}
		state[i] = visiting
		for _, d := range list[i].DependsOn {
			j, ok := index[d]
			if !ok {
				return fmt.Errorf("suite: %s depends on unknown check %s", list[i].ID, d)
			}
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = done
		return nil
	}
	for i := range list {
		if err := visit(i); err != nil {
			return err
		}
	}
	return nil
}

// Request is one run.
type Request struct {
	Target checks.Target
	// Profile overrides the configured profile when it maps ports.
	Profile *checks.Profile
	// OnResult, if set, is called once per check as it finishes, from
	// the check's goroutine (for progress display).
	OnResult func(checks.Result)
}

// Env builds the per-run environment: a fresh DNS cache and a guarded
// dialer and HTTP client over it.
func (r *Runner) Env(profile *checks.Profile) *checks.Env {
	res := lookup.NewCache(r.cfg.Resolver)
	dialer := &netguard.Dialer{Resolver: res, AllowPrivate: r.cfg.AllowPrivate, Timeout: r.cfg.Timeout, Logger: r.cfg.Logger}
	p := r.cfg.Profile
	if profile != nil {
		p = *profile
	}
	return &checks.Env{
		Resolver:      res,
		Dialer:        dialer,
		HTTPClient:    dialer.HTTPClient(r.cfg.RootCAs, r.cfg.Timeout),
		RootCAs:       r.cfg.RootCAs,
		Now:           r.cfg.Now,
		Timeout:       r.cfg.Timeout,
		Profile:       p,
		EHLOName:      r.cfg.EHLOName,
		DKIMSelectors: r.cfg.DKIMSelectors,
		AllowPrivate:  r.cfg.AllowPrivate,
		Logger:        r.cfg.Logger,
	}
}

// slot holds one check's result once it is done.
type slot struct {
	done chan struct{}
	res  checks.Result
}

// deps is the Deps view of one check: it may wait only for what it
// declared.
type deps struct {
	owner   checks.ID
	allowed []checks.ID
	slots   map[checks.ID]*slot
}

func (d deps) Wait(ctx context.Context, id checks.ID) (checks.Result, error) {
	if !slices.Contains(d.allowed, id) {
		return checks.Result{}, fmt.Errorf("check %s waits for %s, which it does not depend on", d.owner, id)
	}
	s := d.slots[id]
	select {
	case <-s.done:
		return s.res, nil
	case <-ctx.Done():
		return checks.Result{}, fmt.Errorf("waiting for %s: %w", id, ctx.Err())
	}
}

// Run runs every check concurrently and returns the report, results in
// suite order. It always returns a report: a check that panics or
// outlives the run's deadline reports status error.
func (r *Runner) Run(ctx context.Context, req Request) *checks.Report {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, r.cfg.RunTimeout)
	defer cancel()
	env := r.Env(req.Profile)
	slots := make(map[checks.ID]*slot, len(r.checks))
	for _, c := range r.checks {
		slots[c.ID] = &slot{done: make(chan struct{})}
	}
	for _, c := range r.checks {
		go func() {
			s := slots[c.ID]
			s.res = r.runOne(ctx, env, c, req.Target, deps{owner: c.ID, allowed: c.DependsOn, slots: slots})
			if req.OnResult != nil {
				req.OnResult(s.res)
			}
			close(s.done)
		}()
	}
	rep := &checks.Report{Target: req.Target, Started: start}
	if pl := env.Profile.Platform; pl != nil {
		rep.Provider = pl.Provider
	}
	for _, c := range r.checks {
		<-slots[c.ID].done
		rep.Results = append(rep.Results, slots[c.ID].res)
	}
	rep.Status = checks.Overall(rep.Results)
	rep.Elapsed = time.Since(start)
	r.cfg.Logger.Info("report", "domain", req.Target.Domain, "status", rep.Status, "elapsed_ms", rep.Elapsed.Milliseconds())
	return rep
}

// runOne runs a check, recovering a panic into a status error.
func (r *Runner) runOne(ctx context.Context, env *checks.Env, c checks.Check, t checks.Target, d checks.Deps) (res checks.Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			r.cfg.Logger.Error("check panicked", "check", c.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res = checks.Result{ID: c.ID, Status: checks.StatusError}
			res.Add(checks.Finding{Code: checks.CheckInternal, Severity: checks.SeverityError, Detail: fmt.Sprintf("panic: %v", p)})
		}
		res.ID = c.ID
		if res.Status == "" {
			res.Status = checks.StatusPass
		}
		res.Elapsed = time.Since(start)
		codes := make([]string, 0, len(res.Findings))
		for _, f := range res.Findings {
			codes = append(codes, string(f.Code))
		}
		r.cfg.Logger.Info("check", "domain", t.Domain, "check", c.ID, "status", res.Status,
			"elapsed_ms", res.Elapsed.Milliseconds(), "codes", codes)
	}()
	return c.Run(ctx, env, t, d)
}
