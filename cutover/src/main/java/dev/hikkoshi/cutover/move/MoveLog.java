package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one path by which a move's state changes: check the transition, append it to the {@link Journal} (forced
 * to disk), and only then let it take effect on the {@link MoveBoard} and its listeners. Used by the
 * {@link MoveRunner} for transitions, by the BAKING step for verdicts ({@link #append}, {@link #verdicts}: the
 * shape of the rollback line's {@code VerdictJournal}) and approvals ({@link #approval}: its
 * {@code BakeApproval}), and by the controller for plan control.
 */
public final class MoveLog {
    private final Journal journal;
    private final MoveBoard board;
    private final Clock clock;
    private final Map<String, List<MoveEvent.Verdict>> verdicts = new ConcurrentHashMap<>();
    private final List<JournalEntry.PlanControl> approvals = new CopyOnWriteArrayList<>();

    /** Over {@code journal}, whose replayed verdicts and approvals it keeps for the bake steps. */
    public MoveLog(Journal journal, MoveBoard board, Clock clock) {
        this.journal = journal;
        this.board = board;
        this.clock = clock;
        for (JournalEntry e : journal.replayed()) {
            remember(e);
        }
    }

    /**
     * Journals {@code current -> to} and returns the attempt in {@code to} (back in PLANNED: the next attempt,
     * counted up). Throws {@link IllegalStateException} naming the tenant, both states and what was allowed if
     * the state machine does not allow it: callers check first, so this is a bug.
     */
    public MoveAttempt transition(MoveAttempt current, MoveState to, String reason, Map<String, String> notes) {
        MoveState from = current.state();
        if (!from.mayGoTo(to)) {
            throw new IllegalStateException("illegal transition of " + current.tenant() + ": " + from + " -> " + to
                    + " (allowed: " + from.successors() + ")");
        }
        JournalEntry.Transition entry = new JournalEntry.Transition(current.tenant(), current.wave(),
                current.attempt(), current.from(), current.to(), from, to, reason, notes, clock.instant());
        journal.append(entry);
        MoveAttempt next = to == MoveState.PLANNED ? JournalReplay.nextAttempt(current) : current.advance(to, notes);
        board.transitioned(entry, next);
        return next;
    }

    /** Journals a rollback-line verdict (durable when this returns), then publishes it. */
    public void append(MoveEvent.Verdict verdict) {
        JournalEntry.Verdict entry = JournalEntry.Verdict.of(verdict);
        journal.append(entry);
        remember(entry);
        board.judged(entry);
    }

    /** Every verdict journaled for this attempt of the tenant's move, in journal order. */
    public List<MoveEvent.Verdict> verdicts(TenantId tenant, int attempt) {
        return List.copyOf(verdicts.getOrDefault(tenant + "#" + attempt, List.of()));
    }

    /** Journals an operator's (or the controller's own) pause, resume or approval. */
    public void planControl(JournalEntry.PlanAction action, Optional<String> wave, String actor, String reason) {
        JournalEntry.PlanControl entry = new JournalEntry.PlanControl(action, wave, actor, reason, clock.instant());
        journal.append(entry);
        remember(entry);
    }

    /** Journals the plan {@code hikkoshi apply PLAN} adopted (durable when this returns). */
    public void adopted(JournalEntry.PlanAdopted entry) {
        journal.append(entry);
    }

    /**
     * The approval that lets {@code attempt} go on: an approval of its wave journaled since it entered its
     * current state (so an approval given for an earlier bake does not carry over to a later one), if any.
     */
    public Optional<JournalEntry.PlanControl> approval(MoveAttempt attempt) {
        Optional<MoveStatus> status = board.status(attempt.tenant())
                .filter(s -> s.state() == attempt.state() && s.attempt() == attempt.attempt());
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return approvals.stream()
                .filter(a -> a.wave().equals(Optional.of(attempt.wave())) && !a.at().isBefore(status.get().since()))
                .findFirst();
    }

    public Clock clock() {
        return clock;
    }

    public MoveBoard board() {
        return board;
    }

    private void remember(JournalEntry e) {
        if (e instanceof JournalEntry.Verdict v) {
            verdicts.computeIfAbsent(v.tenant() + "#" + v.attempt(), k -> new CopyOnWriteArrayList<>()).add(v.toEvent());
        } else if (e instanceof JournalEntry.PlanControl c && c.action() == JournalEntry.PlanAction.APPROVED) {
            approvals.add(c);
        }
    }
}
