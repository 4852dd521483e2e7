// Package autoconfig is the dns.autoconfig check: what each mail app's
// automatic setup (the guide's step 3.A.3, "laissez le client détecter
// les paramètres automatiquement") really finds for a domain, and whether
// the settings published agree with the ports that work.
//
// Each app has its own way, from its own documentation and source:
//
//   - Thunderbird reads its autoconfig file, config-v1.1.xml, at
//     https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=…
//     then https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml,
//     then Mozilla's database (ISPDB), then guesses host names (imap.,
//     mail., the domain…) and probes them (comm-central
//     mail/components/accountcreation/FetchConfig; thunderbird-android
//     PR 6860 follows it). It does not read RFC 6186 SRV records
//     (Mozilla bug 342242, open since 2006).
//   - Outlook reads autodiscover: a POST of its request to
//     https://<domain>/autodiscover/autodiscover.xml, then to
//     https://autodiscover.<domain>/…, a redirect through plain HTTP, and
//     last the _autodiscover._tcp SRV record (MS-OXDISCO; the request
//     and answer are MS-OXDSCLI's). The plain-HTTP redirect is not
//     followed here: no request leaves over plain HTTP. An
//     address at autodiscover.<domain> is not a service: a wildcard A
//     record pointing at a web host answers a web page or 404. A service
//     answers the POST with an Autodiscover XML document or asks for
//     credentials (401, 403); only that is counted.
//   - Apple Mail and the Gmail app document no use of either, nor of SRV
//     records: they know the big providers and otherwise guess or ask.
//
// SRV records (RFC 6186, RFC 8314 §5.1: _imaps._tcp, _submissions._tcp…)
// are still read and compared, since other clients may use them, but SRV
// records alone do not make any mainstream app find the settings:
// autoconfig.srv_only.
//
// Every lookup and fetch runs at once, before the check waits for the port
// checks (imap.993, pop3.995, smtp.465, smtp.587), so it overlaps them.
// A DNS question left unanswered (a timeout, a failing resolver), or an
// autoconfig or autodiscover address not reached while the app reading
// it has found nothing elsewhere, makes the check an error: "could not
// tell", never autoconfig.missing. Each setting published must
// name the mail host, a port of the guide and some TLS; otherwise it is an
// autoconfig.mismatch. A setting of the guide whose port is broken on the
// server is not: the server is what to fix, and the port check says so.
package autoconfig

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// Sources of an advertised setting (checks.Advertised.Source).
const (
	SourceSRV          = "srv"
	SourceAutoconfig   = "autoconfig"
	SourceAutodiscover = "autodiscover"
)

// service is one SRV service of RFC 6186/8314.
type service struct {
	label    string // "_imaps._tcp"
	protocol string
	security checks.Security
}

// services are the mail SRV services, implicit TLS first as RFC 8314
// prefers.
var services = []service{
	{"_imaps._tcp", "IMAP", checks.SecurityTLS},
	{"_imap._tcp", "IMAP", checks.SecurityStartTLS},
	{"_pop3s._tcp", "POP3", checks.SecurityTLS},
	{"_pop3._tcp", "POP3", checks.SecurityStartTLS},
	{"_submissions._tcp", "SMTP", checks.SecurityTLS},
	{"_submission._tcp", "SMTP", checks.SecurityStartTLS},
}

// portCheck is a port check and the setting it proves, in the guide's
// order of preference per protocol (SMTP: 465 before 587).
type portCheck struct {
	id       checks.ID
	protocol string
	port     int
	security checks.Security
}

var portChecks = []portCheck{
	{checks.IMAP993, "IMAP", checks.PortIMAPS, checks.SecurityTLS},
	{checks.POP3995, "POP3", checks.PortPOP3S, checks.SecurityTLS},
	{checks.SMTP465, "SMTP", checks.PortSubmissions, checks.SecurityTLS},
	{checks.SMTP587, "SMTP", checks.PortSubmission, checks.SecurityStartTLS},
}

