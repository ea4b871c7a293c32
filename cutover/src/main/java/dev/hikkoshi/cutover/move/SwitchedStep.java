package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.routing.RouterFleet;
import java.util.HashMap;
import java.util.Map;

/**
 * SWITCHED -> BAKING: starts the reverse sync from the new site's position noted while frozen, stops the forward
 * stream (the old site must no longer feed the new one), then places the tenant on the new site and releases it
 * there in one table push (a router that did not confirm it keeps holding the tenant: its table still freezes
 * it on the old site), and then starts watching the old site for writes that bypass the move. A router that does
 * not confirm throws: the move fails (a human must look) with the tenant held there, never released to a site
 * it may not be on. Re-running restarts the reverse sync from its checkpoint and releases again.
 *
 * <p>Only what must precede the release runs inside the hold. The watch reads the old site from the position
 * FINAL_SYNC noted while frozen, so starting it after the release misses no write; set up inside the hold it cost
 * a connection, a read of the tenant's parent keys and a reconnect of the old site's binlog tailer. A separate
 * push placing the tenant frozen on the new site before the release push added a table write and a router call.
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
        long heldBefore = ctx.heldSoFar(attempt, StepNotes.FREEZE_STARTED).toMillis();
        RouterFleet.Released released = ctx.fleet().release(attempt.tenant(), attempt.to())
                .requireAll("release of tenant " + attempt.tenant() + " on " + attempt.to());
        ctx.watchOldSite(tenant, attempt);
        ctx.data().forgetForward(tenant, attempt.from(), attempt.to()); // released already: not in the hold
        Map<String, String> notes = new HashMap<>();
        notes.put(NoteKeys.SWITCH_VERSION, Long.toString(released.version()));
        long heldMillis = released.held().map(java.time.Duration::toMillis).orElse(heldBefore);
        notes.put(NoteKeys.FREEZE_MILLIS, Long.toString(heldMillis));
        return StepOutcome.go(MoveState.BAKING, "reverse sync started; placed on " + attempt.to() + " (routing table version "
                + released.version() + ") and released by " + released.released().size() + " router(s) after "
                + heldMillis + " ms frozen", notes);
    }
}
