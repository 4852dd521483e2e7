package lab_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/lab/scenario"
)

// step bounds every network step of the tests; nothing on loopback comes
// near it.
const step = 5 * time.Second

func startLab(t testing.TB, opts lab.Options) *lab.Lab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func dial(t *testing.T, sc lab.Scenario, std int) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), step)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", sc.Profile.HostPort(sc.Addr, std))
	if err != nil {
		t.Fatalf("%s: dial %d: %v", sc.Name, std, err)
	}
	c.SetDeadline(time.Now().Add(step))
	t.Cleanup(func() { c.Close() })
	return c
}

// query asks the lab's DNS server one question over net ("udp" with a
// 4096-octet EDNS0 buffer, or "tcp").
func query(t *testing.T, l *lab.Lab, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	if network == "udp" {
		m.SetEdns0(4096, false)
	}
	c := &dns.Client{Net: network, Timeout: step}
	r, _, err := c.Exchange(m, l.DNSAddr)
	if err != nil {
		t.Fatalf("%s %s over %s: %v", name, dns.TypeToString[qtype], network, err)
	}
	return r
}

// records is what a scenario publishes, as the tests read it back.
type records struct {
	Rcode int
	A     []string
	MX    []string
	SPF   []string
	DKIM  bool
	DMARC []string
	SRV   []string
}

func readRecords(t *testing.T, l *lab.Lab, network, domain string) records {
	var got records
	r := query(t, l, network, domain, dns.TypeA)
	got.Rcode = r.Rcode
	for _, rr := range r.Answer {
		got.A = append(got.A, rr.(*dns.A).A.String())
	}
	for _, rr := range query(t, l, network, domain, dns.TypeMX).Answer {
		mx := rr.(*dns.MX)
		got.MX = append(got.MX, strconv.Itoa(int(mx.Preference))+" "+mx.Mx)
	}
	txt := func(name string) []string {
		var out []string
		for _, rr := range query(t, l, network, name, dns.TypeTXT).Answer {
			out = append(out, strings.Join(rr.(*dns.TXT).Txt, ""))
		}
		slices.Sort(out)
		return out
	}
	got.SPF = txt(domain)
	for _, k := range txt("default._domainkey." + domain) {
		got.DKIM = strings.HasPrefix(k, "v=DKIM1; k=rsa; p=MII")
	}
	got.DMARC = txt("_dmarc." + domain)
	for _, svc := range []string{"_imaps", "_pop3s", "_submissions", "_submission"} {
		for _, rr := range query(t, l, network, svc+"._tcp."+domain, dns.TypeSRV).Answer {
			srv := rr.(*dns.SRV)
			got.SRV = append(got.SRV, svc+" "+strconv.Itoa(int(srv.Port))+" "+srv.Target)
		}
	}
	return got
}

func healthy(domain string) records {
	return records{
		A:     []string{"127.0.0.1"},
		MX:    []string{"10 mx." + domain + "."},
		SPF:   []string{"v=spf1 a mx -all"},
		DKIM:  true,
		DMARC: []string{"v=DMARC1; p=quarantine; rua=mailto:dmarc@" + domain},
		SRV: []string{
			"_imaps 993 " + domain + ".", "_pop3s 995 " + domain + ".",
			"_submissions 465 " + domain + ".", "_submission 587 " + domain + ".",
		},
	}
}

// ownSPF are the scenarios whose SPF record is published as is, without
// the lab platform's term first.
var ownSPF = map[string]bool{"elsewhere": true, "spfours": true, "spfnotours": true, "spfsoftfail": true, "spfnotsaid": true, "spfdnsfail": true}

