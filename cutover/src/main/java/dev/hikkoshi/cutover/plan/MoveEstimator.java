package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.config.CaptureMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns a tenant's size into the plan's estimates, from one {@link ThroughputSample} and the source site's
 * capture mode, so that every estimate is exactly what the sample implies:
 * <ul>
 *   <li>copy: {@link ThroughputSample#copyTime} of the tenant's rows and bytes;
 *   <li>final sync, binlog and triggers: the fixed cost of a drain ({@code MoveSettings.finalSyncOverhead}: the
 *       trigger capture's drain waits for a heartbeat a second after it starts, 2.5 s; a binlog drain only until
 *       the source's position at its start is applied, 500 ms). The move enters the freeze only when its stream's
 *       lag is under {@code synced-lag} and the SYNCED step's own estimate fits, and the routers hold the tenant's
 *       new writes while frozen, so the catch-up left is what committed in the last moments before the freeze.
 *       The change rate is not sampled: a tenant writing faster than the stream applies waits in SYNCED rather
 *       than overrun its freeze;
 *   <li>final sync, differential: the final pass checksums every row of the tenant on both sides inside the
 *       freeze, taken to cost as much as copying the tenant (so it grows with the tenant);
 *   <li>freeze: the final sync plus {@link #SWITCH_OVERHEAD} for draining in-flight requests, noting the new site's
 *       position and pushing the routing table.
 * </ul>
 */
final class MoveEstimator {
    /** The freeze's cost besides the final sync: drain, position, table push and release (assumed, not measured). */
    static final Duration SWITCH_OVERHEAD = Duration.ofMillis(200);

    private final ThroughputSample sample;
    private final CaptureMode capture;
    private final Duration drainOverhead;
    private final Duration freezeMax;

    MoveEstimator(ThroughputSample sample, CaptureMode capture, Duration drainOverhead, Duration freezeMax) {
        this.sample = Objects.requireNonNull(sample, "sample");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.drainOverhead = Objects.requireNonNull(drainOverhead, "drainOverhead");
        this.freezeMax = Objects.requireNonNull(freezeMax, "freezeMax");
    }

    PlannedMove estimate(TenantId tenant, long rows, long bytes) {
        Duration copy = sample.copyTime(rows, bytes);
        Duration finalSync = switch (capture) {
            case BINLOG, TRIGGERS -> drainOverhead;
            case DIFFERENTIAL -> copy;
        };
        return new PlannedMove(tenant, rows, bytes, copy, finalSync, finalSync.plus(SWITCH_OVERHEAD));
    }

    /** Why {@code move} cannot be planned, or null when its freeze fits {@code freeze.max}. */
    String refusal(PlannedMove move) {
        if (move.freezeEstimate().compareTo(freezeMax) <= 0) {
            return null;
        }
        String why = switch (capture) {
            case DIFFERENTIAL -> "differential capture checksums all " + move.rows() + " rows of the tenant inside the"
                    + " freeze";
            case BINLOG, TRIGGERS -> "the drain alone takes " + PlanSummary.seconds(drainOverhead);
        };
        return "estimated freeze " + PlanSummary.seconds(move.freezeEstimate()) + " exceeds freeze.max "
                + PlanSummary.seconds(freezeMax) + ": " + why;
    }
}
