package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.LoadResponse;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The report's judgement and layout, with the router's part played by hand: requests go straight to the sites
 * with the tenant header a router would add, and the clients' log is written out as values.
 */
@Timeout(30)
class DemoReportTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExchangeLog log = new ExchangeLog();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<LoadResponse> responses = new ArrayList<>();
    private RecordingBackend legacy;
    private RecordingBackend cloud;

    @BeforeEach
    void start() throws InterruptedException {
        legacy = RecordingBackend.start(LEGACY, log);
        cloud = RecordingBackend.start(CLOUD, log);
    }

    @AfterEach
    void stop() {
        legacy.close();
        cloud.close();
    }

    /** Sends one request to a site as the router would forward it, and logs it as the load generator would. */
    private void serve(RecordingBackend site, TenantId tenant, long latencyMicros) throws Exception {
        Instant sentAt = Instant.now();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(site.uri() + "/orders"))
                .header(RecordingBackend.TENANT_HEADER, tenant.value()).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        responses.add(new LoadResponse(responses.size() + 1, 0, tenant, sentAt, latencyMicros, r.statusCode(),
                r.headers().firstValue(RecordingBackend.SERVED_BY_HEADER), Optional.empty()));
        log.awaitCount(Completed.class, c -> true, responses.size(), WAIT);
    }

    /** What a clean data move of acme measured: every row copied, equal, and none of another tenant's. */
    private static final TenantDataMove.Figures DATA = new TenantDataMove.Figures("acme", "site legacy (db)",
            "site cloud (db)", List.of(new TenantDataMove.TableFigures("tenants", 1, 1, 1, 0, 1),
                    new TenantDataMove.TableFigures("orders", 500, 500, 500, 0, 500)),
            Duration.ofMillis(250), Duration.ofMillis(100));

    private DemoOutcome outcome(Marker frozen, Marker release) {
        return outcome(frozen, release, DATA);
    }

    private DemoOutcome outcome(Marker frozen, Marker release, TenantDataMove.Figures data) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        return new DemoOutcome(Map.of(LEGACY, legacy.uri(), CLOUD, cloud.uri()), URI.create("http://127.0.0.1:1"),
                Path.of("/tmp/demo/hikkoshi.yaml"), List.of(ACME, GLOBEX), 2, "{tenant}.demo.test",
                "/orders?delay-ms=20", ACME, LEGACY, CLOUD, t0,
                List.of(new DemoOutcome.Step(t0.plusMillis(2_000), "freeze acme requested"),
                        new DemoOutcome.Step(t0.plusMillis(2_030), "freeze acme returned")), data,
                new FreezeReport(ACME, 1, 1, Duration.ofMillis(30)), frozen, release, responses, log);
    }

    @Test
    void aCleanMove_passesEveryCheck_andSaysWhoServedWhom() throws Exception {
        serve(legacy, ACME, 2_000);
        serve(legacy, GLOBEX, 2_000);
        Marker frozen = log.mark("freeze returned");
        Thread.sleep(5);
        Instant heldAt = Instant.now();
        serve(legacy, GLOBEX, 1_500);
        Thread.sleep(5);
        Marker release = log.mark("release requested");
        // The request held during the freeze was sent before the release and answered by cloud after it.
        serve(cloud, ACME, 1_234_000);
        LoadResponse held = responses.remove(responses.size() - 1);
        responses.add(new LoadResponse(held.sequence(), 0, ACME, heldAt, held.latencyMicros(), held.status(),
                held.servedBy(), held.failure()));
        serve(cloud, ACME, 3_000);

        DemoReport report = new DemoReport(outcome(frozen, release));
        assertThat(report.ok()).isTrue();
        String text = report.render();
        assertThat(text).startsWith("hikkoshi demo: tenant acme moves from legacy to cloud under load\n");
        assertThat(text).contains("timeline\n  +  2.00s  freeze acme requested\n  +  2.03s  freeze acme returned\n");
        assertThat(text).contains(
                "  tenant      requests  failed  non-2xx  served by                median   longest\n"
                + "  acme               3       0        0  legacy -> cloud            3 ms  1,234 ms\n"
                + "  globex             2       0        0  legacy                     2 ms      2 ms\n");
        assertThat(text).contains("  ok    requests of acme sent while it was frozen were held, then served by "
                + "cloud (1 held, longest 1,234 ms; 0 sent after the freeze not answered by cloud with 2xx)\n");
        assertThat(text).contains("  ok    every request was answered with 2xx (5 requests, 0 failed, 0 non-2xx)\n");
        assertThat(text).contains("\ndata of acme: bulk copy + verification; change capture is not part of"
                + " the demo's move yet (the cutover engine, issue 5, joins it), so the demo's load does not write to the"
                + " database\n"
                + "  table          copied  on legacy   on cloud  differences  cloud holds\n"
                + "  tenants             1          1          1            0            1\n"
                + "  orders            500        500        500            0          500\n"
                + "  copy          501 rows in 0.25 s (2,004 rows/s)\n"
                + "  verification  501 rows in 0.10 s: differences: 0\n");
        assertThat(text).contains("  ok    acme's rows were copied to cloud and verified equal before the freeze"
                + " (501 copied, 501 on legacy, 501 on cloud, differences: 0)\n"
                + "  ok    no other tenant's rows were copied (cloud's tables hold 501 rows in all, 501 of them acme's)\n");
        assertThat(text).endsWith("result: ok: every request was answered and acme moved from legacy to cloud"
                + " without a request at the wrong site\n");
    }

    @Test
    void aDifferingRow_orAnotherTenantsRowOnTheTarget_failsTheDemo() throws Exception {
        serve(legacy, ACME, 2_000);
        Marker frozen = log.mark("freeze returned");
        Marker release = log.mark("release requested");
        serve(cloud, ACME, 2_000);
        TenantDataMove.Figures bad = new TenantDataMove.Figures("acme", "site legacy (db)", "site cloud (db)",
                List.of(new TenantDataMove.TableFigures("orders", 500, 500, 500, 1, 503)),
                Duration.ofMillis(250), Duration.ofMillis(100));

        DemoReport report = new DemoReport(outcome(frozen, release, bad));
        assertThat(report.ok()).isFalse();
        assertThat(report.render())
                .contains("  FAIL  acme's rows were copied to cloud and verified equal before the freeze"
                        + " (500 copied, 500 on legacy, 500 on cloud, differences: 1)\n")
                .contains("  FAIL  no other tenant's rows were copied (cloud's tables hold 503 rows in all, 500 of them acme's)\n")
                .endsWith("result: FAILED: see the checks above\n");
    }

    @Test
    void aRequestAtTheOldSiteAfterTheFreeze_failsTheDemo() throws Exception {
        serve(legacy, ACME, 2_000);
        Marker frozen = log.mark("freeze returned");
        serve(legacy, GLOBEX, 2_000);
        serve(legacy, ACME, 2_000);
        Marker release = log.mark("release requested");
        serve(cloud, ACME, 2_000);

        DemoReport report = new DemoReport(outcome(frozen, release));
        assertThat(report.ok()).isFalse();
        assertThat(report.render())
                .contains("  FAIL  no request of acme reached legacy after the freeze (1 received after)\n")
                .endsWith("result: FAILED: see the checks above\n");
    }
}
