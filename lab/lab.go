// Package lab runs, inside the process, a small Internet of mail domains
// to check: an authoritative DNS server for the zone lab.test and, for
// each scenario domain, real IMAP, POP3, SMTP and HTTPS servers on random
// loopback ports, some healthy and some broken the way customers' domains
// break (an expired certificate, a closed port, a missing MX, two SPF
// records…).
//
// The tests of the whole product and `mailsetup demo` point a checker at
// it: the lab's DNS server as resolver (Lab.DNSAddr), the lab CA as trust
// store (Lab.RootCAs), a scenario's Profile to map the standard ports
// (993, 995, 465, 587, 25, 443) to the loopback ports the lab listens on,
// and private targets allowed. Each Scenario says what a correct engine
// must report for every check (Scenario.Expect); names, descriptions and
// expectations come from the project's one scenario catalog, package
// lab/scenario, and the lab adds its recipe for each (scenarios.go).
//
// Every server speaks its real protocol: DNS (RFC 1034/1035, with
// github.com/miekg/dns), SMTP with STARTTLS and AUTH (RFC 5321, 3207, 4954,
// with github.com/emersion/go-smtp), IMAP4rev1 (RFC 3501, with
// github.com/emersion/go-imap/v2), POP3 (RFC 1939, 2449), implicit TLS
// (RFC 8314) and Thunderbird's autoconfig file over HTTPS. The records
// published follow RFC 7208 (SPF), RFC 6376 (DKIM), RFC 7489 (DMARC) and
// RFC 6186 (SRV for mail clients).
//
// The lab only listens, on 127.0.0.1, and never dials out: names outside
// its zone are REFUSED.
package lab

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/platform"
	"github.com/pcmhosting/mailsetup/internal/dnstest"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// Zone is the DNS zone the lab is authoritative for; every scenario
// domain is <name>.lab.test. ".test" is reserved for testing (RFC 6761
// §6.2), so no lab name can ever be a real one.
const Zone = "lab.test"

// Options configures Start.
type Options struct {
	// Logger receives the lab's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock certificates are issued by; nil means time.Now.
	Now func() time.Time
	// Scenarios names the scenarios to start; nil starts all of them.
	Scenarios []string
}

// Lab is a running lab. Close stops it.
type Lab struct {
	// DNSAddr is the "127.0.0.1:port" of the lab's DNS server, UDP and TCP.
	DNSAddr string
	// RootCAs holds the lab CA, which issued every certificate but the
	// self-signed one.
	RootCAs *x509.CertPool
	// CAPEM is the lab CA certificate in PEM, for a process that trusts
	// it through SSL_CERT_FILE (a mailsetup binary checking the lab).
	CAPEM []byte
	// Zone is the lab's zone, "lab.test".
	Zone string
	// Platform is the provider profile of the lab's own hosting
	// platform (platform.go), which every scenario's Profile carries:
	// 127.0.0.1 is ours, 127.0.0.2 another provider's.
	Platform *platform.Platform

	log       *slog.Logger
	scenarios []Scenario

	wg    sync.WaitGroup // the goroutines serving listeners
	mu    sync.Mutex
	stops []func(context.Context) error

	closeOnce sync.Once
	closeErr  error
}

// Scenario is one domain of the lab.
type Scenario struct {
	// Name is the scenario's short name: "good", "expired"…
	Name string
	// Domain is the mail domain and host, Name + "." + Zone.
	Domain string
	// Description says in one technical line what is wrong, if anything.
	Description string
	// Profile maps the standard ports 993, 995, 465, 587, 25 and 443 to
	// the loopback ports the scenario's servers listen on (a refused port
	// is mapped to a port where nothing listens). It is empty for a
	// domain that does not exist.
	Profile checks.Profile
	// Expect is what a correct engine reports for each of checks.AllIDs.
	Expect map[checks.ID]scenario.Expectation
	// Addr is the loopback address the scenario's servers listen on and
	// its A records point to: 127.0.0.1, the lab platform's, or
	// 127.0.0.2 for another provider's servers; empty for a domain that
	// does not exist.
	Addr string
}