func TestDNSRecords(t *testing.T) {
	l := startLab(t, lab.Options{})
	// What differs from healthy, by scenario.
	differ := map[string]func(r *records){
		"nomx":       func(r *records) { r.MX = nil },
		"twospf":     func(r *records) { r.SPF = []string{"v=spf1 a mx -all", "v=spf1 mx ~all"} },
		"spflookups": func(r *records) { r.SPF = []string{"v=spf1 a mx include:s1._spf.spflookups.lab.test -all"} },
		"spfall":     func(r *records) { r.SPF = []string{"v=spf1 +all"} },
		"nodmarc":    func(r *records) { r.DMARC = nil },
		"dmarcnone":  func(r *records) { r.DMARC = []string{"v=DMARC1; p=none; rua=mailto:dmarc@dmarcnone.lab.test"} },
		"nxdomain":   func(r *records) { *r = records{Rcode: dns.RcodeNameError} },

		// Issue 10, items 7 to 9 (DKIM is true only for a 2048-bit key).
		"spfvoid": func(r *records) {
			r.SPF = []string{"v=spf1 a:nx1.spfvoid.lab.test a:nx2.spfvoid.lab.test mx:nx3.spfvoid.lab.test mx -all"}
		},
		"nodkim":      func(r *records) { r.DKIM = false },
		"dkimweak":    func(r *records) { r.DKIM = false },
		"dkimshort":   func(r *records) { r.DKIM = false },
		"spfmxlimit":  func(r *records) { r.SPF = []string{"v=spf1 a mx mx:many.spfmxlimit.lab.test -all"} },
		"spfmacro":    func(r *records) { r.SPF = []string{"v=spf1 a mx exists:%{c}.x.spfmacro.lab.test -all"} },
		"spfbadname":  func(r *records) { r.SPF = []string{"v=spf1 a mx a:x..spfbadname.lab.test -all"} },
		"spfptr":      func(r *records) { r.SPF = []string{"v=spf1 a mx ptr -all"} },
		"spfredirect": func(r *records) { r.SPF = []string{"v=spf1 redirect=_spf.spfredirect.lab.test"} },
		"dmarcnonespf": func(r *records) {
			r.SPF, r.DMARC = nil, []string{"v=DMARC1; p=none; rua=mailto:dmarc@dmarcnonespf.lab.test"}
		},
		// Automatic configuration without SRV records.
		"autoconfigxml": func(r *records) { r.SRV = nil },
		"autodiscover":  func(r *records) { r.SRV = nil },
		"adwildcard":    func(r *records) { r.SRV = nil },
		"nomxnoaddr":    func(r *records) { r.MX, r.A = nil, nil },
		"nullmxmixed": func(r *records) {
			r.MX = []string{"0 .", "10 mx.nullmxmixed.lab.test."}
		},
		"mxbackupdown": func(r *records) {
			r.MX = append(r.MX, "20 mx2.mxbackupdown.lab.test.")
		},
		"resolverdown": func(r *records) { *r = records{Rcode: dns.RcodeServerFailure} },

		// The lab platform's scenarios (platform.go).
		"elsewhere": func(r *records) {
			r.A, r.MX = []string{"127.0.0.2"}, []string{"10 mx.othermail.elsewhere.lab.test."}
			r.SPF = []string{"v=spf1 mx include:_spf.lab.test -all"}
		},
		"expiredelsewhere": func(r *records) { r.A = []string{"127.0.0.2"} },
		"spfours":          func(r *records) { r.SPF = []string{"v=spf1 include:_spf.lab.test -all"} },
		"spfnotours":       func(r *records) { r.SPF = []string{"v=spf1 ip4:192.0.2.0/24 -all"} },
		"spfsoftfail":      func(r *records) { r.SPF = []string{"v=spf1 ip4:192.0.2.0/24 ~all"} },
		"spfnotsaid":       func(r *records) { r.SPF = []string{"v=spf1 ip4:192.0.2.0/24 ?all"} },
		"spfdnsfail": func(r *records) {
			r.SPF = []string{"v=spf1 exists:%{i}._spf.spfdnsfail.lab.test.outside.example include:_spf.lab.test -all"}
		},
		"dkimnotours": func(r *records) { r.DKIM = false },
	}
	for _, network := range []string{"udp", "tcp"} {
		for _, sc := range l.Scenarios() {
			if sc.Name == "srvtimeout" {
				continue // TestHangingSRV
			}
			t.Run(network+"/"+sc.Name, func(t *testing.T) {
				want := healthy(sc.Domain)
				if f := differ[sc.Name]; f != nil {
					f(&want)
				}
				if !ownSPF[sc.Name] {
					for i, rec := range want.SPF {
						// The lab puts its platform's term first.
						want.SPF[i] = strings.Replace(rec, "v=spf1", "v=spf1 include:_spf.lab.test", 1)
					}
				}
				got := readRecords(t, l, network, sc.Domain)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("records of %s (-want +got):\n%s", sc.Domain, diff)
				}
			})
		}
	}
}

