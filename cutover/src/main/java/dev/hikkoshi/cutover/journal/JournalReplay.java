package dev.hikkoshi.cutover.journal;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.MoveAttempt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the journal says now: every journaled tenant's current {@link MoveAttempt} with when it entered its
 * state and its last verdict, and whether the plan is paused. Built by the controller when it starts, from
 * {@link Journal#replayed()}; the runners take it from there.
 */
public final class JournalReplay {
    private final Map<TenantId, ReplayedMove> moves;
    private final Optional<JournalEntry.PlanControl> lastPause;
    private final boolean applied;
    private final Optional<JournalEntry.PlanAdopted> adopted;
    private final Set<String> approvedWaves;
    private final Set<TenantId> rolledBackSinceApply;

    private JournalReplay(Map<TenantId, ReplayedMove> moves, Optional<JournalEntry.PlanControl> lastPause,
                          boolean applied, Optional<JournalEntry.PlanAdopted> adopted, Set<String> approvedWaves,
                          Set<TenantId> rolledBackSinceApply) {
        this.moves = moves;
        this.lastPause = lastPause;
        this.applied = applied;
        this.adopted = adopted;
        this.approvedWaves = approvedWaves;
        this.rolledBackSinceApply = rolledBackSinceApply;
    }

    /**
     * One tenant's move as replayed: {@code attempt} is in the state it last journaled, which it entered at
     * {@code since} because of {@code reason}.
     */
    public record ReplayedMove(MoveAttempt attempt, Instant since, String reason,
                               Optional<JournalEntry.Verdict> lastVerdict) {
        public ReplayedMove {
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(lastVerdict, "lastVerdict");
        }
    }

    /** Replays {@code entries} of the journal at {@code file} (named in messages). */
    public static JournalReplay of(Path file, List<JournalEntry> entries) {
        Map<TenantId, ReplayedMove> moves = new LinkedHashMap<>();
        Optional<JournalEntry.PlanControl> lastPause = Optional.empty();
        boolean applied = false;
        Set<TenantId> rolledBack = new HashSet<>();
        Optional<JournalEntry.PlanAdopted> adopted = Optional.empty();
        Set<String> approvedWaves = new LinkedHashSet<>();
        int index = 0;
        for (JournalEntry entry : entries) {
            index++;
            if (entry instanceof JournalEntry.Transition t) {
                ReplayedMove before = moves.get(t.tenant());
                MoveState state = before == null ? MoveState.PLANNED : before.attempt().state();
                int attempt = before == null ? 1 : before.attempt().attempt();
                if (state != t.from() || attempt != t.attempt()) {
                    throw new UserException("journal " + file + " record " + index + " moves " + t.tenant()
                            + " (attempt " + t.attempt() + ") from " + t.from() + ", but the records before it leave "
                            + "attempt " + attempt + " in " + state,
                            "the journal's history is inconsistent: restore the state directory from a backup, "
                                    + "or inspect the file");
                }
                MoveAttempt next;
                if (before == null) {
                    next = new MoveAttempt(t.tenant(), t.wave(), t.attempt(), t.source(), t.target(), t.to(), t.notes());
                } else if (t.to() == MoveState.PLANNED) {
                    next = nextAttempt(before.attempt());
                } else {
                    next = before.attempt().advance(t.to(), t.notes());
                }
                Optional<JournalEntry.Verdict> verdict = before == null || t.to() == MoveState.PLANNED
                        ? Optional.empty() : before.lastVerdict();
                moves.put(t.tenant(), new ReplayedMove(next, t.at(), t.reason(), verdict));
                if (t.to() == MoveState.ROLLBACK_FROZEN) {
                    rolledBack.add(t.tenant());
                }
            } else if (entry instanceof JournalEntry.Verdict v) {
                ReplayedMove before = moves.get(v.tenant());
                if (before != null) {
                    moves.put(v.tenant(), new ReplayedMove(before.attempt(), before.since(), before.reason(),
                            Optional.of(v)));
                }
            } else if (entry instanceof JournalEntry.PlanControl c) {
                switch (c.action()) {
                    case PAUSED, RESUMED -> lastPause = Optional.of(c);
                    case APPLIED -> {
                        applied = true;
                        rolledBack.clear();
                    }
                    case APPROVED -> c.wave().ifPresent(approvedWaves::add);
                }
            } else if (entry instanceof JournalEntry.PlanAdopted a) {
                adopted = Optional.of(a);
                applied = true;
                approvedWaves.clear(); // approvals open the gates of the plan they were given for
            }
        }
        return new JournalReplay(Map.copyOf(moves), lastPause, applied, adopted, Set.copyOf(approvedWaves),
                Set.copyOf(rolledBack));
    }

    /**
     * The attempt that follows {@code ended} once it is back in PLANNED (after an abort or a rollback): counted
     * up, with none of the old attempt's notes, which belong to a copy and a freeze that are over.
     */
    public static MoveAttempt nextAttempt(MoveAttempt ended) {
        return new MoveAttempt(ended.tenant(), ended.wave(), ended.attempt() + 1, ended.from(), ended.to(),
                MoveState.PLANNED, Map.of());
    }

    public Optional<ReplayedMove> move(TenantId tenant) {
        return Optional.ofNullable(moves.get(tenant));
    }

    public Map<TenantId, ReplayedMove> moves() {
        return moves;
    }

    /** Whether the plan was ever applied: a restarted controller then walks its waves again by itself. */
    public boolean applied() {
        return applied;
    }

    /** Tenants rolled back since the plan was last applied: the walk leaves them aside until the next apply. */
    public Set<TenantId> rolledBackSinceApply() {
        return rolledBackSinceApply;
    }

    /** The plan {@code hikkoshi apply PLAN} adopted last, if any: a restarted controller runs its waves. */
    public Optional<JournalEntry.PlanAdopted> adopted() {
        return adopted;
    }

    /**
     * The waves approved ({@code hikkoshi approve WAVE}) since the last plan was adopted: an approval-gated wave
     * among them is open.
     */
    public Set<String> approvedWaves() {
        return approvedWaves;
    }

    /** Whether the last pause or resume in the journal was a pause. */
    public boolean paused() {
        return lastPause.map(c -> c.action() == JournalEntry.PlanAction.PAUSED).orElse(false);
    }

    /** Why the plan is paused, if it is. */
    public Optional<String> pauseReason() {
        return lastPause.filter(c -> c.action() == JournalEntry.PlanAction.PAUSED).map(JournalEntry.PlanControl::reason);
    }
}
