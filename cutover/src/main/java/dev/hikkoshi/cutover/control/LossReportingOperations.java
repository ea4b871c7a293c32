package dev.hikkoshi.cutover.control;

import java.util.Objects;

/**
 * The controller's operations with {@link RollbackLoss}'s answers added to every status: what the admin API's
 * {@code GET /status} and so {@code hikkoshi status} show in their rollback column. Every other call goes on
 * unchanged. Wired by {@link ControllerProcess} between the controller and its admin server.
 */
public final class LossReportingOperations extends ForwardingOperations {
    private final RollbackLoss loss;

    public LossReportingOperations(ControllerOperations controller, RollbackLoss loss) {
        super(controller);
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public ControllerStatus status() {
        ControllerStatus s = super.status();
        return s.withRollbackLoss(loss.of(s.moves()));
    }
}