// TestSPFChain follows the include chain of spflookups and counts the DNS
// lookups RFC 7208 §4.6.4 counts: a, mx and each include.
func TestSPFChain(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"spflookups"}})
	name := "spflookups.lab.test"
	lookups := 0
	for range 20 {
		r := query(t, l, "udp", name, dns.TypeTXT)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
			t.Fatalf("TXT %s: rcode %s, %d answers", name, dns.RcodeToString[r.Rcode], len(r.Answer))
		}
		rec := strings.Join(r.Answer[0].(*dns.TXT).Txt, "")
		next := ""
		for _, term := range strings.Fields(rec)[1:] {
			switch {
			case term == "a" || term == "mx":
				lookups++
			case strings.HasPrefix(term, "include:"):
				lookups++
				next = strings.TrimPrefix(term, "include:")
			}
		}
		if next == "" {
			break
		}
		name = next
	}
	if lookups != 12 {
		t.Errorf("SPF of spflookups needs %d lookups, want 12", lookups)
	}
}

func TestDNSProtocol(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"good", "nxdomain"}})
	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		answers int
		aa      bool
		soa     bool // the SOA in the authority section (RFC 2308)
	}{
		{"nxdomain", "nxdomain.lab.test", dns.TypeA, dns.RcodeNameError, 0, true, true},
		{"nxdomain below", "mx.nxdomain.lab.test", dns.TypeA, dns.RcodeNameError, 0, true, true},
		{"no data", "good.lab.test", dns.TypeAAAA, dns.RcodeSuccess, 0, true, true},
		{"empty non-terminal", "_tcp.good.lab.test", dns.TypeA, dns.RcodeSuccess, 0, true, true},
		{"case insensitive", "GOOD.Lab.Test", dns.TypeA, dns.RcodeSuccess, 1, true, false},
		{"autoconfig host", "autoconfig.good.lab.test", dns.TypeA, dns.RcodeSuccess, 1, true, false},
		{"apex SOA", "lab.test", dns.TypeSOA, dns.RcodeSuccess, 1, true, false},
		{"outside the zone", "example.com", dns.TypeA, dns.RcodeRefused, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := query(t, l, "udp", tt.qname, tt.qtype)
			got := []any{dns.RcodeToString[r.Rcode], len(r.Answer), r.Authoritative, len(r.Ns) == 1 && r.Ns[0].Header().Rrtype == dns.TypeSOA}
			want := []any{dns.RcodeToString[tt.rcode], tt.answers, tt.aa, tt.soa}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rcode, answers, AA, SOA (-want +got):\n%s", diff)
			}
		})
	}

	// A 2048-bit DKIM key record still fits the 512 octets of plain UDP.
	m := new(dns.Msg)
	m.SetQuestion("default._domainkey.good.lab.test.", dns.TypeTXT)
	r, _, err := (&dns.Client{Net: "udp", Timeout: step}).Exchange(m, l.DNSAddr)
	if err != nil {
		t.Fatalf("DKIM over UDP: %v", err)
	}
	if r.Truncated || len(r.Answer) != 1 || len(strings.Join(r.Answer[0].(*dns.TXT).Txt, "")) < 400 {
		t.Errorf("DKIM over UDP without EDNS0: TC %v, answer %v", r.Truncated, r.Answer)
	}
}

