package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.routing.RouterFleet;
import java.util.HashMap;
import java.util.Map;

/**
 * SWITCHED -> BAKING: starts the reverse sync from the new site's position noted while frozen, stops the forward
 * stream (the old site must no longer feed the new one), starts watching the old site for writes that bypass
 * the move, places the tenant on the new site on every router (still
 * frozen), and only then releases it there. A router that does not confirm throws: the move fails (a human must
 * look) with the tenant held, never released to a site it may not be on. Re-running restarts the reverse sync
 * from its checkpoint and skips the placement a router table already has.
 */
final class SwitchedStep implements MoveStep {
    private final StepContext ctx;

    SwitchedStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.SWITCHED;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        Tenant tenant = ctx.enter(attempt);
        StepContext.alive(ctx.data().stream(tenant, attempt.to(), attempt.from(), true,
                StepContext.noted(attempt, NoteKeys.REVERSE_POSITION)));
        ctx.data().stop(tenant.id(), attempt.from(), attempt.to());
        ctx.watchOldSite(tenant, attempt);
        if (!ctx.placedOn(attempt, attempt.to())) {
            ctx.fleet().place(attempt.tenant(), new Placement(attempt.to(), true));
        }
        long heldBefore = ctx.heldSoFar(attempt, StepNotes.FREEZE_STARTED).toMillis();
        RouterFleet.Released released = ctx.fleet().release(attempt.tenant(), attempt.to())
                .requireAll("release of tenant " + attempt.tenant() + " on " + attempt.to());
        Map<String, String> notes = new HashMap<>();
        notes.put(NoteKeys.SWITCH_VERSION, Long.toString(released.version()));
        long heldMillis = released.held().map(java.time.Duration::toMillis).orElse(heldBefore);
        notes.put(NoteKeys.FREEZE_MILLIS, Long.toString(heldMillis));
        return StepOutcome.go(MoveState.BAKING, "reverse sync started; placed on " + attempt.to() + " (routing table version "
                + released.version() + ") and released by " + released.released().size() + " router(s) after "
                + heldMillis + " ms frozen", notes);
    }
}
