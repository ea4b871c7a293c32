package dev.hikkoshi.watch.alert;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What the alert pipeline consumes, in time order: evaluations of checks ({@link Event}) and facts about moves
 * ({@link MoveFact}). The same inputs come from live signal sources and from an event file in
 * {@code hikkoshi alerts replay}.
 */
public sealed interface PipelineInput {
    Instant time();

    /**
     * One evaluation of a check: its labels, firing or resolved, and how many occurrences it stands for
     * ({@code count}, at least 1: a check may report 200 errors in one evaluation).
     */
    record Event(Instant time, Labels labels, AlertStatus status, long count) implements PipelineInput {
        public Event {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(labels, "labels");
            Objects.requireNonNull(status, "status");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + count);
            }
        }
    }

    /** From {@code time} on, the tenant's move is in {@code hold} (until the next fact for the tenant). */
    record MoveFact(Instant time, TenantId tenant, MoveHold hold) implements PipelineInput {
        public MoveFact {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(hold, "hold");
        }
    }
}
