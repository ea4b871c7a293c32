package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt at moving a tenant, as replayed from the journal: the state it is in and what earlier steps
 * noted (change positions, freeze times). Steps read it and return a {@link StepOutcome}; the runner journals
 * the outcome and builds the next attempt value. Immutable.
 *
 * @param notes what steps recorded for later steps and for a resume, by key (see {@link NoteKeys})
 */
public record MoveAttempt(TenantId tenant, String wave, int attempt, SiteId from, SiteId to, MoveState state,
                          Map<String, String> notes) {
    public MoveAttempt {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(state, "state");
        notes = Map.copyOf(notes);
    }

    public Optional<String> note(String key) {
        return Optional.ofNullable(notes.get(key));
    }

    /** This attempt in {@code next}, with {@code added} notes over the existing ones. */
    public MoveAttempt advance(MoveState next, Map<String, String> added) {
        Map<String, String> merged = new java.util.HashMap<>(notes);
        merged.putAll(added);
        return new MoveAttempt(tenant, wave, attempt, from, to, next, merged);
    }
}