// brokenCert lists the scenarios whose certificate a client refuses, and
// the x509 error it refuses it with.
var brokenCert = map[string]func(error) bool{
	"expired":          certExpired,
	"expiredelsewhere": certExpired,
	"notyetvalid": func(err error) bool {
		var e x509.CertificateInvalidError
		return errors.As(err, &e) && e.Reason == x509.Expired && strings.Contains(e.Error(), "not yet valid")
	},
	"wrongname": func(err error) bool {
		var e x509.HostnameError
		return errors.As(err, &e)
	},
	"selfsigned": func(err error) bool {
		var e x509.UnknownAuthorityError
		return errors.As(err, &e)
	},
}

// certExpired recognises the refusal of an expired certificate.
func certExpired(err error) bool {
	var e x509.CertificateInvalidError
	return errors.As(err, &e) && e.Reason == x509.Expired && strings.Contains(e.Error(), "expired")
}

func TestIMAPTLS(t *testing.T) {
	l := startLab(t, lab.Options{})
	for _, sc := range l.Scenarios() {
		if sc.Profile.PortMap == nil || sc.Name == "tarpit" {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			c := tls.Client(dial(t, sc, checks.PortIMAPS), &tls.Config{RootCAs: l.RootCAs, ServerName: sc.Domain})
			err := c.Handshake()
			if is, broken := brokenCert[sc.Name]; broken {
				if !is(err) {
					t.Fatalf("handshake: %v, want the %s certificate refused", err, sc.Name)
				}
				return
			}
			if err != nil {
				t.Fatalf("handshake: %v", err)
			}
			leaf := c.ConnectionState().PeerCertificates[0]
			left := time.Until(leaf.NotAfter)
			if sc.Name == "expiring" && (left > 6*24*time.Hour || left < 4*24*time.Hour) {
				t.Errorf("expiring certificate ends in %v, want about 5 days", left)
			}
			if sc.Name != "expiring" && left < 14*24*time.Hour {
				t.Errorf("certificate ends in %v, want more than 14 days", left)
			}
			greeting, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				t.Fatalf("greeting: %v", err)
			}
			if !strings.HasPrefix(greeting, "* OK [CAPABILITY IMAP4rev1 ") || !strings.Contains(greeting, " AUTH=PLAIN]") {
				t.Errorf("greeting %q, want OK with IMAP4rev1 and AUTH=PLAIN", greeting)
			}
		})
	}
}

