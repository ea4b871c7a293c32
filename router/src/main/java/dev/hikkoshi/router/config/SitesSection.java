package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.UpstreamTarget;
import dev.hikkoshi.router.site.Balance;
import dev.hikkoshi.router.site.EjectionSettings;
import dev.hikkoshi.router.site.HealthCheckSettings;
import dev.hikkoshi.router.site.SitePoolSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the parts of each site the router owns ({@code sites.NAME.upstreams/balance/health/ejection}) into
 * the site pools' settings. Used by {@link RouterConfig#bind}.
 */
final class SitesSection {
    private static final String UPSTREAMS = "a list of upstream URLs such as [http://10.0.1.10:3000]";

    private SitesSection() {
    }

    /** One site's pool settings; empty when a problem was recorded that leaves it without upstreams. */
    static Optional<SitePoolSettings> bind(SiteId site, ConfigNode node) {
        List<UpstreamTarget> upstreams = new ArrayList<>();
        ConfigNode list = node.get("upstreams");
        if (list.require(UPSTREAMS)) {
            if (!list.isList()) {
                list.problem(UPSTREAMS);
            } else if (list.items().isEmpty()) {
                list.problem("[]", "at least one upstream URL such as http://10.0.1.10:3000");
            } else {
                Set<String> seen = new HashSet<>();
                for (ConfigNode item : list.items()) {
                    upstream(site, item).ifPresent(u -> {
                        if (!seen.add(u.authority())) {
                            item.problem("an upstream not listed twice in this site");
                        } else {
                            upstreams.add(u);
                        }
                    });
                }
            }
        }
        Balance balance = node.get("balance").choice(Balance.class, Balance.ROUND_ROBIN);
        ConfigNode healthNode = node.get("health");
        Optional<HealthCheckSettings> health = healthNode.isPresent() ? health(healthNode) : Optional.empty();
        EjectionSettings ejection = ejection(node.get("ejection"));
        if (upstreams.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SitePoolSettings(site, upstreams, balance, health, ejection));
    }

    /** One upstream: an {@code http://host[:port]} URL with no path, query, user or fragment. */
    private static Optional<UpstreamTarget> upstream(SiteId site, ConfigNode item) {
        String expected = "an http:// URL with a host and an optional port, such as http://10.0.1.10:3000"
                + " (no path; TLS to upstreams is not supported)";
        Optional<String> text = item.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get().trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            if (!scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(path.isEmpty() || path.equals("/")) || port < 1 || port > 65535) {
                item.problem(expected);
                return Optional.empty();
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Optional.of(new UpstreamTarget(site, host, port, uri));
        } catch (URISyntaxException e) {
            item.problem(expected);
            return Optional.empty();
        }
    }

    private static Optional<HealthCheckSettings> health(ConfigNode node) {
        if (!node.isMap()) {
            node.problem("a map such as {path: /healthz, interval: 2s, timeout: 1s, healthy: 2, unhealthy: 3}");
            return Optional.empty();
        }
        node.allowOnly("path", "interval", "timeout", "healthy", "unhealthy");
        ConfigNode pathNode = node.get("path");
        Optional<String> path = pathNode.requiredText("a request path starting with / such as /healthz");
        if (path.isPresent() && (!path.get().startsWith("/") || path.get().chars().anyMatch(c -> c <= ' ' || c >= 0x7f))) {
            pathNode.problem("a request path starting with / such as /healthz");
            path = Optional.empty();
        }
        Duration interval = node.get("interval").duration(HealthCheckSettings.DEFAULT_INTERVAL, Duration.ofMillis(100));
        Duration timeout = node.get("timeout").duration(HealthCheckSettings.DEFAULT_TIMEOUT, Duration.ofMillis(10));
        int healthy = (int) node.get("healthy").integer(2, 1, 100);
        int unhealthy = (int) node.get("unhealthy").integer(3, 1, 100);
        return path.map(p -> new HealthCheckSettings(p, interval, timeout, healthy, unhealthy));
    }

    private static EjectionSettings ejection(ConfigNode node) {
        EjectionSettings d = EjectionSettings.defaults();
        node.allowOnly("connect-failures", "consecutive-5xx", "base-time", "max-time", "max-ejected-percent");
        int connectFailures = (int) node.get("connect-failures").integer(d.connectFailures(), 1, 1000);
        int serverErrors = (int) node.get("consecutive-5xx").integer(d.consecutive5xx(), 1, 100_000);
        Duration base = node.get("base-time").duration(d.baseTime(), Duration.ofMillis(100));
        ConfigNode maxNode = node.get("max-time");
        Duration max = maxNode.duration(base.compareTo(d.maxTime()) > 0 ? base : d.maxTime(), Duration.ofMillis(100));
        if (max.compareTo(base) < 0) {
            maxNode.problem("a duration at least base-time (" + dev.hikkoshi.core.config.DurationText.format(base) + ")");
            max = base;
        }
        int maxPercent = (int) node.get("max-ejected-percent").integer(d.maxEjectedPercent(), 0, 100);
        return new EjectionSettings(connectFailures, serverErrors, base, max, maxPercent);
    }
}
