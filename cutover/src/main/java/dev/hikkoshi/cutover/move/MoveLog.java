package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The one path by which a move's state changes: check the transition, append it to the {@link Journal} (forced
 * to disk), and only then let it take effect on the {@link MoveBoard} and its listeners. Used by the
 * {@link MoveRunner} for transitions, by the BAKING step for verdicts and by the controller for plan control.
 */
public final class MoveLog implements VerdictLog {
    private final Journal journal;
    private final MoveBoard board;
    private final Clock clock;

    public MoveLog(Journal journal, MoveBoard board, Clock clock) {
        this.journal = journal;
        this.board = board;
        this.clock = clock;
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

    @Override
    public void record(MoveEvent.Verdict verdict) {
        JournalEntry.Verdict entry = JournalEntry.Verdict.of(verdict);
        journal.append(entry);
        board.judged(entry);
    }

    /** Journals an operator's (or the controller's own) pause, resume or approval. */
    public void planControl(JournalEntry.PlanAction action, Optional<String> wave, String actor, String reason) {
        journal.append(new JournalEntry.PlanControl(action, wave, actor, reason, clock.instant()));
    }

    public Clock clock() {
        return clock;
    }

    public MoveBoard board() {
        return board;
    }
}
