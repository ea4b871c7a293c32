package dev.hikkoshi.watch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvents;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.stream.StreamStatus;
import dev.hikkoshi.core.tenant.TenantId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SignalMetricsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void streamsAndMoves_becomeGauges_andGoneOnesDisappearOnRefresh() {
        StreamStatus acme = new StreamStatus(new StreamId(TenantId.of("acme"), SiteId.of("legacy"), SiteId.of("cloud")),
                "binlog", StreamState.STOPPED, "p", 42.5, 3, Duration.ofSeconds(40), 12, 100, false, Optional.of("ddl"), NOW);
        AtomicReference<List<StreamStatus>> streams = new AtomicReference<>(List.of(acme));
        MoveStatus move = new MoveStatus(TenantId.of("acme"), "pilot", 1, MoveState.SYNCED, NOW.minusSeconds(90),
                SiteId.of("legacy"), SiteId.of("cloud"), Optional.empty(), Optional.empty(), Optional.empty());
        MoveEvents moves = new MoveEvents() {
            @Override
            public List<MoveStatus> moves() {
                return List.of(move);
            }

            @Override
            public AutoCloseable subscribe(Consumer<MoveEvent> listener) {
                return () -> { };
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SignalMetrics metrics = new SignalMetrics(Optional.of(streams::get), Optional.of(moves), Clock.fixed(NOW, ZoneOffset.UTC));
        metrics.bindTo(registry);

        assertThat(registry.get("hikkoshi.stream.lag.seconds").tag("tenant", "acme").tag("direction", "forward").gauge().value())
                .isEqualTo(42.5);
        assertThat(registry.get("hikkoshi.stream.halted").tag("tenant", "acme").gauge().value()).isEqualTo(1);
        assertThat(registry.get("hikkoshi.stream.dirty.rows").gauge().value()).isEqualTo(12);
        assertThat(registry.get("hikkoshi.move.state").tag("state", "SYNCED").gauge().value()).isEqualTo(1);
        assertThat(registry.get("hikkoshi.move.state").tag("state", "FROZEN").gauge().value()).isZero();
        assertThat(registry.get("hikkoshi.move.state.age.seconds").gauge().value()).isEqualTo(90);

        streams.set(List.of());
        metrics.refresh();
        assertThat(registry.find("hikkoshi.stream.lag.seconds").gauges()).isEmpty();
    }
}
