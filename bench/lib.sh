# Shared by the benchmarks that time database tools (bench/copy.sh, bench/sync.sh); sourced after they define
# log() and the src()/tgt() clients of their sandbox source and target.

# Each timed tool starts on servers at rest. For seconds after the generation's INSERT returns, the source's
# purge still works through its undo (about a million buffer pool writes, 2 s of CPU on this machine), and after
# a copy the target is still flushing its pages: the tool timed next would share the two cores with that work.
settle() { # settle: until, on both servers, the history list is empty and neither page writes nor dirty pages move for a second (at most 60 s)
  local last="" state
  for _ in $(seq 1 60); do
    state="$(for c in src tgt; do "$c" -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_history_list_length',
      'Innodb_buffer_pool_write_requests', 'Innodb_buffer_pool_pages_dirty')"; done | tr '\n\t' '  ')"
    [ "$state" = "$last" ] && [ "$(grep -o 'Innodb_history_list_length 0 ' <<<"$state" | wc -l)" = 2 ] && return 0
    last=$state
    sleep 1
  done
  log "the servers did not settle within 60 s; timing anyway"
}

# Where the CPU goes. Both servers and the tool under test share the machine's cores, so the CPU each spends
# decides the wall time: cpu_begin notes the servers' CPU (utime + stime of each mariadbd, found by its port)
# and their status counters; cpu_end WHAT TOOL_CPU_FILE logs the tool's own CPU (what /usr/bin/time -f '%U %S'
# wrote), each server's, and the changes of a few counters that tell the work apart (the whole delta of both
# servers' counters is kept in the work directory as WHAT.status).
server_pid() { # server_pid PORT: the mariadbd listening on PORT
  pgrep -f -- "mariadbd .*--port=$1 " | head -1
}
cpu_ticks() { # cpu_ticks PID: its user + system CPU in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
status_counters() { # status_counters CLIENT: NAME VALUE lines of the numeric global status
  "$1" -e "SHOW GLOBAL STATUS" | awk '$2 ~ /^[0-9]+$/ { print $1, $2 }'
}
cpu_begin() {
  [ -n "${src_pid:-}" ] || { src_pid=$(server_pid "$SP"); tgt_pid=$(server_pid "$TP"); }
  cpu_src0=$(cpu_ticks "$src_pid"); cpu_tgt0=$(cpu_ticks "$tgt_pid")
  status_counters src >"$work/status.src0"; status_counters tgt >"$work/status.tgt0"
}
cpu_end() { # cpu_end WHAT TOOL_CPU_FILE
  local hz src_s tgt_s tool_s name
  hz=$(getconf CLK_TCK)
  src_s=$(awk -v a="$cpu_src0" -v b="$(cpu_ticks "$src_pid")" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
  tgt_s=$(awk -v a="$cpu_tgt0" -v b="$(cpu_ticks "$tgt_pid")" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
  tool_s=$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%.2f", $1 + $2 }' "$2")
  name=$(tr ' +|' '___' <<<"$1")
  status_counters src >"$work/status.src1"; status_counters tgt >"$work/status.tgt1"
  for side in src tgt; do
    awk -v side="$side" 'NR == FNR { before[$1] = $2; next } $2 != before[$1] { print side, $1, $2 - before[$1] }' \
      "$work/status.${side}0" "$work/status.${side}1"
  done >"$work/$name.status"
  log "$1: CPU tool ${tool_s:-?} s, source $src_s s, target $tgt_s s; $(awk '
    $2 ~ /^(Com_insert|Com_commit|Questions|Innodb_row_lock_current_waits|Innodb_os_log_written|Binlog_bytes_written|Innodb_buffer_pool_pages_flushed|Handler_read_key|Handler_write|Innodb_rows_read|Bytes_received)$/ {
      printf "%s %s=%s ", $1, $2, $3 }' "$work/$name.status")"
  echo "$1 $tool_s $src_s $tgt_s" >>"$work/cpu.txt"
}
