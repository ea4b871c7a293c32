package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;

/**
 * ROLLED_BACK -> PLANNED: stops the reverse and forward streams (their checkpoints stay until the next attempt's
 * PLANNED forgets them and removes the tenant's rows from the new site). Idempotent.
 */
final class RolledBackStep implements MoveStep {
    private final StepContext ctx;

    RolledBackStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.ROLLED_BACK;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        ctx.enter(attempt);
        ctx.data().stopWatching(attempt.tenant());
        ctx.data().stop(attempt.tenant(), attempt.to(), attempt.from());
        ctx.data().stop(attempt.tenant(), attempt.from(), attempt.to());
        return StepOutcome.go(MoveState.PLANNED, "streams stopped; the next attempt starts by removing the tenant's rows"
                + " from " + attempt.to());
    }
}
