package dev.hikkoshi.watch.check;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code hikkoshi check move [TENANT]}: the moves as the controller reports them. CRITICAL when a move is
 * FAILED (a human must look) or a working move has been in its state longer than the critical age; WARNING when
 * the plan is paused (a setback, a split-brain, an operator), a move aborts or rolls back, or a working move is
 * older than the warning age. An unknown tenant is UNKNOWN.
 */
public final class MoveCheck {
    static final String SERVICE = "MOVE";
    private static final Set<MoveState> RESTING = EnumSet.of(MoveState.PLANNED, MoveState.BAKING, MoveState.DONE,
            MoveState.FINALIZED, MoveState.FAILED);
    private static final Set<MoveState> SETBACK = EnumSet.of(MoveState.ABORTING, MoveState.ROLLBACK_FROZEN,
            MoveState.ROLLBACK_SYNC, MoveState.ROLLED_BACK);

    /** Thresholds on the time a move has spent in a working state, in seconds. */
    public record Options(Threshold ageSeconds) {
    }

    private MoveCheck() {
    }

    public static CheckResult run(List<MoveStatus> all, boolean paused, Optional<String> pauseReason,
                                  Optional<String> tenant, Options o, Instant now) {
        List<MoveStatus> moves = tenant.map(t -> all.stream().filter(m -> m.tenant().value().equals(t)).toList()).orElse(all);
        if (tenant.isPresent() && moves.isEmpty()) {
            return CheckResult.unknown(SERVICE, "the controller has no move for tenant " + tenant.get());
        }
        CheckStatus status = CheckStatus.OK;
        List<String> problems = new ArrayList<>();
        if (paused) {
            status = status.worst(CheckStatus.WARNING);
            problems.add("plan paused" + pauseReason.map(r -> ": " + r).orElse(""));
        }
        long failed = 0;
        long frozen = 0;
        long done = 0;
        double oldest = 0;
        for (MoveStatus m : moves) {
            String problem = m.problem().map(p -> " (" + p + ")").orElse("");
            if (m.state() == MoveState.FAILED) {
                failed++;
                status = status.worst(CheckStatus.CRITICAL);
                problems.add(m.tenant() + " FAILED" + problem);
                continue;
            }
            if (m.state().frozen()) {
                frozen++;
            }
            if (m.state() == MoveState.DONE || m.state() == MoveState.FINALIZED) {
                done++;
            }
            if (SETBACK.contains(m.state())) {
                status = status.worst(CheckStatus.WARNING);
                problems.add(m.tenant() + " " + m.state() + problem);
            }
            if (!RESTING.contains(m.state())) {
                double age = m.age(now).toMillis() / 1000.0;
                oldest = Math.max(oldest, age);
                CheckStatus byAge = o.ageSeconds().judge(age);
                if (byAge != CheckStatus.OK) {
                    status = status.worst(byAge);
                    problems.add(m.tenant() + " in " + m.state() + " for " + Math.round(age) + "s (above "
                            + RouterCheck.bound(o.ageSeconds(), byAge) + "s)");
                }
            }
        }
        String facts = moves.size() + (moves.size() == 1 ? " move" : " moves") + ", " + done + " done, " + frozen
                + " frozen, " + failed + " failed" + (tenant.isPresent() && moves.size() == 1
                ? "; " + moves.get(0).tenant() + " is " + moves.get(0).state() + " since " + moves.get(0).since() : "");
        String summary = problems.isEmpty() ? facts : String.join("; ", problems) + " (" + facts + ")";
        return new CheckResult(SERVICE, status, summary, List.of(
                PerfData.of("moves", moves.size(), ""),
                PerfData.of("done", done, ""),
                PerfData.of("frozen", frozen, ""),
                new PerfData("failed", failed, "", Optional.empty(), Optional.of(0.0), Optional.of(0.0), Optional.empty()),
                PerfData.of("oldest_working", RouterCheck.round(oldest), "s").thresholds(o.ageSeconds())));
    }
}
