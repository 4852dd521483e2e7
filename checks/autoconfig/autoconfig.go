// Package autoconfig is the dns.autoconfig check: what a mail client's
// automatic configuration (the guide's step 3.A.3, "laissez le client
// détecter les paramètres automatiquement") finds for a domain, and
// whether it agrees with the ports that really work.
//
// Clients learn settings from three places:
//
//   - SRV records (RFC 6186, RFC 8314 §5.1): _imaps._tcp, _pop3s._tcp and
//     _submissions._tcp announce implicit-TLS services, _imap._tcp,
//     _pop3._tcp and _submission._tcp their STARTTLS counterparts. Records
//     are used by priority (lowest first), then weight (RFC 2782); a
//     target of "." says the service is decidedly not offered (RFC 6186
//     §3.4).
//   - Thunderbird's autoconfig file, config-v1.1.xml, at
//     https://autoconfig.<domain>/mail/config-v1.1.xml then
//     https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml; its
//     host names may hold placeholders such as %EMAILDOMAIN%.
//   - Outlook's autodiscover, at autodiscover.<domain> or through the
//     _autodiscover._tcp SRV record. Its answer needs credentials on most
//     hosts, so only its presence is recorded (an Advertised with an empty
//     Protocol), never compared.
//
// Every lookup and fetch runs at once, before the check waits for the port
// checks (imap.993, pop3.995, smtp.465, smtp.587), so it overlaps them.
// Each advertised setting must then name the mail host, a standard port
// and some TLS, and not a port that fails while another setting of the
// same protocol works; otherwise it is an autoconfig.mismatch.
package autoconfig

import (
	"context"
	"errors"
	"fmt"
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
	detail := strings.Join(d.notes, "; ")
	if len(adv) == 0 {
		if d.srvFailures == len(services) {
			res.Add(checks.Finding{
				Code:     checks.ResolverFailed,
				Severity: checks.SeverityError,
				Params:   map[string]string{"domain": t.Domain},
				Detail:   detail,
			})
			return res
		}
		res.Add(checks.Finding{
			Code:     checks.AutoconfigMissing,
			Severity: checks.SeverityWarn,
			Params:   map[string]string{"domain": t.Domain},
			Detail:   detail,
		})
		return res
	}
	var sources []string
	for _, s := range []struct {
		name string
		adv  []checks.Advertised
	}{{SourceSRV, d.srv}, {SourceAutoconfig, d.autoconfig}, {SourceAutodiscover, d.autodiscover}} {
		if len(s.adv) > 0 {
			sources = append(sources, s.name)
		}
	}
	res.Add(checks.Finding{
		Code:     checks.AutoconfigFound,
		Severity: checks.SeverityInfo,
		Params:   map[string]string{"sources": strings.Join(sources, ",")},
		Detail:   detail,
	})

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
// port checks; it returns an autoconfig.mismatch when a client following
// it would not reach a working, protected service of the mail host.
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
	i := slices.IndexFunc(portChecks, func(pc portCheck) bool {
		return pc.protocol == a.Protocol && pc.port == a.Port && pc.security == a.Security
	})
	switch {
	case i < 0:
		why = append(why, fmt.Sprintf("no %s check for port %d %s", a.Protocol, a.Port, a.Security))
	case ports[portChecks[i].id].known && !ports[portChecks[i].id].result.Status.Works() && expected(a.Protocol, t, ports) != "none":
		// The guide's own setting, down while another one of the protocol
		// works: clients should be sent to the working one. When none of
		// the protocol works, the record is right and the server is what
		// to fix; the port check already says so.
		why = append(why, fmt.Sprintf("%s is %s", portChecks[i].id, ports[portChecks[i].id].result.Status))
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
	srvFailures                   int      // SRV questions of services that failed
	notes                         []string // technical notes for Detail
}

// discover runs every SRV question, both autoconfig fetches and the
// autodiscover lookups at once, each bounded by the step timeout, and
// reads what they found.
func discover(ctx context.Context, env *checks.Env, t checks.Target) *discovery {
	a := ask(ctx, env, t)
	d := &discovery{}
	d.readSRV(a.srv, t.Domain)
	if a.fetches == nil {
		d.notes = append(d.notes, "autoconfig: no HTTP client")
	}
	d.readAutoconfig(a.urls, a.fetches, a.address)
	d.readAutodiscover(a.adSRV, a.adHost)
	return d
}

// srvAnswer is what one SRV question, or the autodiscover host's
// lookup, gave.
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
	adHost  srvAnswer // autodiscover.<domain>
}

