package dev.hikkoshi.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoadGeneratorTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExchangeLog log = new ExchangeLog();
    private RecordingBackend legacy;

    @BeforeEach
    void start() throws InterruptedException {
        legacy = RecordingBackend.start(SiteId.of("legacy"), log);
    }

    @AfterEach
    void stop() {
        legacy.close();
    }

    @Test
    void countBound_sendsExactlyThatMany_andLogsWhoServedEach() throws Exception {
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME, GLOBEX))
                .addressing(TenantAddressing.host("{tenant}.shop.test")).clients(4).maxRequests(200)
                .duration(Duration.ofSeconds(20)).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            List<LoadResponse> responses = run.responses();
            assertThat(responses).hasSize(200).allMatch(LoadResponse::ok)
                    .allMatch(r -> r.servedBy().equals(Optional.of("legacy")));
            assertThat(responses).extracting(LoadResponse::sequence).isSorted().doesNotHaveDuplicates();

            LoadSummary summary = run.summary();
            assertThat(summary.requests()).isEqualTo(200);
            assertThat(summary.failures()).isZero();
            // Clients 0 and 2 keep to acme, 1 and 3 to globex; faster clients may take a few more requests.
            long acme = summary.tenant(ACME).orElseThrow().requests();
            long globex = summary.tenant(GLOBEX).orElseThrow().site("legacy").orElseThrow().requests();
            assertThat(acme + globex).isEqualTo(200);
            assertThat(acme).isPositive();
            assertThat(globex).isPositive();
            assertThat(responses).allMatch(r -> r.tenant().equals(r.client() % 2 == 0 ? ACME : GLOBEX));
            assertThat(summary.tenant(ACME).orElseThrow().siteSequence()).containsExactly("legacy");
        }
        // Keep-alive: four clients, four connections for 200 requests.
        assertThat(legacy.acceptedConnections()).isEqualTo(4);
        assertThat(log.received(SiteId.of("legacy"))).hasSize(200)
                .anyMatch(r -> r.request().forwarded("host").equals(Optional.of("acme.shop.test")))
                .anyMatch(r -> r.request().forwarded("host").equals(Optional.of("globex.shop.test")));
    }

    @Test
    void pathPrefix_putsTheTenantInThePath() throws Exception {
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.pathPrefix("/t/{tenant}")).path("/orders?x=1").clients(1)
                .maxRequests(3).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
        }
        assertThat(log.events(Received.class)).extracting(r -> r.request().uri())
                .containsExactly("/t/acme/orders?x=1", "/t/acme/orders?x=1", "/t/acme/orders?x=1");
    }

    @Test
    void workload_sendsItsMethodsAndBodies_withTheTenantInAHeader_andLearnsEachOutcome() throws Exception {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Workload workload = tenant -> {
            boolean post = calls.getAndIncrement() % 2 == 0;
            return new LoadRequest(post ? "POST" : "DELETE", post ? "/orders" : "/orders/7",
                    post ? Optional.of("{\"note\":\"ご注文\"}") : Optional.empty(),
                    (response, body) -> outcomes.add(response.status() + " " + body.trim()));
        };
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.header("X-Hikkoshi-Tenant")).workload(workload).clients(1).maxRequests(4)
                .build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.workloadFailure()).isEmpty();
        }
        assertThat(log.events(Received.class)).extracting(r -> r.request().method() + " " + r.request().uri() + " "
                        + r.request().tenant().orElse("-") + " " + r.request().declaredBodyBytes())
                .containsExactly("POST /orders acme 20", "DELETE /orders/7 acme 0", "POST /orders acme 20",
                        "DELETE /orders/7 acme 0");
        assertThat(outcomes).hasSize(4).allMatch(o -> o.startsWith("200 {\"site\":\"legacy\""))
                .anyMatch(o -> o.contains("\"method\":\"DELETE\""));
    }

    @Test
    void aWorkloadThatThrows_stopsTheRun_andSaysWhy() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Workload workload = tenant -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("no more orders");
            }
            return LoadRequest.get("/", LoadRequest.IGNORE);
        };
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.host("{tenant}.shop.test")).workload(workload).clients(1)
                .maxRequests(100).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.responses()).hasSize(2);
            assertThat(run.workloadFailure()).get().extracting(Throwable::getMessage).isEqualTo("no more orders");
        }
    }

    @Test
    void pathAndWorkload_excludeEachOther() {
        assertThatThrownBy(() -> LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.header("X-Tenant")).path("/a").workload(Workload.get("/b")).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("path(...) and workload(...) exclude each other");
        assertThatThrownBy(() -> TenantAddressing.header("X Tenant")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name must be letters, digits and '-', was X Tenant");
    }

    @Test
    void timeBound_stopsStartingRequestsAtTheDeadline() throws Exception {
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.pathPrefix("/t/{tenant}")).path("/slow?delay-ms=50").clients(2)
                .maxRequests(1_000_000).duration(Duration.ofMillis(500)).build();
        long start = System.nanoTime();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.responses()).hasSizeBetween(2, 2 * 500 / 50 + 2).allMatch(LoadResponse::ok);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void non2xxAnswers_areCountedPerTenant() throws Exception {
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.host("{tenant}.shop.test")).path("/x?status=503").clients(1)
                .maxRequests(5).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            LoadSummary.TenantLoad acme = run.summary().tenant(ACME).orElseThrow();
            assertThat(acme.non2xx()).isEqualTo(5);
            assertThat(acme.failures()).isZero();
            assertThat(acme.site("legacy").orElseThrow().non2xx()).isEqualTo(5);
        }
    }

    @Test
    void noServer_everyRequestIsAFailure_andTheRunStillEnds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadGenerator load = LoadGenerator.target(URI.create("http://127.0.0.1:" + port)).tenants(List.of(ACME))
                .addressing(TenantAddressing.host("{tenant}.shop.test")).clients(2).maxRequests(6).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.responses()).hasSize(6).allMatch(LoadResponse::failed)
                    .allMatch(r -> r.failure().orElseThrow().startsWith("connect to /127.0.0.1:" + port + " failed"));
            assertThat(run.summary().failures()).isEqualTo(6);
        }
    }

    @Test
    void requestTimeout_failsTheRequest_andClosesItsConnection() throws Exception {
        LoadGenerator load = LoadGenerator.target(legacy.uri()).tenants(List.of(ACME))
                .addressing(TenantAddressing.host("{tenant}.shop.test")).path("/held?gate=never").clients(1)
                .maxRequests(1).requestTimeout(Duration.ofMillis(200)).build();
        try (LoadRun run = load.start()) {
            assertThat(run.await(WAIT)).isTrue();
            assertThat(run.responses()).singleElement()
                    .satisfies(r -> assertThat(r.failure()).contains("no response within 200 ms"));
        }
        assertThat(log.await(ExchangeEvent.Completed.class, c -> true, WAIT).outcome())
                .isEqualTo(ExchangeEvent.Outcome.ABORTED);
    }

    @Test
    void nonLoopbackTargets_areRefused() {
        assertThatThrownBy(() -> LoadGenerator.target(URI.create("http://192.0.2.10:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("load target must be a loopback address, was http://192.0.2.10:8080");
    }

    @Test
    void summary_followsArrivalOrder_forTheSitesThatServedATenant() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<LoadResponse> responses = List.of(
                new LoadResponse(1, 0, ACME, t0, 1_000, 200, Optional.of("legacy"), Optional.empty()),
                new LoadResponse(2, 0, ACME, t0.plusMillis(10), 2_000, 200, Optional.of("legacy"), Optional.empty()),
                new LoadResponse(3, 0, ACME, t0.plusMillis(20), 900_000, 200, Optional.of("cloud"), Optional.empty()),
                new LoadResponse(4, 1, ACME, t0.plusMillis(30), 1_000, 503, Optional.empty(), Optional.empty()),
                new LoadResponse(5, 1, ACME, t0.plusMillis(40), 0, 0, Optional.empty(), Optional.of("reset")));
        LoadSummary.TenantLoad acme = LoadSummary.of(responses).tenant(ACME).orElseThrow();
        assertThat(acme.requests()).isEqualTo(5);
        assertThat(acme.failures()).isEqualTo(1);
        assertThat(acme.non2xx()).isEqualTo(1);
        assertThat(acme.maxLatencyMicros()).isEqualTo(900_000);
        assertThat(acme.siteSequence()).containsExactly("legacy", "cloud");
        assertThat(acme.site("legacy").orElseThrow()).isEqualTo(new LoadSummary.SiteLoad("legacy", 2, 0,
                t0.plusMillis(1), t0.plusMillis(12)));
        assertThat(acme.site(LoadSummary.NO_SITE).orElseThrow().requests()).isEqualTo(1);
    }
}
