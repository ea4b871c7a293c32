package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator can ask of a running controller. Implemented by the controller itself; the controller's
 * admin API exposes it over HTTP and the operating commands ({@code status}, {@code rollback}, ...) are its
 * clients, so they work the same against {@code hikkoshi run} and a separate {@code hikkoshi controller}.
 * Every call names its {@link Actor} for the audit log. Refusals (a rollback of a finalized tenant, an unknown
 * wave) are {@link dev.hikkoshi.core.UserException}s with a hint.
 */
public interface ControllerOperations {
    /** Every tenant's move, whether the plan runs or is paused, and why. */
    ControllerStatus status();

    /** Starts (or continues) the configured plan's waves. */
    void apply(Actor actor);

    /** Stops starting new moves; moves in progress finish their current step and wait. */
    void pause(Actor actor, String reason);

    void resume(Actor actor);

    /** Rolls a switched tenant back by hand (SWITCHED, BAKING or DONE). */
    void rollback(Actor actor, TenantId tenant);

    /** Stops a DONE tenant's reverse sync and removes what hikkoshi installed for it. */
    void finalizeMove(Actor actor, TenantId tenant);

    /** Lets a move waiting for approval (an inconclusive bake) of the wave go on. */
    void approve(Actor actor, String wave);

    /** Who asked: a named admin token, or the local user for in-process calls. */
    record Actor(String name) {
        public Actor {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an actor needs a name");
            }
        }
    }

    /**
     * The answer to {@code status}: every move, and why the plan is paused if it is.
     *
     * @param rollbackLoss what a rollback would lose now, for the tenants where one applies (SWITCHED, BAKING,
     *                     DONE, FINALIZED); see {@link RollbackLoss}
     */
    record ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason,
                            Map<TenantId, String> rollbackLoss) {
        public ControllerStatus {
            moves = List.copyOf(moves);
            rollbackLoss = Map.copyOf(rollbackLoss);
        }

        /** A status without rollback answers (the controller's own; {@link LossReportingOperations} adds them). */
        public ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason) {
            this(moves, paused, pauseReason, Map.of());
        }

        /** What a rollback of {@code tenant} would lose now, where one applies. */
        public Optional<String> rollbackLoss(TenantId tenant) {
            return Optional.ofNullable(rollbackLoss.get(tenant));
        }
    }
}
