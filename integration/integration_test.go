package integration

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// stepTimeout is the engine's per-step timeout, the product's default:
// nothing here is meant to time out, and a loaded CI machine has room.
const stepTimeout = checks.DefaultTimeout

// maxParallel is how many scenarios are checked at once: as many as a
// busy bot would, and few enough that a burst of DNS questions (some
// fifty per check run) stays within Knot's socket buffer.
const maxParallel = 8

// world is everything one test run started.
type world struct {
	dnsAddr  string
	roots    *x509.CertPool
	profiles map[string]checks.Profile // by mail set
}

// requireServers skips the test unless the servers are installed and the
// test runs as root, which Exim and Dovecot need to run from
// configurations of their own and drop to their users.
func requireServers(t *testing.T) binaries {
	t.Helper()
	b, missing := findBinaries()
	if len(missing) > 0 {
		t.Skipf("real servers: exim4/dovecot/knotd not installed (missing %s); run integration/setup.sh as root to install them", strings.Join(missing, ", "))
	}
	if os.Geteuid() != 0 {
		t.Skip("real servers: exim4/dovecot/knotd installed, but Exim and Dovecot need root to run from test configurations; run the tests as root")
	}
	if testing.Short() {
		t.Skip("real servers: skipped in -short mode")
	}
	return b
}

