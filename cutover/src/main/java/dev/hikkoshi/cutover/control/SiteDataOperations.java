package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.util.List;
import java.util.Objects;

/**
 * The controller's operations plus those that reach the sites' databases: the purge of a finalized tenant's
 * stale rows ({@link TenantPurge}) and the shared tables' writers ({@link SharedTableSync}). Everything else goes to the {@link Controller}, which runs the plan and knows
 * nothing of databases. {@link ControllerProcess} serves this (audited) on the admin API.
 */
final class SiteDataOperations implements ControllerOperations {
    private final ControllerOperations controller;
    private final TenantPurge purge;
    private final SharedTableSync shared;

    SiteDataOperations(ControllerOperations controller, TenantPurge purge, SharedTableSync shared) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.purge = Objects.requireNonNull(purge, "purge");
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    @Override
    public ControllerStatus status() {
        return controller.status();
    }

    @Override
    public void apply(Actor actor) {
        controller.apply(actor);
    }

    @Override
    public void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
        controller.adopt(actor, plan);
    }

    @Override
    public void resumePlan(Actor actor) {
        controller.resumePlan(actor);
    }

    @Override
    public void pause(Actor actor, String reason) {
        controller.pause(actor, reason);
    }

    @Override
    public void resume(Actor actor) {
        controller.resume(actor);
    }

    @Override
    public void rollback(Actor actor, TenantId tenant) {
        controller.rollback(actor, tenant);
    }

    @Override
    public void finalizeMove(Actor actor, TenantId tenant) {
        controller.finalizeMove(actor, tenant);
    }

    @Override
    public WaveFinalization finalizeWave(Actor actor, String wave) {
        return controller.finalizeWave(actor, wave);
    }

    @Override
    public void approve(Actor actor, String wave) {
        controller.approve(actor, wave);
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
