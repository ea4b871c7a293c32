package dev.hikkoshi.watch.signal;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds that turn hikkoshi's signals into alert evaluations: change-stream lag, a move stuck in one
 * state, and a tenant's 5xx rate on a site. Read by {@link StreamSignals}, {@link MoveSignals} and
 * {@link TrafficSignals}.
 *
 * @param lagWarning       a stream behind its source by more than this fires {@code stream-lag} (warning)
 * @param lagCritical      ... and by more than this, {@code stream-lag} (critical)
 * @param moveStuck        a move in one state (other than PLANNED, DONE, FINALIZED) for longer fires {@code move-stuck}
 * @param errorRatePercent a tenant's 5xx share on a site above this fires {@code http-5xx}
 * @param minRequests      fewer requests in the window say nothing about the 5xx rate or latency
 * @param p99              a tenant's p99 latency on a site above this fires {@code http-latency}
 * @param siteErrorPercent a whole site's 5xx share (all tenants) above this fires {@code site-errors}: the site
 *                         itself is failing (its upstreams down or ejected), the alert inhibition rules key on
 */
public record SignalSettings(Duration lagWarning, Duration lagCritical, Duration moveStuck, double errorRatePercent,
                             long minRequests, Duration p99, double siteErrorPercent) {
    public static final SignalSettings DEFAULTS = new SignalSettings(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMinutes(30), 5.0, 20, Duration.ofSeconds(1), 50.0);

    public SignalSettings {
        Objects.requireNonNull(lagWarning, "lagWarning");
        Objects.requireNonNull(lagCritical, "lagCritical");
        Objects.requireNonNull(moveStuck, "moveStuck");
        Objects.requireNonNull(p99, "p99");
        if (lagWarning.compareTo(lagCritical) > 0) {
            throw new IllegalArgumentException("the lag warning " + lagWarning + " is above the critical " + lagCritical);
        }
    }
}