// clone returns a copy of s whose maps the caller may modify.
func (s Scenario) clone() Scenario {
	s.Profile.PortMap = maps.Clone(s.Profile.PortMap)
	if s.Profile.HostPortMap != nil {
		hosts := make(map[string]map[int]int, len(s.Profile.HostPortMap))
		for h, m := range s.Profile.HostPortMap {
			hosts[h] = maps.Clone(m)
		}
		s.Profile.HostPortMap = hosts
	}
	e := make(map[checks.ID]scenario.Expectation, len(s.Expect))
	for id, x := range s.Expect {
		e[id] = scenario.Expectation{Status: x.Status, Codes: slices.Clone(x.Codes)}
	}
	s.Expect = e
	return s
}

// Names returns the names of every scenario the lab runs, in catalog
// order.
func Names() []string { return scenario.Names(scenario.Lab) }

// Scenarios returns the lab's scenarios, in the fixed order of the table.
func (l *Lab) Scenarios() []Scenario {
	out := make([]Scenario, len(l.scenarios))
	for i, s := range l.scenarios {
		out[i] = s.clone()
	}
	return out
}

// Scenario returns the scenario with this name, if the lab runs it.
func (l *Lab) Scenario(name string) (Scenario, bool) {
	for _, s := range l.scenarios {
		if s.Name == name {
			return s.clone(), true
		}
	}
	return Scenario{}, false
}

// standardPorts are the ports every scenario serves, in start order.
var standardPorts = []int{checks.PortIMAPS, checks.PortPOP3S, checks.PortSubmissions, checks.PortSubmission, checks.PortSMTP, checks.PortHTTPS}