// Per-app outcomes, the values of checks.Facts.Clients.
const (
	// ClientThunderbird is Thunderbird: OutcomeAutoconfig, OutcomeGuess
	// or OutcomeUnknown.
	ClientThunderbird = "thunderbird"
	// ClientOutlook is Outlook: OutcomeAutodiscover, OutcomeNone or
	// OutcomeUnknown.
	ClientOutlook = "outlook"
	// ClientApple and ClientGmail are Apple Mail and the Gmail app:
	// always OutcomeGuess.
	ClientApple = "apple"
	ClientGmail = "gmail"

	// OutcomeAutoconfig: the app fills in the settings from the
	// autoconfig file.
	OutcomeAutoconfig = "autoconfig"
	// OutcomeAutodiscover: the app fills in the settings from the
	// autodiscover service.
	OutcomeAutodiscover = "autodiscover"
	// OutcomeGuess: the app guesses host names or asks for them.
	OutcomeGuess = "guess"
	// OutcomeNone: the app finds nothing and asks for the settings.
	OutcomeNone = "none"
	// OutcomeUnknown: a lookup it depends on could not be answered.
	OutcomeUnknown = "unknown"
)

// Check returns the dns.autoconfig check.
func Check() checks.Check {
	deps := make([]checks.ID, len(portChecks))
	for i, pc := range portChecks {
		deps[i] = pc.id
	}
	return checks.Check{ID: checks.DNSAutoconfig, DependsOn: deps, Run: run}
}

func run(ctx context.Context, env *checks.Env, t checks.Target, deps checks.Deps) checks.Result {
	res := checks.Result{ID: checks.DNSAutoconfig, Status: checks.StatusPass}
	d := discover(ctx, env, t)
	adv := slices.Concat(d.srv, d.autoconfig, d.autodiscover)
	res.Facts.Advertised = adv
	res.Facts.Clients = d.clients()
	detail := strings.Join(d.notes, "; ")
	domain := map[string]string{"domain": t.Domain}
	with := func(k, v string) map[string]string {
		m := maps.Clone(domain)
		m[k] = v
		return m
	}

	if d.autoconfigURL != "" {
		res.Add(checks.Finding{Code: checks.AutoconfigFound, Severity: checks.SeverityInfo, Params: with("url", d.autoconfigURL), Detail: detail})
	}
	if d.autodiscoverURL != "" {
		res.Add(checks.Finding{Code: checks.AutodiscoverFound, Severity: checks.SeverityInfo, Params: with("url", d.autodiscoverURL), Detail: detail})
	}
	switch {
	case d.dnsFailed:
		// What the resolver could not answer may be what an app reads.
		res.Add(checks.Finding{Code: checks.ResolverFailed, Severity: checks.SeverityError, Params: domain, Detail: detail})
		return res
	case len(d.timedOut) > 0:
		res.Add(checks.Finding{Code: checks.AutoconfigTimeout, Severity: checks.SeverityError, Params: with("what", strings.Join(d.timedOut, ", ")), Detail: detail})
		return res
	case d.autoconfigURL != "" && d.autodiscoverURL == "":
		res.Add(checks.Finding{Code: checks.AutodiscoverMissing, Severity: checks.SeverityInfo, Params: domain, Detail: detail})
	case d.autoconfigURL == "" && d.autodiscoverURL == "" && len(d.srv) > 0:
		res.Add(checks.Finding{Code: checks.AutoconfigSRVOnly, Severity: checks.SeverityWarn, Params: domain, Detail: detail})
	case d.autoconfigURL == "" && d.autodiscoverURL == "":
		res.Add(checks.Finding{Code: checks.AutoconfigMissing, Severity: checks.SeverityWarn, Params: domain, Detail: detail})
		return res
	}

	ports := waitPorts(ctx, deps)
	for _, a := range adv {
		if f, ok := compare(a, t, ports); ok {
			res.Add(f)
		}
	}
	return res
}

// portState is what a port check concluded; known is false when its
// result could not be had (the run ended, the suite lacks the check).
type portState struct {
	result checks.Result
	known  bool
}

func waitPorts(ctx context.Context, deps checks.Deps) map[checks.ID]portState {
	m := make(map[checks.ID]portState, len(portChecks))
	if deps == nil {
		return m
	}
	for _, pc := range portChecks {
		r, err := deps.Wait(ctx, pc.id)
		m[pc.id] = portState{r, err == nil}
	}
	return m
}

