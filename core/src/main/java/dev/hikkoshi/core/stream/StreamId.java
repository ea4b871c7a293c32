package dev.hikkoshi.core.stream;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.Objects;

/** One change stream: a tenant's changes carried from one site's database to another's. */
public record StreamId(TenantId tenant, SiteId from, SiteId to) {
    public StreamId {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a stream needs two different sites, got " + from + " twice");
        }
    }

    /** The same tenant carried the other way (reverse sync for a rollback). */
    public StreamId reversed() {
        return new StreamId(tenant, to, from);
    }

    /**
     * What follows the tenant in {@link #toString}: {@code :legacy->cloud}, the same for every tenant's stream
     * between the two sites.
     */
    public static String betweenSites(SiteId from, SiteId to) {
        return ":" + from + "->" + to;
    }

    @Override
    public String toString() {
        return tenant + betweenSites(from, to);
    }
}
