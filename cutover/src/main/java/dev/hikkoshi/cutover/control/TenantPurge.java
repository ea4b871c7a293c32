package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.PurgeReport;
import dev.hikkoshi.cutover.move.MoveData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code hikkoshi data purge TENANT --site S}, as the controller does it: the controller knows the move's state and
 * the routing table, so it is the one that checks that the tenant is FINALIZED, that the routing table places it
 * on another site, and that {@code S} is the site it left, before deleting its stale rows there through the data
 * engine ({@link MoveData#purge}). Every refusal is a {@link UserException} with a hint. Used by
 * {@link SiteDataOperations}; the audit line is {@link AuditedOperations}'.
 *
 * <p>Concurrency: one purge at a time (they are rare, and two of one tenant would only race each other).
 */
final class TenantPurge {
    private static final Logger log = LoggerFactory.getLogger(TenantPurge.class);

    private final Function<TenantId, Optional<MoveStatus>> moves;
    private final Function<TenantId, Optional<Placement>> placements;
    private final List<SiteId> sites;
    private final MoveData data;

    /**
     * @param moves      each tenant's move, as the controller's board has it
     * @param placements the controller's routing table
     * @param sites      the config's sites
     */
    TenantPurge(Function<TenantId, Optional<MoveStatus>> moves, Function<TenantId, Optional<Placement>> placements,
                List<SiteId> sites, MoveData data) {
        this.moves = Objects.requireNonNull(moves, "moves");
        this.placements = Objects.requireNonNull(placements, "placements");
        this.sites = List.copyOf(sites);
        this.data = Objects.requireNonNull(data, "data");
    }

    synchronized PurgeReport purge(TenantId tenant, SiteId site) {
        MoveStatus move = moves.apply(tenant).orElseThrow(() -> new UserException("purge refused: " + tenant
                + " is not part of the plan", "hikkoshi status lists the plan's tenants"));
        if (!sites.contains(site)) {
            throw new UserException("purge refused: there is no site " + site + " in the config",
                    "the config's sites are " + sites.stream().map(SiteId::value).collect(Collectors.joining(", "))
                            + "; purge the site " + tenant + " left: --site " + move.from());
        }
        if (move.state() != MoveState.FINALIZED) {
            throw new UserException("purge refused: " + tenant + " is " + move.state() + " (purge needs FINALIZED)",
                    "finalize it first (hikkoshi finalize " + tenant + "): until then its rows on " + move.from()
                            + " are what a rollback returns to");
        }
        Optional<SiteId> placed = placements.apply(tenant).map(Placement::site);
        if (site.equals(move.to()) || placed.filter(site::equals).isPresent()) {
            throw new UserException("purge refused: " + tenant + " is served by site " + site
                    + ": its rows there are its live data", "purge the site it left: --site " + move.from());
        }
        if (!site.equals(move.from())) {
            throw new UserException("purge refused: " + tenant + " moved from " + move.from() + " to " + move.to()
                    + ", not from " + site, "purge the site it left: --site " + move.from());
        }
        if (placed.isPresent() && !placed.get().equals(move.to())) {
            throw new UserException("purge refused: the routing table places " + tenant + " on " + placed.get()
                    + ", not on " + move.to() + " where its move ended", "hikkoshi status and the routers' tables "
                    + "must agree before anything is deleted; look at why they differ");
        }
        MDC.put("tenant", tenant.value());
        MDC.put("component", "purge");
        try {
            log.info("purging the stale rows of {} from {} (it is served by {})", tenant, site, move.to());
            Map<String, Long> rows = data.purge(data.tenant(tenant, move.from()), site, move.to());
            List<String> kept = new ArrayList<>();
            data.directoryTable().ifPresent(t -> kept.add(t + " (the tenant directory is read from it)"));
            log.info("purged {} rows of {} from {}: {}", rows.values().stream().mapToLong(Long::longValue).sum(),
                    tenant, site, rows);
            return new PurgeReport(tenant, site, rows, kept);
        } finally {
            MDC.remove("tenant");
            MDC.remove("component");
        }
    }
}
