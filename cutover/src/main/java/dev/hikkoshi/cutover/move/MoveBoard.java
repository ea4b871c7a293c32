package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.journal.JournalReplay;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's {@link MoveEvents}: every move's current {@link MoveStatus}, seeded from the journal's replay
 * and kept current by {@link MoveLog} as transitions and verdicts are journaled, and the bus that hands every
 * event to the watch module, the audit log and the dashboard.
 *
 * <p>Concurrency: readers get an immutable snapshot (swapped atomically); updates come from several runner
 * threads and are applied with compare-and-set.
 */
public final class MoveBoard implements MoveEvents {
    private static final Logger log = LoggerFactory.getLogger(MoveBoard.class);

    private final AtomicReference<Map<TenantId, MoveStatus>> statuses = new AtomicReference<>(Map.of());
    private final List<Consumer<MoveEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public List<MoveStatus> moves() {
        return List.copyOf(statuses.get().values());
    }

    public Optional<MoveStatus> status(TenantId tenant) {
        return Optional.ofNullable(statuses.get().get(tenant));
    }

    /** Adds a move to the board (in plan order: the order of the calls), or replaces its status. */
    public void track(MoveStatus status) {
        update(status.tenant(), old -> status);
    }

    /** Takes a move that never started off the board (a newly adopted plan does not move that tenant). */
    public void untrack(TenantId tenant) {
        while (true) {
            Map<TenantId, MoveStatus> old = statuses.get();
            if (!old.containsKey(tenant)) {
                return;
            }
            Map<TenantId, MoveStatus> copy = new LinkedHashMap<>(old);
            copy.remove(tenant);
            if (statuses.compareAndSet(old, Collections.unmodifiableMap(copy))) {
                return;
            }
        }
    }

    /** Adds (or replaces) a move as the journal's replay left it, with its journaled time and last verdict. */
    public void track(JournalReplay.ReplayedMove m) {
        MoveAttempt a = m.attempt();
        Optional<String> problem = EnumSet.of(MoveState.FAILED, MoveState.ABORTING, MoveState.ROLLBACK_FROZEN)
                .contains(a.state()) ? Optional.of(m.reason()) : Optional.empty();
        track(new MoveStatus(a.tenant(), a.wave(), a.attempt(), a.state(), m.since(), a.from(), a.to(),
                freezeTime(a), m.lastVerdict().map(MoveBoard::describe), problem));
    }

    /** Sets or clears what a move waits for or why it stopped, without a transition. */
    public void problem(TenantId tenant, Optional<String> problem) {
        update(tenant, s -> s == null ? null : with(s, s.attempt(), s.state(), s.since(), s.freezeTime(),
                s.lastVerdict(), problem));
    }

    @Override
    public AutoCloseable subscribe(Consumer<MoveEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Hands {@code event} to every listener (split-brain reports, notices: events without a journal record). */
    public void publish(MoveEvent event) {
        for (Consumer<MoveEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A broken listener (dashboard, notifier) must not stop a move half-way through a transition.
                log.error("a move-event listener failed on {}", event, e);
            }
        }
    }

    /** Applies a journaled transition to the move's status and publishes it. Called by {@link MoveLog}. */
    void transitioned(JournalEntry.Transition t, MoveAttempt next) {
        update(t.tenant(), s -> {
            Optional<String> problem = switch (t.to()) {
                case FAILED, ABORTING, ROLLBACK_FROZEN -> Optional.of(t.reason());
                case COPYING -> Optional.empty();
                default -> s == null ? Optional.empty() : s.problem();
            };
            Optional<String> verdict = s == null || t.to() == MoveState.PLANNED ? Optional.empty() : s.lastVerdict();
            return new MoveStatus(t.tenant(), next.wave(), next.attempt(), next.state(), t.at(), next.from(),
                    next.to(), freezeTime(next), verdict, problem);
        });
        publish(t.toEvent());
    }

    /** Applies a journaled verdict to the move's status and publishes it. Called by {@link MoveLog}. */
    void judged(JournalEntry.Verdict v) {
        update(v.tenant(), s -> s == null ? null : with(s, s.attempt(), s.state(), s.since(), s.freezeTime(),
                Optional.of(describe(v)), s.problem()));
        publish(v.toEvent());
    }

    /** A verdict in words, as {@code hikkoshi status} shows it: "window 3: p99 912 ms > 800 ms: bad". */
    public static String describe(JournalEntry.Verdict v) {
        return "window " + v.window() + ": " + v.detail() + ": " + v.judgement().name().toLowerCase(Locale.ROOT);
    }

    private static Optional<Duration> freezeTime(MoveAttempt a) {
        return a.note(NoteKeys.FREEZE_MILLIS).map(ms -> Duration.ofMillis(Long.parseLong(ms)));
    }

    private static MoveStatus with(MoveStatus s, int attempt, MoveState state, Instant since,
                                   Optional<Duration> freeze, Optional<String> verdict, Optional<String> problem) {
        return new MoveStatus(s.tenant(), s.wave(), attempt, state, since, s.from(), s.to(), freeze, verdict, problem);
    }

    private void update(TenantId tenant, UnaryOperator<MoveStatus> change) {
        while (true) {
            Map<TenantId, MoveStatus> old = statuses.get();
            MoveStatus next = change.apply(old.get(tenant));
            if (next == null) {
                return;
            }
            Map<TenantId, MoveStatus> copy = new LinkedHashMap<>(old);
            copy.put(tenant, next);
            if (statuses.compareAndSet(old, Collections.unmodifiableMap(copy))) {
                return;
            }
        }
    }
}
