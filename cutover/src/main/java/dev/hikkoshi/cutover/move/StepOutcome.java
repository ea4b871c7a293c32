package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step decided: the state to go to, the condition that triggered it (journaled and shown to
 * operators), and notes to journal with the transition (for example the change position noted while frozen).
 * A step that must wait (lag still too high) returns {@link #stay}; one that needs an operator's approval
 * ({@code hikkoshi approve WAVE}) returns {@link #awaitApproval}.
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

    /**
     * Not without an operator: the move waits until its wave is approved, then the runner journals the
     * transition to {@code onApproval} (for an inconclusive bake: DONE). Until then the runner calls the step
     * again after its poll interval, so the step can still decide otherwise (a bad window: roll back).
     */
    public static StepOutcome awaitApproval(MoveState current, MoveState onApproval, String why) {
        return new StepOutcome(current, why, Map.of(NoteKeys.APPROVAL_NEXT, onApproval.name()));
    }

    /** Where an {@link #awaitApproval} outcome goes once approved; empty for every other outcome. */
    public Optional<MoveState> approvalNext() {
        return Optional.ofNullable(notes.get(NoteKeys.APPROVAL_NEXT)).map(MoveState::valueOf);
    }

    public boolean stays(MoveState current) {
        return next == current;
    }
}
