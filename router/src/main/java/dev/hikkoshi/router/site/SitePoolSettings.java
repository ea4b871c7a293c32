package dev.hikkoshi.router.site;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.UpstreamTarget;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One site's upstreams and how they are balanced, checked and ejected; what {@link SitePools} is built from. */
public record SitePoolSettings(SiteId site, List<UpstreamTarget> upstreams, Balance balance,
                               Optional<HealthCheckSettings> health, EjectionSettings ejection) {
    public SitePoolSettings {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(ejection, "ejection");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("site " + site + " has no upstream");
        }
        for (UpstreamTarget u : upstreams) {
            if (!u.site().equals(site)) {
                throw new IllegalArgumentException("upstream " + u.authority() + " belongs to site " + u.site()
                        + ", not " + site);
            }
        }
        if (new HashSet<>(upstreams).size() != upstreams.size()) {
            throw new IllegalArgumentException("site " + site + " lists an upstream twice: " + upstreams);
        }
    }
}
