package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.SharedTableSync;
import dev.hikkoshi.cutover.plan.Plan;
import java.util.List;
import java.util.Objects;

/**
 * Forwards every operation, default ones included, to another implementation: the base of the wrappers
 * {@link ControllerProcess} puts between the controller and its admin API ({@link LossReportingOperations},
 * {@link SiteDataOperations}), which override only what they add, so no wrapper's place in the chain can hide a
 * call behind the interface's refusing defaults.
 */
abstract class ForwardingOperations implements ControllerOperations {
    private final ControllerOperations next;

    ForwardingOperations(ControllerOperations next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public ControllerStatus status() {
        return next.status();
    }

    @Override
    public void apply(Actor actor) {
        next.apply(actor);
    }

    @Override
    public void adopt(Actor actor, Plan plan) {
        next.adopt(actor, plan);
    }

    @Override
    public void resumePlan(Actor actor) {
        next.resumePlan(actor);
    }

    @Override
    public void pause(Actor actor, String reason) {
        next.pause(actor, reason);
    }

    @Override
    public void resume(Actor actor) {
        next.resume(actor);
    }

    @Override
    public void rollback(Actor actor, TenantId tenant) {
        next.rollback(actor, tenant);
    }

    @Override
    public void finalizeMove(Actor actor, TenantId tenant) {
        next.finalizeMove(actor, tenant);
    }

    @Override
    public WaveFinalization finalizeWave(Actor actor, String wave) {
        return next.finalizeWave(actor, wave);
    }

    @Override
    public void approve(Actor actor, String wave) {
        next.approve(actor, wave);
    }

    @Override
    public List<SharedTableSync.Writer> sharedWriters() {
        return next.sharedWriters();
    }

    @Override
    public SharedTableSync.Switched switchSharedWriter(Actor actor, String table, SiteId writer) {
        return next.switchSharedWriter(actor, table, writer);
    }

    @Override
    public PurgeReport purge(Actor actor, TenantId tenant, SiteId site) {
        return next.purge(actor, tenant, site);
    }
}
