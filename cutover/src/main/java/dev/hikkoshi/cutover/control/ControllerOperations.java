package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.List;
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

    /**
     * Starts (or continues) the plan's waves: the adopted plan's if there is one, else the config's
     * {@code plan.waves} as they resolve now (what in-process callers such as tests use).
     */
    void apply(Actor actor);

    /**
     * {@code hikkoshi apply PLAN}: adopts {@code plan} if the world still matches its fingerprint and no other plan
     * is running, journals it, and runs exactly its waves; the same plan sent again changes nothing.
     */
    void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan);

    /**
     * {@code hikkoshi apply --resume}: continues the journaled plan (nothing to do if it runs already); refused
     * when no plan was ever applied.
     */
    void resumePlan(Actor actor);

    /** Stops starting new moves; moves in progress finish their current step and wait. */
    void pause(Actor actor, String reason);

    void resume(Actor actor);

    /** Rolls a switched tenant back by hand (SWITCHED, BAKING or DONE). */
    void rollback(Actor actor, TenantId tenant);

    /** Stops a DONE tenant's reverse sync and removes what hikkoshi installed for it. */
    void finalizeMove(Actor actor, TenantId tenant);

    /**
     * Opens the gate of a wave whose plan asks for approval ({@code gate: approval}), or lets a move of the wave
     * waiting for approval (an inconclusive bake) go on.
     */
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
     * The answer to {@code status}: every move, why the plan is paused if it is, and what it waits for if nothing
     * starts although it is not paused ({@code waiting for approval of wave half}, or the start window).
     */
    record ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason,
                            Optional<String> waiting) {
        public ControllerStatus {
            moves = List.copyOf(moves);
            java.util.Objects.requireNonNull(pauseReason, "pauseReason");
            java.util.Objects.requireNonNull(waiting, "waiting");
        }

        /** A status without a wait. */
        public ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason) {
            this(moves, paused, pauseReason, Optional.empty());
        }
    }
}
