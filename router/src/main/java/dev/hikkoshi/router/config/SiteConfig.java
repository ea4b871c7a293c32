package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.UpstreamTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of a site the router owns ({@code sites.NAME.upstreams/balance/health/ejection}): its upstream
 * pool, how requests are spread over it, and how unhealthy upstreams are found. Read by the site pools.
 *
 * @param health empty when the site has no {@code health} key: no active checks, every upstream counts as
 *               healthy unless passively ejected
 */
public record SiteConfig(SiteId site, List<UpstreamTarget> upstreams, Balance balance,
                         Optional<HealthConfig> health, EjectionConfig ejection) {
    public SiteConfig {
        upstreams = List.copyOf(upstreams);
    }

    static SiteConfig bind(SiteId site, ConfigNode node) {
        List<UpstreamTarget> upstreams = new ArrayList<>();
        ConfigNode list = node.get("upstreams");
        if (list.require("a list of upstream URLs such as [http://10.0.1.10:3000]")) {
            if (list.isScalar()) {
                list.problem("a list of upstream URLs such as [http://10.0.1.10:3000]");
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
                if (list.isList() && list.items().isEmpty()) {
                    list.problem("[]", "at least one upstream URL such as http://10.0.1.10:3000");
                }
            }
        }
        Balance balance = node.get("balance").choice(Balance.class, Balance.ROUND_ROBIN);
        ConfigNode healthNode = node.get("health");
        Optional<HealthConfig> health = healthNode.isPresent() ? Optional.of(HealthConfig.bind(healthNode))
                : Optional.empty();
        EjectionConfig ejection = EjectionConfig.bind(node.get("ejection"));
        return new SiteConfig(site, upstreams, balance, health, ejection);
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
            if (!scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(path.isEmpty() || path.equals("/"))) {
                item.problem(expected);
                return Optional.empty();
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            if (port < 1 || port > 65535) {
                item.problem(expected);
                return Optional.empty();
            }
            return Optional.of(new UpstreamTarget(site, host, port, uri));
        } catch (URISyntaxException e) {
            item.problem(expected);
            return Optional.empty();
        }
    }
}