// TestSMTP reads the extensions each SMTP server offers: on 587 STARTTLS,
// then AUTH PLAIN over TLS only; on 465 AUTH PLAIN over implicit TLS; on
// 25 STARTTLS, no AUTH, and no relaying.
func TestSMTP(t *testing.T) {
	l := startLab(t, lab.Options{})
	for _, sc := range l.Scenarios() {
		if sc.Profile.PortMap == nil {
			continue
		}
		t.Run(sc.Name+"/587", func(t *testing.T) {
			c := smtp.NewClient(dial(t, sc, checks.PortSubmission))
			defer c.Close()
			err := c.Hello("lab-test.example")
			if sc.Name == "hostile" {
				if err == nil || !strings.Contains(err.Error(), "pwned") {
					t.Fatalf("EHLO after the hostile banner: %v, want its 554", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("EHLO: %v", err)
			}
			starttls, _ := c.Extension("STARTTLS")
			if want := sc.Name != "nostarttls"; starttls != want {
				t.Fatalf("STARTTLS offered: %v, want %v", starttls, want)
			}
			if auth, _ := c.Extension("AUTH"); auth {
				t.Errorf("AUTH offered before STARTTLS")
			}
			if !starttls {
				return
			}
			c, err = smtp.NewClientStartTLS(dial(t, sc, checks.PortSubmission), &tls.Config{RootCAs: l.RootCAs, ServerName: sc.Domain})
			if err != nil {
				t.Fatalf("STARTTLS: %v", err)
			}
			defer c.Close()
			err = c.Hello("lab-test.example") // the handshake, then EHLO
			if is, broken := brokenCert[sc.Name]; broken {
				if !is(err) {
					t.Fatalf("STARTTLS: %v, want the %s certificate refused", err, sc.Name)
				}
				return
			}
			if err != nil {
				t.Fatalf("STARTTLS: %v", err)
			}
			auth, mechs := c.Extension("AUTH")
			if want := sc.Name != "noauth"; auth != want || (want && mechs != "PLAIN") {
				t.Errorf("AUTH after STARTTLS: %v %q, want %v", auth, mechs, want)
			}
		})
		if sc.Name == "no465" {
			continue
		}
		t.Run(sc.Name+"/465", func(t *testing.T) {
			tc := tls.Client(dial(t, sc, checks.PortSubmissions), &tls.Config{RootCAs: l.RootCAs, ServerName: sc.Domain})
			err := tc.Handshake()
			if is, broken := brokenCert[sc.Name]; broken {
				if !is(err) {
					t.Fatalf("handshake: %v, want the %s certificate refused", err, sc.Name)
				}
				return
			}
			if err != nil {
				t.Fatalf("handshake: %v", err)
			}
			c := smtp.NewClient(tc)
			defer c.Close()
			if err := c.Hello("lab-test.example"); err != nil {
				t.Fatalf("EHLO: %v", err)
			}
			auth, mechs := c.Extension("AUTH")
			if want := sc.Name != "noauth"; auth != want || (want && mechs != "PLAIN") {
				t.Errorf("AUTH on 465: %v %q, want %v", auth, mechs, want)
			}
			if want := sc.Name != "noauth"; want {
				if err := c.Auth(plainClient{}); err == nil {
					t.Errorf("AUTH PLAIN with made-up credentials succeeded")
				}
			}
		})
		t.Run(sc.Name+"/25", func(t *testing.T) {
			mx := "mx." + sc.Domain
			if sc.Name == "elsewhere" {
				mx = "mx.othermail." + sc.Domain // another provider's MX name
			}
			c, err := smtp.NewClientStartTLS(dial(t, sc, checks.PortSMTP), &tls.Config{RootCAs: l.RootCAs, ServerName: mx})
			if err != nil {
				t.Fatalf("STARTTLS on 25: %v", err)
			}
			defer c.Close()
			err = c.Hello("lab-test.example")
			// mtasts presents its wrong-name certificate on port 25 only.
			if _, broken := brokenCert[sc.Name]; broken || sc.Name == "mtasts" {
				if err == nil {
					t.Fatalf("STARTTLS on 25 verified the %s certificate", sc.Name)
				}
				return
			}
			if err != nil {
				t.Fatalf("STARTTLS: %v", err)
			}
			if auth, _ := c.Extension("AUTH"); auth {
				t.Errorf("AUTH offered on 25")
			}
			if err := c.Mail("probe@lab-test.example", nil); err != nil {
				t.Fatalf("MAIL: %v", err)
			}
			if err := c.Rcpt("postmaster@elsewhere.example", nil); err == nil {
				t.Errorf("relaying to another domain accepted")
			}
			if err := c.Rcpt("postmaster@"+sc.Domain, nil); err != nil {
				t.Errorf("RCPT to the domain: %v", err)
			}
		})
	}
}

// plainClient is a SASL PLAIN client with made-up credentials.
type plainClient struct{}

func (plainClient) Start() (string, []byte, error) { return "PLAIN", []byte("\x00probe\x00wrong"), nil }
func (plainClient) Next([]byte) ([]byte, error)    { return nil, errors.New("unexpected challenge") }

func TestPOP3(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"good"}})
	sc, _ := l.Scenario("good")
	c := tls.Client(dial(t, sc, checks.PortPOP3S), &tls.Config{RootCAs: l.RootCAs, ServerName: sc.Domain})
	br := bufio.NewReader(c)
	var got []string
	read := func(n int) {
		for range n {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("read: %v (so far %q)", err, got)
			}
			got = append(got, line)
		}
	}
	read(1)
	io.WriteString(c, "CAPA\r\n")
	read(4)
	io.WriteString(c, "USER probe\r\n")
	read(1)
	io.WriteString(c, "QUIT\r\n")
	read(1)
	want := []string{
		"+OK lab POP3 ready\r\n",
		"+OK capability list follows\r\n", "USER\r\n", "SASL PLAIN\r\n", ".\r\n",
		"-ERR command not supported by the lab\r\n",
		"+OK lab POP3 bye\r\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("POP3 dialogue (-want +got):\n%s", diff)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after QUIT: %v, want EOF", err)
	}
}