// Start starts every server of every scenario on 127.0.0.1 random ports.
// ctx bounds the start only; the lab runs until Close.
func Start(ctx context.Context, opts Options) (*Lab, error) {
	begin := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	specs, err := selectSpecs(opts.Scenarios)
	if err != nil {
		return nil, err
	}
	// The DKIM key is the slow part of a first start: make it meanwhile.
	dkimDone := make(chan struct{})
	go func() {
		defer close(dkimDone)
		dkimRecord()
	}()
	defer func() { <-dkimDone }()

	p, err := newPKI(now())
	if err != nil {
		return nil, err
	}
	l := &Lab{RootCAs: p.ca.Pool, CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.ca.Cert.Raw}), Zone: Zone, log: log}
	started := false
	defer func() {
		if !started {
			l.Close()
		}
	}()

	for i := range specs {
		s := &specs[i]
		sc := Scenario{Name: s.Name, Domain: s.Name + "." + Zone, Description: s.Description, Expect: s.Expectations()}
		if s.absent {
			l.scenarios = append(l.scenarios, sc)
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("lab: start: %w", err)
		}
		cert, err := p.leaf(sc.Domain, s.cert, s.extraNames(sc.Domain)...)
		if err != nil {
			return nil, err
		}
		cfg := serverTLS(cert)
		sc.Addr = s.ip().String()
		// The web side (443: autoconfig, autodiscover) has a certificate
		// of its own, always valid: the scenarios break the mail
		// servers' certificates, and a web host's is often another.
		web := cfg
		if s.cert != certGood {
			wc, err := p.leaf(sc.Domain, certGood)
			if err != nil {
				return nil, err
			}
			web = serverTLS(wc)
		}
		cfg25 := cfg
		if s.cert25 != certGood {
			c25, err := p.leaf(sc.Domain, s.cert25)
			if err != nil {
				return nil, err
			}
			cfg25 = serverTLS(c25)
		}
		sc.Profile.PortMap = make(map[int]int, len(standardPorts))
		for _, std := range standardPorts {
			if s.mode(std) == refuse {
				p, err := l.refusingPort()
				if err != nil {
					return nil, err
				}
				sc.Profile.PortMap[std] = p
				continue
			}
			ln, err := listen(ctx, s.ip())
			if err != nil {
				return nil, err
			}
			sc.Profile.PortMap[std] = port(ln)
			tlsCfg := cfg
			switch std {
			case checks.PortHTTPS:
				tlsCfg = web
			case checks.PortSMTP:
				tlsCfg = cfg25
			}
			if err := l.startPort(ln, sc.Domain, std, &s.spec, s.mode(std), tlsCfg); err != nil {
				ln.Close()
				return nil, err
			}
		}
		// An MX host whose port 25 behaves otherwise gets a listener of
		// its own, mapped for that host only.
		for _, mx := range s.mxRecords() {
			if mx.label == "" || mx.port25 == serve {
				continue
			}
			host := mx.label + "." + sc.Domain
			if sc.Profile.HostPortMap == nil {
				sc.Profile.HostPortMap = map[string]map[int]int{}
			}
			if mx.port25 == refuse {
				p, err := l.refusingPort()
				if err != nil {
					return nil, err
				}
				sc.Profile.HostPortMap[host] = map[int]int{checks.PortSMTP: p}
				continue
			}
			ln, err := listen(ctx, s.ip())
			if err != nil {
				return nil, err
			}
			sc.Profile.HostPortMap[host] = map[int]int{checks.PortSMTP: port(ln)}
			if err := l.startPort(ln, sc.Domain, checks.PortSMTP, &s.spec, mx.port25, cfg25); err != nil {
				ln.Close()
				return nil, err
			}
		}
		log.Debug("lab scenario started", "scenario", sc.Name, "domain", sc.Domain, "ports", sc.Profile.PortMap)
		l.scenarios = append(l.scenarios, sc)
	}

	<-dkimDone
	dkim, err := dkimRecord()
	if err != nil {
		return nil, err
	}
	z := buildZone(specs, dkim)
	if err := l.startDNS(ctx, z, specs); err != nil {
		return nil, err
	}
	if err := l.startNameServers(ctx, specs, z); err != nil {
		return nil, err
	}
	if l.Platform, err = labPlatform(dkim); err != nil {
		return nil, err
	}
	for i := range l.scenarios {
		l.scenarios[i].Profile.Platform = l.Platform
		if o := specs[i].outgoing; len(o) > 0 {
			p := *l.Platform
			p.Outgoing, p.DNSBL = o, []string{DNSBLZone}
			l.scenarios[i].Profile.Platform = &p
		}
	}
	started = true
	log.Info("lab started", "dns", l.DNSAddr, "zone", Zone, "scenarios", len(l.scenarios), "elapsed", time.Since(begin))
	return l, nil
}

// selectSpecs returns the scenarios named with their recipes, in
// catalog order, or all of the lab's.
func selectSpecs(names []string) ([]labScenario, error) {
	known := Names()
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("lab: unknown scenario %q (known: %v)", n, known)
		}
	}
	var out []labScenario
	for _, sc := range scenario.For(scenario.Lab) {
		if names != nil && !slices.Contains(names, sc.Name) {
			continue
		}
		s, ok := recipes[sc.Name]
		if !ok {
			return nil, fmt.Errorf("lab: no recipe for scenario %q of the catalog", sc.Name)
		}
		out = append(out, labScenario{sc, s})
	}
	return out, nil
}

