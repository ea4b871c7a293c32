package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.data.verify.RowDifference;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ROLLBACK_SYNC -> ROLLED_BACK: while the routers hold the tenant, drains the reverse stream (every write made
 * on the new site reaches the old one), verifies its dirty rows, places the tenant back on the old site and
 * releases it there. A stream that does not drain, or a row that still differs, throws: the move fails with the
 * tenant held rather than lose a write. Re-run after the tenant was already placed back (a crash between the
 * placement and the journal), it only releases: writes may have reached the old site since, so it must not
 * compare again.
 */
final class RollbackSyncStep implements MoveStep {
    private final StepContext ctx;

    RollbackSyncStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.ROLLBACK_SYNC;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws InterruptedException {
        Tenant tenant = ctx.enter(attempt);
        Map<String, String> notes = new HashMap<>();
        if (!ctx.placedOn(attempt, attempt.from())) {
            TenantStream back = StepContext.alive(ctx.data().stream(tenant, attempt.to(), attempt.from(), true,
                    StepContext.noted(attempt, NoteKeys.REVERSE_POSITION)));
            Duration budget = ctx.settings().freezeMax();
            if (!back.awaitCaughtUp(budget)) {
                StepContext.alive(back);
                throw new IllegalStateException("the reverse stream of tenant " + tenant.id() + " did not drain within "
                        + budget.toMillis() + " ms (" + StepContext.lag(back) + "); the tenant stays frozen on "
                        + attempt.to());
            }
            List<RowDifference> differing = ctx.data().dirtyDifferences(tenant, back, attempt.to(), attempt.from());
            if (!differing.isEmpty()) {
                throw new IllegalStateException(differing.size() + " row(s) of tenant " + tenant.id() + " differ on "
                        + attempt.from() + " after the reverse sync: " + differing.stream().limit(5)
                        .map(RowDifference::describe).collect(Collectors.joining("; ")) + "; the tenant stays frozen on "
                        + attempt.to());
            }
            long version = ctx.fleet().place(attempt.tenant(), new Placement(attempt.from(), true));
            notes.put(StepNotes.ROLLBACK_VERSION, Long.toString(version));
        }
        // Released there, the tenant writes to the old site again: those writes are not bypasses.
        ctx.data().stopWatching(tenant, attempt.from(), attempt.to());
        long heldBefore = ctx.heldSoFar(attempt, StepNotes.ROLLBACK_FREEZE_STARTED).toMillis();
        RouterFleet.Released released = ctx.fleet().release(attempt.tenant(), attempt.from())
                .requireAll("release of tenant " + attempt.tenant() + " on " + attempt.from());
        long held = released.held().map(Duration::toMillis).orElse(heldBefore);
        notes.put(StepNotes.ROLLBACK_FREEZE_MILLIS, Long.toString(held));
        return StepOutcome.go(MoveState.ROLLED_BACK, "reverse stream drained and verified; placed back on "
                + attempt.from() + " and released by " + released.released().size() + " router(s) after " + held
                + " ms frozen", notes);
    }
}
