package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.stream.BypassWrite;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the move steps leave to others: the before-freeze hook (the per-move hooks of {@code cutover.hook} run
 * operators' commands here; a hook that throws aborts the move before any router holds the tenant), and who
 * hears of a write that bypassed the move on the old site after the switch (the controller publishes it as a
 * CRITICAL split-brain event and pauses the plan). The bypass listener is called on the capture's thread: it
 * must be quick and must not throw.
 */
public record MoveHooks(BeforeFreeze beforeFreeze, Consumer<BypassWrite> onBypassWrite) {
    /** No hook; bypass writes are only logged (at ERROR, by the steps). */
    public static final MoveHooks NONE = new MoveHooks(attempt -> { }, write -> { });

    public MoveHooks {
        Objects.requireNonNull(beforeFreeze, "beforeFreeze");
        Objects.requireNonNull(onBypassWrite, "onBypassWrite");
    }

    /** Runs before the FROZEN step freezes the routers; runs again if that step is re-run after a crash. */
    @FunctionalInterface
    public interface BeforeFreeze {
        void run(MoveAttempt attempt) throws Exception;
    }

    public MoveHooks withBeforeFreeze(BeforeFreeze hook) {
        return new MoveHooks(hook, onBypassWrite);
    }

    public MoveHooks withBypassListener(Consumer<BypassWrite> listener) {
        return new MoveHooks(beforeFreeze, listener);
    }
}
