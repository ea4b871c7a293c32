package dev.hikkoshi.watch.metrics;

import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.stream.StreamProgress;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signals only hikkoshi sees, as Prometheus gauges for the monitors operators already run: per change
 * stream its lag, heartbeat age, pending events, dirty rows and whether it is halted; per move its state and
 * the time in it. Gauges are refreshed by {@link #refresh()} (the signal loop calls it), so a scrape never
 * queries a database. Registered on the controller's (or {@code hikkoshi run}'s) {@code /metrics}.
 */
public final class SignalMetrics implements MeterBinder {
    private final Optional<StreamProgress> streams;
    private final Optional<MoveEvents> moves;
    private final Clock clock;
    private final List<MultiGauge> gauges = new ArrayList<>();
    private MultiGauge lag;
    private MultiGauge heartbeat;
    private MultiGauge pending;
    private MultiGauge dirty;
    private MultiGauge halted;
    private MultiGauge moveState;
    private MultiGauge moveAge;

    public SignalMetrics(Optional<StreamProgress> streams, Optional<MoveEvents> moves, Clock clock) {
        this.streams = streams;
        this.moves = moves;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        lag = gauge(registry, "hikkoshi.stream.lag.seconds", "seconds the stream's target is behind its source");
        heartbeat = gauge(registry, "hikkoshi.stream.heartbeat.age.seconds", "time since the last heartbeat was applied");
        pending = gauge(registry, "hikkoshi.stream.lag.events", "changes captured but not yet applied");
        dirty = gauge(registry, "hikkoshi.stream.dirty.rows", "rows changed since they were last verified");
        halted = gauge(registry, "hikkoshi.stream.halted", "1 when the stream is stopped or failed");
        moveState = gauge(registry, "hikkoshi.move.state", "1 for the state each tenant's move is in (label state)");
        moveAge = gauge(registry, "hikkoshi.move.state.age.seconds", "time the move has been in its state");
        refresh();
    }

    private MultiGauge gauge(MeterRegistry registry, String name, String description) {
        MultiGauge g = MultiGauge.builder(name).description(description).register(registry);
        gauges.add(g);
        return g;
    }

    /** Reads the sources again and replaces every gauge's rows (streams and moves that went away disappear). */
    public void refresh() {
        if (lag == null) {
            return;
        }
        List<StreamStatus> all = streams.map(StreamProgress::streams).orElse(List.of());
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> beatRows = new ArrayList<>();
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> dirtyRows = new ArrayList<>();
        List<MultiGauge.Row<?>> haltedRows = new ArrayList<>();
        for (StreamStatus s : all) {
            Tags tags = Tags.of("tenant", s.id().tenant().value(), "from", s.id().from().value(), "to",
                    s.id().to().value(), "direction", s.reverse() ? "reverse" : "forward", "mode", s.mode());
            lagRows.add(MultiGauge.Row.of(tags, s.lagSeconds()));
            beatRows.add(MultiGauge.Row.of(tags, s.heartbeatAge().toMillis() / 1000.0));
            pendingRows.add(MultiGauge.Row.of(tags, s.lagEvents()));
            dirtyRows.add(MultiGauge.Row.of(tags, s.dirtyRows()));
            haltedRows.add(MultiGauge.Row.of(tags, s.state() == StreamState.STOPPED || s.state() == StreamState.FAILED ? 1 : 0));
        }
        lag.register(lagRows, true);
        heartbeat.register(beatRows, true);
        pending.register(pendingRows, true);
        dirty.register(dirtyRows, true);
        halted.register(haltedRows, true);
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (MoveStatus m : moves.map(MoveEvents::moves).orElse(List.of())) {
            Tags tenant = Tags.of("tenant", m.tenant().value(), "wave", m.wave());
            for (MoveState state : MoveState.values()) {
                stateRows.add(MultiGauge.Row.of(tenant.and("state", state.name()), state == m.state() ? 1 : 0));
            }
            ageRows.add(MultiGauge.Row.of(tenant.and("state", m.state().name()), m.age(now).toMillis() / 1000.0));
        }
        moveState.register(stateRows, true);
        moveAge.register(ageRows, true);
    }
}
