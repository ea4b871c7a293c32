package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Prints the engine's events as they happen, one line each: every state change of every move with its reason,
 * the freeze time once a tenant is released on its new site, bad and inconclusive rollback-line windows, and the
 * controller's warnings. Keeps the transitions for the report. Subscribed to the controller's move board by
 * {@link DemoRun}; events arrive on the engine's threads, so printing is synchronized.
 */
final class DemoProgress implements Consumer<MoveEvent> {
    private final PrintWriter out;
    private final Instant start;
    private volatile Function<TenantId, Optional<MoveStatus>> status = t -> Optional.empty();
    private final List<MoveEvent.Transition> transitions = new CopyOnWriteArrayList<>();

    DemoProgress(PrintWriter out, Instant start) {
        this.out = out;
        this.start = start;
    }

    /** Where the freeze times come from once the controller runs: its status of a tenant's move. */
    void statusFrom(Function<TenantId, Optional<MoveStatus>> status) {
        this.status = status;
    }

    @Override
    public void accept(MoveEvent event) {
        if (event instanceof MoveEvent.Transition t) {
            transitions.add(t);
            String freeze = t.from() == MoveState.SWITCHED && t.to() == MoveState.BAKING
                    ? status.apply(t.tenant()).flatMap(MoveStatus::freezeTime)
                            .map(d -> " (requests held at most " + d.toMillis() + " ms)").orElse("")
                    : "";
            line(t.at(), t.tenant(), String.format(Locale.ROOT, "%-15s -> %-15s %s%s", t.from(), t.to(), t.reason(),
                    freeze));
        } else if (event instanceof MoveEvent.Verdict v && v.judgement() != MoveEvent.Judgement.HEALTHY) {
            line(v.at(), v.tenant(), "rollback line, window " + v.window() + ": " + v.detail());
        } else if (event instanceof MoveEvent.Notice n && n.severity() != MoveEvent.Severity.INFO) {
            line(n.at(), n.tenant(), n.severity() + ": " + n.text());
        } else if (event instanceof MoveEvent.SplitBrain s) {
            line(s.at(), s.tenant(), "SPLIT BRAIN: a write on " + s.site() + " to " + s.table() + " " + s.key());
        } else if (event instanceof MoveEvent.ReverseSyncFailed r) {
            line(r.at(), r.tenant(), "reverse sync failed: " + r.problem());
        }
    }

    /** Prints a line of the demo's own (the plan, the load), on the same timeline. */
    synchronized void say(String text) {
        out.printf(Locale.ROOT, "  +%6.2fs  %s%n", seconds(Instant.now()), text);
        out.flush();
    }

    /** Prints a block of text (the plan's summary) indented under the timeline. */
    synchronized void block(String text) {
        text.lines().forEach(l -> out.println("             " + l));
        out.flush();
    }

    List<MoveEvent.Transition> transitions() {
        return List.copyOf(transitions);
    }

    private synchronized void line(Instant at, TenantId tenant, String text) {
        out.printf(Locale.ROOT, "  +%6.2fs  %-9s %s%n", seconds(at), tenant, text);
        out.flush();
    }

    private double seconds(Instant at) {
        return Duration.between(start, at).toMillis() / 1000.0;
    }
}
