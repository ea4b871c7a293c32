#!/usr/bin/env bash
# Benchmark (not a test): every demo tenant moved under a steady write load, with the freeze each one cost.
#
# Runs `hikkoshi demo --steady-writes RATE --tenants N`: two sandbox MariaDB servers (legacy and cloud), the
# sandbox shop on each, the real router and controller, `hikkoshi plan` and `apply` of three waves (a pilot, half
# of the rest, the remainder), while the load generator writes RATE writes a second (the shop's mix of requests,
# paced evenly, spread over the tenants). No tenant is slowed down: every move is meant to end DONE.
#
# "Freeze time" is the engine's own figure per move: the longest any request of the tenant was held by the
# router. Failed requests and lost writes (acknowledged but missing from the tenant's final database) come from
# the load generator's records and from reading the databases. Per tenant the plan's estimated copy time is
# printed beside the measured one (PLANNED -> COPYING to COPYING -> SYNCED: copy and catch-up).
#
# Peers, for scale: Shopify reports shop moves with a few seconds of downtime; Vitess holds requests for up to
# 10 s by default during a switch. The goal is a p99 freeze under 1 s with no failed request. The machine may be
# shared: the load average is printed beside the figures.
#
#   bench/cutover.sh                        20 tenants, 200 writes a second
#   TENANTS=6 RATE=50 bench/cutover.sh      a short check
#
# The demo's whole report (stdout) and its log (stderr) are kept, for the failed requests and the phases of
# each freeze: under target/bench-cutover/ by default (OUT=DIR to choose), named by the run's start time; the
# script prints where.
#
# The last line is machine-readable:
#   cutover: tenants=N freeze-p50-ms=A freeze-p99-ms=B freeze-max-ms=C failed=F lost=L
set -euo pipefail

TENANTS=${TENANTS:-20}
RATE=${RATE:-200}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "error: $1" >&2; [ -n "${2:-}" ] && echo "hint: $2" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

[[ "$TENANTS" =~ ^[1-9][0-9]*$ ]] && [ "$TENANTS" -ge 4 ] && [ "$TENANTS" -le 200 ] \
  || die "TENANTS=$TENANTS" "a number of tenants from 4 to 200, such as 20"
[[ "$RATE" =~ ^[1-9][0-9]*$ ]] && [ "$RATE" -le 5000 ] || die "RATE=$RATE" "writes a second, 1 to 5000, such as 200"

dir="${OUT:-$here/target/bench-cutover}"
mkdir -p "$dir" || die "cannot create $dir" "set OUT to a writable directory"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$dir/report-$stamp.txt"
errlog="$dir/log-$stamp.txt"
log "the demo's report goes to $out, its log to $errlog"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "hikkoshi demo --tenants $TENANTS --steady-writes $RATE (the launcher builds hikkoshi.jar on first use)..."
rc=0
"$here/hikkoshi" demo --tenants "$TENANTS" --steady-writes "$RATE" >"$out" 2>"$errlog" || rc=$?
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
last=$(grep '^demo: ' "$out" | tail -1) || { cat "$out" >&2; die "the demo printed no demo: line (exit $rc)" "see its output above"; }
[ "$rc" = 0 ] || log "the demo's checks did not all hold (exit $rc); its report follows, the figures are still printed"

# The report's tenant table: wave, tenant, rows, state, site, copy est, copy took, freeze, requests, failed, served by.
table=$(awk '/^  wave +tenant +rows/ { on = 1; next } on && NF == 0 { exit } on' "$out")
[ -n "$table" ] || { cat "$out" >&2; die "no tenant table in the demo's report"; }
echo "tenant      rows  state        copy est  copy took    freeze"
echo "$table" | awk '{ printf "%-9s %6s  %-12s %8s %10s %9s\n", $2, $3, $4, $6 " " $7, $8 " " $9, $10 " " $11 }'

freezes=$(echo "$table" | awk '$4 == "DONE" && $10 ~ /^[0-9]+$/ { print $10 }' | sort -n)
moved=$(echo "$freezes" | grep -c . || true)
[ "$moved" -gt 0 ] || { cat "$out" >&2; die "no tenant reached DONE with a freeze time" "see the demo's report above"; }
pick() { # pick PERCENTILE: nearest rank over the sorted freezes
  echo "$freezes" | awk -v p="$1" -v n="$moved" '{ v[NR] = $1 } END { r = int((p * n + 99) / 100); if (r < 1) r = 1; print v[r] }'
}
p50=$(pick 50)
p99=$(pick 99)
max=$(pick 100)
failed=$(echo "$last" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
lost=$(echo "$last" | sed -n 's/.* lost=\([0-9]*\).*/\1/p')
requests=$(echo "$last" | sed -n 's/.* requests=\([0-9]*\).*/\1/p')
grep '^  freeze phases: ' "$out" | sed 's/^  //' || true
awk '/^failed requests by reason/ { on = 1; print; next } on && NF == 0 { exit } on' "$out"
echo "the demo's report: $out; its log: $errlog"
echo "moved $moved of $TENANTS tenants under $RATE writes a second: $requests requests, $failed failed, $lost acknowledged writes lost"
echo "freeze: median $p50 ms, p99 $p99 ms, largest $max ms (goal: p99 under 1000 ms, no failed request)"
echo "cutover: tenants=$moved freeze-p50-ms=$p50 freeze-p99-ms=$p99 freeze-max-ms=$max failed=$failed lost=$lost"
