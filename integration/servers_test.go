package integration

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/miekg/dns"

	"github.com/pcmhosting/mailsetup/internal/reserve"
)

// startTimeout bounds how long a server may take to listen.
const startTimeout = 20 * time.Second

// stopTimeout bounds how long a server may take to exit on SIGTERM
// before its process group is killed.
const stopTimeout = 5 * time.Second

// binaries are the server programs found on the PATH.
type binaries struct {
	exim, dovecot, knotd string
}

// findBinaries looks the servers up: Debian names Exim "exim4", other
// systems "exim". Missing ones are listed.
func findBinaries() (binaries, []string) {
	var b binaries
	var missing []string
	look := func(dst *string, names ...string) {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				*dst = p
				return
			}
			// Daemons live in sbin, which a non-login PATH may lack.
			for _, dir := range []string{"/usr/sbin", "/usr/local/sbin"} {
				p := filepath.Join(dir, n)
				if st, err := os.Stat(p); err == nil && st.Mode()&0o111 != 0 {
					*dst = p
					return
				}
			}
		}
		missing = append(missing, names[0])
	}
	look(&b.exim, "exim4", "exim")
	look(&b.dovecot, "dovecot")
	look(&b.knotd, "knotd")
	return b, missing
}

// daemon is one server process, in a process group of its own so that
// stopping it also stops every process it forked (none of these servers
// leaves its group in the foreground).
type daemon struct {
	name string
	cmd  *exec.Cmd
	logs []string // files worth showing when it misbehaves
	done chan struct{}
	err  error
}

// start runs argv as a daemon in the foreground, its output going to
// out. Stop it with stopAll.
func start(t *testing.T, name, out string, logs []string, argv ...string) *daemon {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = filepath.Dir(out)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	d := &daemon{name: name, cmd: cmd, logs: append([]string{out}, logs...), done: make(chan struct{})}
	go func() {
		d.err = cmd.Wait()
		close(d.done)
	}()
	return d
}

// stopAll stops the daemons at once; see stop.
func stopAll(t *testing.T, ds []*daemon) {
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() { d.stop(t) })
	}
	wg.Wait()
}

// stop sends SIGTERM to the daemon's process group and waits for the
// daemon, SIGKILLing the group after stopTimeout. Processes of the group
// the daemon left behind (an Exim SMTP session, a Dovecot login process)
// are then SIGKILLed, and stop waits until none of them runs.
func (d *daemon) stop(t *testing.T) {
	pgid := d.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(stopTimeout):
		// A daemon slow to wind down on a busy machine is not a verdict
		// of the engine; what matters is that nothing is left running.
		t.Logf("%s did not stop within %v of SIGTERM; killing its process group", d.name, stopTimeout)
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-d.done
	}
	if len(running(pgid)) == 0 {
		return
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	for range 250 {
		if len(running(pgid)) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("%s: processes %v of group %d still running after SIGKILL", d.name, running(pgid), pgid)
}

// running returns the processes of group pgid that still run. Orphans
// are reaped by init, which may take a while: a zombie runs no more and
// is not counted. Without /proc, any process of the group counts.
func running(pgid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		if syscall.Kill(-pgid, 0) == nil {
			return []int{-1}
		}
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid pgrp …"; comm may hold anything.
		i := strings.LastIndexByte(string(stat), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			out = append(out, pid)
		}
	}
	return out
}