// ask asks every question of discover at once and waits for all.
func ask(ctx context.Context, env *checks.Env, t checks.Target) *answers {
	timeout := env.StepTimeout()
	var wg sync.WaitGroup
	a := &answers{srv: make([]srvAnswer, len(services)), address: t.Address}

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

	if a.address == "" {
		a.address = "postmaster@" + t.Domain
	}
	a.urls = ConfigURLs(t.Domain, a.address, env.Profile.Dial(checks.PortHTTPS))
	if client := httpClient(env); client != nil {
		a.fetches = make([]fetched, len(a.urls))
		for i, u := range a.urls {
			wg.Go(func() {
				data, err := fetch(ctx, client, timeout, u)
				a.fetches[i] = fetched{data, err}
			})
		}
	}

	wg.Go(func() {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		a.adSRV.adv, a.adSRV.notes, a.adSRV.err = querySRV(ctx, env.Resolver, "_autodiscover._tcp."+t.Domain, func(rr *dns.SRV) checks.Advertised {
			return checks.Advertised{Source: SourceAutodiscover, Host: srvHost(rr.Target), Port: int(rr.Port), Security: checks.SecurityTLS}
		})
	})
	wg.Go(func() {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		host := "autodiscover." + t.Domain
		addrs, _, _, err := lookup.Addrs(ctx, env.Resolver, host)
		switch {
		case err != nil:
			a.adHost.err = err
		case len(addrs) > 0:
			a.adHost.adv = []checks.Advertised{{Source: SourceAutodiscover, Host: host, Port: checks.PortHTTPS, Security: checks.SecurityTLS}}
		}
	})
	wg.Wait()
	return a
}

// readSRV keeps the settings the SRV records advertise, one answer per
// service, and counts the questions the resolver failed.
func (d *discovery) readSRV(srv []srvAnswer, domain string) {
	for i, a := range srv {
		d.srv = append(d.srv, a.adv...)
		d.notes = append(d.notes, a.notes...)
		if a.err != nil {
			if errors.Is(a.err, lookup.ErrFailed) {
				d.srvFailures++
			}
			d.notes = append(d.notes, fmt.Sprintf("SRV %s.%s: %s", services[i].label, domain, truncate(a.err.Error(), 160)))
		}
	}
}

// readAutoconfig keeps the settings of the first autoconfig file, in
// URL order, that parses and names a usable server for address.
func (d *discovery) readAutoconfig(urls []string, fetches []fetched, address string) {
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
					break
				}
				d.notes = append(d.notes, where+": no usable server")
				continue
			}
			f.err = err
		}
		d.notes = append(d.notes, fmt.Sprintf("%s: %s", where, truncate(f.err.Error(), 160)))
	}
}

// readAutodiscover keeps what the autodiscover SRV record and host say.
func (d *discovery) readAutodiscover(adSRV, adHost srvAnswer) {
	d.autodiscover = append(d.autodiscover, adSRV.adv...)
	d.notes = append(d.notes, adSRV.notes...)
	d.autodiscover = append(d.autodiscover, adHost.adv...)
	for _, e := range []error{adSRV.err, adHost.err} {
		if e != nil {
			d.notes = append(d.notes, "autodiscover: "+truncate(e.Error(), 160))
		}
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
