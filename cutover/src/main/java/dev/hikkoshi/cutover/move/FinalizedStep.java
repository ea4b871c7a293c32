package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.Tenant;

/**
 * The clean-up of a move that was finalized ({@code hikkoshi finalize}, or a retention period): stops the reverse
 * sync, forgets its checkpoint and what the move held in the change logs, and removes the trigger capture from the
 * new site once no other stream is recorded as reading it (see {@link MoveData#finalizeMove}). The runner journals
 * DONE -> FINALIZED first and then runs this once; it stays FINALIZED (there is no successor), and running it again
 * is harmless.
 */
final class FinalizedStep implements MoveStep {
    private final StepContext ctx;

    FinalizedStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public MoveState state() {
        return MoveState.FINALIZED;
    }

    @Override
    public StepOutcome run(MoveAttempt attempt) {
        Tenant tenant = ctx.enter(attempt);
        String removed = ctx.data().finalizeMove(tenant, attempt.from(), attempt.to());
        return StepOutcome.stay(MoveState.FINALIZED, "finalized: " + removed);
    }
}
