package dev.hikkoshi.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.cutover.plan.PreflightFinding.Severity;
import dev.hikkoshi.router.config.FreezeConfig;
import dev.hikkoshi.router.freeze.FreezeGate;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.table.RoutingTableHolder;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The long-request check over a router's own freeze gate and traffic window, as the demo reads them in process. */
class LongRequestCheckTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final TenantId INITECH = TenantId.of("initech");
    private static final Instant NOW = Instant.parse("2026-11-29T06:00:02Z");

    private final RouterTrafficWindow traffic = new RouterTrafficWindow(RouterTrafficWindow.DEFAULT_BUCKET,
            RouterTrafficWindow.DEFAULT_RETENTION, Clock.fixed(NOW, ZoneOffset.UTC));
    private final FreezeGate gate = new FreezeGate(new RoutingTableHolder(new RoutingTable(1, Map.of(
            ACME, Placement.at(LEGACY), GLOBEX, Placement.at(LEGACY), INITECH, Placement.at(LEGACY))), Optional.empty()),
            new FreezeConfig(10, ByteSize.ofKiB(64), Duration.ofSeconds(20), Duration.ofSeconds(20)), "test-router");
    private final RouterReadings router = RouterReadings.of(List.of("in-process"), List.of(traffic), List.of(gate));

    @AfterEach
    void close() {
        gate.close();
    }

    @Test
    void tenantsWithSlowOrStillOpenRequests_areFlagged_andTheOthersAreNot() throws Exception {
        // freeze.max 5 s: drains wait 2.5 s. acme had a 3 s export; globex has a request open (an event stream).
        traffic.completed(exchange("acme", 3_000_000));
        traffic.completed(exchange("acme", 400_000));
        traffic.completed(exchange("initech", 2_400_000));
        gate.admit(new Route(Optional.of(GLOBEX), LEGACY, "/events", InetAddress.getLoopbackAddress(), false), 0,
                new OpenRequest("r-9 GET /events"));
        Thread.sleep(60);

        List<PreflightFinding> findings = new LongRequestCheck(router, Duration.ofMillis(50))
                .check(List.of(ACME, GLOBEX, INITECH), LEGACY, CLOUD);
        assertThat(findings).extracting(PreflightFinding::severity).containsOnly(Severity.WARNING);
        assertThat(findings.get(0).text()).isEqualTo("tenant acme: 2 requests in the last 15m took longer than 50ms;"
                + " a freeze waits up to 50ms for its requests, the routers close those still open after"
                + " freeze.drain-grace, and a drain that does not finish aborts the move; move it in an hour when such"
                + " requests are rare, or raise plan.freeze.max (a freeze drains for half of it) if their clients may"
                + " wait that long");
        assertThat(findings.get(1).text()).startsWith("tenant globex: 1 is open now for longer than 50ms (oldest:"
                + " r-9 GET /events); a freeze waits up to 50ms");
        assertThat(findings.get(2).text()).startsWith("tenant initech: 1 request in the last 15m took longer than 50ms;");

        List<PreflightFinding> atTwoAndAHalf = new LongRequestCheck(router, Duration.ofMillis(2500))
                .check(List.of(ACME, GLOBEX, INITECH), LEGACY, CLOUD);
        assertThat(atTwoAndAHalf).extracting(PreflightFinding::text).containsExactly("tenant acme: 1 request in the"
                + " last 15m took longer than 2500ms; a freeze waits up to 2500ms for its requests, the routers close"
                + " those still open after freeze.drain-grace, and a drain that does not finish aborts the move; move it in"
                + " an hour when such requests are rare, or raise plan.freeze.max (a freeze drains for half of it) if"
                + " their clients may wait that long");
    }

    @Test
    void withNothingLong_oneOkFindingNamesTheRouters_andWithoutRoutersTheWarningSaysWhy() {
        traffic.completed(exchange("acme", 40_000));
        assertThat(new LongRequestCheck(router, Duration.ofMillis(2500)).check(List.of(ACME, GLOBEX), LEGACY, CLOUD))
                .containsExactly(new PreflightFinding(LEGACY, CLOUD, Severity.OK, "long-lived requests: none of the 2"
                        + " planned tenants had a request longer than 2500ms in the last 15m or one open longer than"
                        + " 2500ms now (1 router: in-process)"));
        assertThat(new LongRequestCheck(RouterReadings.none("no routers here"), Duration.ofMillis(2500))
                .check(List.of(ACME), LEGACY, CLOUD)).containsExactly(new PreflightFinding(LEGACY, CLOUD,
                Severity.WARNING, "long-lived requests that could keep a freeze from draining: not checked (no routers"
                + " here); a freeze that cannot drain within its timeout aborts the move"));
    }

    @Test
    void aRouterThatCannotBeRead_isAWarningNamingWhy() {
        TrafficWindow broken = length -> {
            throw new IllegalStateException("router admin http://10.0.2.11:8081 GET /stats failed: cannot connect");
        };
        RouterReadings readings = RouterReadings.of(List.of("http://10.0.2.11:8081"), List.of(broken), List.of(gate));
        assertThat(new LongRequestCheck(readings, Duration.ofMillis(2500)).check(List.of(ACME), LEGACY, CLOUD))
                .extracting(PreflightFinding::text).containsExactly("long-lived requests that could keep a freeze from"
                        + " draining: not checked (router admin http://10.0.2.11:8081 GET /stats failed: cannot"
                        + " connect); a freeze that cannot drain within its timeout aborts the move");
    }

    @Test
    void histogramBuckets_countOnlyRequestsSurelyLongerThanTheDrainTimeout() {
        assertThat(LongRequestCheck.firstBucketAbove(Duration.ofMillis(2500))).isEqualTo(11);
        assertThat(LongRequestCheck.firstBucketAbove(Duration.ofMillis(2600))).isEqualTo(12);
        assertThat(LongRequestCheck.firstBucketAbove(Duration.ofSeconds(30))).isEqualTo(13);
    }

    private static ExchangeRecord exchange(String tenant, long micros) {
        return new ExchangeRecord(NOW, "r1", tenant, "legacy", "127.0.0.1:9", "GET", "/", 200, 0, 0, micros, micros, 0);
    }

    /** The proxy's side of an admitted request that stays open. */
    private record OpenRequest(String describe) implements InFlightRequest {
        @Override
        public void forceClose() {
        }

        @Override
        public void finish() {
        }
    }
}
