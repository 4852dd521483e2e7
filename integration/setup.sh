#!/usr/bin/env bash
# setup.sh installs the real servers the integration tests run against:
# Exim (as cPanel runs it) for SMTP 25/465/587, Dovecot for IMAP 993 and
# POP3 995, and Knot as the authoritative DNS server of the test zone.
#
# The tests start their own instances, from configurations of their own,
# on loopback high ports in a temporary directory. The instances Debian's
# packages would start on the standard ports are never wanted: a
# policy-rc.d keeps them from starting during the install, and they are
# stopped and disabled afterwards all the same.
#
# It never fails a build: when it cannot install (not root, no apt, the
# package servers unreachable) it says "skipped: cannot install" and
# exits 0, and the tests skip themselves with a plain message.
set -u

pkgs=(exim4-daemon-heavy dovecot-imapd dovecot-pop3d knot)
services=(exim4 dovecot knot)

have_all() {
	command -v exim4 >/dev/null && command -v dovecot >/dev/null && command -v knotd >/dev/null
}

skipped() {
	echo "integration setup: skipped: cannot install ($*); the real-server tests will skip"
	exit 0
}

# stop_services stops and disables the system instances the packages
# may have started or enabled. Only the services named above are touched.
stop_services() {
	for s in "${services[@]}"; do
		[ -e "/etc/init.d/$s" ] || [ -e "/lib/systemd/system/$s.service" ] || continue
		if [ -d /run/systemd/system ]; then
			systemctl stop "$s" >/dev/null 2>&1 || true
			systemctl disable "$s" >/dev/null 2>&1 || true
		elif [ -x "/etc/init.d/$s" ]; then
			"/etc/init.d/$s" stop >/dev/null 2>&1 || true
		fi
		command -v update-rc.d >/dev/null && update-rc.d "$s" disable >/dev/null 2>&1 || true
	done
}

if have_all; then
	[ "$(id -u)" -eq 0 ] && stop_services
	echo "integration setup: exim4, dovecot and knotd already installed"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || skipped "not root"
command -v apt-get >/dev/null || skipped "no apt-get"

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)

# Keep the packages' services from starting during the install (exit
# 101: "action forbidden by policy", invoke-rc.d(8)). An existing
# policy-rc.d is left as it is.
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi
cleanup() { if [ -n "$made_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

# Should Exim's system instance start anyway, it delivers locally only
# and listens on loopback only.
if command -v debconf-set-selections >/dev/null; then
	debconf-set-selections <<'SEL'
exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network
exim4-config exim4/dc_local_interfaces string 127.0.0.1 ; ::1
SEL
fi

log=$(mktemp)
if ! apt-get update -q >"$log" 2>&1; then
	tail -n 5 "$log"; rm -f "$log"
	skipped "apt-get update failed: package servers unreachable?"
fi
if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >"$log" 2>&1; then
	tail -n 15 "$log"; rm -f "$log"
	stop_services
	skipped "apt-get install ${pkgs[*]} failed"
fi
rm -f "$log"
stop_services
have_all || skipped "installed, yet exim4, dovecot or knotd is missing"
echo "integration setup: installed ${pkgs[*]} in $(( $(date +%s) - start ))s"
