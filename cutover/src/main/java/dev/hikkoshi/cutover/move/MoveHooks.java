package dev.hikkoshi.cutover.move;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the move steps leave to others: the before-freeze hook (the per-move hooks of the rollback-line work run
 * operators' commands here; a hook that throws aborts the move before any router holds the tenant) and when a
 * DONE move is to be finalized ({@code hikkoshi finalize}, or a retention period, decided by the controller).
 */
public record MoveHooks(BeforeFreeze beforeFreeze, Predicate<MoveAttempt> finalizeNow) {
    /** No hook, and no move is finalized. */
    public static final MoveHooks NONE = new MoveHooks(attempt -> { }, attempt -> false);

    public MoveHooks {
        Objects.requireNonNull(beforeFreeze, "beforeFreeze");
        Objects.requireNonNull(finalizeNow, "finalizeNow");
    }

    /** Runs before the FROZEN step freezes the routers; runs again if that step is re-run after a crash. */
    @FunctionalInterface
    public interface BeforeFreeze {
        void run(MoveAttempt attempt) throws Exception;
    }

    public MoveHooks withBeforeFreeze(BeforeFreeze hook) {
        return new MoveHooks(hook, finalizeNow);
    }

    public MoveHooks withFinalizeNow(Predicate<MoveAttempt> when) {
        return new MoveHooks(beforeFreeze, when);
    }
}
