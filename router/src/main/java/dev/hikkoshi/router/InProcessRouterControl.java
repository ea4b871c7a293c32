package dev.hikkoshi.router;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.router.freeze.FreezeGate;
import dev.hikkoshi.router.table.RoutingTableHolder;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@link RouterControl} of a router in this process: what {@code hikkoshi run}'s controller calls directly and
 * what the router's admin API calls for a remote controller. Freeze marks the tenant frozen in the routing
 * table (persisted) so new requests are held, then drains its in-flight requests; release clears the flag
 * (persisted) and sends the held requests to the tenant's site as placed then.
 */
public final class InProcessRouterControl implements RouterControl {
    private static final Logger log = LoggerFactory.getLogger(InProcessRouterControl.class);

    private final RoutingTableHolder table;
    private final FreezeGate gate;
    private final Supplier<RouterConfig> config;

    /** @param config the config in force now (it changes on reload) */
    public InProcessRouterControl(RoutingTableHolder table, FreezeGate gate, Supplier<RouterConfig> config) {
        this.table = table;
        this.gate = gate;
        this.config = config;
    }

    @Override
    public String name() {
        return "in-process";
    }

    @Override
    public long push(RoutingTable pushed) {
        RouterConfig c = config.get();
        pushed.placements().forEach((tenant, p) -> {
            if (!c.siteIds().contains(p.site())) {
                throw new UserException("routing table version " + pushed.version() + " places tenant " + tenant
                        + " on site " + p.site() + ", which this router's config does not define (sites: "
                        + c.siteIds() + ")", "add the site to the router's config and reload it, then push again");
            }
        });
        return table.push(pushed);
    }

    @Override
    public long appliedVersion() {
        return table.version();
    }

    @Override
    public RoutingTable table() {
        return table.current();
    }

    @Override
    public FreezeReport freeze(TenantId tenant, Duration drainTimeout) {
        try {
            MDC.put("tenant", tenant.value());
            MDC.put("component", "freeze");
            MDC.put("phase", "freeze");
            Placement p = table.freeze(tenant, currentSite(tenant));
            log.info("tenant {} frozen at site {}; draining its in-flight requests (timeout {})", tenant, p.site(),
                    DurationText.format(drainTimeout));
            FreezeGate.Drain drain;
            try {
                drain = gate.drain(tenant, drainTimeout);
            } catch (RuntimeException e) {
                log.warn("tenant {}: {}", tenant, e.getMessage());
                throw e;
            }
            log.info("tenant {} drained: {} request(s) finished in {} ms", tenant, drain.requests(),
                    drain.time().toMillis());
            return new FreezeReport(tenant, table.version(), drain.requests(), drain.time());
        } finally {
            MDC.remove("tenant");
            MDC.remove("component");
            MDC.remove("phase");
        }
    }

    @Override
    public void release(TenantId tenant) {
        try {
            MDC.put("tenant", tenant.value());
            MDC.put("component", "freeze");
            MDC.put("phase", "release");
            Optional<Placement> p = table.release(tenant);
            int sent = gate.release(tenant);
            log.info("tenant {} released to site {}; {} held request(s) sent", tenant,
                    p.map(Placement::site).map(SiteId::value).orElse("-"), sent);
        } finally {
            MDC.remove("tenant");
            MDC.remove("component");
            MDC.remove("phase");
        }
    }

    /** The site a tenant is served by now: its placement, or the unknown-tenant site for a known tenant. */
    private SiteId currentSite(TenantId tenant) {
        Optional<Placement> placed = table.current().placement(tenant);
        if (placed.isPresent()) {
            return placed.get().site();
        }
        RouterConfig c = config.get();
        boolean known = c.tenants().stream().map(Tenant::id).anyMatch(tenant::equals);
        if (!known) {
            throw new UserException("unknown tenant " + tenant,
                    "add it to tenants.list in the config (and reload), or push a table that places it");
        }
        return c.unknownTenantSite().orElseThrow(() -> new UserException("tenant " + tenant
                + " is not placed on any site (no routing table places it and unknown-tenant is reject)",
                "push a routing table that places it before freezing it"));
    }
}
