package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;

/**
 * Passive ejection of a site's upstreams ({@code sites.NAME.ejection}): an upstream is taken out of rotation
 * for {@code duration} after {@code connectFailures} connect failures in a row or {@code serverErrors} 5xx
 * answers within {@code window}; never more than {@code maxEjectedPercent} of a site's upstreams at once
 * (at least one upstream always stays in rotation unless health checks mark it down). Read by the site pools.
 */
public record EjectionConfig(int connectFailures, int serverErrors, Duration window, Duration duration,
                             int maxEjectedPercent) {
    public static final EjectionConfig DEFAULTS = new EjectionConfig(3, 5, Duration.ofSeconds(10),
            Duration.ofSeconds(30), 50);

    static EjectionConfig bind(ConfigNode node) {
        node.allowOnly("connect-failures", "server-errors", "window", "duration", "max-ejected-percent");
        int connectFailures = (int) node.get("connect-failures").integer(DEFAULTS.connectFailures(), 1, 1000);
        int serverErrors = (int) node.get("server-errors").integer(DEFAULTS.serverErrors(), 1, 100_000);
        Duration window = node.get("window").duration(DEFAULTS.window(), Duration.ofMillis(100));
        Duration duration = node.get("duration").duration(DEFAULTS.duration(), Duration.ofMillis(100));
        int maxPercent = (int) node.get("max-ejected-percent").integer(DEFAULTS.maxEjectedPercent(), 0, 100);
        return new EjectionConfig(connectFailures, serverErrors, window, duration, maxPercent);
    }
}