// exited reports whether the daemon has already exited.
func (d *daemon) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// dump returns the tail of the daemon's logs.
func (d *daemon) dump() string {
	var b strings.Builder
	for _, l := range d.logs {
		data, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		if len(data) > 4000 {
			data = data[len(data)-4000:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", l, data)
	}
	return b.String()
}

// waitReady waits until ready succeeds, failing the test with the
// daemon's logs if it exits or does not get there within startTimeout.
func (d *daemon) waitReady(ctx context.Context, ready func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		err := ready(ctx)
		if err == nil {
			return nil
		}
		if d.exited() {
			return fmt.Errorf("%s exited (%v) before it was ready: %v\n%s", d.name, d.err, err, d.dump())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %v: %v\n%s", d.name, startTimeout, err, d.dump())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// tcpReady succeeds once every port accepts a connection.
func tcpReady(ports ...int) func(context.Context) error {
	return func(ctx context.Context) error {
		var dialer net.Dialer
		for _, p := range ports {
			dctx, cancel := context.WithTimeout(ctx, time.Second)
			c, err := dialer.DialContext(dctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			cancel()
			if err != nil {
				return err
			}
			c.Close()
		}
		return nil
	}
}

// dnsReady succeeds once the server answers the zone's SOA with
// authority, over UDP and TCP.
func dnsReady(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		for _, network := range []string{"udp", "tcp"} {
			c := &dns.Client{Net: network, Timeout: time.Second}
			m := new(dns.Msg)
			m.SetQuestion(Zone+".", dns.TypeSOA)
			r, _, err := c.ExchangeContext(ctx, m, addr)
			if err != nil {
				return err
			}
			if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) == 0 {
				return fmt.Errorf("SOA %s over %s: %s, aa=%v", Zone, network, dns.RcodeToString[r.Rcode], r.Authoritative)
			}
		}
		return nil
	}
}

// portPool hands out free loopback ports: each is held open until
// release, so that none is handed out twice, then closed just before
// the servers bind them. A port handed out and never bound refuses
// connections.
type portPool struct {
	held  []interface{ Close() error }
	given []int
}

// tcp returns a free TCP port of 127.0.0.1, below the kernel's
// ephemeral range: between its release and the server's bind, no other
// test's listener on port 0 (the ephemeral range) can be handed it.
func (p *portPool) tcp(t *testing.T) int {
	t.Helper()
	for range portTries {
		port := p.candidate()
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		p.held = append(p.held, ln)
		return port
	}
	t.Fatalf("no free TCP port of 127.0.0.1 below %d after %d tries", ephemeralLow(), portTries)
	return 0
}

// portTries bounds the ports tried for one free one.
const portTries = 200

// candidate returns a port, never the same twice, from 20000 up to the
// ephemeral range.
func (p *portPool) candidate() int {
	const first = 20000
	span := ephemeralLow() - first
	if span < 1000 {
		span = 1000
	}
	for {
		port := first + rand.IntN(span)
		if !slices.Contains(p.given, port) {
			p.given = append(p.given, port)
			return port
		}
	}
}

// ephemeralLow is the first port of the kernel's ephemeral range
// (ip_local_port_range), 32768 when it cannot be read.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 32768
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 21000 {
		return 32768
	}
	return n
}

// refusing returns a port of 127.0.0.1 that refuses connections until
// the end of the test, and that no other server can bind meanwhile.
func (p *portPool) refusing(t *testing.T) int {
	t.Helper()
	port, release, err := reserve.Port()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { release() })
	return port
}

// udpTCP returns a port of 127.0.0.1 free for both UDP and TCP.
func (p *portPool) udpTCP(t *testing.T) int {
	t.Helper()
	for range portTries {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p.candidate()))
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			continue
		}
		p.held = append(p.held, pc, ln)
		return pc.LocalAddr().(*net.UDPAddr).Port
	}
	t.Fatalf("no port of 127.0.0.1 free for UDP and TCP below %d after %d tries", ephemeralLow(), portTries)
	return 0
}

func (p *portPool) release() {
	for _, c := range p.held {
		c.Close()
	}
	p.held = nil
}

// ids returns the uid and gid of a system user.
func ids(name string) (uid, gid int, err error) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, 0, err
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

