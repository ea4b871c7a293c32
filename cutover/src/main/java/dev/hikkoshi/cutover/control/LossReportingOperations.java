package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Objects;

/**
 * The controller's operations with {@link RollbackLoss}'s answers added to every status: what the admin API's
 * {@code GET /status} and so {@code hikkoshi status} show in their rollback column. Every other call goes to the
 * controller unchanged. Wired by {@link ControllerProcess} between the controller and its admin server.
 */
public final class LossReportingOperations implements ControllerOperations {
    private final ControllerOperations controller;
    private final RollbackLoss loss;

    public LossReportingOperations(ControllerOperations controller, RollbackLoss loss) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public ControllerStatus status() {
        ControllerStatus s = controller.status();
        return s.withRollbackLoss(loss.of(s.moves()));
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
    public void approve(Actor actor, String wave) {
        controller.approve(actor, wave);
    }
}
