#!/usr/bin/env bash
# bench-manual.sh times, on the same lab and in one run, mailsetup's full
# check of good.lab.test against what a support engineer runs by hand for
# the same ground, and against the floor: one TCP connection, one TLS
# handshake and the greeting of the slowest mail port. It prints a
# Markdown table of medians and ratios (the one in docs/benchmarks.md).
#
# Usage: scripts/bench-manual.sh            (from anywhere in the repository)
#   RUNS=30           runs of each fast command (hyperfine --runs)
#   MANUAL_RUNS=3     runs of the full manual sequence, testssl.sh included
#   TESTSSL_ARGS=--fast   what testssl.sh is given besides the target
#   OUT=DIR           keep hyperfine's JSON exports and the step scripts there
#
# Needs: go, hyperfine, openssl, swaks, dig, testssl (Debian packages
# hyperfine, openssl, swaks, bind9-dnsutils, testssl.sh), jq. As root it
# installs the missing ones with apt-get.
#
# What is compared:
#   mailsetup   mailsetup check --resolver LAB --allow-private --port-map …
#               good.lab.test: 11 checks (A, MX, SPF, DKIM, DMARC,
#               SRV/autoconfig, 993, 995, 465, 587, 25), trust store = the
#               lab's anchor only (SSL_CERT_FILE, SSL_CERT_DIR empty); the
#               row "mailsetup, system trust store" adds the system's CAs,
#               which Go loads once per process.
#   manual      one process after the other, as typed: openssl s_client on
#               993 (CAPABILITY, LOGOUT), 995 (CAPA, QUIT), 465 (EHLO,
#               QUIT), openssl s_client -starttls smtp on 587 (EHLO, QUIT),
#               swaks --tls --quit-after AUTH on 587, dig A, MX, TXT (SPF),
#               TXT _dmarc, TXT default._domainkey, SRV _imaps, _pop3s,
#               _submissions, _submission, and testssl.sh on 993.
#   floor       scripts/floor: TCP + TLS + greeting to one port, in a Go
#               process of its own; the slowest of 993, 995, 465 and 587
#               (STARTTLS) is the floor.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-30}
MANUAL_RUNS=${MANUAL_RUNS:-3}
TESTSSL_ARGS=${TESTSSL_ARGS:---fast}

