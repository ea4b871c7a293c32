#!/usr/bin/env bash
# The full kill matrix of issue 5 (not part of `mvn verify`): `hikkoshi run` as a child JVM, under the shop's
# load, killed with SIGKILL before and after every transition of a move and of its rollback, resumed from its
# journal each time. It is app's RunCrashIT with -Dhikkoshi.kill-matrix=full (verify runs the same test with one
# kill a state): in each of COPYING, SYNCED, FROZEN, FINAL_SYNC, SWITCHED, BAKING, ROLLBACK_FROZEN and
# ROLLBACK_SYNC one kill right after the transition into it and, once resumed there, one right before the
# transition out of it (when the child logs the state's work done; states that log no such line are killed at a
# seeded moment in them), and one kill on entering DONE. The same checks as verify's run follow: the move ends
# DONE with the tenant's rows equal on both sites, no acknowledged write lost, and after the rollback every
# acknowledged write on the old site.
#
#   bench/kill-matrix.sh            builds what app needs and runs the matrix (tens of minutes on a busy machine)
#
# The test prints one line listing each kill and the state the journal showed after it:
#   kill matrix (full): [ENTERED COPYING (journal: COPYING), LEAVING COPYING (journal: SYNCED), ...]
# JUnit's time limit is lifted for this run: every wait inside the test is bounded by itself (2 min a state).
set -uo pipefail
cd "$(dirname "$0")/.."
log=target-kill-matrix.log
start=$(date +%s)
mvn -B -o -pl app -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=RunCrashIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dhikkoshi.kill-matrix=full -Djunit.jupiter.execution.timeout.mode=disabled "$@" > "$log" 2>&1
status=$?
grep -E "kill matrix|Tests run:|FAIL|BUILD" "$log"
echo "kill-matrix: exit=$status seconds=$(( $(date +%s) - start )) (full log: $log)"
exit "$status"
