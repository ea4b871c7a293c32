package dev.hikkoshi.cutover.journal;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.plan.Gate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of the move journal ({@link Journal}): a move's state change, a bake window's verdict, an
 * operator's control of the plan, or the plan {@code hikkoshi apply PLAN} adopted. Written by the move runner and the controller, read back by
 * {@link JournalReplay} when the controller starts.
 */
public sealed interface JournalEntry {
    Instant at();

    /**
     * A move of {@code tenant} (its {@code attempt}, from site {@code source} to {@code target}) went from
     * {@code from} to {@code to} because of {@code reason}; {@code notes} are what the step recorded with it.
     */
    record Transition(TenantId tenant, String wave, int attempt, SiteId source, SiteId target, MoveState from,
                      MoveState to, String reason, Map<String, String> notes, Instant at) implements JournalEntry {
        public Transition {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
            notes = Map.copyOf(notes);
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
            }
        }

        public MoveEvent.Transition toEvent() {
            return new MoveEvent.Transition(tenant, attempt, from, to, reason, at);
        }
    }

    /** One rollback-line window's judgement during BAKING. */
    record Verdict(TenantId tenant, int attempt, int window, MoveEvent.Judgement judgement, String detail,
                   Instant at) implements JournalEntry {
        public Verdict {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(judgement, "judgement");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(at, "at");
        }

        public static Verdict of(MoveEvent.Verdict v) {
            return new Verdict(v.tenant(), v.attempt(), v.window(), v.judgement(), v.detail(), v.at());
        }

        public MoveEvent.Verdict toEvent() {
            return new MoveEvent.Verdict(tenant, attempt, window, judgement, detail, at);
        }
    }

    /** An operator (or the controller itself, as actor {@code controller}) applied, paused, resumed or approved. */
    record PlanControl(PlanAction action, Optional<String> wave, String actor, String reason, Instant at)
            implements JournalEntry {
        public PlanControl {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(wave, "wave");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * {@code actor} adopted the plan {@code planId} (checked against the world first): from now on the controller
     * runs exactly these waves, with these gates and tenants, also after a restart.
     */
    record PlanAdopted(String planId, List<AdoptedWave> waves, String actor, Instant at) implements JournalEntry {
        public PlanAdopted {
            Objects.requireNonNull(planId, "planId");
            waves = List.copyOf(waves);
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A wave of an adopted plan: its name, its gate and its tenants in start order. */
    record AdoptedWave(String name, Gate gate, List<TenantId> tenants) {
        public AdoptedWave {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(gate, "gate");
            tenants = List.copyOf(tenants);
        }
    }

    /** What a {@link PlanControl} did. */
    enum PlanAction {
        APPLIED, PAUSED, RESUMED, APPROVED
    }
}
