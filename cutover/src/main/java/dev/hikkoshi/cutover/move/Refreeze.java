package dev.hikkoshi.cutover.move;

/**
 * Freezes a move's tenant again before the runner resumes it in FINAL_SYNC or ROLLBACK_SYNC after a controller
 * restart: the routers may have given up the hold (their {@code max-hold}) or restarted while the controller
 * was down, and those steps assume the tenant is held. Implemented by the steps; the runner calls it once per
 * resume and treats a failure like a failure of the state's step.
 */
@FunctionalInterface
public interface Refreeze {
    void refreeze(MoveAttempt attempt) throws Exception;
}