// writeConfig renders tmpl with data into path, mode 0644, owned by
// root: Exim refuses a configuration anyone else could write.
func writeConfig(path string, tmpl *template.Template, data any) error {
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// knotConf is Knot's configuration: one zone, loaded from its file,
// served on one loopback port; every path in the test's directory.
var knotConf = template.Must(template.New("knot").Parse(`# Knot DNS for the mailsetup integration test.
server:
    rundir: "{{.Dir}}"
    listen: 127.0.0.1@{{.Port}}
    identity: ""
    version: ""
database:
    storage: "{{.Dir}}"
log:
  - target: stderr
    any: notice
template:
  - id: default
    storage: "{{.Dir}}"
    semantic-checks: off
zone:
  - domain: {{.Zone}}
    file: "{{.ZoneFile}}"
`))

// dovecotConf is a Dovecot configuration of its own, not the system's:
// IMAP on 993 and POP3 on 995 only with implicit TLS, PLAIN and LOGIN
// offered, and a password file that is empty, so no login can ever
// succeed. Dovecot runs as root and drops to its dovecot and dovenull
// users, as installed by the package.
var dovecotConf = template.Must(template.New("dovecot").Parse(`# Dovecot for the mailsetup integration test, certificate {{.Name}}.
base_dir = {{.Dir}}/run
state_dir = {{.Dir}}/state
instance_name = mailsetup-{{.Name}}
listen = 127.0.0.1
protocols = imap pop3
log_path = {{.Dir}}/dovecot.log
ssl = required
ssl_cert = <{{.Cert}}
ssl_key = <{{.Key}}
{{- range .LocalNames}}
local_name {{.Name}} {
  ssl_cert = <{{.Cert}}
  ssl_key = <{{$.Key}}
}
{{- end}}
auth_mechanisms = plain login
disable_plaintext_auth = yes
mail_location = maildir:{{.Dir}}/mail/%u
passdb {
  driver = passwd-file
  args = {{.Dir}}/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home={{.Dir}}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = {{.IMAPS}}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = {{.POP3S}}
    ssl = yes
  }
}
`))

// eximConf is an Exim configuration as cPanel's is in the parts that
// matter here: its three-line banner, implicit TLS on the 465 port
// (tls_on_connect_ports),
// STARTTLS on 587 and 25, AUTH PLAIN and LOGIN advertised only over TLS
// and never on 25. Its authenticators never accept a password and its
// RCPT ACL refuses everything: it takes no mail.
var eximConf = template.Must(template.New("exim").Parse(`# Exim for the mailsetup integration test, mail set {{.Name}}.
primary_hostname = {{.Host}}
# cPanel's banner: a greeting of three lines (RFC 5321 §4.2.1).
smtp_banner = ${primary_hostname} ESMTP Exim ${version_number} #${compile_number} ${tod_full}\n We do not authorize the use of this system to transport unsolicited,\n and/or bulk e-mail.
local_interfaces = 127.0.0.1
daemon_smtp_ports = {{.DaemonPorts}}
{{- if .P465}}
tls_on_connect_ports = {{.P465}}
{{- end}}
spool_directory = {{.Dir}}/spool
log_file_path = {{.Dir}}/log/%slog
pid_file_path = {{.Dir}}/exim.pid
keep_environment =
host_lookup =
rfc1413_hosts =
tls_certificate = {{.Cert}}
tls_privatekey = {{.Key}}
tls_advertise_hosts = {{.TLSHosts}}
{{- if .Ciphers}}
tls_require_ciphers = {{.Ciphers}}
{{- end}}
auth_advertise_hosts = {{.AuthHosts}}
acl_smtp_rcpt = refuse

begin acl

refuse:
  deny message = this test server takes no mail

begin authenticators

plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = false

login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = false
`))

// eximData fills eximConf for a mail set on its ports.
func eximData(m mailSet, dir, host, cert, key string, p25, p465, p587 int) map[string]any {
	ports := []string{strconv.Itoa(p25), strconv.Itoa(p587)}
	if !m.no465 {
		ports = append(ports, strconv.Itoa(p465))
	}
	if m.no465 || m.plain465 {
		p465 = 0 // no tls_on_connect_ports
	}
	tlsHosts := "*"
	if m.noStartTLS587 {
		tlsHosts = fmt.Sprintf("${if eq{$received_port}{%d}{}{*}}", p587)
	}
	// Never on 25; on 465 and 587 only once TLS is on (cPanel's
	// default), never, or always.
	var authHosts string
	switch m.auth {
	case authAfterTLS:
		authHosts = fmt.Sprintf("${if or{{eq{$received_port}{%d}}{eq{$tls_in_cipher}{}}}{}{*}}", p25)
	case authNever:
		authHosts = ""
	case authAlways:
		authHosts = fmt.Sprintf("${if eq{$received_port}{%d}{}{*}}", p25)
	}
	var ciphers string
	if m.oldTLS {
		// GnuTLS priority string (gnutls_priority_init(3)).
		ciphers = "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0"
	}
	return map[string]any{
		"Name": m.name, "Host": host, "Dir": dir,
		"DaemonPorts": strings.Join(ports, " : "), "P465": p465,
		"Cert": cert, "Key": key,
		"TLSHosts": tlsHosts, "AuthHosts": authHosts, "Ciphers": ciphers,
	}
}
