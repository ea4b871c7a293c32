package dev.hikkoshi.router.table;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing table a router routes with: read lock-free on the request path ({@link #current()}), changed
 * by the control plane (push, freeze, release), each change persisted before it takes effect.
 *
 * <p>Versions: the version is the controller's; it only grows, and a pushed table is applied only if it is
 * newer. Freeze and release are the router's own state layered on the controller's table: they change a
 * tenant's frozen flag without changing the version, and a pushed table never unfreezes a tenant frozen
 * here (only {@link #release} does, so held requests are sent before any new one reaches the new site).
 *
 * <p>Concurrency: writers are serialized by this object's monitor (they also write the file); readers
 * never lock. Each change is written to disk first and swapped in only after, so a crash never leaves a
 * router routing with a table it did not persist.
 */
public final class RoutingTableHolder {
    private static final Logger log = LoggerFactory.getLogger(RoutingTableHolder.class);

    private final AtomicReference<RoutingTable> table;
    private final Optional<RoutingTableStore> store;

    public RoutingTableHolder(RoutingTable initial, Optional<RoutingTableStore> store) {
        this.table = new AtomicReference<>(initial);
        this.store = store;
    }

    /** A holder that starts from the persisted table (or an empty one) and persists every change. */
    public static RoutingTableHolder persistent(RoutingTableStore store, Collection<SiteId> knownSites) {
        RoutingTable initial = store.load(knownSites).orElse(RoutingTable.empty());
        log.info("routing table version {} with {} placement(s) loaded from {}", initial.version(),
                initial.placements().size(), store.file());
        return new RoutingTableHolder(initial, Optional.of(store));
    }

    /** The table in force now; never blocks. */
    public RoutingTable current() {
        return table.get();
    }

    public long version() {
        return table.get().version();
    }

    /**
     * Applies {@code pushed} if its version is newer than the current one, keeping tenants frozen here frozen;
     * returns the version held afterwards.
     */
    public synchronized long push(RoutingTable pushed) {
        RoutingTable now = table.get();
        if (pushed.version() <= now.version()) {
            log.info("routing table version {} not applied: version {} is already applied", pushed.version(),
                    now.version());
            return now.version();
        }
        Map<TenantId, Placement> merged = new HashMap<>(pushed.placements());
        now.placements().forEach((tenant, p) -> {
            if (p.frozen()) {
                Placement next = merged.get(tenant);
                merged.put(tenant, next == null ? p : next.freeze());
            }
        });
        RoutingTable next = new RoutingTable(pushed.version(), merged);
        apply(next);
        log.info("routing table version {} applied ({} placement(s))", next.version(), next.placements().size());
        return next.version();
    }

    /**
     * Marks a tenant frozen, placing it on {@code defaultSite} if the table does not place it yet; returns the
     * placement it is frozen at.
     */
    public synchronized Placement freeze(TenantId tenant, SiteId defaultSite) {
        RoutingTable now = table.get();
        Placement p = now.placement(tenant).orElse(Placement.at(defaultSite)).freeze();
        apply(replace(now, tenant, p));
        return p;
    }

    /** Clears a tenant's frozen flag; returns the placement it is released to (empty if not placed). */
    public synchronized Optional<Placement> release(TenantId tenant) {
        RoutingTable now = table.get();
        Optional<Placement> p = now.placement(tenant);
        if (p.isPresent() && p.get().frozen()) {
            apply(replace(now, tenant, p.get().release()));
        }
        return p.map(Placement::release);
    }

    private static RoutingTable replace(RoutingTable now, TenantId tenant, Placement p) {
        Map<TenantId, Placement> m = new HashMap<>(now.placements());
        m.put(tenant, p);
        return new RoutingTable(now.version(), m);
    }

    private void apply(RoutingTable next) {
        store.ifPresent(s -> s.save(next));
        table.set(next);
    }
}
