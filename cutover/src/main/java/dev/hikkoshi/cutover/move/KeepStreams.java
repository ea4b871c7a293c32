package dev.hikkoshi.cutover.move;

/**
 * Starts again, after a controller restart, the change streams a replayed move's state needs (the forward
 * stream from COPYING to FINAL_SYNC, the reverse one from SWITCHED on), since the process that ran them is
 * gone. Implemented by the steps ({@code MoveSteps.keepStreams}); the runner calls it once when it resumes a
 * replayed move, after any {@link Refreeze}, and treats a failure like a failure of the state's step, except in
 * DONE, where it reports the reverse sync as failed and leaves the move in place for an operator.
 */
@FunctionalInterface
public interface KeepStreams {
    /** For runners and tests without streams. */
    KeepStreams NONE = attempt -> {
    };

    void keepStreams(MoveAttempt attempt) throws Exception;
}