// startPort starts what a scenario runs on one standard port. A refused
// port's listener is left to the caller to close.
func (l *Lab) startPort(ln net.Listener, domain string, std int, s *spec, mode portMode, cfg *tls.Config) error {
	switch mode {
	case refuse:
		return nil
	case silent:
		l.startTarpit(ln)
		return nil
	case hostileBanner:
		l.startBanner(ln, HostileBanner)
		return nil
	case slowGreeting:
		ln = newSlowListener(ln, slowGreetingDelay)
	}
	switch std {
	case checks.PortIMAPS:
		l.startIMAP(ln, domain, cfg)
	case checks.PortPOP3S:
		l.startPOP3(ln, domain, cfg)
	case checks.PortSubmissions, checks.PortSubmission:
		l.startSMTP(ln, domain, domain, std, mode, cfg)
	case checks.PortSMTP:
		l.startSMTP(ln, "mx."+domain, domain, std, mode, cfg)
	case checks.PortHTTPS:
		return l.startHTTPS(ln, domain, s, cfg)
	default:
		return fmt.Errorf("lab: no server for port %d", std)
	}
	return nil
}

// serve runs a server's loop in a goroutine of the lab and registers how
// to stop it; Close calls stop, then waits for run to return.
func (l *Lab) serve(run func() error, stop func(context.Context) error) {
	l.onClose(stop)
	l.wg.Go(func() {
		if err := ignoreClosed(run()); err != nil {
			l.log.Warn("lab server stopped", "err", err)
		}
	})
}

// onClose registers a function Close calls.
func (l *Lab) onClose(stop func(context.Context) error) {
	l.mu.Lock()
	l.stops = append(l.stops, stop)
	l.mu.Unlock()
}

// closeTimeout bounds how long Close waits for connections to wind down.
const closeTimeout = 5 * time.Second

// Close stops every server, closes every connection and waits for every
// goroutine of the lab. It is safe to call more than once.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		l.mu.Lock()
		stops := l.stops
		l.stops = nil
		l.mu.Unlock()
		errs := make([]error, len(stops))
		var wg sync.WaitGroup
		for i, stop := range stops {
			wg.Go(func() { errs[i] = ignoreClosed(stop(ctx)) })
		}
		wg.Wait()
		l.wg.Wait()
		l.closeErr = errors.Join(errs...)
	})
	return l.closeErr
}

// buildZone makes the lab.test zone of the scenarios: for a healthy
// domain d, A d and mx.d and autoconfig.d → 127.0.0.1, MX 10 mx.d, SPF,
// a DKIM key at default._domainkey.d, DMARC at _dmarc.d, and the SRV
// records of RFC 6186/8314 naming d on 993, 995, 465 and 587; an A
// record for autodiscover.d when the recipe serves something there.
func buildZone(specs []labScenario, dkim string) *zone {
	z := newZone(Zone)
	z.addOutgoing()
	z.addTXT(labSPFName, labSPFRecord)
	for _, s := range specs {
		if s.absent {
			continue
		}
		d := dns.Fqdn(s.Name + "." + Zone)
		if !s.noAddress {
			z.addA(d, s.ip())
		}
		if !s.noAutoconfig {
			z.addA("autoconfig."+d, s.ip())
		}
		if s.autodiscover != adNone {
			z.addA("autodiscover."+d, s.ip())
		}
		if s.hangSRV != "" {
			z.hang[strings.ToLower(s.hangSRV+"."+d)] = true
		}
		if s.servfail {
			z.failing = append(z.failing, d)
		}
		if s.mtaSTS != "" {
			z.addTXT("_mta-sts."+d, "v=STSv1; id=20250115")
			z.addA("mta-sts."+d, s.ip())
		}
		for _, mx := range s.mxRecords() {
			target := "."
			if mx.label != "" {
				target = mx.label + "." + d
				addr := mx.addr
				if addr == nil {
					addr = s.ip()
				}
				z.addA(target, addr)
			}
			z.add(&dns.MX{Hdr: z.hdr(d, dns.TypeMX), Preference: mx.pref, Mx: target})
		}
		for owner, n := range s.mxHosts {
			for i := 1; i <= n; i++ {
				z.add(&dns.MX{Hdr: z.hdr(owner+"."+d, dns.TypeMX), Preference: uint16(i), Mx: fmt.Sprintf("mx%d.%s", i, d)})
			}
		}
		for _, ns := range s.ns {
			z.add(&dns.NS{Hdr: z.hdr(d, dns.TypeNS), Ns: dns.Fqdn(ns)})
		}
		spf := s.spf
		if spf == nil {
			spf = []string{healthySPF}
		}
		for _, rec := range spf {
			if strings.Contains(rec, "%") {
				rec = fmt.Sprintf(rec, s.Name+"."+Zone)
			}
			if !s.ownSPF {
				rec = platformFirst(rec)
			}
			z.addTXT(d, rec)
		}
		switch {
		case s.noDKIM:
		case len(s.dkimAt) > 0:
			for _, sel := range s.dkimAt {
				z.addTXT(sel+"._domainkey."+d, dkim)
			}
		default:
			z.addTXT(dkimSelector+"._domainkey."+d, cmp.Or(s.dkim, dkim))
			z.addTXT(labDKIMSelector+"._domainkey."+d, cmp.Or(s.platformDKIM, dkim))
		}
		if !s.noDMARC {
			rec := s.dmarc
			if rec == "" {
				rec = healthyDMARC
			}
			z.addTXT("_dmarc."+d, fmt.Sprintf(rec, s.Name+"."+Zone))
		}
		for _, srv := range []struct {
			service string
			port    uint16
		}{{"_imaps", 993}, {"_pop3s", 995}, {"_submissions", 465}, {"_submission", 587}} {
			if s.noSRV {
				break
			}
			z.add(&dns.SRV{Hdr: z.hdr(srv.service+"._tcp."+d, dns.TypeSRV), Priority: 0, Weight: 1, Port: srv.port, Target: d})
		}
		for owner, recs := range s.txt {
			for _, rec := range recs {
				z.addTXT(owner+"."+d, rec)
			}
		}
		z.delegate(d, &s.spec)
	}
	return z
}