// httpsClient is a client trusting the lab CA that dials every address
// at the scenario's HTTPS port, whatever the host name asked.
func httpsClient(t *testing.T, l *lab.Lab, sc lab.Scenario) *http.Client {
	client := &http.Client{Timeout: step, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: l.RootCAs},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, sc.Profile.HostPort(sc.Addr, checks.PortHTTPS))
		},
	}}
	t.Cleanup(client.CloseIdleConnections)
	return client
}

func TestAutoconfig(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"good"}})
	sc, _ := l.Scenario("good")
	client := httpsClient(t, l, sc)
	type server struct {
		Type     string `xml:"type,attr"`
		Hostname string `xml:"hostname"`
		Port     int    `xml:"port"`
		Socket   string `xml:"socketType"`
	}
	type config struct {
		Domain   string   `xml:"emailProvider>domain"`
		Incoming []server `xml:"emailProvider>incomingServer"`
		Outgoing []server `xml:"emailProvider>outgoingServer"`
	}
	want := config{
		Domain: sc.Domain,
		Incoming: []server{
			{"imap", sc.Domain, 993, "SSL"},
			{"pop3", sc.Domain, 995, "SSL"},
		},
		Outgoing: []server{{"smtp", sc.Domain, 465, "SSL"}},
	}
	for _, u := range []string{
		"https://autoconfig." + sc.Domain + "/mail/config-v1.1.xml?emailaddress=jane%40" + sc.Domain,
		"https://" + sc.Domain + "/.well-known/autoconfig/mail/config-v1.1.xml",
	} {
		t.Run(u, func(t *testing.T) {
			resp, err := client.Get(u)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET: %s", resp.Status)
			}
			var got config
			if err := xml.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("autoconfig (-want +got):\n%s", diff)
			}
		})
	}
	resp, err := client.Get("https://autoconfig." + sc.Domain + "/other")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /other: %s, want 404", resp.Status)
	}
}

// TestHangingSRV: srvtimeout's DNS server never answers _imaps._tcp,
// over UDP or TCP, and answers the rest as the healthy domain.
func TestHangingSRV(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"srvtimeout"}})
	sc, _ := l.Scenario("srvtimeout")
	for _, network := range []string{"udp", "tcp"} {
		c := &dns.Client{Net: network, Timeout: 300 * time.Millisecond}
		m := new(dns.Msg)
		m.SetQuestion("_imaps._tcp."+sc.Domain+".", dns.TypeSRV)
		if r, _, err := c.Exchange(m, l.DNSAddr); err == nil {
			t.Errorf("%s: _imaps._tcp answered %s, want no answer", network, dns.RcodeToString[r.Rcode])
		}
		if r := query(t, l, network, "_pop3s._tcp."+sc.Domain, dns.TypeSRV); len(r.Answer) != 1 {
			t.Errorf("%s: _pop3s._tcp: %d answers, want 1", network, len(r.Answer))
		}
	}
}

