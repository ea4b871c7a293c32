package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;

/**
 * DONE -> FINALIZED: until the controller decides to finalize ({@link MoveHooks#finalizeNow}: {@code hikkoshi
 * finalize} or a retention period), keeps the reverse sync running (restarting it from its checkpoint after a
 * controller restart) so a rollback stays possible; then stops it and removes what hikkoshi installed for it.
 */
final class DoneStep implements MoveStep {
    private final StepContext ctx;

    DoneStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.DONE;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        Tenant tenant = ctx.enter(attempt);
        if (!ctx.hooks().finalizeNow().test(attempt)) {
            StepContext.alive(ctx.data().stream(tenant, attempt.to(), attempt.from(), true,
                    StepContext.noted(attempt, NoteKeys.REVERSE_POSITION)));
            return StepOutcome.stay(MoveState.DONE, "reverse sync running until the move is finalized");
        }
        String removed = ctx.data().finalizeMove(tenant, attempt.from(), attempt.to());
        return StepOutcome.go(MoveState.FINALIZED, "finalized: " + removed);
    }
}
