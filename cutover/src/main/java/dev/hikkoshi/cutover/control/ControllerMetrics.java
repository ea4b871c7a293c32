package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller's move gauges for {@code GET /metrics}: {@code hikkoshi_moves{state}} (every state, zeros
 * included, so that an alert rule can watch FAILED), {@code hikkoshi_move_age_seconds{tenant,state}},
 * {@code hikkoshi_move_freeze_seconds{tenant}} (moves that were frozen) and {@code hikkoshi_controller_paused}.
 * Refreshed from the controller's status at each scrape (moves come and go, so these are multi-gauges);
 * used by {@link ControllerAdminApi}.
 */
final class ControllerMetrics {
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final MultiGauge byState;
    private final MultiGauge age;
    private final MultiGauge freeze;
    private final AtomicInteger paused = new AtomicInteger();

    ControllerMetrics(PrometheusMeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.byState = MultiGauge.builder("hikkoshi.moves").description("Moves by state").register(registry);
        this.age = MultiGauge.builder("hikkoshi.move.age").baseUnit("seconds")
                .description("How long each move has been in its state").register(registry);
        this.freeze = MultiGauge.builder("hikkoshi.move.freeze").baseUnit("seconds")
                .description("The longest time a request of the tenant was held in its move's freeze")
                .register(registry);
        Gauge.builder("hikkoshi.controller.paused", paused, AtomicInteger::get)
                .description("1 while the plan is paused").register(registry);
    }

    /** Updates the gauges from {@code status} and renders the registry in the Prometheus text format. */
    synchronized String scrape(ControllerStatus status) {
        Instant now = clock.instant();
        Map<MoveState, Integer> counts = new EnumMap<>(MoveState.class);
        for (MoveState s : MoveState.values()) {
            counts.put(s, 0);
        }
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        List<MultiGauge.Row<?>> freezes = new ArrayList<>();
        for (MoveStatus m : status.moves()) {
            counts.merge(m.state(), 1, Integer::sum);
            ages.add(MultiGauge.Row.of(Tags.of("tenant", m.tenant().value(), "state", m.state().name()),
                    Math.max(0, m.age(now).toMillis()) / 1000.0));
            m.freezeTime().ifPresent(f -> freezes.add(MultiGauge.Row.of(Tags.of("tenant", m.tenant().value()),
                    f.toMillis() / 1000.0)));
        }
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        counts.forEach((state, count) -> states.add(MultiGauge.Row.of(Tags.of("state", state.name()), count)));
        byState.register(states, true);
        age.register(ages, true);
        freeze.register(freezes, true);
        paused.set(status.paused() ? 1 : 0);
        return registry.scrape();
    }
}