// compare judges one advertised setting against the mail host and the
// guide's settings; it returns an autoconfig.mismatch when a client
// following it would not reach the mail host on a protected port of the
// guide.
// Autodiscover entries (no protocol) are not compared.
func compare(a checks.Advertised, t checks.Target, ports map[checks.ID]portState) (checks.Finding, bool) {
	if a.Protocol == "" {
		return checks.Finding{}, false
	}
	var why []string
	if !sameHost(a.Host, t.Host) {
		why = append(why, fmt.Sprintf("host %s is not %s", a.Host, t.Host))
	}
	if a.Security == checks.SecurityNone {
		why = append(why, "no TLS")
	}
	// A setting of the guide whose port is broken on the server is not a
	// mismatch: the record is right and the server is what to fix; the
	// port check already says so, with its one remedy.
	if !slices.ContainsFunc(portChecks, func(pc portCheck) bool {
		return pc.protocol == a.Protocol && pc.port == a.Port && pc.security == a.Security
	}) {
		why = append(why, fmt.Sprintf("no %s check for port %d %s", a.Protocol, a.Port, a.Security))
	}
	if len(why) == 0 {
		return checks.Finding{}, false
	}
	return checks.Finding{
		Code:     checks.AutoconfigMismatch,
		Severity: checks.SeverityWarn,
		Params: map[string]string{
			"source":     a.Source,
			"protocol":   a.Protocol,
			"advertised": setting(a.Host, a.Port, a.Security),
			"expected":   expected(a.Protocol, t, ports),
		},
		Detail: a.Source + " " + setting(a.Host, a.Port, a.Security) + ": " + strings.Join(why, "; "),
	}, true
}

// expected is the first working setting of a protocol, "none" if none is.
func expected(protocol string, t checks.Target, ports map[checks.ID]portState) string {
	for _, pc := range portChecks {
		st := ports[pc.id]
		if pc.protocol != protocol || !st.known || !st.result.Status.Works() {
			continue
		}
		host := t.Host
		if ep := st.result.Facts.Endpoint; ep != nil && ep.Host != "" {
			host = ep.Host
		}
		return setting(host, pc.port, pc.security)
	}
	return "none"
}

func setting(host string, port int, sec checks.Security) string {
	return fmt.Sprintf("%s:%d %s", host, port, sec)
}

func sameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// discovery is what the lookups and fetches found.
type discovery struct {
	srv, autoconfig, autodiscover []checks.Advertised
	// autoconfigURL is where Thunderbird's file was found (its query
	// left out), autodiscoverURL the first address a real autodiscover
	// service answered at; "" when none.
	autoconfigURL, autodiscoverURL string
	// dnsFailed: the resolver failed a question (checks.ResolverFailed).
	dnsFailed bool
	// timedOut names the HTTP addresses not reached: no answer in time,
	// or their name could not be resolved.
	timedOut []string
	notes    []string // technical notes for Detail
}

// clients returns what each app's automatic setup does.
func (d *discovery) clients() map[string]string {
	unknown := d.dnsFailed || len(d.timedOut) > 0
	tb, ol := OutcomeGuess, OutcomeNone
	switch {
	case d.autoconfigURL != "":
		tb = OutcomeAutoconfig
	case unknown:
		tb = OutcomeUnknown
	}
	switch {
	case d.autodiscoverURL != "":
		ol = OutcomeAutodiscover
	case unknown:
		ol = OutcomeUnknown
	}
	return map[string]string{ClientThunderbird: tb, ClientOutlook: ol, ClientApple: OutcomeGuess, ClientGmail: OutcomeGuess}
}

// failed records why a question got no answer. A resolver failure or a
// timeout is "could not tell": on a DNS question (dns true) the
// resolver's failure, on an HTTP address an address not reached, its
// name resolution included. Anything else is an answer (nothing there)
// and only a note.
func (d *discovery) failed(what string, err error, dns bool) {
	d.notes = append(d.notes, fmt.Sprintf("%s: %s", what, truncate(err.Error(), 160)))
	switch checks.ClassifyErr(checks.StageDialogue, err) {
	case checks.ResolverFailed, checks.ProtoTimeout:
		if dns {
			d.dnsFailed = true
		} else {
			d.timedOut = append(d.timedOut, what)
		}
	}
}

