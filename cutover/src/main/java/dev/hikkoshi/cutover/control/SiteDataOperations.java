package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.util.List;
import java.util.Objects;

/**
 * The controller's operations plus those that reach the sites' databases: the purge of a finalized tenant's
 * stale rows ({@link TenantPurge}) and the shared tables' writers ({@link SharedTableSync}). Everything else goes
 * on to the {@link Controller}, which runs the plan and knows nothing of databases. {@link ControllerProcess}
 * serves this (audited) on the admin API.
 */
final class SiteDataOperations extends ForwardingOperations {
    private final TenantPurge purge;
    private final SharedTableSync shared;

    SiteDataOperations(ControllerOperations controller, TenantPurge purge, SharedTableSync shared) {
        super(controller);
        this.purge = Objects.requireNonNull(purge, "purge");
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    @Override
    public List<SharedTableSync.Writer> sharedWriters() {
        return shared.writers();
    }

    @Override
    public SharedTableSync.Switched switchSharedWriter(Actor actor, String table, SiteId writer) {
        return shared.switchWriter(table, writer, actor.name());
    }

    @Override
    public PurgeReport purge(Actor actor, TenantId tenant, SiteId site) {
        return purge.purge(tenant, site);
    }
}