// startWorld makes the CA, certificates, zone and configurations and
// starts Knot, the Dovecots and one Exim per mail set the scenarios use,
// every one ready to answer when it returns.
func startWorld(t *testing.T, bin binaries, specs []spec) *world {
	t.Helper()
	begin := time.Now()
	eximUID, eximGID, err := eximUser()
	if err != nil {
		t.Skipf("real servers: %v", err)
	}

	// Not t.TempDir: its parent is private to root, and the servers'
	// unprivileged processes must reach their files.
	dir, err := os.MkdirTemp("", "mailsetup-integration-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	p, err := newPKI(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pkiDir := filepath.Join(dir, "pki")
	mkdir(t, pkiDir)
	// Exim reads its key as Debian-exim: group-readable. The root-only
	// copy is the badkey mail set's.
	key, rootKey := filepath.Join(pkiDir, "leaf.key"), filepath.Join(pkiDir, "root-only.key")
	if err := p.writeKey(key, 0o640, eximGID); err != nil {
		t.Fatal(err)
	}
	if err := p.writeKey(rootKey, 0o600, 0); err != nil {
		t.Fatal(err)
	}

	// The mail sets in use and, for each, its scenarios' names: on the
	// default certificate of its kind, or by SNI one certificate each.
	var sets []mailSet
	defaultNames := map[certKind][]string{}
	sniCerts := map[string][]localName{} // by mail set
	for _, s := range specs {
		if s.absent {
			continue
		}
		m := s.mailSetOf()
		if !slices.ContainsFunc(sets, func(x mailSet) bool { return x.name == m.name }) {
			sets = append(sets, m)
		}
		if !m.sni {
			defaultNames[m.cert] = append(defaultNames[m.cert], s.domain(), "mx."+s.domain())
			defaultNames[m.cert] = append(defaultNames[m.cert], s.certNames...)
			continue
		}
		for _, rel := range slices.Sorted(maps.Keys(s.sni)) {
			name := s.domain()
			if rel != "@" {
				name = rel + "." + name
			}
			path := filepath.Join(pkiDir, "sni-"+name+".crt")
			if err := p.issue(path, s.sni[rel], []string{name}); err != nil {
				t.Fatal(err)
			}
			sniCerts[m.name] = append(sniCerts[m.name], localName{name, path})
		}
	}
	defaultCert := map[certKind]string{}
	for _, m := range sets {
		if _, ok := defaultCert[m.cert]; ok {
			continue
		}
		names := defaultNames[m.cert]
		if len(names) == 0 {
			names = []string{m.name + "." + Zone}
		}
		path := filepath.Join(pkiDir, string(m.cert)+".crt")
		if err := p.issue(path, m.cert, names); err != nil {
			t.Fatal(err)
		}
		defaultCert[m.cert] = path
	}

	var pool portPool
	defer pool.release()
	w := &world{roots: p.pool, profiles: map[string]checks.Profile{}}
	type server struct {
		name, out string
		logs      []string
		argv      []string
		ready     func(context.Context) error
	}
	var servers []server

	// Knot and its zone.
	knotDir := filepath.Join(dir, "knot")
	mkdir(t, knotDir)
	dnsPort := pool.udpTCP(t)
	w.dnsAddr = "127.0.0.1:" + strconv.Itoa(dnsPort)
	zonePath := filepath.Join(knotDir, Zone+".zone")
	if err := os.WriteFile(zonePath, []byte(zoneFile(specs, dkimRecord(&p.leafKey.PublicKey), dkimRecord(&weak.PublicKey))), 0o644); err != nil {
		t.Fatal(err)
	}
	knotConfPath := filepath.Join(knotDir, "knot.conf")
	if err := writeConfig(knotConfPath, knotConf, map[string]any{"Dir": knotDir, "Port": dnsPort, "Zone": Zone, "ZoneFile": zonePath}); err != nil {
		t.Fatal(err)
	}
	servers = append(servers, server{"knotd", filepath.Join(knotDir, "knotd.out"), nil, []string{bin.knotd, "-c", knotConfPath}, dnsReady(w.dnsAddr)})

	// The Dovecots.
	type dovecotPorts struct{ imaps, pop3s int }
	dovecots := map[string]dovecotPorts{}
	for _, m := range sets {
		name := m.dovecot()
		if _, ok := dovecots[name]; ok {
			continue
		}
		d := filepath.Join(dir, "dovecot-"+name)
		mkdir(t, d)
		if err := os.WriteFile(filepath.Join(d, "passwd"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		dp := dovecotPorts{pool.tcp(t), pool.tcp(t)}
		dovecots[name] = dp
		conf := filepath.Join(d, "dovecot.conf")
		var local []localName
		if m.sni {
			local = sniCerts[m.name]
		}
		if err := writeConfig(conf, dovecotConf, map[string]any{"Name": name, "Dir": d, "Cert": defaultCert[m.cert], "Key": key, "LocalNames": local, "IMAPS": dp.imaps, "POP3S": dp.pop3s}); err != nil {
			t.Fatal(err)
		}
		servers = append(servers, server{"dovecot " + name, filepath.Join(d, "dovecot.out"), []string{filepath.Join(d, "dovecot.log")},
			[]string{bin.dovecot, "-F", "-c", conf}, tcpReady(dp.imaps, dp.pop3s)})
	}

	// One Exim per mail set.
	refused := pool.refusing(t) // held, never listening: the 465 of no465 and every 443
	for _, m := range sets {
		d := filepath.Join(dir, "exim-"+m.name)
		for _, sub := range []string{"", "spool", "log"} {
			mkdir(t, filepath.Join(d, sub))
		}
		for _, sub := range []string{"spool", "log"} {
			// Exim writes its logs and spool as its own user.
			if err := os.Chown(filepath.Join(d, sub), eximUID, eximGID); err != nil {
				t.Fatal(err)
			}
		}
		tlsCert := defaultCert[m.cert]
		if m.sni {
			// lsearch(5): "name: value" lines, names matched caselessly.
			var b strings.Builder
			for _, l := range sniCerts[m.name] {
				fmt.Fprintf(&b, "%s: %s\n", l.Name, l.Cert)
			}
			sniMap := filepath.Join(d, "sni.map")
			if err := os.WriteFile(sniMap, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			tlsCert = fmt.Sprintf("${lookup{$tls_in_sni}lsearch{%s}{$value}{%s}}", sniMap, tlsCert)
		}
		tlsKey := key
		if m.keyUnreadable {
			tlsKey = rootKey
		}
		p25, p465, p587 := pool.tcp(t), pool.tcp(t), pool.tcp(t)
		conf := filepath.Join(d, "exim.conf")
		if err := writeConfig(conf, eximConf, eximData(m, d, m.name+"."+Zone, tlsCert, tlsKey, p25, p465, p587)); err != nil {
			t.Fatal(err)
		}
		listening := []int{p25, p587}
		if m.no465 {
			p465 = refused
		} else {
			listening = append(listening, p465)
		}
		dp := dovecots[m.dovecot()]
		w.profiles[m.name] = checks.Profile{PortMap: map[int]int{
			checks.PortIMAPS:       dp.imaps,
			checks.PortPOP3S:       dp.pop3s,
			checks.PortSubmissions: p465,
			checks.PortSubmission:  p587,
			checks.PortSMTP:        p25,
			checks.PortHTTPS:       refused,
		}}
		servers = append(servers, server{"exim " + m.name, filepath.Join(d, "exim.out"),
			[]string{filepath.Join(d, "log", "mainlog"), filepath.Join(d, "log", "paniclog")},
			[]string{bin.exim, "-C", conf, "-bdf"}, tcpReady(listening...)})
	}

	// Every port is chosen: free them and start everything at once.
	pool.release()
	var daemons []*daemon
	t.Cleanup(func() {
		t0 := time.Now()
		stopAll(t, daemons)
		t.Logf("real servers stopped in %v", time.Since(t0).Round(time.Millisecond))
	})
	for _, sv := range servers {
		daemons = append(daemons, start(t, sv.name, sv.out, sv.logs, sv.argv...))
	}
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, sv := range servers {
		wg.Go(func() { errs[i] = daemons[i].waitReady(context.Background(), sv.ready) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("real servers ready in %v: knotd on %s, %d dovecot, %d exim, in %s", time.Since(begin).Round(time.Millisecond), w.dnsAddr, len(dovecots), len(sets), dir)
	return w
}

// localName is a certificate served for one SNI name.
type localName struct {
	Name, Cert string
}

// eximUser returns the ids of the user Exim drops to: Debian-exim on
// Debian, exim elsewhere.
func eximUser() (uid, gid int, err error) {
	for _, name := range []string{"Debian-exim", "exim"} {
		if uid, gid, err = ids(name); err == nil {
			return uid, gid, nil
		}
	}
	return 0, 0, fmt.Errorf("no Exim system user (Debian-exim or exim): %w", err)
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// newRunner returns the engine as the product configures it, pointed at
// Knot and trusting the test CA.
func newRunner(t *testing.T, w *world) *suite.Runner {
	t.Helper()
	r, err := suite.New(suite.Config{
		Resolver:     lookup.NewClient(w.dnsAddr, stepTimeout),
		RootCAs:      w.roots,
		Timeout:      stepTimeout,
		AllowPrivate: true,
		EHLOName:     "checker." + Zone,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// run checks one scenario's domain.
func run(t *testing.T, r *suite.Runner, w *world, s spec) *checks.Report {
	t.Helper()
	target, err := checks.ParseTarget(s.domain(), true)
	if err != nil {
		t.Fatal(err)
	}
	profile := w.profiles[s.mailSetOf().name]
	return r.Run(context.Background(), suite.Request{Target: target, Profile: &profile})
}

// TestRealServers runs the engine on every scenario against Exim,
// Dovecot and Knot, and compares every check's status and non-info codes
// with what the scenario says a correct engine reports.
func TestRealServers(t *testing.T) {
	bin := requireServers(t)
	specs := table(t)
	w := startWorld(t, bin, specs)
	r := newRunner(t, w)
	begin := time.Now()
	sem := make(chan struct{}, maxParallel)
	t.Run("scenario", func(t *testing.T) {
		for _, s := range specs {
			t.Run(s.Name, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				rep := run(t, r, w, s)
				<-sem
				if got := len(rep.Results); got != len(checks.AllIDs) {
					t.Fatalf("%d results, want %d", got, len(checks.AllIDs))
				}
				want := s.Expectations()
				// The real servers serve no HTTPS (443 is refused): no
				// autoconfig file, no autodiscover service. Where the lab's
				// recipe passes dns.autoconfig on its autoconfig file, these
				// domains publish the SRV records only, which no mainstream
				// mail app reads.
				if want[checks.DNSAutoconfig].Status == checks.StatusPass {
					want[checks.DNSAutoconfig] = scenario.Expectation{Status: checks.StatusWarn, Codes: []checks.Code{checks.AutoconfigSRVOnly}}
				}
				for i, res := range rep.Results {
					if res.ID != checks.AllIDs[i] {
						t.Errorf("result %d is %s, want %s (fixed order)", i, res.ID, checks.AllIDs[i])
					}
					if diff := cmp.Diff(want[res.ID], scenario.Observed(res)); diff != "" {
						t.Errorf("%s: %s (-want +got):\n%s\nfindings: %s", s.Name, res.ID, diff, findings(res))
					}
				}
			})
		}
	})
	t.Logf("%d scenarios checked, %d at a time, in %v", len(specs), maxParallel, time.Since(begin).Round(time.Millisecond))
}

// TestRealServersSeen proves the healthy domain's answers came from the
// real servers: Dovecot's and Exim's greetings, Exim's AUTH mechanisms
// and TLS on every port, and the addresses dialled are the mapped ones.
func TestRealServersSeen(t *testing.T) {
	bin := requireServers(t)
	specs := table(t)
	good := specs[slices.IndexFunc(specs, func(s spec) bool { return s.Name == "good" })]
	w := startWorld(t, bin, []spec{good})
	rep := run(t, newRunner(t, w), w, good)
	profile := w.profiles["good"]
	for _, c := range []struct {
		id       checks.ID
		port     int
		greeting string
		mechs    []string
	}{
		{checks.IMAP993, checks.PortIMAPS, "Dovecot", []string{"PLAIN", "LOGIN"}},
		{checks.POP3995, checks.PortPOP3S, "Dovecot", []string{"PLAIN", "LOGIN"}},
		{checks.SMTP465, checks.PortSubmissions, "ESMTP Exim 4", []string{"PLAIN", "LOGIN"}},
		{checks.SMTP587, checks.PortSubmission, "ESMTP Exim 4", []string{"PLAIN", "LOGIN"}},
		{checks.SMTP25, checks.PortSMTP, "ESMTP Exim 4", nil},
	} {
		res, _ := rep.Result(c.id)
		ep := res.Facts.Endpoint
		if c.id == checks.SMTP25 && len(res.Facts.Endpoints) == 1 {
			ep = &res.Facts.Endpoints[0]
		}
		if ep == nil {
			t.Errorf("%s: no endpoint in the facts: %+v", c.id, res)
			continue
		}
		wantAddr := "127.0.0.1:" + strconv.Itoa(profile.Dial(c.port))
		if !strings.Contains(ep.Greeting, c.greeting) || ep.TLSVersion == "" || ep.Addr != wantAddr || !ep.Works {
			t.Errorf("%s: greeting %q (want %q in it), TLS %q, addr %s (want %s), works %v", c.id, ep.Greeting, c.greeting, ep.TLSVersion, ep.Addr, wantAddr, ep.Works)
		}
		if diff := cmp.Diff(c.mechs, ep.AuthMechs); diff != "" {
			t.Errorf("%s: AUTH mechanisms (-want +got):\n%s", c.id, diff)
		}
	}
}

// findings formats a result's findings for a failure message.
func findings(r checks.Result) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n  %s %s %v %q", f.Severity, f.Code, f.Params, f.Detail)
	}
	return b.String()
}
