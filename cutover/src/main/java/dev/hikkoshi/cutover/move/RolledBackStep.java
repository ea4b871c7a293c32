package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;

/**
 * ROLLED_BACK -> PLANNED: stops the reverse and forward streams (their checkpoints stay until the next attempt's
 * PLANNED forgets them and removes the tenant's rows from the new site) and the old site's watch, and forgets what
 * they held in the sites' change logs (trigger capture): the next attempt, if any, notes new positions. Idempotent.
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
        Tenant tenant = ctx.enter(attempt);
        ctx.data().stopWatching(tenant, attempt.from(), attempt.to());
        ctx.data().stop(attempt.tenant(), attempt.to(), attempt.from());
        ctx.data().stop(attempt.tenant(), attempt.from(), attempt.to());
        ctx.data().forgetConsumers(tenant, attempt.from(), attempt.to());
        return StepOutcome.go(MoveState.PLANNED, "streams stopped; the next attempt starts by removing the tenant's rows"
                + " from " + attempt.to());
    }
}
