package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTools writes, in a new directory, the commands setup.sh runs on the
// machine: apt-get, dpkg-query, id, systemctl, update-rc.d and
// debconf-set-selections. Each logs
// its arguments to calls.log in that directory. apt-get simulates
// (-s) an install that removes Postfix, and fails any real install;
// dpkg-query says installed the packages listed; id -u prints uid.
func fakeTools(t *testing.T, installed []string, uid string) (dir string) {
	t.Helper()
	dir = t.TempDir()
	calls := filepath.Join(dir, "calls.log")
	scripts := map[string]string{
		"apt-get": `echo "apt-get $*" >>"` + calls + `"
case "$1" in
update) exit 0 ;;
-s) printf '%s\n' 'Reading package lists...' 'Remv postfix [3.7.11-0+deb12u1]' \
	'Inst exim4-base (4.96-15+deb12u6 Debian:12/stable [amd64])' \
	'0 upgraded, 9 newly installed, 1 to remove and 0 not upgraded.'; exit 0 ;;
esac
echo "REAL INSTALL ATTEMPTED" >>"` + calls + `"
exit 1
`,
		"dpkg-query": `echo "dpkg-query $*" >>"` + calls + `"
for p in ` + strings.Join(installed, " ") + `; do
	if [ "$p" = "$3" ]; then echo 'install ok installed'; exit 0; fi
done
exit 1
`,
		"id":                     `echo ` + uid + "\n",
		"systemctl":              `echo "systemctl $*" >>"` + calls + `"` + "\n",
		"update-rc.d":            `echo "update-rc.d $*" >>"` + calls + `"` + "\n",
		"debconf-set-selections": `echo "debconf-set-selections $*" >>"` + calls + `"` + "\n",
	}
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runSetup runs setup.sh with the fakes first on PATH and returns its
// output and the fakes' calls.
func runSetup(t *testing.T, fakes string) (out, calls string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	cmd := exec.Command(bash, "setup.sh")
	cmd.Env = append(os.Environ(),
		"PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"),
		"APT_GET="+filepath.Join(fakes, "apt-get"),
		"DPKG_QUERY="+filepath.Join(fakes, "dpkg-query"),
		"POLICY_RC_D="+filepath.Join(fakes, "policy-rc.d"))
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup.sh failed (it must never fail a build): %v\n%s", err, b)
	}
	c, err := os.ReadFile(filepath.Join(fakes, "calls.log"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b), string(c)
}

// TestSetupDoesNoHarm runs setup.sh against fakes. When installing Exim
// would remove an installed Postfix it says so and skips: no real
// install, no service stopped or disabled. With every package there it
// neither calls apt nor touches the services (it used to stop and disable
// the machine's own Exim, Dovecot and Knot). Without root it asks apt
// nothing.
func TestSetupDoesNoHarm(t *testing.T) {
	all := []string{"exim4-daemon-heavy", "dovecot-imapd", "dovecot-pop3d", "knot"}
	tests := []struct {
		name      string
		installed []string
		uid       string
		wantOut   string
		wantCall  string   // a call that must be made
		forbidden []string // calls that must not
	}{
		{"conflict", []string{"postfix"}, "0",
			"skipped: installing exim4-daemon-heavy dovecot-imapd dovecot-pop3d knot would remove postfix; nothing was changed",
			"apt-get -s install", []string{"REAL INSTALL ATTEMPTED", "systemctl", "update-rc.d", "debconf-set-selections"}},
		{"installed", all, "0", "already installed; their services left as they are",
			"", []string{"apt-get", "systemctl", "update-rc.d"}},
		{"not root", nil, "1000", "skipped: cannot install exim4-daemon-heavy dovecot-imapd dovecot-pop3d knot (not root)",
			"", []string{"apt-get", "systemctl", "update-rc.d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, calls := runSetup(t, fakeTools(t, tt.installed, tt.uid))
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out)
			}
			if !strings.Contains(calls, tt.wantCall) {
				t.Errorf("%q was not run:\n%s", tt.wantCall, calls)
			}
			for _, harm := range tt.forbidden {
				if strings.Contains(calls, harm) {
					t.Errorf("setup.sh ran %q:\n%s", harm, calls)
				}
			}
		})
	}
}
