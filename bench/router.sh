#!/usr/bin/env bash
# Benchmark (not a test): hikkoshi's router against nginx configured as the same reverse proxy, in one run.
#
# One backend (nginx returning a small body), two proxies in front of it on 127.0.0.1: `hikkoshi router`
# (from the built jar) and nginx (upstream keepalive, proxy_http_version 1.1, empty Connection header,
# worker_processes auto). After a JVM warm-up, wrk drives both in alternating rounds with the same
# connections and duration. Only the ratios of one run mean anything: the machine is shared.
#
#   bench/router.sh                     3 rounds of 10 s, wrk -t1 -c64, access logs off on both sides
#   ROUNDS=2 DURATION=3s WARMUP=5s bench/router.sh      a short check
#   ACCESS_LOG=on bench/router.sh       both proxies write one JSON access log line per request to a file
#
# The last line is machine-readable (ratios are hikkoshi/nginx):
#   router: rps-ratio=R p99-ratio=P hikkoshi-rps=N nginx-rps=M
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
# 30 s: on this shared 2-core machine, 20 s into a load the JVM still spent half its CPU in the C2 compiler
# (perf record, -XX:+DumpPerfMapAtExit), so a shorter warm-up measures the JIT rather than the proxy.
WARMUP=${WARMUP:-30s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
ACCESS_LOG=${ACCESS_LOG:-off}
# AlwaysPreTouch: the heap's pages are touched at start, not on first use; at a few MB/s of allocation the
# first pass over the 128 MB eden lasts the whole run, and its page faults (4% of the samples of a perf
# profile) were charged to the rounds.
HIKKOSHI_JAVA_OPTS=${HIKKOSHI_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}
KEEP=${KEEP:-0}   # KEEP=1 leaves the work directory (configs, logs) for a look afterwards

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/app/target/hikkoshi.jar"

die() { echo "error: $1" >&2; [ -n "${2:-}" ] && echo "hint: $2" >&2; exit 2; }

case "$ACCESS_LOG" in on|off) ;; *) die "ACCESS_LOG=$ACCESS_LOG" "use ACCESS_LOG=on or ACCESS_LOG=off" ;; esac
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS" "a whole number of rounds, such as 3"
for d in "$DURATION" "$WARMUP"; do
  [[ "$d" =~ ^[1-9][0-9]*[sm]$ ]] || die "duration $d" "seconds or minutes as wrk takes them, such as 10s"
done

# --- tools -----------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "${missing[*]} not installed" "run as root so that apt-get can install them, or install them first"
  echo "bench: installing ${missing[*]} from Debian's packages..." >&2
  # Keep the package's init script from starting a system nginx on port 80 while it is installed.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || rc=$?
  if [ "$added_policy" -eq 1 ]; then rm -f "$policy"; fi
  [ "$rc" -eq 0 ] || die "apt-get could not install ${missing[*]}" "install them by hand (apt-get install nginx wrk)"
}
install_missing
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The launcher builds the jar when it is missing or older than the sources; the bench then runs the jar itself.
"$here/hikkoshi" --version >/dev/null

# --- work directory and cleanup ----------------------------------------------------------------------------
work=$(mktemp -d /tmp/hikkoshi-bench.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 30000))
}

# Waits (bounded) until 127.0.0.1:$1 answers a request for Host $2 with a 200.
await_http() {
  local port=$1 host=$2 what=$3 status=""
  for _ in $(seq 150); do
    status=$(curl -s -o /dev/null -m 2 -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$port/" || true)
    [ "$status" = 200 ] && return 0
    sleep 0.2
  done
  die "$what on 127.0.0.1:$port did not answer 200 within 30 s (last status: ${status:-none})" "see the logs in $work (KEEP=1 keeps them)"
}

backend_port=$(free_port)
nginx_port=$(free_port)
hikkoshi_port=$(free_port)
host=acme.bench.test

# --- the backend: nginx returning a small body --------------------------------------------------------------
mkdir -p "$work/backend" "$work/proxy" "$work/state"
cat >"$work/backend.conf" <<EOF
worker_processes 1;
pid $work/backend.pid;
error_log $work/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/backend; proxy_temp_path $work/backend; fastcgi_temp_path $work/backend;
  uwsgi_temp_path $work/backend; scgi_temp_path $work/backend;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$backend_port;
    location / { default_type text/plain; return 200 "hello from the backend\n"; }
  }
}
EOF

# --- nginx as the same reverse proxy ------------------------------------------------------------------------
if [ "$ACCESS_LOG" = on ]; then
  nginx_access="log_format hikkoshi_like escape=json '{\"time\":\"\$time_iso8601\",\"request_id\":\"\$request_id\",\"tenant\":\"\$tenant\",\"upstream\":\"\$upstream_addr\",\"method\":\"\$request_method\",\"path\":\"\$uri\",\"status\":\$status,\"bytes_in\":\$request_length,\"bytes_out\":\$bytes_sent,\"duration\":\$request_time,\"upstream_time\":\"\$upstream_response_time\"}';
  access_log $work/nginx-access.log hikkoshi_like;"
else
  nginx_access="access_log off;"
