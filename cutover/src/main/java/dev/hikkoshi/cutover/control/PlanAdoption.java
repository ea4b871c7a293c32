package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.plan.Fingerprint;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlannedMove;
import dev.hikkoshi.cutover.plan.PlannedWave;
import dev.hikkoshi.cutover.plan.PreflightFinding;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.MoveBoard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks {@code hikkoshi apply PLAN} passes before the {@link Controller} adopts a plan: it moves tenants
 * between this controller's sites, its preflight found no error, none of its tenants is in a move already, and the
 * world is still what the plan assumed (its {@link Fingerprint} captured again now: placements, both schemas,
 * tenant sizes). Every refusal is a {@link UserException} listing everything that is wrong, one per line, with
 * the hint to plan again. Built by {@code ControllerProcess} over a {@code FingerprintReader}.
 */
public final class PlanAdoption {
    static final String PLAN_AGAIN = "run hikkoshi plan -c FILE -o PLAN again and apply the new plan";

    private final SiteId from;
    private final SiteId to;
    private final Function<Fingerprint, List<String>> differences;

    /** @param differences what changed in the world since a fingerprint was captured, one line per change */
    public PlanAdoption(SiteId from, SiteId to, Function<Fingerprint, List<String>> differences) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.differences = Objects.requireNonNull(differences, "differences");
    }

    /** What a controller that was given no way to check plans answers (in tests that never adopt one). */
    static PlanAdoption refusing(SiteId from, SiteId to) {
        return new PlanAdoption(from, to, f -> {
            throw new UserException("apply refused: this controller cannot check plans",
                    "run a controller started with hikkoshi run or hikkoshi controller");
        });
    }

    /** {@code plan 1a2b3c4d5e6f}: the first 12 hex digits of the id, enough to tell plans apart in messages. */
    static String name(String planId) {
        return "plan " + (planId.length() > 12 ? planId.substring(0, 12) : planId);
    }

    /**
     * Checks {@code plan} against the controller's {@code moves} and the world; returns the waves to run.
     *
     * @throws UserException listing every reason the plan cannot be adopted
     */
    List<PlanSettings.Wave> check(Plan plan, List<MoveStatus> moves) {
        String name = name(plan.id());
        if (!plan.from().equals(from) || !plan.to().equals(to)) {
            throw new UserException("apply refused: " + name + " moves tenants from " + plan.from() + " to "
                    + plan.to() + ", but this controller moves them from " + from + " to " + to,
                    "make the plan with the same config as the controller's");
        }
        List<PreflightFinding> errors = plan.errors();
        if (!errors.isEmpty()) {
            throw new UserException("apply refused: the preflight of " + name + " found "
                    + count(errors.size(), "error") + ":\n" + errors.stream()
                    .map(e -> "  " + e.direction() + ": " + e.text()).collect(Collectors.joining("\n")),
                    "fix them on the servers, then " + PLAN_AGAIN);
        }
        Map<TenantId, MoveStatus> byTenant = moves.stream().collect(Collectors.toMap(MoveStatus::tenant, m -> m));
        List<String> busy = new ArrayList<>();
        for (TenantId tenant : plan.tenants()) {
            MoveStatus s = byTenant.get(tenant);
            if (s != null && s.state() != MoveState.PLANNED) {
                busy.add("  tenant " + tenant + ": " + s.state() + " (attempt " + s.attempt() + " of wave " + s.wave()
                        + ")");
            }
        }
        if (!busy.isEmpty()) {
            throw new UserException("apply refused: " + count(busy.size(), "tenant") + " of " + name
                    + " already moved or moving:\n" + String.join("\n", busy),
                    "hikkoshi status shows them; " + PLAN_AGAIN);
        }
        List<String> changed = differences.apply(plan.fingerprint());
        if (!changed.isEmpty()) {
            throw new UserException("apply refused: the world changed since " + name + " was made ("
                    + count(changed.size(), "difference") + "):\n" + changed.stream().map(d -> "  " + d)
                    .collect(Collectors.joining("\n")), PLAN_AGAIN);
        }
        return waves(plan);
    }

    /** The plan's waves as the controller walks them. */
    static List<PlanSettings.Wave> waves(Plan plan) {
        return plan.waves().stream().map(w -> new PlanSettings.Wave(w.name(),
                w.moves().stream().map(PlannedMove::tenant).toList(), w.gate())).toList();
    }

    /** The waves of an adopted plan, from its journal record. */
    static List<PlanSettings.Wave> waves(JournalEntry.PlanAdopted adopted) {
        return adopted.waves().stream().map(w -> new PlanSettings.Wave(w.name(), w.tenants(), w.gate())).toList();
    }

    /** The journal record of adopting {@code plan}. */
    static List<JournalEntry.AdoptedWave> journaled(Plan plan) {
        List<JournalEntry.AdoptedWave> out = new ArrayList<>();
        for (PlannedWave w : plan.waves()) {
            out.add(new JournalEntry.AdoptedWave(w.name(), w.gate(), w.moves().stream().map(PlannedMove::tenant).toList()));
        }
        return out;
    }

    /**
     * Puts the adopted plan's tenants on the roster: a config wave's tenant the plan does not move and that never
     * moved leaves it (status no longer lists it); a plan tenant not yet known starts as PLANNED (attempt 1); one
     * waiting in PLANNED is relabelled with the plan's wave.
     */
    static void enter(List<PlanSettings.Wave> planned, Map<TenantId, MoveAttempt> attempts, Set<TenantId> replayed,
                      MoveBoard board, SiteId from, SiteId to, Instant now) {
        Set<TenantId> inPlan = planned.stream().flatMap(w -> w.tenants().stream()).collect(Collectors.toSet());
        for (TenantId tenant : List.copyOf(attempts.keySet())) {
            MoveAttempt a = attempts.get(tenant);
            if (!inPlan.contains(tenant) && !replayed.contains(tenant) && a.state() == MoveState.PLANNED
                    && a.attempt() == 1) {
                attempts.remove(tenant);
                board.untrack(tenant);
            }
        }
        for (PlanSettings.Wave wave : planned) {
            for (TenantId tenant : wave.tenants()) {
                if (!attempts.containsKey(tenant)) {
                    attempts.put(tenant, new MoveAttempt(tenant, wave.name(), 1, from, to, MoveState.PLANNED, Map.of()));
                    board.track(new MoveStatus(tenant, wave.name(), 1, MoveState.PLANNED, now, from, to,
                            Optional.empty(), Optional.empty(), Optional.empty()));
                }
            }
        }
        relabelPlanned(planned, attempts, board);
    }

    /** A tenant waiting in PLANNED (never moved, or rolled back earlier) belongs to the wave that will move it. */
    static void relabelPlanned(List<PlanSettings.Wave> plan, Map<TenantId, MoveAttempt> attempts, MoveBoard board) {
        for (PlanSettings.Wave wave : plan) {
            for (TenantId tenant : wave.tenants()) {
                MoveAttempt a = attempts.get(tenant);
                if (a != null && a.state() == MoveState.PLANNED && !a.wave().equals(wave.name())) {
                    attempts.put(tenant, new MoveAttempt(tenant, wave.name(), a.attempt(), a.from(), a.to(),
                            MoveState.PLANNED, a.notes()));
                    board.status(tenant).ifPresent(st -> board.track(new MoveStatus(tenant, wave.name(), st.attempt(),
                            st.state(), st.since(), st.from(), st.to(), st.freezeTime(), st.lastVerdict(), st.problem())));
                }
            }
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
