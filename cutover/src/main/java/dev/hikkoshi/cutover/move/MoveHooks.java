package dev.hikkoshi.cutover.move;

import java.util.Objects;

/**
 * What the move steps leave to others: the before-freeze hook (the per-move hooks of {@code cutover.hook} run
 * operators' commands here; a hook that throws aborts the move before any router holds the tenant).
 */
public record MoveHooks(BeforeFreeze beforeFreeze) {
    /** No hook. */
    public static final MoveHooks NONE = new MoveHooks(attempt -> { });

    public MoveHooks {
        Objects.requireNonNull(beforeFreeze, "beforeFreeze");
    }

    /** Runs before the FROZEN step freezes the routers; runs again if that step is re-run after a crash. */
    @FunctionalInterface
    public interface BeforeFreeze {
        void run(MoveAttempt attempt) throws Exception;
    }

    public MoveHooks withBeforeFreeze(BeforeFreeze hook) {
        return new MoveHooks(hook);
    }
}