// discover runs every SRV question, both autoconfig fetches and the
// autodiscover probes at once, each bounded by the step timeout, and
// reads what they found.
func discover(ctx context.Context, env *checks.Env, t checks.Target) *discovery {
	a := ask(ctx, env, t)
	d := &discovery{}
	d.readSRV(a.srv, t.Domain)
	if a.fetches == nil {
		d.notes = append(d.notes, "autoconfig, autodiscover: no HTTP client")
	}
	d.readAutoconfig(a.urls, a.fetches, a.address)
	d.readAutodiscover(a)
	return d
}

// srvAnswer is what one SRV question gave.
type srvAnswer struct {
	adv   []checks.Advertised
	notes []string
	err   error
}

// fetched is one autoconfig file fetched, or why not.
type fetched struct {
	data []byte
	err  error
}

// answers are the answers of discover's questions, in their order.
type answers struct {
	srv     []srvAnswer // one per service
	address string      // the address the autoconfig URLs name
	urls    []string
	fetches []fetched // one per URL; nil without an HTTP client
	adSRV   srvAnswer // _autodiscover._tcp
	// adURLs are Outlook's POST addresses, adErrs what each gave (nil: a
	// service answered); adErrs is nil without an HTTP client.
	adURLs []string
	adErrs []error
}

// ask asks every question of discover at once and waits for all. The
// SRV targets of _autodiscover._tcp are probed once the record is read.
func ask(ctx context.Context, env *checks.Env, t checks.Target) *answers {
	timeout := env.StepTimeout()
	httpsPort := env.Profile.Dial(checks.PortHTTPS)
	client := httpClient(env)
	var wg sync.WaitGroup
	a := &answers{srv: make([]srvAnswer, len(services)), address: t.Address}
	if a.address == "" {
		a.address = "postmaster@" + t.Domain
	}

	for i, s := range services {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			adv, notes, err := querySRV(ctx, env.Resolver, s.label+"."+t.Domain, func(rr *dns.SRV) checks.Advertised {
				return checks.Advertised{Source: SourceSRV, Protocol: s.protocol, Host: srvHost(rr.Target), Port: int(rr.Port), Security: s.security}
			})
			a.srv[i] = srvAnswer{adv, notes, err}
		})
	}

	a.urls = ConfigURLs(t.Domain, a.address, httpsPort)
	if client != nil {
		a.fetches = make([]fetched, len(a.urls))
		for i, u := range a.urls {
			wg.Go(func() {
				data, err := fetch(ctx, client, timeout, u)
				a.fetches[i] = fetched{data, err}
			})
		}
	}

	// Outlook's two POST addresses, probed meanwhile; the SRV record's
	// targets after it is read.
	a.adURLs = AutodiscoverURLs(t.Domain, httpsPort)
	var probes sync.WaitGroup
	if client != nil {
		a.adErrs = make([]error, len(a.adURLs))
		for i, u := range a.adURLs {
			probes.Go(func() { a.adErrs[i] = probeAutodiscover(ctx, client, timeout, u, a.address) })
		}
	}
	wg.Go(func() {
		sctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		a.adSRV.adv, a.adSRV.notes, a.adSRV.err = querySRV(sctx, env.Resolver, "_autodiscover._tcp."+t.Domain, func(rr *dns.SRV) checks.Advertised {
			return checks.Advertised{Source: SourceAutodiscover, Host: srvHost(rr.Target), Port: int(rr.Port), Security: checks.SecurityTLS}
		})
		probes.Wait()
		if client == nil {
			return
		}
		for _, s := range a.adSRV.adv {
			u := autodiscoverURL(s.Host, s.Port, httpsPort)
			if slices.Contains(a.adURLs, u) {
				continue
			}
			a.adURLs = append(a.adURLs, u)
			a.adErrs = append(a.adErrs, probeAutodiscover(ctx, client, timeout, u, a.address))
		}
	})
	wg.Wait()
	return a
}

// readSRV keeps the settings the SRV records advertise, one answer per
// service.
func (d *discovery) readSRV(srv []srvAnswer, domain string) {
	for i, a := range srv {
		d.srv = append(d.srv, a.adv...)
		d.notes = append(d.notes, a.notes...)
		if a.err != nil {
			d.failed(fmt.Sprintf("SRV %s.%s", services[i].label, domain), a.err, true)
		}
	}
}

