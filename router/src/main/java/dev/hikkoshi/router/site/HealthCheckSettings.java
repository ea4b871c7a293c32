package dev.hikkoshi.router.site;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking of a site's upstreams ({@code health:} of a site): a {@code GET path} every
 * {@code interval}; an answer 200..399 within {@code timeout} is a success. An upstream leaves rotation after
 * {@code unhealthyThreshold} failures in a row and comes back after {@code healthyThreshold} successes.
 */
public record HealthCheckSettings(String path, Duration interval, Duration timeout, int healthyThreshold,
                                  int unhealthyThreshold) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public HealthCheckSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health check path must start with '/', was " + path);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive, were "
                    + interval + " and " + timeout);
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("health check thresholds must be at least 1, were healthy="
                    + healthyThreshold + " unhealthy=" + unhealthyThreshold);
        }
    }

    /** The defaults documented in docs/router.md: every 2 s, 1 s timeout, 2 to come back, 3 to leave. */
    public static HealthCheckSettings of(String path) {
        return new HealthCheckSettings(path, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, 2, 3);
    }
}
