package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.data.config.CaptureMode;
import java.time.Duration;
import java.util.Objects;

/**
 * How the move steps pace and bound their work: the freeze budget ({@code plan.freeze.max}), how long routers
 * may take to drain a tenant's in-flight requests and to answer a call, the stream lag under which a move
 * counts as synced, how long one run of a step waits before it says "not yet", and the fixed part of a final
 * sync's estimate by capture mode ({@link #finalSyncOverhead}). Built by {@link MoveSteps} from the config;
 * tests shorten it.
 */
public record MoveSettings(Duration freezeMax, Duration drainTimeout, Duration routerTimeout, Duration syncedLag,
                           Duration stepWait, Duration binlogDrain, Duration heartbeatDrain) {
    /** {@code plan.freeze.max} when the config does not say. */
    public static final Duration DEFAULT_FREEZE_MAX = Duration.ofSeconds(5);

    public MoveSettings {
        Objects.requireNonNull(freezeMax, "freezeMax");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(routerTimeout, "routerTimeout");
        Objects.requireNonNull(syncedLag, "syncedLag");
        Objects.requireNonNull(stepWait, "stepWait");
        Objects.requireNonNull(binlogDrain, "binlogDrain");
        Objects.requireNonNull(heartbeatDrain, "heartbeatDrain");
        if (freezeMax.isNegative() || freezeMax.isZero()) {
            throw new IllegalArgumentException("freeze.max must be positive, was " + freezeMax);
        }
    }

    /**
     * Defaults around a freeze budget: drains get half of it, a step waits 2 s, synced under 2 s of lag; a binlog
     * drain is taken to cost 500 ms (bench/cutover.sh measured its final syncs at 140 ms median, 480 ms at most,
     * on the loaded 2-core machine), a heartbeat drain 2.5 s.
     */
    public static MoveSettings of(Duration freezeMax) {
        return new MoveSettings(freezeMax, freezeMax.dividedBy(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(2_500));
    }

    /**
     * The fixed part of a final sync's estimate: a binlog drain waits only until the source's binlog position at
     * its start is applied. A trigger drain waits likewise for the change log's resolved end, but its drain
     * polls an idle log every 200 ms and no cutover benchmark has measured it yet, and a differential one for a
     * pass begun after its start (besides that pass, up to the rest of one in flight): both keep the cautious
     * 2.5 s that covered their former wait for a heartbeat a whole second later.
     */
    public Duration finalSyncOverhead(CaptureMode capture) {
        return capture == CaptureMode.BINLOG ? binlogDrain : heartbeatDrain;
    }

    /** {@code plan.freeze.max} (default 5 s); problems are recorded in the document like every other setting. */
    public static MoveSettings bind(ConfigNode root) {
        return of(root.get("plan").get("freeze").get("max").duration(DEFAULT_FREEZE_MAX, Duration.ofMillis(100)));
    }

    public MoveSettings withRouterTimeout(Duration timeout) {
        return new MoveSettings(freezeMax, drainTimeout, timeout, syncedLag, stepWait, binlogDrain, heartbeatDrain);
    }

    public MoveSettings withStepWait(Duration wait) {
        return new MoveSettings(freezeMax, drainTimeout, routerTimeout, syncedLag, wait, binlogDrain, heartbeatDrain);
    }
}
