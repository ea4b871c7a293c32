package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.routing.RouterFleet;
import java.util.HashMap;
import java.util.Map;

/**
 * ABORTING -> PLANNED: releases the tenant on its old site on every router that answers (one that does not keeps
 * holding it until the fleet is next brought up to date, which releases it there), stops the forward stream and
 * forgets what the attempt's streams held in the change logs (trigger capture). The next attempt's PLANNED removes
 * what this one copied. Re-running releases again, which is harmless.
 */
final class AbortingStep implements MoveStep {
    private final StepContext ctx;

    AbortingStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.ABORTING;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        Tenant tenant = ctx.enter(attempt);
        RouterFleet.Released released = ctx.fleet().release(attempt.tenant(), attempt.from());
        ctx.data().stop(attempt.tenant(), attempt.from(), attempt.to());
        // The next attempt (or none) notes new positions: nothing is held for this one's streams any more.
        ctx.data().forgetConsumers(tenant, attempt.from(), attempt.to());
        Map<String, String> notes = new HashMap<>();
        released.held().ifPresent(h -> notes.put(NoteKeys.FREEZE_MILLIS, Long.toString(h.toMillis())));
        String reason = "released on " + attempt.from() + " by " + released.released().size() + " of "
                + released.routers() + " router(s)" + (released.byAll() ? ""
                : "; not answering (they keep holding the tenant until the fleet reaches them): " + released.unanswered());
        return StepOutcome.go(MoveState.PLANNED, reason + "; forward stream stopped", notes);
    }
}