// readAutoconfig keeps the settings of the first autoconfig file, in
// URL order, that parses and names a usable server for address, as
// Thunderbird does.
func (d *discovery) readAutoconfig(urls []string, fetches []fetched, address string) {
	var errs []struct {
		where string
		err   error
	}
	for i, f := range fetches {
		where, _, _ := strings.Cut(urls[i], "?")
		if f.err == nil {
			cfg, err := ParseClientConfig(f.data)
			if err == nil {
				var ignored []string
				d.autoconfig, ignored = cfg.Settings(address)
				if len(ignored) > 0 {
					d.notes = append(d.notes, fmt.Sprintf("%s: ignored %s", where, strings.Join(ignored, ", ")))
				}
				if len(d.autoconfig) > 0 {
					d.autoconfigURL = where
					break
				}
				d.notes = append(d.notes, where+": no usable server")
				continue
			}
			f.err = err
		}
		errs = append(errs, struct {
			where string
			err   error
		}{where, f.err})
	}
	for _, e := range errs {
		if d.autoconfigURL != "" {
			// The file was found: what the other address did no
			// longer matters to Thunderbird.
			d.notes = append(d.notes, fmt.Sprintf("%s: %s", e.where, truncate(e.err.Error(), 160)))
			continue
		}
		d.failed(e.where, e.err, false)
	}
}

// readAutodiscover keeps the first address where a real autodiscover
// service answered; an answer that is not one (errNotAutodiscover: a
// wildcard's web page) is only a note.
func (d *discovery) readAutodiscover(a *answers) {
	d.notes = append(d.notes, a.adSRV.notes...)
	if a.adSRV.err != nil {
		d.failed("SRV _autodiscover._tcp", a.adSRV.err, true)
	}
	var failures []int
	for i, err := range a.adErrs {
		if err == nil {
			if d.autodiscoverURL == "" {
				d.autodiscoverURL = a.adURLs[i]
				u, _ := url.Parse(a.adURLs[i])
				d.autodiscover = append(d.autodiscover, checks.Advertised{Source: SourceAutodiscover, Host: u.Hostname(), Port: checks.PortHTTPS, Security: checks.SecurityTLS})
			}
			continue
		}
		failures = append(failures, i)
	}
	for _, i := range failures {
		what := "autodiscover " + a.adURLs[i]
		if d.autodiscoverURL != "" || errors.Is(a.adErrs[i], errNotAutodiscover) {
			d.notes = append(d.notes, fmt.Sprintf("%s: %s", what, truncate(a.adErrs[i].Error(), 160)))
			continue
		}
		d.failed(what, a.adErrs[i], false)
	}
}

// querySRV asks name's SRV records and turns each usable one into a
// setting, by priority then weight. Records whose target is "." (the
// service is not offered) or whose port is 0 are left out with a note.
func querySRV(ctx context.Context, r lookup.Resolver, name string, conv func(*dns.SRV) checks.Advertised) ([]checks.Advertised, []string, error) {
	rrs, _, err := lookup.SRV(ctx, r, name)
	if err != nil {
		return nil, nil, err
	}
	rrs = slices.Clone(rrs)
	slices.SortStableFunc(rrs, func(a, b *dns.SRV) int {
		if a.Priority != b.Priority {
			return int(a.Priority) - int(b.Priority)
		}
		if a.Weight != b.Weight {
			return int(b.Weight) - int(a.Weight)
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return int(a.Port) - int(b.Port)
	})
	var out []checks.Advertised
	var notes []string
	for _, rr := range rrs {
		switch {
		case rr.Target == "." || rr.Target == "":
			notes = append(notes, fmt.Sprintf("SRV %s: target \".\", not offered", strings.TrimSuffix(name, ".")))
		case rr.Port == 0:
			notes = append(notes, fmt.Sprintf("SRV %s: port 0 ignored", strings.TrimSuffix(name, ".")))
		default:
			a := conv(rr)
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out, notes, nil
}

func srvHost(target string) string {
	return strings.ToLower(strings.TrimSuffix(target, "."))
}
