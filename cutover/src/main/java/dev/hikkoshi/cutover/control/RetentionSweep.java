package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code plan.retention}: finalizes every move that has been DONE for the retention period, as actor
 * {@code controller}, through the audited operations (so each one is journaled by the runner and written to the
 * audit log like an operator's finalize). How long a move has been DONE is its status's {@code since}, which comes
 * from the journaled DONE transition, so a restarted controller keeps counting from the same moment. Started by
 * {@link ControllerProcess} when the config sets a retention.
 *
 * <p>Concurrency: one daemon thread checks every {@link #checkEvery}; a move whose finalize is refused (a rollback
 * on its way) is not asked again for the same DONE period, so the audit log gets one refusal, not one a tick.
 */
public final class RetentionSweep implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    /** The actor of the finalizes the retention period starts. */
    public static final ControllerOperations.Actor ACTOR = new ControllerOperations.Actor("controller");

    private final ControllerOperations operations;
    private final Duration retention;
    private final Clock clock;
    private final Map<TenantId, Instant> refused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hikkoshi-retention");
        t.setDaemon(true);
        return t;
    });

    /** @param operations the audited operations ({@link ControllerAdminServer#operations()}) */
    public RetentionSweep(ControllerOperations operations, Duration retention, Clock clock) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
    }

    /**
     * {@code plan.retention} (optional, at least 1s): how long a move stays DONE, its rollback still possible,
     * before it is finalized by itself. Absent: moves stay DONE until {@code hikkoshi finalize}.
     */
    public static Optional<Duration> bind(ConfigNode plan) {
        ConfigNode node = plan.get("retention");
        return node.isPresent() ? Optional.ofNullable(node.duration(null, Duration.ofSeconds(1)))
                : Optional.empty();
    }

    /** How often the moves are checked: a tenth of the retention, from 100 ms to a minute. */
    public Duration checkEvery() {
        Duration tenth = retention.dividedBy(10);
        Duration least = Duration.ofMillis(100);
        Duration most = Duration.ofMinutes(1);
        return tenth.compareTo(least) < 0 ? least : tenth.compareTo(most) > 0 ? most : tenth;
    }

    public RetentionSweep start() {
        long every = checkEvery().toMillis();
        thread.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        log.info("DONE moves are finalized after {} (checked every {} ms)", retention, every);
        return this;
    }

    /** Finalizes the moves DONE for the retention period or longer; returns how many were asked to finalize. */
    public int sweep() {
        Instant now = clock.instant();
        int finalized = 0;
        for (MoveStatus m : operations.status().moves()) {
            if (m.state() != MoveState.DONE || now.isBefore(m.since().plus(retention))
                    || m.since().equals(refused.get(m.tenant()))) {
                continue;
            }
            MDC.put("tenant", m.tenant().value());
            try {
                operations.finalizeMove(ACTOR, m.tenant());
                finalized++;
                log.info("{} has been DONE since {} (retention {}): finalized", m.tenant(), m.since(), retention);
            } catch (UserException e) {
                refused.put(m.tenant(), m.since());
                log.warn("{} has been DONE since {} (retention {}) but its finalize was refused: {}", m.tenant(),
                        m.since(), retention, e.getMessage());
            } finally {
                MDC.remove("tenant");
            }
        }
        return finalized;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // The next tick tries again; a sweep that keeps failing (the audit log cannot be written) is logged each
            // time, since nothing else would tell the operator that retention stopped working.
            log.error("the retention sweep failed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("the retention sweep did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
