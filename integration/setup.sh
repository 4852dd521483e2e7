#!/usr/bin/env bash
# setup.sh installs the real servers the integration tests run against:
# Exim (as cPanel runs it) for SMTP 25/465/587, Dovecot for IMAP 993 and
# POP3 995, and Knot as the authoritative DNS server of the test zone.
#
# The tests start their own instances, from configurations of their own,
# on loopback high ports in a temporary directory. The instances Debian's
# packages would start on the standard ports are never wanted.
#
# It does no harm to the machine it runs on (.ci/run calls it as root):
# - it never removes, replaces or reconfigures a package it did not
#   install: it asks apt first (apt-get -s, a simulation) and skips when
#   the install would remove anything (Exim would replace an installed
#   Postfix, say), and the install itself runs with --no-remove, so apt
#   aborts rather than resolve a conflict by removal;
# - it installs only the packages that are missing, and preseeds Exim's
#   debconf questions only when it installs Exim's configuration;
# - it never starts a system service (a policy-rc.d answering 101 while
#   it installs, when none exists) and never stops nor disables a
#   service it did not install; the services of the packages it has just
#   installed are disabled, so they do not start at the next boot.
#
# It never fails a build: when it cannot install without harm (not root,
# no apt, the package servers unreachable, a conflict) it says
# "skipped: …" and exits 0, and the tests skip themselves with a plain
# message.
#
# APT_GET and DPKG_QUERY name the commands to run (default apt-get and
# dpkg-query), POLICY_RC_D the policy file (default /usr/sbin/policy-rc.d):
# integration/setup_test.go replaces them with fakes.
set -u

apt_get=${APT_GET:-apt-get}
dpkg_query=${DPKG_QUERY:-dpkg-query}
pkgs=(exim4-daemon-heavy dovecot-imapd dovecot-pop3d knot)
# service:package that ships it.
services=(exim4:exim4-base dovecot:dovecot-core knot:knot)

skipped() {
	echo "integration setup: skipped: $*; the real-server tests will skip"
	exit 0
}

# installed reports whether a package is installed (not only known).
installed() {
	"$dpkg_query" -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$'
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "integration setup: ${pkgs[*]} already installed; their services left as they are"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || skipped "cannot install ${missing[*]} (not root)"
command -v "$apt_get" >/dev/null || skipped "cannot install ${missing[*]} (no apt-get)"

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
log=$(mktemp)
made_policy=
policy=${POLICY_RC_D:-/usr/sbin/policy-rc.d}
cleanup() {
	rm -f "$log"
	if [ -n "$made_policy" ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

if ! "$apt_get" update -q >"$log" 2>&1; then
	tail -n 5 "$log"
	skipped "cannot install ${missing[*]} (apt-get update failed: package servers unreachable?)"
fi

# Ask apt what the install would do, without doing it.
if ! "$apt_get" -s install -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
	tail -n 15 "$log"
	skipped "cannot install ${missing[*]} (apt-get -s install failed)"
fi
removals=$(sed -n -E 's/^(Remv|Purg) ([^ ]+).*/\2/p' "$log" | tr '\n' ' ')
if [ -n "$removals" ]; then
	skipped "installing ${missing[*]} would remove ${removals% }; nothing was changed"
fi
grep -E '^[0-9]+ upgraded' "$log" | sed 's/^/integration setup: apt-get -s: /'

# Services of the packages about to be installed: only those are ours.
ours=()
for sp in "${services[@]}"; do
	installed "${sp#*:}" || ours+=("${sp%%:*}")
done

# Keep the packages' services from starting during the install (exit
# 101: "action forbidden by policy", invoke-rc.d(8)). An existing
# policy-rc.d is left as it is.
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi

# Should Exim's system instance start anyway, it delivers locally only
# and listens on loopback only. Only when Exim's configuration is new:
# an installed one is the machine's.
if ! installed exim4-config && command -v debconf-set-selections >/dev/null; then
	debconf-set-selections <<'SEL'
exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network
exim4-config exim4/dc_local_interfaces string 127.0.0.1 ; ::1
SEL
fi

if ! "$apt_get" install -y -q --no-install-recommends --no-remove "${missing[@]}" >"$log" 2>&1; then
	tail -n 15 "$log"
	skipped "apt-get install ${missing[*]} failed (nothing was removed: --no-remove)"
fi

# Disable, so they do not start at the next boot, the services of the
# packages just installed; stop them in case an existing policy-rc.d let
# them start. Services that were there before are not touched.
for s in "${ours[@]}"; do
	[ -e "/etc/init.d/$s" ] || [ -e "/lib/systemd/system/$s.service" ] || continue
	if [ -d /run/systemd/system ]; then
		systemctl stop "$s" >/dev/null 2>&1 || true
		systemctl disable "$s" >/dev/null 2>&1 || true
	elif [ -x "/etc/init.d/$s" ]; then
		"/etc/init.d/$s" stop >/dev/null 2>&1 || true
	fi
	if command -v update-rc.d >/dev/null; then update-rc.d "$s" disable >/dev/null 2>&1 || true; fi
done

for p in "${pkgs[@]}"; do
	installed "$p" || skipped "installed, yet $p is missing"
done
echo "integration setup: installed ${missing[*]} in $(($(date +%s) - start))s"
