package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.cutover.move.MoveAttempt;

/**
 * Whether an operator approved a move whose bake stayed inconclusive ({@code hikkoshi approve WAVE}): answered
 * by the controller from its journaled approvals, asked by {@link BakeStep} while the move waits.
 */
@FunctionalInterface
public interface BakeApproval {
    boolean approved(MoveAttempt attempt);
}
