package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.BypassWrite;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a rollback of each switched tenant would lose if it started now, in one line for {@code hikkoshi status}:
 * derived from facts, never assumed. For a SWITCHED, BAKING or DONE move: whether the reverse stream that carries
 * the new site's writes back runs (its state, lag and problem, through {@link StreamProgress}) and the last
 * {@link MoveEvent.ReverseSyncFailed} while it does not; the tenant's rows in tables out of the move's scope on the
 * new site ({@link SkippedRows}: never synced, so they stay behind); and shared tables written on the new site,
 * which is not their writer (the data engine's bypass-write reports of that site). FINALIZED: no rollback
 * is possible. Other states have nothing to lose to a rollback (none is possible, or one is under way).
 *
 * <p>The controller subscribes it to its move events ({@link #accept}) and to the data engine's bypass-write reports
 * ({@link #bypassWrite}); {@link LossReportingOperations} adds its answers to the status. Thread-safe: facts are kept
 * in concurrent maps written by the event threads.
 */
public final class RollbackLoss implements Consumer<MoveEvent> {
    /** A move state from which a rollback carries writes back. */
    private static final Set<MoveState> SWITCHED = Set.of(MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE);

    /**
     * A tenant's rows, on the site it moved to, in tables its move skips (never copied, never synced back): one
     * line per table, such as {@code skipped table audit_log: 12 rows of acme on cloud} or {@code skipped table
     * sessions: no tenant_id column, rows not attributable}; tables without any of its rows are left out. Answered
     * by the data side, which knows the scope.
     */
    @FunctionalInterface
    public interface SkippedRows {
        List<String> of(TenantId tenant, SiteId from, SiteId to);
    }

    private final StreamProgress streams;
    private final SkippedRows skipped;
    private final Map<TenantId, MoveEvent.ReverseSyncFailed> reverseFailures = new ConcurrentHashMap<>();
    /** Shared tables written where they must not be: site -> table names, in the order first seen. */
    private final Map<SiteId, Set<String>> sharedWrites = new ConcurrentHashMap<>();

    public RollbackLoss(StreamProgress streams, SkippedRows skipped) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.skipped = Objects.requireNonNull(skipped, "skipped");
    }

    @Override
    public void accept(MoveEvent event) {
        if (event instanceof MoveEvent.ReverseSyncFailed f) {
            reverseFailures.put(f.tenant(), f);
        } else if (event instanceof MoveEvent.Transition t && t.to() == MoveState.SWITCHED) {
            reverseFailures.remove(t.tenant()); // a new reverse stream starts with this switch
        }
    }

    /**
     * A write hikkoshi did not make: one on a shared table (no tenant) counts against every tenant switched to
     * that site. A tenant's row written on its old site is a split-brain, not a loss of the new site's writes.
     */
    public void bypassWrite(BypassWrite write) {
        if (write.tenant().isEmpty()) {
            sharedWrites.computeIfAbsent(write.site(), k -> ConcurrentHashMap.newKeySet()).add(write.table());
        }
    }

    /** Every move's answer where it has one, by tenant. */
    public Map<TenantId, String> of(List<MoveStatus> moves) {
        Map<TenantId, String> out = new LinkedHashMap<>();
        for (MoveStatus m : moves) {
            of(m).ifPresent(text -> out.put(m.tenant(), text));
        }
        return out;
    }

    /** What a rollback of this move would lose now; empty where no rollback applies. */
    public Optional<String> of(MoveStatus m) {
        if (m.state() == MoveState.FINALIZED) {
            return Optional.of("no rollback possible: finalized at " + m.since());
        }
        if (!SWITCHED.contains(m.state())) {
            return Optional.empty();
        }
        List<String> lost = new ArrayList<>();
        Optional<StreamStatus> reverse = streams.stream(new StreamId(m.tenant(), m.to(), m.from()));
        boolean carrying = reverse.filter(s -> s.state() == StreamState.STARTING || s.state() == StreamState.CATCHING_UP
                || s.state() == StreamState.STREAMING).isPresent();
        if (reverse.isEmpty()) {
            lost.add("writes on " + m.to() + " since the switch: no reverse sync runs");
        } else if (!carrying) {
            StreamStatus s = reverse.get();
            lost.add("writes on " + m.to() + " after " + s.position() + ": reverse sync " + s.state()
                    + s.problem().map(p -> " (" + p + ")").orElse(""));
        }
        if (!carrying) {
            Optional.ofNullable(reverseFailures.get(m.tenant())).ifPresent(f -> lost.add("reverse sync failed at "
                    + f.at() + ": " + f.problem()));
        }
        lost.addAll(skipped.of(m.tenant(), m.from(), m.to()));
        for (String table : sharedWrites.getOrDefault(m.to(), Set.of())) {
            lost.add("shared table " + table + " written on " + m.to() + ", not its writer");
        }
        if (lost.isEmpty()) {
            StreamStatus s = reverse.orElseThrow();
            return Optional.of(String.format(Locale.ROOT, "nothing: reverse sync %s, %.1f s behind (%d events to"
                    + " carry back)", s.state().name().toLowerCase(Locale.ROOT), s.lagSeconds(), s.lagEvents()));
        }
        return Optional.of(String.join("; ", lost));
    }
}
