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
