package dev.hikkoshi.core.routing;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The placements of all tenants with a version that only grows. The controller's table is authoritative;
 * routers apply a pushed table only if its version is newer than the one they hold. Tenants that are not in
 * the table are served by the router's configured default (see the router's {@code unknown-tenant}).
 */
public record RoutingTable(long version, Map<TenantId, Placement> placements) {
    public RoutingTable {
        if (version < 0) {
            throw new IllegalArgumentException("routing table version must be >= 0, was " + version);
        }
        placements = Map.copyOf(placements);
    }

    public static RoutingTable empty() {
        return new RoutingTable(0, Map.of());
    }

    public Optional<Placement> placement(TenantId tenant) {
        return Optional.ofNullable(placements.get(tenant));
    }

    /** A copy with one tenant's placement replaced and the version increased by one. */
    public RoutingTable with(TenantId tenant, Placement placement) {
        Map<TenantId, Placement> next = new TreeMap<>(placements);
        next.put(tenant, placement);
        return new RoutingTable(version + 1, next);
    }

    /** The placements ordered by tenant, for stable output and persistence. */
    public TreeMap<TenantId, Placement> sorted() {
        return new TreeMap<>(placements);
    }
}
