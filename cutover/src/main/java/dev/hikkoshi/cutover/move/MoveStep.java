package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;

/**
 * The work done in one state of a move, and the decision of where to go next. Steps are idempotent: the runner
 * may run a step again after a crash (the journal says the move is still in {@link #state()}), so a step
 * first looks at what an earlier run of itself already did. A step never journals: it returns an outcome and
 * the runner appends the transition to the journal before it takes effect.
 */
public interface MoveStep {
    /** The state this step works in. */
    MoveState state();

    /**
     * Does this state's work for {@code attempt} and says where to go. Throws only for what the runner should
     * treat as a failed step (it then decides between ABORTING and FAILED by the state); interrupted steps
     * rethrow {@link InterruptedException}.
     */
    StepOutcome run(MoveAttempt attempt) throws Exception;
}
