package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.capture.CapturePosition;
import java.util.Map;

/**
 * PLANNED -> COPYING: forgets what an earlier attempt left (its streams and checkpoints, and the tenant's rows on
 * the target, so a retried move never keeps a row the source changed or deleted since), then notes the source's
 * change position before any row is copied. Re-running it is harmless: COPYING has not begun (the runner journals
 * COPYING before the copy starts), so there is no copy of this attempt to resume.
 */
final class PlannedStep implements MoveStep {
    private final StepContext ctx;

    PlannedStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.PLANNED;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        Tenant tenant = ctx.enter(attempt);
        Map<String, Long> removed = ctx.data().forgetEarlierAttempts(tenant, attempt.from(), attempt.to(),
                "cutover/" + attempt.tenant() + "#" + attempt.attempt());
        long rows = removed.values().stream().mapToLong(Long::longValue).sum();
        CapturePosition position = ctx.data().noteStreamStart(tenant, attempt.from(), attempt.to(), false);
        return StepOutcome.go(MoveState.COPYING, "target cleaned (" + rows + " rows left by an earlier attempt removed);"
                + " change position of " + attempt.from() + " noted at " + position.text(),
                Map.of(NoteKeys.FORWARD_POSITION, position.text()));
    }
}
