package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.verify.RowDifference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * FINAL_SYNC -> SWITCHED (or ABORTING): while every router holds the tenant, drains the forward stream to the
 * source's current position, verifies the dirty rows, and notes the new site's change position (the reverse
 * sync starts there, so no write made on the new site after the switch is missed) and the old site's (the
 * bypass-write watch starts there). Goes to ABORTING when the
 * hold would exceed {@code freeze.max} or a row still differs. Re-running drains and verifies again, which is
 * quick since nothing changes while frozen.
 */
final class FinalSyncStep implements MoveStep {
    private static final int SHOWN_DIFFERENCES = 5;
    private final StepContext ctx;

    FinalSyncStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.FINAL_SYNC;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws InterruptedException {
        Tenant tenant = ctx.enter(attempt);
        Duration max = ctx.settings().freezeMax();
        Duration left = max.minus(ctx.heldSoFar(attempt, StepNotes.FREEZE_STARTED));
        if (left.isNegative() || left.isZero()) {
            return StepOutcome.go(MoveState.ABORTING, "freeze.max " + max.toMillis() + " ms spent before the final sync");
        }
        TenantStream stream = StepContext.alive(ctx.data().stream(tenant, attempt.from(), attempt.to(), false,
                StepContext.noted(attempt, NoteKeys.FORWARD_POSITION)));
        if (!stream.awaitCaughtUp(left)) {
            StepContext.alive(stream);
            return StepOutcome.go(MoveState.ABORTING, "the final sync did not drain within freeze.max " + max.toMillis()
                    + " ms (" + StepContext.lag(stream) + ")");
        }
        List<RowDifference> differing = ctx.data().dirtyDifferences(tenant, stream, attempt.from(), attempt.to());
        if (!differing.isEmpty()) {
            return StepOutcome.go(MoveState.ABORTING, differing.size() + " row(s) differ after the final sync: "
                    + differing.stream().limit(SHOWN_DIFFERENCES).map(RowDifference::describe)
                    .collect(Collectors.joining("; ")));
        }
        Duration held = ctx.heldSoFar(attempt, StepNotes.FREEZE_STARTED);
        if (held.compareTo(max) > 0) {
            return StepOutcome.go(MoveState.ABORTING, "the final sync took the hold to " + held.toMillis()
                    + " ms, over freeze.max " + max.toMillis() + " ms");
        }
        CapturePosition reverse = ctx.data().noteStreamStart(tenant, attempt.to(), attempt.from(), true);
        CapturePosition old = ctx.data().noteWatchStart(tenant, attempt.from(), attempt.to());
        return StepOutcome.go(MoveState.SWITCHED, "stream drained and dirty rows verified after " + held.toMillis()
                        + " ms frozen; " + attempt.to() + " change position noted at " + reverse.text(),
                Map.of(NoteKeys.REVERSE_POSITION, reverse.text(), StepNotes.OLD_SITE_POSITION, old.text()));
    }
}
