package dev.hikkoshi.core.move;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * Something the cutover engine reports about a move: what {@link MoveEvents} carries to the watch module's
 * alert pipeline, the audit trail and the dashboard.
 */
public sealed interface MoveEvent {
    TenantId tenant();

    Instant at();

    /** A journaled state change; {@code reason} says which condition triggered it. */
    record Transition(TenantId tenant, int attempt, MoveState from, MoveState to, String reason, Instant at)
            implements MoveEvent {
        public Transition {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /** One rollback-line evaluation window's judgement during BAKING. */
    record Verdict(TenantId tenant, int attempt, int window, Judgement judgement, String detail, Instant at)
            implements MoveEvent {
        public Verdict {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(judgement, "judgement");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(at, "at");
        }
    }

    /** How a bake window was judged. */
    enum Judgement {
        HEALTHY, BAD, INCONCLUSIVE
    }

    /**
     * A write that bypassed the move: on the old site to a moved tenant's row, or to a shared table on its
     * non-writer side. Critical; the plan pauses.
     */
    record SplitBrain(TenantId tenant, SiteId site, String table, String key, Instant at) implements MoveEvent {
        public SplitBrain {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(at, "at");
        }
    }

    /** The reverse stream that keeps a rollback possible has failed: critical. */
    record ReverseSyncFailed(TenantId tenant, String problem, Instant at) implements MoveEvent {
        public ReverseSyncFailed {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Anything else an operator should see (an inconclusive bake extended, the plan paused, a hook failed). */
    record Notice(TenantId tenant, Severity severity, String text, Instant at) implements MoveEvent {
        public Notice {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(at, "at");
        }
    }

    /** How urgent a notice is. */
    enum Severity {
        INFO, WARNING, CRITICAL
    }
}