// TestHTTPSRecipes: what each recipe serves on 443 by host name, as
// Thunderbird (GET) and Outlook (POST) ask it.
func TestHTTPSRecipes(t *testing.T) {
	names := []string{"srvonly", "autodiscover", "adwildcard"}
	l := startLab(t, lab.Options{Scenarios: names})
	for _, tc := range []struct {
		scenario, method, host, path string
		status                       int
		contentType, body            string
	}{
		{"srvonly", http.MethodGet, "autoconfig.", "/mail/config-v1.1.xml", http.StatusNotFound, "", ""},
		{"srvonly", http.MethodGet, "", "/.well-known/autoconfig/mail/config-v1.1.xml", http.StatusNotFound, "", ""},
		{"autodiscover", http.MethodPost, "autodiscover.", "/autodiscover/autodiscover.xml", http.StatusOK, "text/xml; charset=utf-8", "<Autodiscover xmlns="},
		{"autodiscover", http.MethodPost, "", "/autodiscover/autodiscover.xml", http.StatusNotFound, "", ""},
		{"adwildcard", http.MethodPost, "autodiscover.", "/autodiscover/autodiscover.xml", http.StatusOK, "text/html; charset=utf-8", "<title>Welcome</title>"},
	} {
		t.Run(tc.scenario+"/"+tc.method+" "+tc.host+tc.path, func(t *testing.T) {
			sc, _ := l.Scenario(tc.scenario)
			client := httpsClient(t, l, sc)
			req, err := http.NewRequest(tc.method, "https://"+tc.host+sc.Domain+tc.path, strings.NewReader("<Autodiscover/>"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", tc.method, err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %s, want %d", resp.Status, tc.status)
			}
			if tc.body == "" {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.contentType || !strings.Contains(string(body), tc.body) {
				t.Errorf("answer %q %q, want %q containing %q", ct, body, tc.contentType, tc.body)
			}
		})
	}
}

func TestRefusedPorts(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"no465", "nopop3"}})
	for _, tt := range []struct {
		scenario string
		port     int
	}{{"no465", checks.PortSubmissions}, {"nopop3", checks.PortPOP3S}} {
		t.Run(tt.scenario, func(t *testing.T) {
			sc, _ := l.Scenario(tt.scenario)
			var d net.Dialer
			c, err := d.DialContext(t.Context(), "tcp", sc.Profile.HostPort(sc.Addr, tt.port))
			if err == nil {
				c.Close()
			}
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("dial %d: %v, want connection refused", tt.port, err)
			}
			// The port stays the lab's: another server of this machine
			// (a parallel test's) cannot take it and answer there.
			ln, err := net.Listen("tcp", sc.Profile.HostPort("127.0.0.1", tt.port))
			if err == nil {
				ln.Close()
				t.Errorf("listen on the refusing port %d succeeded: the port is not held", tt.port)
			}
		})
	}
}

func TestTarpit(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"tarpit"}})
	sc, _ := l.Scenario("tarpit")
	c := dial(t, sc, checks.PortIMAPS)
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	n, err := c.Read(make([]byte, 1))
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("tarpit read: %d bytes, %v; want silence until the deadline", n, err)
	}
}

