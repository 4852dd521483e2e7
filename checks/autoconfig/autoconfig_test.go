package autoconfig

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
)

// cannedDeps answers Wait with canned port results; before, when set,
// runs at the first Wait.
type cannedDeps struct {
	results map[checks.ID]checks.Result
	once    sync.Once
	before  func()
}

func (d *cannedDeps) Wait(ctx context.Context, id checks.ID) (checks.Result, error) {
	if d.before != nil {
		d.once.Do(d.before)
	}
	r, ok := d.results[id]
	if !ok {
		return checks.Result{}, fmt.Errorf("no check %s", id)
	}
	return r, nil
}

// ports returns port results: imap.993, pop3.995, smtp.465, smtp.587.
func ports(imap, pop3, s465, s587 checks.Status) map[checks.ID]checks.Result {
	m := map[checks.ID]checks.Result{}
	for _, p := range []struct {
		id     checks.ID
		proto  string
		port   int
		sec    checks.Security
		status checks.Status
	}{
		{checks.IMAP993, "IMAP", 993, checks.SecurityTLS, imap},
		{checks.POP3995, "POP3", 995, checks.SecurityTLS, pop3},
		{checks.SMTP465, "SMTP", 465, checks.SecurityTLS, s465},
		{checks.SMTP587, "SMTP", 587, checks.SecurityStartTLS, s587},
	} {
		m[p.id] = checks.Result{ID: p.id, Status: p.status, Facts: checks.Facts{Endpoint: &checks.Endpoint{
			Protocol: p.proto, Host: "example.com", Port: p.port, Security: p.sec, Works: p.status.Works(),
		}}}
	}
	return m
}

var (
	pass = checks.StatusPass
	fail = checks.StatusFail
)

func srv(target string, port, prio, weight uint16) *dns.SRV {
	return &dns.SRV{Target: target, Port: port, Priority: prio, Weight: weight}
}

// baseFake resolves the domain and its autoconfig host to loopback.
func baseFake() *lookup.Fake {
	return &lookup.Fake{
		A: map[string][]string{
			"example.com":            {"127.0.0.1"},
			"autoconfig.example.com": {"127.0.0.1"},
		},
		SRV:  map[string][]*dns.SRV{},
		Fail: map[string]bool{},
	}
}

const (
	autoconfigPath = "autoconfig.example.com/mail/config-v1.1.xml"
	wellKnownPath  = "example.com/.well-known/autoconfig/mail/config-v1.1.xml"
)

