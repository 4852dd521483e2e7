#!/bin/sh
# setup-postgres.sh installs the Debian PostgreSQL server binaries the
# store tests start a throwaway cluster with (internal/pgtest).
# It never starts the system's PostgreSQL service and never removes a
# package: where either cannot be guaranteed it skips, saying why, and
# exits 0 so the PostgreSQL tests skip with their own clear line.
set -eu

say() { echo "setup-postgres: $*"; }

for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
		say "already installed ($d)"
		exit 0
	fi
done
if [ "$(id -u)" != 0 ]; then
	say "skipped: installing needs root"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	say "skipped: no apt-get (not Debian)"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || say "apt-get update failed; trying with the package lists at hand"

# Simulate first: anything to remove, or no such package, and we skip.
if ! sim=$(apt-get -s install -y --no-remove postgresql 2>&1); then
	say "skipped: apt-get cannot install postgresql:"
	echo "$sim" | tail -n 5
	exit 0
fi
if echo "$sim" | grep -q '^Remv '; then
	say "skipped: installing postgresql would remove packages:"
	echo "$sim" | grep '^Remv '
	exit 0
fi

# policy-rc.d exiting 101 forbids maintainer scripts to start services,
# so the package's cluster is installed but not started.
policy=/usr/sbin/policy-rc.d
backup=""
created=""
restore() {
	if [ -n "$created" ]; then rm -f "$policy"; fi
	if [ -n "$backup" ]; then mv -f "$backup" "$policy"; fi
}
trap restore EXIT INT TERM
if [ -e "$policy" ]; then
	rc=0
	"$policy" postgresql start >/dev/null 2>&1 || rc=$?
	if [ "$rc" != 101 ]; then
		backup="$policy.setup-postgres.$$"
		mv "$policy" "$backup"
	fi
fi
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# setup-postgres.sh: start no service during the install\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	created=yes
fi

apt-get install -y -q --no-remove --no-install-recommends postgresql

for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
		say "installed ($d)"
		exit 0
	fi
done
say "installed postgresql, but found no initdb and pg_ctl under /usr/lib/postgresql/*/bin"
exit 1