func TestExpectations(t *testing.T) {
	l := startLab(t, lab.Options{})
	var names []string
	for _, sc := range l.Scenarios() {
		names = append(names, sc.Name)
		t.Run(sc.Name, func(t *testing.T) {
			if sc.Domain != sc.Name+".lab.test" || sc.Description == "" {
				t.Errorf("domain %q, description %q", sc.Domain, sc.Description)
			}
			// The catalog's own test keeps its expectations well formed.
			want, ok := scenario.Get(sc.Name)
			if !ok || !want.Runs(scenario.Lab) {
				t.Fatalf("%s is not a lab scenario of the catalog", sc.Name)
			}
			if diff := cmp.Diff(want.Expectations(), sc.Expect); diff != "" {
				t.Errorf("expectations (-catalog +lab):\n%s", diff)
			}
			if sc.Name != "nxdomain" {
				var ports []int
				for std := range sc.Profile.PortMap {
					ports = append(ports, std)
				}
				slices.Sort(ports)
				if diff := cmp.Diff([]int{25, 443, 465, 587, 993, 995}, ports); diff != "" {
					t.Errorf("mapped ports (-want +got):\n%s", diff)
				}
			}
		})
	}
	if diff := cmp.Diff(lab.Names(), names); diff != "" {
		t.Errorf("scenario order (-want +got):\n%s", diff)
	}
	if good, _ := l.Scenario("good"); good.Expect[checks.SMTP25].Status != checks.StatusPass {
		t.Errorf("good: smtp.25 %s", good.Expect[checks.SMTP25].Status)
	}

	// Scenarios hands out copies.
	sc, _ := l.Scenario("good")
	sc.Expect[checks.DNSHost] = scenario.Expectation{Status: checks.StatusFail}
	sc.Profile.PortMap[993] = 1
	again, _ := l.Scenario("good")
	if again.Expect[checks.DNSHost].Status != checks.StatusPass || again.Profile.PortMap[993] == 1 {
		t.Errorf("a caller's change reached the lab's scenario")
	}
}

func TestScenarioSelection(t *testing.T) {
	l := startLab(t, lab.Options{Scenarios: []string{"nxdomain", "good"}})
	var names []string
	for _, sc := range l.Scenarios() {
		names = append(names, sc.Name)
	}
	if diff := cmp.Diff([]string{"good", "nxdomain"}, names); diff != "" {
		t.Errorf("scenarios (-want +got):\n%s", diff)
	}
	if _, ok := l.Scenario("expired"); ok {
		t.Errorf("expired runs, it was not asked for")
	}
	if r := query(t, l, "udp", "expired.lab.test", dns.TypeA); r.Rcode != dns.RcodeNameError {
		t.Errorf("expired.lab.test: %s, want NXDOMAIN", dns.RcodeToString[r.Rcode])
	}
	if _, err := lab.Start(t.Context(), lab.Options{Scenarios: []string{"nosuch"}}); err == nil {
		t.Errorf("Start with an unknown scenario: no error")
	}
}

// TestCloseLeavesNothing starts a lab, leaves connections open on every
// kind of server, closes it and checks no goroutine of the lab is left.
func TestCloseLeavesNothing(t *testing.T) {
	settle := func(max int) int {
		n := runtime.NumGoroutine()
		for i := 0; i < 200 && n > max; i++ {
			time.Sleep(10 * time.Millisecond)
			n = runtime.NumGoroutine()
		}
		return n
	}
	before := runtime.NumGoroutine()
	l, err := lab.Start(t.Context(), lab.Options{Scenarios: []string{"good", "tarpit"}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	good, _ := l.Scenario("good")
	tarpit, _ := l.Scenario("tarpit")
	open := []net.Conn{dial(t, tarpit, checks.PortIMAPS)}
	for _, std := range []int{checks.PortIMAPS, checks.PortPOP3S, checks.PortSubmissions, checks.PortSubmission, checks.PortSMTP, checks.PortHTTPS} {
		open = append(open, dial(t, good, std))
	}
	// A greeting read makes sure each server holds its connection.
	br := bufio.NewReader(open[5])
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, "220 ") {
		t.Fatalf("SMTP 587 greeting %q: %v", line, err)
	}
	tcp, err := net.Dial("tcp", l.DNSAddr)
	if err != nil {
		t.Fatalf("DNS over TCP: %v", err)
	}
	defer tcp.Close()
	if err := l.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// The lab's are gone; the test's own may settle a little later.
	if after := settle(before); after > before {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines before Start, %d after Close:\n%s", before, after, buf)
	}
}

func BenchmarkStart(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		l, err := lab.Start(context.Background(), lab.Options{})
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}