// xmlFile serves body as application/xml.
func xmlFile(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func clientConfig(servers ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><clientConfig version="1.1"><emailProvider id="example.com">`)
	for _, s := range servers {
		b.WriteString(s)
	}
	b.WriteString(`</emailProvider></clientConfig>`)
	return b.String()
}

func in(typ, host string, port int, socket string) string {
	return fmt.Sprintf(`<incomingServer type="%s"><hostname>%s</hostname><port>%d</port><socketType>%s</socketType><username>%%EMAILADDRESS%%</username></incomingServer>`, typ, host, port, socket)
}

func out(host string, port int, socket string) string {
	return fmt.Sprintf(`<outgoingServer type="smtp"><hostname>%s</hostname><port>%d</port><socketType>%s</socketType></outgoingServer>`, host, port, socket)
}

// lab is one HTTPS server for every autoconfig host of a test, served on
// loopback with httptest's certificate (valid for example.com and
// *.example.com), and an Env whose client trusts it.
type lab struct {
	srv  *httptest.Server
	env  *checks.Env
	hits atomic.Int32
}

func newLab(t *testing.T, r lookup.Resolver, files map[string]http.HandlerFunc) *lab {
	t.Helper()
	l := &lab{}
	l.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		l.hits.Add(1)
		host, _, err := net.SplitHostPort(req.Host)
		if err != nil {
			host = req.Host
		}
		if h, ok := files[host+req.URL.Path]; ok {
			h(w, req)
			return
		}
		http.NotFound(w, req)
	}))
	t.Cleanup(l.srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(l.srv.Certificate())
	dialer := &netguard.Dialer{Resolver: r, AllowPrivate: true}
	_, port, err := net.SplitHostPort(l.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	l.env = &checks.Env{
		Resolver:   r,
		Dialer:     dialer,
		HTTPClient: dialer.HTTPClient(pool, 5*time.Second),
		RootCAs:    pool,
		Timeout:    5 * time.Second,
		Profile:    checks.Profile{PortMap: map[int]int{checks.PortHTTPS: p}},
	}
	return l
}

func ad(source, protocol, host string, port int, sec checks.Security) checks.Advertised {
	return checks.Advertised{Source: source, Protocol: protocol, Host: host, Port: port, Security: sec}
}

func mismatch(source, protocol, advertised, expected string) checks.Finding {
	return checks.Finding{Code: checks.AutoconfigMismatch, Severity: checks.SeverityWarn, Params: map[string]string{
		"source": source, "protocol": protocol, "advertised": advertised, "expected": expected,
	}}
}

// finding is a finding of code at severity with the domain and, in
// pairs, more params.
func finding(code checks.Code, sev checks.Severity, kv ...string) checks.Finding {
	p := map[string]string{"domain": "example.com"}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return checks.Finding{Code: code, Severity: sev, Params: p}
}

var (
	missing = finding(checks.AutoconfigMissing, checks.SeverityWarn)
	srvOnly = finding(checks.AutoconfigSRVOnly, checks.SeverityWarn)
	noAD    = finding(checks.AutodiscoverMissing, checks.SeverityInfo)
)

// found is Thunderbird's file found at url (the test server's port left
// out, see portless).
func found(url string) checks.Finding {
	return finding(checks.AutoconfigFound, checks.SeverityInfo, "url", url)
}

// adFound is an autodiscover service found at url.
func adFound(url string) checks.Finding {
	return finding(checks.AutodiscoverFound, checks.SeverityInfo, "url", url)
}

// portless drops the test server's port from the url and what params.
var portless = cmp.Transformer("portless", func(f checks.Finding) checks.Finding {
	p := maps.Clone(f.Params)
	for _, k := range []string{"url", "what"} {
		if u, ok := p[k]; ok {
			p[k] = portRE.ReplaceAllString(u, "")
		}
	}
	f.Params = p
	return f
})

var portRE = regexp.MustCompile(`:[0-9]+`)

// clients is the per-app outcome map.
func clients(tb, ol string) map[string]string {
	return map[string]string{ClientThunderbird: tb, ClientOutlook: ol, ClientApple: OutcomeGuess, ClientGmail: OutcomeGuess}
}

// poxAnswer is an autodiscover service's answer (MS-OXDSCLI §2.2.4).
func poxAnswer(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><Account><AccountType>email</AccountType><Action>settings</Action><Protocol><Type>IMAP</Type><Server>example.com</Server><Port>993</Port><SSL>on</SSL></Protocol></Account></Response></Autodiscover>`)
}

// webPage is what a wildcard web host answers on any path.
func webPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><title>Welcome</title><p>This domain is hosted here.</p>")
}

const (
	adPath       = "autodiscover.example.com/autodiscover/autodiscover.xml"
	adRootPath   = "example.com/autodiscover/autodiscover.xml"
	acURL        = "https://autoconfig.example.com/mail/config-v1.1.xml"
	wellKnownURL = "https://example.com/.well-known/autoconfig/mail/config-v1.1.xml"
	adURL        = "https://autodiscover.example.com/autodiscover/autodiscover.xml"
)

