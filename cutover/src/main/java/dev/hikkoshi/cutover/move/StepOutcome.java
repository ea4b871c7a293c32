package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import java.util.Map;
import java.util.Objects;

/**
 * What a step decided: the state to go to, the condition that triggered it (journaled and shown to
 * operators), and notes to journal with the transition (for example the change position noted while frozen).
 * A step that must wait (lag still too high, approval pending) returns {@link #stay}.
 */
public record StepOutcome(MoveState next, String reason, Map<String, String> notes) {
    public StepOutcome {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(reason, "reason");
        notes = Map.copyOf(notes);
    }

    public static StepOutcome go(MoveState next, String reason) {
        return new StepOutcome(next, reason, Map.of());
    }

    public static StepOutcome go(MoveState next, String reason, Map<String, String> notes) {
        return new StepOutcome(next, reason, notes);
    }

    /** Not yet: the runner calls the step again later, journaling nothing. */
    public static StepOutcome stay(MoveState current, String why) {
        return new StepOutcome(current, why, Map.of());
    }

    public boolean stays(MoveState current) {
        return next == current;
    }
}
