package dev.hikkoshi.router.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.router.route.ExchangeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RouterTrafficWindowTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final TrafficKey ACME_LEGACY = new TrafficKey("acme", LEGACY);
    private static final TrafficKey ACME_CLOUD = new TrafficKey("acme", CLOUD);
    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");

    private final SteppingClock clock = new SteppingClock(T0);
    private final RouterTrafficWindow window =
            new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofSeconds(60), clock);

    @Test
    void window_countsRequestsErrorsAndLatencyPerTenantAndSite() {
        window.completed(exchange("acme", "legacy", 200, 3_000, 0));
        window.completed(exchange("acme", "legacy", 503, 40_000, 0));
        window.completed(exchange("acme", "cloud", 200, 700, 0));
        window.completed(exchange("globex", "legacy", 404, 2_000_000, 0));

        TrafficWindow.Snapshot s = window.window(Duration.ofSeconds(10));
        assertThat(s.stats()).hasSize(3);
        TrafficStats acme = s.get(ACME_LEGACY);
        assertThat(acme.requests()).isEqualTo(2);
        assertThat(acme.serverErrors()).isEqualTo(1);
        long[] expected = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
        expected[LatencyHistogram.bucketOf(3_000)]++;
        expected[LatencyHistogram.bucketOf(40_000)]++;
        assertThat(acme.latency().counts()).containsExactly(expected);
        assertThat(s.get(ACME_CLOUD).latency().counts()[0]).isEqualTo(1);
        assertThat(s.get(new TrafficKey("globex", LEGACY)).serverErrors()).isZero();
        assertThat(s.get(new TrafficKey("globex", LEGACY)).latency().quantile(0.99)).contains(Duration.ofMillis(2500));
    }

    @Test
    void latency_leavesOutTheTimeARequestWasHeld() {
        window.completed(exchange("acme", "cloud", 200, 5_004_000, 5_000_000));
        assertThat(window.window(Duration.ofSeconds(1)).get(ACME_CLOUD).latency().quantile(1.0))
                .contains(Duration.ofMillis(5));
    }

    @Test
    void window_coversOnlyTheBucketsOfItsLength_roundedUp() {
        window.completed(exchange("acme", "legacy", 200, 1_000, 0));
        clock.advance(Duration.ofSeconds(5));
        window.completed(exchange("acme", "legacy", 200, 1_000, 0));
        window.completed(exchange("acme", "legacy", 500, 1_000, 0));
        clock.advance(Duration.ofMillis(300));

        assertThat(window.window(Duration.ofSeconds(1)).get(ACME_LEGACY).requests()).isEqualTo(2);
        assertThat(window.window(Duration.ofMillis(4_001)).get(ACME_LEGACY).requests()).isEqualTo(2);
        TrafficWindow.Snapshot six = window.window(Duration.ofSeconds(6));
        assertThat(six.get(ACME_LEGACY).requests()).isEqualTo(3);
        assertThat(six.from()).isEqualTo(T0);
        assertThat(six.to()).isEqualTo(T0.plusMillis(5_300));
    }

    @Test
    void window_neverReachesPastTheRetention_andExpiredBucketsAreNotCounted() {
        window.completed(exchange("acme", "legacy", 200, 1_000, 0));
        clock.advance(Duration.ofSeconds(60)); // same ring slot, one retention later
        window.completed(exchange("acme", "legacy", 500, 1_000, 0));
        TrafficWindow.Snapshot all = window.window(Duration.ofHours(1));
        assertThat(all.get(ACME_LEGACY)).isEqualTo(new TrafficStats(1, 1, all.get(ACME_LEGACY).latency()));
        assertThat(all.from()).isEqualTo(T0.plusSeconds(1));

        clock.advance(Duration.ofSeconds(61));
        assertThat(window.window(Duration.ofMinutes(1)).stats()).isEmpty();
    }

    @Test
    void exchangesRefusedBeforeASiteWasChosen_areNotCounted() {
        window.completed(exchange("-", "-", 404, 100, 0));
        window.completed(exchange("-", "", 400, 100, 0));
        assertThat(window.window(Duration.ofSeconds(5)).stats()).isEmpty();
    }

    @Test
    void snapshotsOfTwoRouters_mergeByAddingCounts() {
        RouterTrafficWindow other = new RouterTrafficWindow(Duration.ofSeconds(1), Duration.ofSeconds(60), clock);
        window.completed(exchange("acme", "cloud", 200, 1_500, 0));
        other.completed(exchange("acme", "cloud", 502, 30_000, 0));
        other.completed(exchange("acme", "legacy", 200, 1_500, 0));

        TrafficWindow.Snapshot merged = TrafficWindow.merge(List.of(window.window(Duration.ofSeconds(5)),
                other.window(Duration.ofSeconds(5))));
        assertThat(merged.get(ACME_CLOUD).requests()).isEqualTo(2);
        assertThat(merged.get(ACME_CLOUD).serverErrors()).isEqualTo(1);
        assertThat(merged.get(ACME_CLOUD).latency().total()).isEqualTo(2);
        assertThat(merged.get(ACME_LEGACY).requests()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void concurrentRecording_losesNoExchange() throws Exception {
        RouterTrafficWindow live = new RouterTrafficWindow();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String tenant = "t" + (t % 2);
                all.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        live.completed(exchange(tenant, "cloud", i % 10 == 0 ? 500 : 200, i, 0));
                    }
                }, threads));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        TrafficWindow.Snapshot s = live.window(Duration.ofMinutes(15));
        for (String tenant : List.of("t0", "t1")) {
            TrafficStats stats = s.get(new TrafficKey(tenant, CLOUD));
            assertThat(stats.requests()).isEqualTo(40_000);
            assertThat(stats.serverErrors()).isEqualTo(4_000);
            assertThat(stats.latency().total()).isEqualTo(40_000);
        }
    }

    @Test
    void badSizes_areRefused() {
        assertThatThrownBy(() -> new RouterTrafficWindow(Duration.ofSeconds(7), Duration.ofMinutes(1), clock))
                .hasMessage("traffic window needs a bucket of at least 100 ms and a retention of 1 to 100,000 "
                        + "whole buckets, got bucket=PT7S retention=PT1M");
        assertThatThrownBy(() -> window.window(Duration.ZERO)).hasMessage("window length must be positive, was PT0S");
    }

    static ExchangeRecord exchange(String tenant, String site, int status, long durationMicros, long heldMicros) {
        return new ExchangeRecord(Instant.now(), "r1", tenant, site, "127.0.0.1:9", "GET", "/", status, 0, 0,
                durationMicros, durationMicros - heldMicros, heldMicros);
    }
}