fi
cat >"$work/proxy.conf" <<EOF
worker_processes auto;
pid $work/proxy.pid;
error_log $work/proxy-error.log warn;
events { worker_connections 4096; }
http {
  $nginx_access
  client_body_temp_path $work/proxy; proxy_temp_path $work/proxy; fastcgi_temp_path $work/proxy;
  uwsgi_temp_path $work/proxy; scgi_temp_path $work/proxy;
  keepalive_requests 1000000;
  # What hikkoshi does per request: resolve the tenant from the host, forward it in its header.
  map \$host \$tenant { ~^(?<t>[A-Za-z0-9][A-Za-z0-9_.-]*)\.bench\.test\$ \$t; default ""; }
  upstream backend { server 127.0.0.1:$backend_port; keepalive 128; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Hikkoshi-Tenant \$tenant;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }
}
EOF

# --- hikkoshi's router, same backend, same job ----------------------------------------------------------------
access_bool=false; [ "$ACCESS_LOG" = on ] && access_bool=true
cat >"$work/hikkoshi.yaml" <<EOF
environment: bench
sites:
  legacy:
    upstreams: [http://127.0.0.1:$backend_port]
tenants:
  list: [{name: acme, id: 1}]
router:
  listen: 127.0.0.1:$hikkoshi_port
  admin: { listen: 127.0.0.1:0, tokens: { bench: { env: HIKKOSHI_BENCH_TOKEN } } }
  tenant-from: [ { host: "{tenant}.bench.test" } ]
  unknown-tenant: legacy
  access-log: $access_bool
state-dir: $work/state
EOF

# In the foreground (daemon off) and in the background here, so that the trap knows and stops exactly them.
"$NGINX" -e "$work/backend-error.log" -p "$work" -c "$work/backend.conf" -g 'daemon off;' &
pids+=($!)
"$NGINX" -e "$work/proxy-error.log" -p "$work" -c "$work/proxy.conf" -g 'daemon off;' &
pids+=($!)
await_http "$backend_port" "$host" "the backend (nginx)"
await_http "$nginx_port" "$host" "nginx as a proxy"

# The router's log, and its access log when on (logger hikkoshi.access), goes to a file, as nginx's does.
# shellcheck disable=SC2086
HIKKOSHI_BENCH_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  java $HIKKOSHI_JAVA_OPTS -jar "$jar" router -c "$work/hikkoshi.yaml" >"$work/hikkoshi.out" 2>"$work/hikkoshi.log" &
pids+=($!)
await_http "$hikkoshi_port" "$host" "hikkoshi router"

# --- measure --------------------------------------------------------------------------------------------------
# Prints "RPS P99_MS" for one wrk run against a port; wrk's errors go to stderr, named after $3.
measure() {
  local port=$1 duration=$2 what=$3 out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "Host: $host" "http://127.0.0.1:$port/")
  echo "$out" >>"$work/wrk.log"
  local errors
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
  [ -z "$errors" ] || echo "bench: $what (port $port):$errors" >&2
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    END { if (rps == "" || p99 == "") exit 1; printf "%.0f %.3f\n", rps, p99 }'
}

echo "bench: backend nginx :$backend_port, hikkoshi :$hikkoshi_port, nginx proxy :$nginx_port;" \
  "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS rounds of $DURATION, access logs $ACCESS_LOG"
echo "bench: warm-up: hikkoshi $WARMUP, nginx 3s"
# Errors during the warm-up are named as such: a cold JVM on a busy machine can leave a first request
# unanswered for over wrk's 2 s timeout while it loads classes and compiles; the rounds are what count.
measure "$hikkoshi_port" "$WARMUP" "hikkoshi warm-up" >/dev/null
measure "$nginx_port" 3s "nginx warm-up" >/dev/null

h_rps=(); h_p99=(); n_rps=(); n_p99=()
for round in $(seq "$ROUNDS"); do
  # Alternate who goes first so that neither always runs on a warmer (or hotter) machine.
  if [ $((round % 2)) -eq 1 ]; then order="hikkoshi nginx"; else order="nginx hikkoshi"; fi
  for who in $order; do
    if [ "$who" = hikkoshi ]; then
      read -r rps p99 < <(measure "$hikkoshi_port" "$DURATION" "round $round hikkoshi")
      h_rps+=("$rps"); h_p99+=("$p99")
    else
      read -r rps p99 < <(measure "$nginx_port" "$DURATION" "round $round nginx")
      n_rps+=("$rps"); n_p99+=("$p99")
    fi
    printf 'round %d  %-8s  %8s req/s  p99 %7s ms\n' "$round" "$who" "$rps" "$p99"
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
hr=$(median "${h_rps[@]}"); hp=$(median "${h_p99[@]}")
nr=$(median "${n_rps[@]}"); np=$(median "${n_p99[@]}")
printf 'median    hikkoshi  %8.0f req/s  p99 %7.3f ms\n' "$hr" "$hp"
printf 'median    nginx     %8.0f req/s  p99 %7.3f ms\n' "$nr" "$np"
awk -v hr="$hr" -v hp="$hp" -v nr="$nr" -v np="$np" \
  'BEGIN { printf "router: rps-ratio=%.2f p99-ratio=%.2f hikkoshi-rps=%.0f nginx-rps=%.0f\n", hr / nr, hp / np, hr, nr }'