func TestCheck(t *testing.T) {
	allPass := ports(pass, pass, pass, pass)
	implicit, starttls, none := checks.SecurityTLS, checks.SecurityStartTLS, checks.SecurityNone
	fullSRV := func(f *lookup.Fake) {
		f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("example.com.", 993, 0, 1)}
		f.SRV["_pop3s._tcp.example.com"] = []*dns.SRV{srv("EXAMPLE.com.", 995, 10, 1)}
		f.SRV["_submissions._tcp.example.com"] = []*dns.SRV{srv("example.com.", 465, 0, 1)}
		f.SRV["_submission._tcp.example.com"] = []*dns.SRV{srv("example.com.", 587, 10, 1)}
	}
	imapFile := map[string]http.HandlerFunc{autoconfigPath: xmlFile(clientConfig(in("imap", "example.com", 993, "SSL")))}
	for _, tc := range []struct {
		name         string
		fake         func(f *lookup.Fake)
		files        map[string]http.HandlerFunc
		address      string
		timeout      time.Duration
		ports        map[checks.ID]checks.Result
		wantStatus   checks.Status
		wantFindings []checks.Finding
		wantAdv      []checks.Advertised
		wantClients  map[string]string
	}{
		{
			name:         "nothing",
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{missing},
			wantClients:  clients(OutcomeGuess, OutcomeNone),
		},
		{
			// No mainstream app reads RFC 6186 records: typed by hand.
			name:         "SRV only, matching the working ports",
			fake:         fullSRV,
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{srvOnly},
			wantAdv: []checks.Advertised{
				ad("srv", "IMAP", "example.com", 993, implicit),
				ad("srv", "POP3", "example.com", 995, implicit),
				ad("srv", "SMTP", "example.com", 465, implicit),
				ad("srv", "SMTP", "example.com", 587, starttls),
			},
			wantClients: clients(OutcomeGuess, OutcomeNone),
		},
		{
			name: "SRV pointing at another host",
			fake: func(f *lookup.Fake) {
				f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("mail.other.net.", 993, 0, 1)}
			},
			wantStatus: checks.StatusWarn,
			wantFindings: []checks.Finding{srvOnly,
				mismatch("srv", "IMAP", "mail.other.net:993 SSL/TLS", "example.com:993 SSL/TLS")},
			wantAdv: []checks.Advertised{ad("srv", "IMAP", "mail.other.net", 993, implicit)},
		},
		{
			name: "SRV priority and weight order",
			fake: func(f *lookup.Fake) {
				f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{
					srv("c.example.net.", 993, 20, 0),
					srv("b.example.net.", 993, 10, 5),
					srv("example.com.", 993, 10, 50),
				}
			},
			wantStatus: checks.StatusWarn,
			wantFindings: []checks.Finding{srvOnly,
				mismatch("srv", "IMAP", "b.example.net:993 SSL/TLS", "example.com:993 SSL/TLS"),
				mismatch("srv", "IMAP", "c.example.net:993 SSL/TLS", "example.com:993 SSL/TLS")},
			wantAdv: []checks.Advertised{
				ad("srv", "IMAP", "example.com", 993, implicit),
				ad("srv", "IMAP", "b.example.net", 993, implicit),
				ad("srv", "IMAP", "c.example.net", 993, implicit),
			},
		},
		{
			name: "SRV target dot ignored",
			fake: func(f *lookup.Fake) {
				f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("example.com.", 993, 0, 1)}
				f.SRV["_imap._tcp.example.com"] = []*dns.SRV{srv(".", 0, 0, 0)}
				f.SRV["_pop3._tcp.example.com"] = []*dns.SRV{srv(".", 0, 0, 0)}
			},
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{srvOnly},
			wantAdv:      []checks.Advertised{ad("srv", "IMAP", "example.com", 993, implicit)},
		},
		{
			name: "only dot targets",
			fake: func(f *lookup.Fake) {
				f.SRV["_imap._tcp.example.com"] = []*dns.SRV{srv(".", 0, 0, 0)}
				f.SRV["_pop3._tcp.example.com"] = []*dns.SRV{srv(".", 0, 0, 0)}
			},
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{missing},
		},
		{
			// The record names the guide's 465 and 465 is broken on the
			// server while 587 works: the server is what to fix (the
			// port check's remedy), not the record; no mismatch.
			name: "settings of the guide on a broken port",
			fake: func(f *lookup.Fake) {
				f.SRV["_submissions._tcp.example.com"] = []*dns.SRV{srv("example.com.", 465, 0, 1)}
			},
			files:        map[string]http.HandlerFunc{autoconfigPath: xmlFile(clientConfig(out("example.com", 465, "SSL")))},
			ports:        ports(pass, pass, fail, pass),
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{found(acURL), noAD},
			wantAdv: []checks.Advertised{
				ad("srv", "SMTP", "example.com", 465, implicit),
				ad("autoconfig", "SMTP", "example.com", 465, implicit),
			},
		},
		{
			name: "nothing works for the protocol",
			fake: func(f *lookup.Fake) {
				f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("example.com.", 993, 0, 1)}
			},
			ports:        ports(fail, pass, pass, pass),
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{srvOnly},
			wantAdv:      []checks.Advertised{ad("srv", "IMAP", "example.com", 993, implicit)},
		},
		{
			name: "autoconfig advertising 143 STARTTLS while 993 works",
			files: map[string]http.HandlerFunc{autoconfigPath: xmlFile(clientConfig(
				in("imap", "example.com", 993, "SSL"),
				in("imap", "example.com", 143, "STARTTLS"),
				out("example.com", 465, "SSL"),
			))},
			wantStatus: checks.StatusWarn,
			wantFindings: []checks.Finding{found(acURL), noAD,
				mismatch("autoconfig", "IMAP", "example.com:143 STARTTLS", "example.com:993 SSL/TLS")},
			wantAdv: []checks.Advertised{
				ad("autoconfig", "IMAP", "example.com", 993, implicit),
				ad("autoconfig", "IMAP", "example.com", 143, starttls),
				ad("autoconfig", "SMTP", "example.com", 465, implicit),
			},
		},
		{
			name: "well-known file with EMAILDOMAIN",
			fake: func(f *lookup.Fake) { delete(f.A, "autoconfig.example.com") },
			files: map[string]http.HandlerFunc{wellKnownPath: xmlFile(clientConfig(
				in("imap", "%EMAILDOMAIN%", 993, "SSL"),
				in("pop3", "%EMAILDOMAIN%", 995, "SSL"),
				out("%EMAILDOMAIN%", 587, "STARTTLS"),
			))},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{found(wellKnownURL), noAD},
			wantAdv: []checks.Advertised{
				ad("autoconfig", "IMAP", "example.com", 993, implicit),
				ad("autoconfig", "POP3", "example.com", 995, implicit),
				ad("autoconfig", "SMTP", "example.com", 587, starttls),
			},
			wantClients: clients(OutcomeAutoconfig, OutcomeNone),
		},
		{
			name: "autoconfig host preferred, given the address",
			files: map[string]http.HandlerFunc{
				autoconfigPath: func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("emailaddress") != "jane@example.com" {
						http.Error(w, "which address?", http.StatusBadRequest)
						return
					}
					xmlFile(clientConfig(in("imap", "%EMAILDOMAIN%", 993, "SSL")))(w, r)
				},
				wellKnownPath: xmlFile(clientConfig(in("imap", "old.example.net", 993, "SSL"))),
			},
			address:      "jane@example.com",
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{found(acURL), noAD},
			wantAdv:      []checks.Advertised{ad("autoconfig", "IMAP", "example.com", 993, implicit)},
		},
		{
			name:       "autoconfig with plain security",
			files:      map[string]http.HandlerFunc{autoconfigPath: xmlFile(clientConfig(in("pop3", "example.com", 995, "plain")))},
			wantStatus: checks.StatusWarn,
			wantFindings: []checks.Finding{found(acURL), noAD,
				mismatch("autoconfig", "POP3", "example.com:995 none", "example.com:995 SSL/TLS")},
			wantAdv: []checks.Advertised{ad("autoconfig", "POP3", "example.com", 995, none)},
		},
		{
			name: "autoconfig served as HTML is no file",
			files: map[string]http.HandlerFunc{autoconfigPath: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, clientConfig(in("imap", "example.com", 993, "SSL")))
			}},
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{missing},
		},
		{
			// A wildcard A record: the address answers, with a web page.
			name: "autodiscover host serving a web page",
			fake: func(f *lookup.Fake) {
				f.A["autodiscover.example.com"] = []string{"127.0.0.1"}
				f.SRV["_autodiscover._tcp.example.com"] = []*dns.SRV{srv("autodiscover.mailhost.example.net.", 443, 0, 0)}
			},
			files:        map[string]http.HandlerFunc{adPath: webPage},
			wantStatus:   checks.StatusWarn,
			wantFindings: []checks.Finding{missing},
			wantClients:  clients(OutcomeGuess, OutcomeNone),
		},
		{
			name:         "autodiscover service answering",
			fake:         func(f *lookup.Fake) { f.A["autodiscover.example.com"] = []string{"127.0.0.1"} },
			files:        map[string]http.HandlerFunc{adPath: poxAnswer},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{adFound(adURL)},
			wantAdv:      []checks.Advertised{ad("autodiscover", "", "autodiscover.example.com", 443, implicit)},
			wantClients:  clients(OutcomeGuess, OutcomeAutodiscover),
		},
		{
			name: "autodiscover service asking for credentials",
			files: map[string]http.HandlerFunc{adRootPath: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", `Basic realm="autodiscover"`)
				http.Error(w, "credentials", http.StatusUnauthorized)
			}},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{adFound("https://example.com/autodiscover/autodiscover.xml")},
			wantAdv:      []checks.Advertised{ad("autodiscover", "", "example.com", 443, implicit)},
		},
		{
			name: "autodiscover through its SRV record",
			fake: func(f *lookup.Fake) {
				f.A["mail.example.com"] = []string{"127.0.0.1"}
				f.SRV["_autodiscover._tcp.example.com"] = []*dns.SRV{srv("mail.example.com.", 443, 0, 0)}
			},
			files:        map[string]http.HandlerFunc{"mail.example.com/autodiscover/autodiscover.xml": poxAnswer},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{adFound("https://mail.example.com/autodiscover/autodiscover.xml")},
			wantAdv:      []checks.Advertised{ad("autodiscover", "", "mail.example.com", 443, implicit)},
		},
		{
			name: "all sources",
			fake: func(f *lookup.Fake) {
				f.A["autodiscover.example.com"] = []string{"127.0.0.1"}
				f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("example.com.", 993, 0, 1)}
			},
			files: map[string]http.HandlerFunc{
				autoconfigPath: xmlFile(clientConfig(out("example.com", 465, "SSL"))),
				adPath:         poxAnswer,
			},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{found(acURL), adFound(adURL)},
			wantAdv: []checks.Advertised{
				ad("srv", "IMAP", "example.com", 993, implicit),
				ad("autoconfig", "SMTP", "example.com", 465, implicit),
				ad("autodiscover", "", "autodiscover.example.com", 443, implicit),
			},
			wantClients: clients(OutcomeAutoconfig, OutcomeAutodiscover),
		},
		{
			name: "every SRV query failing",
			fake: func(f *lookup.Fake) {
				for _, s := range services {
					f.Fail[s.label+".example.com"] = true
				}
			},
			wantStatus:   checks.StatusError,
			wantFindings: []checks.Finding{finding(checks.ResolverFailed, checks.SeverityError)},
			wantClients:  clients(OutcomeUnknown, OutcomeUnknown),
		},
		{
			// One SRV question unanswered: the records cannot be
			// judged; could not tell, never "missing".
			name:         "one SRV query failing",
			fake:         func(f *lookup.Fake) { f.Fail["_imaps._tcp.example.com"] = true },
			wantStatus:   checks.StatusError,
			wantFindings: []checks.Finding{finding(checks.ResolverFailed, checks.SeverityError)},
		},
		{
			name: "SRV failing but autoconfig found",
			fake: func(f *lookup.Fake) {
				for _, s := range services {
					f.Fail[s.label+".example.com"] = true
				}
			},
			files:        imapFile,
			wantStatus:   checks.StatusError,
			wantFindings: []checks.Finding{found(acURL), finding(checks.ResolverFailed, checks.SeverityError)},
			wantAdv:      []checks.Advertised{ad("autoconfig", "IMAP", "example.com", 993, implicit)},
			wantClients:  clients(OutcomeAutoconfig, OutcomeUnknown),
		},
		{
			// The autoconfig host accepts and never answers.
			name:    "autoconfig timing out",
			timeout: 300 * time.Millisecond,
			files: map[string]http.HandlerFunc{autoconfigPath: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			}},
			wantStatus: checks.StatusError,
			wantFindings: []checks.Finding{finding(checks.AutoconfigTimeout, checks.SeverityError,
				"what", "https://autoconfig.example.com/mail/config-v1.1.xml")},
			wantClients: clients(OutcomeUnknown, OutcomeUnknown),
		},
		{
			// Thunderbird has its file at the first address: the
			// well-known one timing out changes nothing.
			name:    "well-known timing out after the file was found",
			timeout: 300 * time.Millisecond,
			files: map[string]http.HandlerFunc{
				autoconfigPath: imapFile[autoconfigPath],
				wellKnownPath:  func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			},
			wantStatus:   checks.StatusPass,
			wantFindings: []checks.Finding{found(acURL), noAD},
			wantAdv:      []checks.Advertised{ad("autoconfig", "IMAP", "example.com", 993, implicit)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := baseFake()
			if tc.fake != nil {
				tc.fake(f)
			}
			l := newLab(t, f, tc.files)
			if tc.timeout > 0 {
				l.env.Timeout = tc.timeout
			}
			target := checks.Target{Domain: "example.com", Host: "example.com", Address: tc.address}
			p := tc.ports
			if p == nil {
				p = allPass
			}
			c := Check()
			res := c.Run(t.Context(), l.env, target, &cannedDeps{results: p})
			if res.ID != checks.DNSAutoconfig || res.Status != tc.wantStatus {
				t.Errorf("result %s %s, want %s %s; findings %+v", res.ID, res.Status, checks.DNSAutoconfig, tc.wantStatus, res.Findings)
			}
			if diff := cmp.Diff(tc.wantFindings, res.Findings, portless, cmpopts.IgnoreFields(checks.Finding{}, "Detail")); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantAdv, res.Facts.Advertised, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("advertised (-want +got):\n%s", diff)
			}
			if tc.wantClients != nil {
				if diff := cmp.Diff(tc.wantClients, res.Facts.Clients); diff != "" {
					t.Errorf("clients (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestCheckDeclaresPortDependencies(t *testing.T) {
	c := Check()
	want := []checks.ID{checks.IMAP993, checks.POP3995, checks.SMTP465, checks.SMTP587}
	if c.ID != checks.DNSAutoconfig || !cmp.Equal(want, c.DependsOn) {
		t.Errorf("Check() = %s %v, want %s %v", c.ID, c.DependsOn, checks.DNSAutoconfig, want)
	}
}

// countingResolver counts SRV questions.
type countingResolver struct {
	lookup.Resolver
	srv atomic.Int32
}

func (c *countingResolver) Query(ctx context.Context, name string, qtype uint16) (*lookup.Answer, error) {
	if qtype == dns.TypeSRV {
		c.srv.Add(1)
	}
	return c.Resolver.Query(ctx, name, qtype)
}

// TestLookupsBeforeWaiting proves the check asks and fetches everything
// before it waits for the port checks, so it overlaps them.
func TestLookupsBeforeWaiting(t *testing.T) {
	f := baseFake()
	f.SRV["_imaps._tcp.example.com"] = []*dns.SRV{srv("example.com.", 993, 0, 1)}
	r := &countingResolver{Resolver: f}
	l := newLab(t, r, nil)
	var srvAtWait, hitsAtWait int32
	deps := &cannedDeps{results: ports(pass, pass, pass, pass), before: func() {
		srvAtWait, hitsAtWait = r.srv.Load(), l.hits.Load()
	}}
	res := Check().Run(t.Context(), l.env, checks.Target{Domain: "example.com", Host: "example.com"}, deps)
	if !res.Has(checks.AutoconfigSRVOnly) {
		t.Fatalf("status %s, findings %+v", res.Status, res.Findings)
	}
	// Six mail services and _autodiscover._tcp; both autoconfig URLs and
	// the autodiscover POST to the domain (autodiscover.example.com does
	// not exist).
	if srvAtWait != int32(len(services)+1) || hitsAtWait != 3 {
		t.Errorf("at the first Wait: %d SRV questions and %d HTTP requests, want %d and 3", srvAtWait, hitsAtWait, len(services)+1)
	}
}

func TestConfigURLs(t *testing.T) {
	for _, tc := range []struct {
		name string
		port int
		want []string
	}{
		{"standard port", 443, []string{
			"https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=jane%2Btag%40example.com",
			"https://example.com/.well-known/autoconfig/mail/config-v1.1.xml",
		}},
		{"mapped port", 8443, []string{
			"https://autoconfig.example.com:8443/mail/config-v1.1.xml?emailaddress=jane%2Btag%40example.com",
			"https://example.com:8443/.well-known/autoconfig/mail/config-v1.1.xml",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ConfigURLs("example.com", "jane+tag@example.com", tc.port)); diff != "" {
				t.Errorf("ConfigURLs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFetchBounds(t *testing.T) {
	file := clientConfig(in("imap", "example.com", 993, "SSL"))
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	files := map[string]http.HandlerFunc{
		"example.com/ok": xmlFile(file),
		"example.com/text-xml": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, file)
		},
		"example.com/html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, file)
		},
		"example.com/big":  xmlFile(strings.Repeat(" ", MaxConfigSize+1)),
		"example.com/r1":   redirect("/ok"),
		"example.com/r2":   redirect("/r1"),
		"example.com/r3":   redirect("/r2"),
		"example.com/r4":   redirect("/r3"),
		"example.com/http": redirect("http://example.com/ok"),
		"example.com/slow": func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		},
	}
	f := baseFake()
	l := newLab(t, f, files)
	l.env.Timeout = 200 * time.Millisecond
	base := "https://example.com:" + strconv.Itoa(l.env.Profile.Dial(checks.PortHTTPS))
	client := httpClient(l.env)
	for _, tc := range []struct {
		path string
		ok   bool
		is   error
	}{
		{"/ok", true, nil},
		{"/text-xml", true, nil},
		{"/r3", true, nil},
		{"/missing", false, nil},
		{"/html", false, nil},
		{"/big", false, nil},
		{"/r4", false, nil},
		{"/http", false, nil},
		{"/slow", false, context.DeadlineExceeded},
	} {
		t.Run(tc.path, func(t *testing.T) {
			data, err := fetch(t.Context(), client, l.env.StepTimeout(), base+tc.path)
			if tc.ok {
				if err != nil || string(data) != file {
					t.Errorf("fetch = %q, %v; want the file", data, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("fetch = %d bytes, want an error", len(data))
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("fetch error %v, want %v", err, tc.is)
			}
		})
	}
}

func TestFetchUntrustedCertificate(t *testing.T) {
	f := baseFake()
	l := newLab(t, f, map[string]http.HandlerFunc{"example.com/ok": xmlFile(clientConfig())})
	l.env.HTTPClient.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: x509.NewCertPool()}
	_, err := fetch(t.Context(), httpClient(l.env), l.env.StepTimeout(), "https://example.com:"+strconv.Itoa(l.env.Profile.Dial(checks.PortHTTPS))+"/ok")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("fetch error %v, want an unknown authority", err)
	}
}

// TestClientFallback: without Env.HTTPClient the check builds its own
// client on Env.Dialer and Env.RootCAs; without either it fetches nothing.
func TestClientFallback(t *testing.T) {
	files := map[string]http.HandlerFunc{autoconfigPath: xmlFile(clientConfig(in("imap", "example.com", 993, "SSL")))}
	target := checks.Target{Domain: "example.com", Host: "example.com"}
	for _, tc := range []struct {
		name   string
		dialer bool
		want   checks.Code
	}{
		{"dialer", true, checks.AutoconfigFound},
		{"nothing", false, checks.AutoconfigMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, baseFake(), files)
			l.env.HTTPClient = nil
			if !tc.dialer {
				l.env.Dialer = nil
			}
			res := Check().Run(t.Context(), l.env, target, &cannedDeps{results: ports(pass, pass, pass, pass)})
			if !res.Has(tc.want) {
				t.Errorf("findings %+v, want %s", res.Findings, tc.want)
			}
		})
	}
}

func TestCompareWithoutDeps(t *testing.T) {
	// A suite without the port checks: host and TLS are still judged,
	// ports are not.
	target := checks.Target{Domain: "example.com", Host: "example.com"}
	ports := waitPorts(t.Context(), &cannedDeps{})
	if _, bad := compare(checks.Advertised{Source: "srv", Protocol: "IMAP", Host: "example.com.", Port: 993, Security: checks.SecurityTLS}, target, ports); bad {
		t.Error("a setting naming the host and a standard port is a mismatch without port results")
	}
	f, bad := compare(checks.Advertised{Source: "srv", Protocol: "IMAP", Host: "other.example", Port: 993, Security: checks.SecurityTLS}, target, ports)
	if !bad || f.Params["expected"] != "none" {
		t.Errorf("compare = %+v, %v; want a mismatch expecting none", f, bad)
	}
}
