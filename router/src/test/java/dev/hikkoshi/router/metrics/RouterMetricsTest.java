package dev.hikkoshi.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.route.UpstreamTarget;
import dev.hikkoshi.router.site.Balance;
import dev.hikkoshi.router.site.EjectionSettings;
import dev.hikkoshi.router.site.SitePoolSettings;
import dev.hikkoshi.router.site.SitePools;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {
    private final RouterMetrics metrics = new RouterMetrics(RouterMetrics.newRegistry(), 2);

    @Test
    void requests_areCountedByTenantSiteAndStatusClass() {
        metrics.completed(exchange("acme", "cloud", 200, 3_000, 0));
        metrics.completed(exchange("acme", "cloud", 204, 700, 0));
        metrics.completed(exchange("acme", "cloud", 502, 40_000, 0));
        metrics.completed(exchange("-", "legacy", 404, 100, 0));

        assertThat(lines("hikkoshi_router_requests_total")).containsExactly(
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"2xx\",tenant=\"acme\"} 2.0",
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"5xx\",tenant=\"acme\"} 1.0",
                "hikkoshi_router_requests_total{site=\"legacy\",status_class=\"4xx\",tenant=\"-\"} 1.0");
    }

    @Test
    void latencyBuckets_areCoresFixedBounds_andAgreeWithTheTrafficWindow() {
        RouterTrafficWindow window = new RouterTrafficWindow();
        long[] latencies = {700, 1_000, 1_001, 3_000, 40_000, 250_000, 9_000_000, 12_000_000};
        for (long micros : latencies) {
            ExchangeRecord e = exchange("acme", "cloud", 200, micros, 0);
            metrics.completed(e);
            window.completed(e);
        }
        List<String> buckets = lines("hikkoshi_router_request_duration_seconds_bucket");
        List<String> expectedBounds = new ArrayList<>();
        for (long ms : LatencyHistogram.BOUNDS_MILLIS) {
            expectedBounds.add(String.valueOf(ms / 1000.0));
        }
        expectedBounds.add("+Inf");
        assertThat(buckets.stream().map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList())
                .isEqualTo(expectedBounds);

        // Prometheus buckets are cumulative; the traffic window's are not: both must say the same.
        long[] perBucket = window.window(Duration.ofMinutes(1)).get(new TrafficKey("acme", SiteId.of("cloud")))
                .latency().counts();
        long cumulative = 0;
        for (int i = 0; i < perBucket.length; i++) {
            cumulative += perBucket[i];
            assertThat(buckets.get(i)).endsWith("} " + cumulative);
        }
        assertThat(cumulative).isEqualTo(latencies.length);
    }

    @Test
    void heldRequests_countedWithTheirHoldTime_andLeftOutOfTheLatency() {
        metrics.completed(exchange("acme", "legacy", 200, 5_002_000, 5_000_000));
        AtomicInteger heldNow = new AtomicInteger(3);
        metrics.bindHeldRequests(heldNow::get);

        assertThat(lines("hikkoshi_router_requests_held_total")).containsExactly(
                "hikkoshi_router_requests_held_total{site=\"legacy\",tenant=\"acme\"} 1.0");
        assertThat(lines("hikkoshi_router_hold_duration_seconds_bucket")).contains(
                "hikkoshi_router_hold_duration_seconds_bucket{site=\"legacy\",tenant=\"acme\",le=\"2.5\"} 0",
                "hikkoshi_router_hold_duration_seconds_bucket{site=\"legacy\",tenant=\"acme\",le=\"5.0\"} 1");
        assertThat(lines("hikkoshi_router_request_duration_seconds_sum")).containsExactly(
                "hikkoshi_router_request_duration_seconds_sum{site=\"legacy\",tenant=\"acme\"} 0.002");
        assertThat(lines("hikkoshi_router_held_requests ")).containsExactly("hikkoshi_router_held_requests 3.0");
        heldNow.set(0);
        assertThat(lines("hikkoshi_router_held_requests ")).containsExactly("hikkoshi_router_held_requests 0.0");
    }

    @Test
    void tenantsBeyondTheLabelLimit_areCountedAsOther() {
        for (String tenant : List.of("a", "b", "c", "d", "a")) {
            metrics.completed(exchange(tenant, "cloud", 200, 1_000, 0));
        }
        assertThat(lines("hikkoshi_router_requests_total")).containsExactly(
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"2xx\",tenant=\"_other\"} 2.0",
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"2xx\",tenant=\"a\"} 2.0",
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"2xx\",tenant=\"b\"} 1.0");
    }

    @Test
    void upstreamGauges_followTheSitePools() {
        SiteId cloud = SiteId.of("cloud");
        UpstreamTarget a = new UpstreamTarget(cloud, "127.0.0.1", 9001, URI.create("http://127.0.0.1:9001"));
        UpstreamTarget b = new UpstreamTarget(cloud, "127.0.0.1", 9002, URI.create("http://127.0.0.1:9002"));
        try (SitePools pools = new SitePools(List.of(new SitePoolSettings(cloud, List.of(a, b), Balance.ROUND_ROBIN,
                Optional.empty(), new EjectionSettings(1, 5, Duration.ofMinutes(1), Duration.ofMinutes(1), 50))),
                e -> { throw new AssertionError(e); }).start()) {
            metrics.bindUpstreams(pools);
            pools.started(a);
            pools.connectFailed(b);
            assertThat(lines("hikkoshi_router_upstream_up")).containsExactly(
                    "hikkoshi_router_upstream_up{site=\"cloud\",upstream=\"127.0.0.1:9001\"} 1.0",
                    "hikkoshi_router_upstream_up{site=\"cloud\",upstream=\"127.0.0.1:9002\"} 0.0");
            assertThat(lines("hikkoshi_router_upstream_active_requests")).containsExactly(
                    "hikkoshi_router_upstream_active_requests{site=\"cloud\",upstream=\"127.0.0.1:9001\"} 1.0",
                    "hikkoshi_router_upstream_active_requests{site=\"cloud\",upstream=\"127.0.0.1:9002\"} 0.0");
        }
    }

    private List<String> lines(String prefix) {
        return metrics.scrape().lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    static ExchangeRecord exchange(String tenant, String site, int status, long durationMicros, long heldMicros) {
        return new ExchangeRecord(Instant.now(), "r1", tenant, site, "127.0.0.1:9", "GET", "/", status, 0, 0,
                durationMicros, durationMicros - heldMicros, heldMicros);
    }
}
