package dev.hikkoshi.watch.signal;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.MoveHold;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.PipelineInput.Event;
import dev.hikkoshi.watch.alert.PipelineInput.MoveFact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the cutover engine's moves into pipeline inputs. Each published event becomes at once: a move fact
 * (frozen, baking, rolling back, none) that holds or tightens the tenant's own alerts; {@code move} (critical)
 * while a move is FAILED, (warning) while it aborts; {@code split-brain} and {@code reverse-sync} (critical);
 * {@code rollback-line} (warning) for a bad bake window. Periodically, {@link #evaluate} fires
 * {@code move-stuck} for a move that has stayed too long in a working state.
 */
public final class MoveSignals {
    private final MoveEvents moves;
    private final SignalSettings settings;

    public MoveSignals(MoveEvents moves, SignalSettings settings) {
        this.moves = moves;
        this.settings = settings;
    }

    /** What the pipeline should learn from one published event (in order). */
    public static List<PipelineInput> translate(MoveEvent event) {
        List<PipelineInput> out = new ArrayList<>();
        String tenant = event.tenant().value();
        if (event instanceof MoveEvent.Transition t) {
            out.add(new MoveFact(t.at(), t.tenant(), hold(t.to())));
            out.add(event(t.at(), Labels.of(Labels.CHECK, "move", Labels.SEVERITY, "critical", Labels.TENANT, tenant),
                    t.to() == MoveState.FAILED));
            out.add(event(t.at(), Labels.of(Labels.CHECK, "move", Labels.SEVERITY, "warning", Labels.TENANT, tenant),
                    t.to() == MoveState.ABORTING || t.to() == MoveState.ROLLBACK_FROZEN));
        } else if (event instanceof MoveEvent.Verdict v) {
            out.add(event(v.at(), Labels.of(Labels.CHECK, "rollback-line", Labels.SEVERITY, "warning", Labels.TENANT,
                    tenant), v.judgement() == MoveEvent.Judgement.BAD));
        } else if (event instanceof MoveEvent.SplitBrain s) {
            out.add(event(s.at(), Labels.of(Labels.CHECK, "split-brain", Labels.SEVERITY, "critical", Labels.TENANT,
                    tenant, Labels.SITE, s.site().value(), "table", s.table()), true));
        } else if (event instanceof MoveEvent.ReverseSyncFailed r) {
            out.add(event(r.at(), Labels.of(Labels.CHECK, "reverse-sync", Labels.SEVERITY, "critical", Labels.TENANT,
                    tenant), true));
        } else if (event instanceof MoveEvent.Notice n && n.severity() != MoveEvent.Severity.INFO) {
            out.add(event(n.at(), Labels.of(Labels.CHECK, "move-notice", Labels.SEVERITY,
                    n.severity().name().toLowerCase(java.util.Locale.ROOT), Labels.TENANT, tenant), true));
        }
        return out;
    }

    /** {@code move-stuck} for every move, firing when it has been in a working state longer than allowed. */
    public List<Event> evaluate(Instant now) {
        List<Event> out = new ArrayList<>();
        for (MoveStatus m : moves.moves()) {
            boolean working = m.state() != MoveState.PLANNED && m.state() != MoveState.DONE && !m.state().settled()
                    && m.state() != MoveState.BAKING;
            boolean stuck = working && m.age(now).compareTo(settings.moveStuck()) > 0;
            out.add(event(now, Labels.of(Labels.CHECK, "move-stuck", Labels.SEVERITY, "warning", Labels.TENANT,
                    m.tenant().value()), stuck));
        }
        return out;
    }

    /** Subscribes {@code sink} to every event the cutover engine publishes; close the handle to stop. */
    public AutoCloseable forward(java.util.function.Consumer<PipelineInput> sink) {
        return moves.subscribe(e -> translate(e).forEach(sink));
    }

    static MoveHold hold(MoveState state) {
        return switch (state) {
            case FROZEN, FINAL_SYNC -> MoveHold.FROZEN;
            case SWITCHED, BAKING -> MoveHold.BAKING;
            case ROLLBACK_FROZEN, ROLLBACK_SYNC, ROLLED_BACK -> MoveHold.ROLLING_BACK;
            default -> MoveHold.NONE;
        };
    }

    private static Event event(Instant at, Labels labels, boolean firing) {
        return new Event(at, labels, firing ? AlertStatus.FIRING : AlertStatus.RESOLVED, 1);
    }
}
