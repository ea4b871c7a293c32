package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.cutover.routing.RouterFleet;
import java.util.Map;

/**
 * FROZEN -> FINAL_SYNC: brings every router to the controller's table, runs the before-freeze hook, then freezes the tenant on its old site on every router
 * (each holds its new requests and drains its in-flight ones). A failing hook, or a router that does not
 * confirm, throws: the runner aborts and ABORTING releases the tenant. Re-running freezes again, which a router
 * that already holds the tenant confirms at once.
 */
final class FrozenStep implements MoveStep {
    private final StepContext ctx;

    FrozenStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.FROZEN;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) throws Exception {
        ctx.enter(attempt);
        ctx.fleet().bringUpToDate();
        ctx.hooks().beforeFreeze().run(attempt);
        RouterFleet.Frozen frozen = ctx.fleet().freeze(attempt.tenant(), attempt.from(), ctx.settings().drainTimeout());
        int drained = frozen.reports().stream().mapToInt(RouterControl.FreezeReport::drainedRequests).sum();
        return StepOutcome.go(MoveState.FINAL_SYNC, "frozen on " + attempt.from() + " by " + frozen.reports().size()
                        + " router(s); " + drained + " in-flight request(s) drained",
                Map.of(StepNotes.FREEZE_STARTED, Long.toString(frozen.since().toEpochMilli())));
    }
}
