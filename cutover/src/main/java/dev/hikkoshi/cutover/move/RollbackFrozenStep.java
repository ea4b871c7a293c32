package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.cutover.routing.RouterFleet;
import java.util.Map;

/**
 * ROLLBACK_FROZEN -> ROLLBACK_SYNC: freezes the tenant where it is served now (the new site) on every router. A
 * router that does not confirm throws and the move fails (a human must look): a rollback never releases the
 * tenant anywhere on a guess.
 */
final class RollbackFrozenStep implements MoveStep {
    private final StepContext ctx;

    RollbackFrozenStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.ROLLBACK_FROZEN;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        ctx.enter(attempt);
        RouterFleet.Frozen frozen = ctx.fleet().freeze(attempt.tenant(), attempt.to(), ctx.settings().drainTimeout());
        return StepOutcome.go(MoveState.ROLLBACK_SYNC, "frozen on " + attempt.to() + " by " + frozen.reports().size()
                + " router(s) for the rollback", Map.of(StepNotes.ROLLBACK_FREEZE_STARTED,
                Long.toString(frozen.since().toEpochMilli())));
    }
}
