package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;

/**
 * Active health checks of a site's upstreams ({@code sites.NAME.health}): a GET of {@code path} every
 * {@code interval}; an upstream answering 2xx within {@code timeout} {@code healthy} times in a row is healthy,
 * one failing {@code unhealthy} times in a row is not. Read by the site pools' health checker.
 */
public record HealthConfig(String path, Duration interval, Duration timeout, int healthy, int unhealthy) {
    public static final HealthConfig DEFAULTS = new HealthConfig("/", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3);

    static HealthConfig bind(ConfigNode node) {
        node.allowOnly("path", "interval", "timeout", "healthy", "unhealthy");
        ConfigNode pathNode = node.get("path");
        String path = pathNode.text(DEFAULTS.path());
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            pathNode.problem("a request path starting with / such as /healthz");
            path = DEFAULTS.path();
        }
        Duration interval = node.get("interval").duration(DEFAULTS.interval(), Duration.ofMillis(100));
        Duration timeout = node.get("timeout").duration(DEFAULTS.timeout(), Duration.ofMillis(10));
        int healthy = (int) node.get("healthy").integer(DEFAULTS.healthy(), 1, 100);
        int unhealthy = (int) node.get("unhealthy").integer(DEFAULTS.unhealthy(), 1, 100);
        return new HealthConfig(path, interval, timeout, healthy, unhealthy);
    }
}