// startDNS serves z, and the reverse zone of the lab's addresses, on one
// loopback port, UDP and TCP: the lab's own server, which the checks use
// as their resolver.
func (l *Lab) startDNS(ctx context.Context, z *zone, specs []labScenario) error {
	addr, err := l.serveDNS(ctx, dnsHandler(z, reverseZone(), specs))
	l.DNSAddr = addr
	return err
}

// serveDNS serves h on one loopback port, UDP and TCP, and returns its
// "127.0.0.1:port".
func (l *Lab) serveDNS(ctx context.Context, h dns.Handler) (string, error) {
	pc, tcp, err := dnstest.Listen(ctx)
	if err != nil {
		return "", fmt.Errorf("lab: DNS: %w", err)
	}
	addr := pc.LocalAddr().String()
	// A check run asks some fifty questions at once (DKIM selectors, SRV
	// names); a batch of runs overflows the default socket buffer. Ask for
	// a larger one (the kernel caps it at net.core.rmem_max).
	if uc, ok := pc.(*net.UDPConn); ok {
		_ = uc.SetReadBuffer(4 << 20)
	}
	tl := newTrackedListener(tcp)
	udpSrv := &dns.Server{PacketConn: pc, Handler: h, ReadTimeout: writeTimeout, WriteTimeout: writeTimeout}
	tcpSrv := &dns.Server{Listener: tl, Handler: h, ReadTimeout: writeTimeout, WriteTimeout: writeTimeout,
		IdleTimeout: func() time.Duration { return writeTimeout }, MaxTCPQueries: 128}
	for _, srv := range []*dns.Server{udpSrv, tcpSrv} {
		up := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(up) }
		failed := make(chan error, 1)
		l.serve(func() error {
			err := srv.ActivateAndServe()
			failed <- err
			return err
		}, func(ctx context.Context) error {
			select {
			case <-up:
				return srv.ShutdownContext(ctx)
			default:
				return nil // never started
			}
		})
		// ActivateAndServe does not block before it starts or fails.
		select {
		case <-up:
		case err := <-failed:
			return "", fmt.Errorf("lab: DNS: %w", err)
		}
	}
	l.onClose(tl.shutdown)
	return addr, nil
}
