package dev.hikkoshi.core.traffic;

import dev.hikkoshi.core.routing.SiteId;
import java.util.Objects;

/** Which traffic a {@link TrafficStats} counts: a tenant name (or "-" for unknown tenants) on a site. */
public record TrafficKey(String tenant, SiteId site) implements Comparable<TrafficKey> {
    public static final String UNKNOWN_TENANT = "-";

    public TrafficKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
    }

    @Override
    public int compareTo(TrafficKey o) {
        int c = tenant.compareTo(o.tenant);
        return c != 0 ? c : site.compareTo(o.site);
    }
}
