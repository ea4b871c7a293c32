package dev.hikkoshi.core.move;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's move as the controller knows it now: what {@code hikkoshi status}, the watch module's move
 * checks and the dashboard show.
 *
 * @param attempt     1 for the first move of the tenant, counted up on every retry after an abort or rollback
 * @param since       when the move entered {@code state}
 * @param freezeTime  the longest time any request of the tenant was held in this attempt's freeze, once frozen
 * @param lastVerdict the last rollback-line verdict, in words ("window 3: p99 912 ms > 800 ms: bad")
 * @param problem     why the move is FAILED or ABORTING, or why it waits
 */
public record MoveStatus(TenantId tenant, String wave, int attempt, MoveState state, Instant since, SiteId from,
                         SiteId to, Optional<Duration> freezeTime, Optional<String> lastVerdict,
                         Optional<String> problem) {
    public MoveStatus {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(freezeTime, "freezeTime");
        Objects.requireNonNull(lastVerdict, "lastVerdict");
        Objects.requireNonNull(problem, "problem");
    }

    /** How long the move has been in its state, at {@code now}. */
    public Duration age(Instant now) {
        return Duration.between(since, now);
    }
}
