package dev.hikkoshi.watch.signal;

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
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.watch.alert.AlertStatus;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.MoveHold;
import dev.hikkoshi.watch.alert.PipelineInput;
import dev.hikkoshi.watch.alert.PipelineInput.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SignalsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");

    private static StreamStatus stream(String tenant, StreamState state, double lag, boolean reverse) {
        StreamId id = new StreamId(TenantId.of(tenant), reverse ? CLOUD : LEGACY, reverse ? LEGACY : CLOUD);
        return new StreamStatus(id, "binlog", state, "p", lag, 0, Duration.ZERO, 0, 0, reverse, Optional.empty(), NOW);
    }

    private static List<String> firing(List<? extends PipelineInput> inputs) {
        return inputs.stream().filter(i -> i instanceof Event e && e.status() == AlertStatus.FIRING)
                .map(i -> ((Event) i).labels().values().toString()).toList();
    }

    @Test
    void streams_lagAboveEachThreshold_firesThatSeverity_andAStoppedReverseStreamIsReverseSync() {
        SignalSettings settings = new SignalSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(30), 5, 20,
                Duration.ofSeconds(1), 50);
        StreamSignals signals = new StreamSignals(() -> List.of(stream("acme", StreamState.STREAMING, 3, false),
                stream("globex", StreamState.CATCHING_UP, 30, false), stream("initech", StreamState.FAILED, 0, true)),
                settings);

        List<Event> events = signals.evaluate(NOW);

        assertThat(events).hasSize(9).allSatisfy(e -> assertThat(e.time()).isEqualTo(NOW));
        assertThat(firing(events)).containsExactly(
                "{check=stream-lag, severity=warning, site=cloud, stream=globex:legacy->cloud, tenant=globex}",
                "{check=reverse-sync, severity=critical, site=legacy, stream=initech:cloud->legacy, tenant=initech}");
    }

    @Test
    void moveEvents_becomeHoldsAndAlerts() {
        TenantId acme = TenantId.of("acme");
        List<PipelineInput> frozen = MoveSignals.translate(new MoveEvent.Transition(acme, 1, MoveState.SYNCED,
                MoveState.FROZEN, "lag 0.2 s, final sync fits", NOW));
        assertThat(frozen.get(0)).isEqualTo(new PipelineInput.MoveFact(NOW, acme, MoveHold.FROZEN));
        assertThat(firing(frozen)).isEmpty();

        assertThat(firing(MoveSignals.translate(new MoveEvent.Transition(acme, 1, MoveState.BAKING, MoveState.FAILED,
                "x", NOW)))).containsExactly("{check=move, severity=critical, tenant=acme}");
        assertThat(MoveSignals.translate(new MoveEvent.Transition(acme, 1, MoveState.BAKING, MoveState.ROLLBACK_FROZEN,
                "two bad windows", NOW)).get(0)).isEqualTo(new PipelineInput.MoveFact(NOW, acme, MoveHold.ROLLING_BACK));
        assertThat(firing(MoveSignals.translate(new MoveEvent.SplitBrain(acme, LEGACY, "orders", "id=10", NOW))))
                .containsExactly("{check=split-brain, severity=critical, site=legacy, table=orders, tenant=acme}");
        assertThat(firing(MoveSignals.translate(new MoveEvent.Verdict(acme, 1, 2, MoveEvent.Judgement.INCONCLUSIVE,
                "12 requests < 50", NOW)))).isEmpty();
    }

    @Test
    void moves_inAWorkingStateTooLong_areStuck() {
        MoveStatus copying = new MoveStatus(TenantId.of("acme"), "pilot", 1, MoveState.COPYING, NOW.minusSeconds(3600),
                LEGACY, CLOUD, Optional.empty(), Optional.empty(), Optional.empty());
        MoveStatus done = new MoveStatus(TenantId.of("globex"), "pilot", 1, MoveState.DONE, NOW.minusSeconds(7200),
                LEGACY, CLOUD, Optional.empty(), Optional.empty(), Optional.empty());
        MoveEvents moves = new MoveEvents() {
            @Override
            public List<MoveStatus> moves() {
                return List.of(copying, done);
            }

            @Override
            public AutoCloseable subscribe(Consumer<MoveEvent> listener) {
                return () -> { };
            }
        };

        List<Event> events = new MoveSignals(moves, SignalSettings.DEFAULTS).evaluate(NOW);

        assertThat(firing(events)).containsExactly("{check=move-stuck, severity=warning, tenant=acme}");
        assertThat(events).hasSize(2);
    }

    @Test
    void traffic_fiveXxShareAboveTheThreshold_fires_butNotOnTooFewRequests() {
        Map<TrafficKey, TrafficStats> stats = Map.of(
                new TrafficKey("acme", CLOUD), new TrafficStats(100, 9, LatencyHistogram.empty()),
                new TrafficKey("globex", CLOUD), new TrafficStats(10, 9, LatencyHistogram.empty()),
                new TrafficKey("initech", LEGACY), new TrafficStats(100, 1, LatencyHistogram.empty()));
        TrafficWindow window = length -> new TrafficWindow.Snapshot(NOW.minus(length), NOW, stats);

        List<Event> events = new TrafficSignals(window, SignalSettings.DEFAULTS, Duration.ofMinutes(1)).evaluate(NOW);

        assertThat(firing(events)).containsExactly("{check=http-5xx, severity=warning, site=cloud, tenant=acme}");
        assertThat(events.stream().filter(e -> e.status() == AlertStatus.FIRING).findFirst().orElseThrow().count()).isEqualTo(9);
    }

    @Test
    void traffic_slowTenant_firesHttpLatency_andAFailingSite_firesSiteErrors() {
        long[] slow = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
        slow[LatencyHistogram.bucketOf(2_000_000)] = 30; // 30 requests of 2 s: p99 in the 2.5 s bucket
        long[] fast = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
        fast[LatencyHistogram.bucketOf(20_000)] = 100;
        Map<TrafficKey, TrafficStats> stats = Map.of(
                new TrafficKey("acme", CLOUD), new TrafficStats(30, 0, new LatencyHistogram(slow)),
                new TrafficKey("globex", LEGACY), new TrafficStats(100, 80, new LatencyHistogram(fast)),
                new TrafficKey("initech", LEGACY), new TrafficStats(100, 40, new LatencyHistogram(fast)));
        TrafficWindow window = length -> new TrafficWindow.Snapshot(NOW.minus(length), NOW, stats);

        List<Event> events = new TrafficSignals(window, SignalSettings.DEFAULTS, Duration.ofMinutes(1)).evaluate(NOW);

        assertThat(firing(events)).containsExactlyInAnyOrder(
                "{check=http-latency, severity=warning, site=cloud, tenant=acme}",
                "{check=http-5xx, severity=warning, site=legacy, tenant=globex}",
                "{check=http-5xx, severity=warning, site=legacy, tenant=initech}",
                "{check=site-errors, severity=critical, site=legacy}");
        assertThat(events).filteredOn(e -> e.labels().get(Labels.CHECK).orElse("").equals("site-errors"))
                .extracting(Event::status).containsExactlyInAnyOrder(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }
}