need() {
	local missing=()
	for tool in hyperfine openssl swaks dig testssl jq; do
		command -v "$tool" >/dev/null || missing+=("$tool")
	done
	[ ${#missing[@]} -eq 0 ] && return
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine openssl swaks bind9-dnsutils testssl.sh jq >/dev/null
	else
		echo "bench-manual: missing ${missing[*]} (Debian: apt-get install hyperfine openssl swaks bind9-dnsutils testssl.sh jq)" >&2
		exit 2
	fi
}
need

work=${OUT:-$(mktemp -d)}
mkdir -p "$work/certs"
lab_pid=
cleanup() {
	if [ -n "$lab_pid" ]; then
		kill "$lab_pid" 2>/dev/null || true
		wait "$lab_pid" 2>/dev/null || true
	fi
	[ -n "${OUT:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

echo "bench-manual: building" >&2
go build -o "$work/mailsetup" ./cmd/mailsetup
go build -o "$work/labserve" ./scripts/labserve
go build -o "$work/floor" ./scripts/floor

"$work/labserve" -ca "$work/lab-anchor.pem" >"$work/lab.env" 2>"$work/lab.log" &
lab_pid=$!
for _ in $(seq 100); do
	grep -q '^LAB_READY=1' "$work/lab.env" 2>/dev/null && break
	sleep 0.1
done
grep -q '^LAB_READY=1' "$work/lab.env" || { cat "$work/lab.log" >&2; echo "bench-manual: the lab did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/lab.env"
D=$LAB_DOMAIN
DNS=(@127.0.0.1 -p "$LAB_DNS_PORT")

check="SSL_CERT_FILE=$LAB_CA SSL_CERT_DIR=$work/certs $work/mailsetup check --resolver $LAB_DNS --allow-private --port-map $LAB_PORT_MAP --format json $D"
check_system="SSL_CERT_FILE=$LAB_CA $work/mailsetup check --resolver $LAB_DNS --allow-private --port-map $LAB_PORT_MAP --format json $D"
if ! bash -c "$check" >"$work/check.json"; then
	echo "bench-manual: mailsetup does not find the good scenario good:" >&2
	cat "$work/check.json" >&2
	exit 1
fi

# The manual steps, in order, each a command line as typed; the whole
# sequence is the same lines in one script (one shell, as in a terminal).
names=()
cmds=()
step() { # name, command line
	names+=("$1")
	cmds+=("$2")
}
step imap993 "printf 'a1 CAPABILITY\r\na2 LOGOUT\r\n' | openssl s_client -quiet -ignore_unexpected_eof -connect 127.0.0.1:$PORT_993 -servername $D"
step pop3-995 "printf 'CAPA\r\nQUIT\r\n' | openssl s_client -quiet -ignore_unexpected_eof -connect 127.0.0.1:$PORT_995 -servername $D"
step smtp465 "printf 'EHLO bench.invalid\r\nQUIT\r\n' | openssl s_client -quiet -ignore_unexpected_eof -connect 127.0.0.1:$PORT_465 -servername $D"
step smtp587-starttls "printf 'EHLO bench.invalid\r\nQUIT\r\n' | openssl s_client -quiet -ignore_unexpected_eof -starttls smtp -connect 127.0.0.1:$PORT_587 -servername $D"
step swaks587-auth "swaks --server 127.0.0.1:$PORT_587 --tls --quit-after AUTH --ehlo bench.invalid --to postmaster@$D"
step dig-A "dig ${DNS[*]} $D A"
step dig-MX "dig ${DNS[*]} $D MX"
step dig-SPF "dig ${DNS[*]} $D TXT"
step dig-DMARC "dig ${DNS[*]} _dmarc.$D TXT"
step dig-DKIM "dig ${DNS[*]} default._domainkey.$D TXT"
for s in imaps pop3s submissions submission; do
	step "dig-SRV-$s" "dig ${DNS[*]} _$s._tcp.$D SRV"
done
step testssl993 "testssl $TESTSSL_ARGS --quiet --color 0 --warnings off 127.0.0.1:$PORT_993"
{
	echo '#!/usr/bin/env bash'
	for i in "${!names[@]}"; do echo "${cmds[$i]} >/dev/null 2>&1"; done
} >"$work/manual.sh"
grep -v '^testssl' "$work/manual.sh" >"$work/manual-no-testssl.sh"
# Every step must work, or the sequence times failures.
for i in "${!names[@]}"; do
	[ "${names[$i]}" = testssl993 ] && continue
	bash -c "${cmds[$i]}" >"$work/${names[$i]}.out" 2>&1 || { cat "$work/${names[$i]}.out" >&2; echo "bench-manual: step ${names[$i]} failed" >&2; exit 1; }
done

# testssl.sh exits non-zero when it finds something to say (the lab's
# certificate is not from a public CA); it must have run to its end.
bash -c "${cmds[-1]}" >"$work/testssl.out" 2>&1 || true
grep -q 'Done ' "$work/testssl.out" || { cat "$work/testssl.out" >&2; echo "bench-manual: testssl.sh did not finish" >&2; exit 1; }

floors=(
	-n floor-993 "$work/floor -addr 127.0.0.1:$PORT_993 -servername $D"
	-n floor-995 "$work/floor -addr 127.0.0.1:$PORT_995 -servername $D"
	-n floor-465 "$work/floor -addr 127.0.0.1:$PORT_465 -servername $D"
	-n floor-587 "$work/floor -addr 127.0.0.1:$PORT_587 -servername $D -starttls"
)
fast_steps=()
for i in "${!names[@]}"; do
	[ "${names[$i]}" = testssl993 ] && continue
	fast_steps+=(-n "step:${names[$i]}" "${cmds[$i]}")
done

echo "bench-manual: timing (hyperfine)" >&2
hyperfine --style basic --warmup 3 --runs "$RUNS" --export-json "$work/fast.json" \
	-n mailsetup "$check" \
	-n "mailsetup, system trust store" "$check_system" \
	"${floors[@]}" \
	-n "manual without testssl.sh" "bash $work/manual-no-testssl.sh" \
	"${fast_steps[@]}" >&2
hyperfine --style basic --ignore-failure --runs "$MANUAL_RUNS" --export-json "$work/slow.json" \
	-n "step:testssl993" "${cmds[-1]}" \
	-n "manual sequence" "bash $work/manual.sh" >&2

# The table: medians in ms, ratios to mailsetup's median.
jq -r -s --arg runs "$RUNS" --arg mruns "$MANUAL_RUNS" --arg tsargs "$TESTSSL_ARGS" '
	[.[].results[]] as $r
	| ($r | map({key: .command, value: (.median * 1000)}) | from_entries) as $m
	| $m["mailsetup"] as $ms
	| ([$r[] | select(.command | startswith("floor-")) | {name: .command, med: (.median * 1000)}] | max_by(.med)) as $floor
	| def f: (. * 10 | round) / 10;
	  "| what | median (ms) | ratio |",
	  "| --- | ---: | ---: |",
	  "| mailsetup full check (11 checks) | \($ms | f) | 1 |",
	  "| mailsetup, system trust store loaded | \($m["mailsetup, system trust store"] | f) | \(($m["mailsetup, system trust store"] / $ms) | f) |",
	  "| manual sequence (testssl.sh \($tsargs) included, \($mruns) runs) | \($m["manual sequence"] | f) | \(($m["manual sequence"] / $ms) | f)× slower |",
	  "| manual sequence without testssl.sh | \($m["manual without testssl.sh"] | f) | \(($m["manual without testssl.sh"] / $ms) | f)× slower |",
	  "| floor: TCP + TLS + greeting, slowest port (\($floor.name)) | \($floor.med | f) | mailsetup is \(($ms / $floor.med) | f)× the floor |",
	  ($r[] | select(.command | startswith("floor-")) | "| \(.command) | \((.median * 1000) | f) | |"),
	  ($r[] | select(.command | startswith("step:")) | "| \(.command) | \((.median * 1000) | f) | |")
' "$work/fast.json" "$work/slow.json"
echo >&2
echo "bench-manual: $(nproc) CPUs, $(go version | cut -d' ' -f3), hyperfine $RUNS runs ($MANUAL_RUNS for the sequences with testssl.sh)" >&2
