package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /**
     * Finalizes every DONE move of {@code wave} ({@link #finalizeMove} for each) and says which were finalized and
     * why the others were not. Refused when none of them is DONE. Works over any implementation's
     * {@link #status} and {@link #finalizeMove}; the admin client sends it as one request.
     */
    default WaveFinalization finalizeWave(Actor actor, String wave) {
        List<MoveStatus> moves = status().moves().stream().filter(m -> m.wave().equals(wave)).toList();
        if (moves.isEmpty()) {
            throw new UserException("finalize refused: the plan has no move in a wave named " + wave,
                    "hikkoshi status lists the plan's waves");
        }
        List<TenantId> finalized = new ArrayList<>();
        List<NotFinalized> others = new ArrayList<>();
        for (MoveStatus m : moves) {
            if (m.state() == MoveState.FINALIZED) {
                others.add(new NotFinalized(m.tenant(), "already finalized at " + m.since()));
            } else if (m.state() != MoveState.DONE) {
                others.add(new NotFinalized(m.tenant(), m.state() + " (finalize needs DONE)"));
            } else {
                try {
                    finalizeMove(actor, m.tenant());
                    finalized.add(m.tenant());
                } catch (UserException e) {
                    others.add(new NotFinalized(m.tenant(), e.getMessage()));
                }
            }
        }
        if (finalized.isEmpty()) {
            throw new UserException("finalize refused: no move of wave " + wave + " is DONE ("
                    + others.stream().map(o -> o.tenant() + ": " + o.reason()).collect(Collectors.joining("; "))
                    + ")", "finalize needs DONE: wait until their bakes end (hikkoshi status shows them)");
        }
        return new WaveFinalization(wave, finalized, others);
    }

    /**
     * Removes a FINALIZED tenant's stale rows from {@code site}, the site it left (per-tenant tables only, children
     * first, marked as hikkoshi's own writes). Refused (with a hint) unless the tenant is FINALIZED and served by
     * another site. Only a controller that reaches the sites' databases can; this default refuses.
     */
    default PurgeReport purge(Actor actor, TenantId tenant, SiteId site) {
        throw new UserException("purge refused: this controller does not reach the sites' databases",
                "run the purge against the controller that runs the plan (hikkoshi controller or hikkoshi run)");
    }

    /** Who asked: a named admin token, or the local user for in-process calls. */
    record Actor(String name) {
        public Actor {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an actor needs a name");
            }
        }
    }

    /**
     * The shared tables and their writer sites (a writer moved by {@link #switchSharedWriter} overrides the
     * config's). Empty where the controller does not reach the databases.
     */
    default List<SharedTableSync.Writer> sharedWriters() {
        return List.of();
    }

    /**
     * {@code hikkoshi shared switch TABLE --writer SITE}: moves a shared table's single writer, with a short freeze of
     * the writes to it (see {@link SharedTableSync#switchWriter}). Only a controller that reaches the sites'
     * databases can; this default refuses.
     */
    default SharedTableSync.Switched switchSharedWriter(Actor actor, String table, SiteId writer) {
        throw new UserException("shared switch refused: this controller does not reach the sites' databases",
                "run it against the controller that runs the plan (hikkoshi controller or hikkoshi run)");
    }

    /** What {@link #finalizeWave} did: the wave's tenants finalized, and those that were not, with why. */
    record WaveFinalization(String wave, List<TenantId> finalized, List<NotFinalized> notFinalized) {
        public WaveFinalization {
            Objects.requireNonNull(wave, "wave");
            finalized = List.copyOf(finalized);
            notFinalized = List.copyOf(notFinalized);
        }

        /** In one line, for the audit log: "finalized acme, globex; not finalized: umbrella (BAKING ...)". */
        public String summary() {
            String done = finalized.stream().map(TenantId::value).collect(Collectors.joining(", "));
            return "finalized " + (done.isEmpty() ? "none" : done) + (notFinalized.isEmpty() ? "" : "; not finalized: "
                    + notFinalized.stream().map(n -> n.tenant() + " (" + n.reason() + ")")
                    .collect(Collectors.joining(", ")));
        }
    }

    /** A tenant of a wave that {@link #finalizeWave} left as it was, and why. */
    record NotFinalized(TenantId tenant, String reason) {
        public NotFinalized {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What {@link #purge} removed: rows per table, in the order they were deleted. */
    record PurgeReport(TenantId tenant, SiteId site, Map<String, Long> rowsByTable, List<String> kept) {
        public PurgeReport {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(site, "site");
            rowsByTable = Collections.unmodifiableMap(new LinkedHashMap<>(rowsByTable));
            kept = List.copyOf(kept);
        }

        public long totalRows() {
            return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The answer to {@code status}: every move, why the plan is paused if it is, what it waits for if nothing
     * starts although it is not paused ({@code waiting for approval of wave half}, or the start window), and what
     * a rollback would lose.
     *
     * @param rollbackLoss what a rollback would lose now, for the tenants where one applies (SWITCHED, BAKING,
     *                     DONE, FINALIZED); see {@link RollbackLoss}
     */
    record ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason,
                            Optional<String> waiting, Map<TenantId, String> rollbackLoss) {
        public ControllerStatus {
            moves = List.copyOf(moves);
            Objects.requireNonNull(pauseReason, "pauseReason");
            Objects.requireNonNull(waiting, "waiting");
            rollbackLoss = Map.copyOf(rollbackLoss);
        }

        /** A status without a wait or rollback answers. */
        public ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason) {
            this(moves, paused, pauseReason, Optional.empty(), Map.of());
        }

        /** The controller's own status: without rollback answers ({@link LossReportingOperations} adds them). */
        public ControllerStatus(List<MoveStatus> moves, boolean paused, Optional<String> pauseReason,
                                Optional<String> waiting) {
            this(moves, paused, pauseReason, waiting, Map.of());
        }

        /** This status with {@code loss} as what a rollback would lose. */
        public ControllerStatus withRollbackLoss(Map<TenantId, String> loss) {
            return new ControllerStatus(moves, paused, pauseReason, waiting, loss);
        }

        /** What a rollback of {@code tenant} would lose now, where one applies. */
        public Optional<String> rollbackLoss(TenantId tenant) {
            return Optional.ofNullable(rollbackLoss.get(tenant));
        }
    }
}
