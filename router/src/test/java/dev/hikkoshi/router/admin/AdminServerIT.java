package dev.hikkoshi.router.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.OpenRequests;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.router.metrics.RouterMetrics;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The admin API on a real loopback listener, driven over HTTP by raw requests and by its own clients. */
@Timeout(30)
class AdminServerIT {
    private static final String TOKEN = "t0ken-for-the-controller";
    private static final TenantId ACME = TenantId.of("acme");
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryRouterControl control = new InMemoryRouterControl();
    // A fixed clock: the snapshot over HTTP and the local one must cover the same buckets, however slow the machine.
    private final RouterTrafficWindow traffic = new RouterTrafficWindow(RouterTrafficWindow.DEFAULT_BUCKET,
            RouterTrafficWindow.DEFAULT_RETENTION, Clock.fixed(Instant.parse("2026-11-29T06:00:02Z"), ZoneOffset.UTC));
    private final PrometheusMeterRegistry registry = RouterMetrics.newRegistry();
    private final RouterMetrics metrics = new RouterMetrics(registry);
    /** Two requests of acme open for 31 s and 4 s: what a router's freeze gate would list. */
    private final InFlightRequests open = age -> Map.of(TenantId.of("acme"), new OpenRequests(2, Duration.ofSeconds(31),
            "r-1 GET /events (31000 ms)"), TenantId.of("globex"), new OpenRequests(1, Duration.ofSeconds(4),
            "r-2 GET /export (4000 ms)")).entrySet().stream().filter(e -> e.getValue().oldest().compareTo(age) > 0)
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    private final AtomicReference<Runnable> reloadBehaviour = new AtomicReference<>(() -> { });
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private AdminServer server;

    @BeforeEach
    void start() {
        audit.start();
        ((Logger) LoggerFactory.getLogger("dev.hikkoshi.router.admin.audit")).addAppender(audit);
        server = new AdminServer(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                AdminTokens.of(Map.of("controller", TOKEN, "ops-alice", "alice-s3cret"))),
                control, traffic, open, () -> {
                    reloadBehaviour.get().run();
                    return "2 sites, 3 tenants";
                }, registry).start();
    }

    @AfterEach
    void stop() {
        server.close();
        ((Logger) LoggerFactory.getLogger("dev.hikkoshi.router.admin.audit")).detachAppender(audit);
    }

    @Test
    void listener_isBoundToTheLoopbackAddressItWasGiven_andTheDefaultIsLoopback() {
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(server.address().getPort()).isPositive();
        assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.address().getPort()));
        assertThat(AdminSettings.defaultListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8081));
        assertThat(AdminSettings.defaultListen().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void everyRequest_withoutAValidToken_isRefusedWith401_andDoesNothing() throws Exception {
        List<String[]> requests = List.of(new String[] {"GET", "/table"}, new String[] {"PUT", "/table"},
                new String[] {"POST", "/tenants/acme/freeze"}, new String[] {"POST", "/tenants/acme/release"},
                new String[] {"GET", "/stats"}, new String[] {"GET", "/open-requests"}, new String[] {"GET", "/health"}, new String[] {"GET", "/metrics"},
                new String[] {"POST", "/reload"}, new String[] {"GET", "/no-such-thing"});
        reloadBehaviour.set(() -> {
            throw new AssertionError("reload called without a token");
        });
        for (String[] r : requests) {
            HttpResponse<String> none = send(r[0], r[1], "{\"version\": 9, \"placements\": {}}", null);
            assertThat(none.statusCode()).as(r[0] + " " + r[1]).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"hikkoshi-router\"");
            assertThat(json(none).path("error").asText())
                    .isEqualTo("missing bearer token (expected: Authorization: Bearer <token>)");

            HttpResponse<String> wrong = send(r[0], r[1], "{}", "Bearer not-" + TOKEN);
            assertThat(wrong.statusCode()).as(r[0] + " " + r[1]).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate"))
                    .contains("Bearer realm=\"hikkoshi-router\", error=\"invalid_token\"");
            assertThat(json(wrong).path("error").asText())
                    .isEqualTo("the bearer token is not one of the router's admin tokens");

            assertThat(send(r[0], r[1], "{}", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        }
        assertThat(control.calls).isEmpty();
        assertThat(control.appliedVersion()).isZero();
    }

    @Test
    void requests_areAuditedWithTheTokensName_neverTheToken() throws Exception {
        assertThat(send("GET", "/health", null, "Bearer alice-s3cret").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health", null, "Bearer wrong").statusCode()).isEqualTo(401);
        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("admin GET /health by ops-alice from 127\\.0\\.0\\.1:\\d+: 200 in \\d+ ms"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("admin GET /health from 127\\.0\\.0\\.1:\\d+ refused: token not accepted"));
        assertThat(String.join("\n", lines)).doesNotContain("alice-s3cret").doesNotContain("wrong");
    }

    @Test
    void controlCharactersInAPath_cannotForgeAuditLines() throws Exception {
        assertThat(send("GET", "/x%0D%0Aadmin%20PUT%20/table%20by%20controller", null, null).statusCode()).isEqualTo(401);
        assertThat(audit.list).hasSize(1);
        assertThat(audit.list.get(0).getFormattedMessage())
                .matches("admin GET /x%0D%0Aadmin PUT /table by controller from 127\\.0\\.0\\.1:\\d+ refused: no bearer token");
    }

    @Test
    void table_pushedAndReadBack_throughHttpRouterControl_keepsTheNewestVersion() {
        HttpRouterControl remote = client();
        RoutingTable v3 = new RoutingTable(3, Map.of(ACME, Placement.at(CLOUD), TenantId.of("globex"),
                new Placement(LEGACY, true)));
        assertThat(remote.push(v3)).isEqualTo(3);
        assertThat(remote.table()).isEqualTo(v3);
        assertThat(remote.appliedVersion()).isEqualTo(3);

        assertThat(remote.push(new RoutingTable(2, Map.of()))).isEqualTo(3);
        assertThat(remote.table()).isEqualTo(v3);
        assertThat(remote.name()).isEqualTo(server.url().toString());
    }

    @Test
    void freeze_thatDrained_answersTheReport_andReleaseUnfreezes() {
        control.table.set(new RoutingTable(5, Map.of(ACME, Placement.at(LEGACY))));
        HttpRouterControl remote = client();
        FreezeReport report = remote.freeze(ACME, Duration.ofMillis(2500));
        assertThat(report).isEqualTo(new FreezeReport(ACME, 6, 2, Duration.ofMillis(15)));
        assertThat(control.table().placement(ACME)).contains(new Placement(LEGACY, true));

        remote.release(ACME);
        assertThat(control.table().placement(ACME)).contains(new Placement(LEGACY, false));
        assertThat(control.calls).containsExactly("freeze acme 2500ms", "release acme");
    }

    @Test
    void freeze_thatDidNotDrain_is409WithTheOpenRequests_andTheClientThrowsFreezeFailed() throws Exception {
        control.stuck.put(ACME, List.of("r17 GET /events age 12s", "r18 POST /orders age 3s"));
        HttpResponse<String> raw = send("POST", "/tenants/acme/freeze", "{\"drainTimeout\": \"1s\"}", "Bearer " + TOKEN);
        assertThat(raw.statusCode()).isEqualTo(409);
        assertThat(AdminJson.strings(json(raw).path("openRequests")))
                .containsExactly("r17 GET /events age 12s", "r18 POST /orders age 3s");
        assertThat(control.calls).containsExactly("freeze acme 1000ms");

        assertThatThrownBy(() -> client().freeze(ACME, Duration.ofSeconds(1)))
                .isInstanceOf(FreezeFailedException.class)
                .hasMessage("freeze of tenant acme on router " + server.url() + " did not drain: 2 request(s) still "
                        + "open: r17 GET /events age 12s, r18 POST /orders age 3s")
                .extracting(e -> ((FreezeFailedException) e).openRequests())
                .isEqualTo(List.of("r17 GET /events age 12s", "r18 POST /orders age 3s"));
    }

    @Test
    void stats_overHttp_equalTheRoutersOwnSnapshot_andMergeAcrossRouters() {
        traffic.completed(exchange("acme", "cloud", 200, 3_000));
        traffic.completed(exchange("acme", "cloud", 503, 40_000));
        traffic.completed(exchange("globex", "legacy", 200, 700));

        HttpTrafficWindow remote = new HttpTrafficWindow(server.url(), TOKEN, TIMEOUT);
        TrafficWindow.Snapshot overHttp = remote.window(Duration.ofMinutes(1));
        TrafficWindow.Snapshot local = traffic.window(Duration.ofMinutes(1));
        assertThat(overHttp.stats()).isEqualTo(local.stats());
        assertThat(overHttp.from()).isEqualTo(Instant.parse("2026-11-29T06:00:00Z").minusSeconds(55)).isEqualTo(local.from());
        assertThat(overHttp.to()).isEqualTo(Instant.parse("2026-11-29T06:00:02Z")).isEqualTo(local.to());
        assertThat(overHttp.get(new TrafficKey("acme", CLOUD)).serverErrors()).isEqualTo(1);

        TrafficWindow.Snapshot twoRouters = TrafficWindow.merge(List.of(overHttp, remote.window(Duration.ofMinutes(1))));
        assertThat(twoRouters.get(new TrafficKey("acme", CLOUD)).requests()).isEqualTo(4);
    }

    @Test
    void openRequests_overHttp_areTheRoutersOwnAnswer_forTheAgeAsked() throws Exception {
        HttpInFlightRequests remote = new HttpInFlightRequests(server.url(), TOKEN, TIMEOUT);
        assertThat(remote.longerThan(Duration.ofMillis(2500))).isEqualTo(open.longerThan(Duration.ofMillis(2500)))
                .containsOnlyKeys(TenantId.of("acme"), TenantId.of("globex"));
        assertThat(remote.longerThan(Duration.ofSeconds(10))).containsExactly(Map.entry(TenantId.of("acme"),
                new OpenRequests(2, Duration.ofSeconds(31), "r-1 GET /events (31000 ms)")));
        assertThat(InFlightRequests.merge(List.of(remote.longerThan(Duration.ofSeconds(10)),
                remote.longerThan(Duration.ofSeconds(1)))).get(TenantId.of("acme")).count()).isEqualTo(4);
        assertThat(send("GET", "/open-requests?longer-than=2500ms", null, "Bearer " + TOKEN).body()).isEqualTo(
                "{\"longerThanMillis\":2500,\"tenants\":[{\"tenant\":\"acme\",\"open\":2,\"oldestMillis\":31000,"
                + "\"oldestRequest\":\"r-1 GET /events (31000 ms)\"},{\"tenant\":\"globex\",\"open\":1,"
                + "\"oldestMillis\":4000,\"oldestRequest\":\"r-2 GET /export (4000 ms)\"}]}");
    }

    @Test
    void metrics_isThePrometheusTextScrape() throws Exception {
        metrics.completed(exchange("acme", "cloud", 200, 3_000));
        HttpResponse<String> r = send("GET", "/metrics", null, "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body().lines()).contains(
                "hikkoshi_router_requests_total{site=\"cloud\",status_class=\"2xx\",tenant=\"acme\"} 1.0");
    }

    @Test
    void health_answersOkWithTheTableVersion() throws Exception {
        control.table.set(new RoutingTable(12, Map.of()));
        HttpResponse<String> r = send("GET", "/health", null, "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\",\"tableVersion\":12}");
    }

    @Test
    void reload_withAnInvalidFile_is422WithEveryProblemLine() throws Exception {
        HttpResponse<String> ok = send("POST", "/reload", null, "Bearer " + TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"reloaded\":true,\"summary\":\"2 sites, 3 tenants\"}");

        reloadBehaviour.set(() -> {
            throw new ConfigException(Path.of("hikkoshi.yaml"), List.of(
                    new ConfigProblem("router.listen", "nowhere", "host:port such as 127.0.0.1:8080"),
                    new ConfigProblem("sites.cloud.upstreams", "(missing)", "a list of http://host:port")));
        });
        HttpResponse<String> bad = send("POST", "/reload", null, "Bearer " + TOKEN);
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode body = json(bad);
        assertThat(body.path("error").asText()).isEqualTo("the new config has 2 problem(s); the old config keeps serving");
        assertThat(AdminJson.strings(body.path("problems"))).containsExactly(
                "router.listen: nowhere (expected: host:port such as 127.0.0.1:8080)",
                "sites.cloud.upstreams: (missing) (expected: a list of http://host:port)");
    }

    @Test
    void badRequests_getAClearStatusAndMessage() throws Exception {
        String auth = "Bearer " + TOKEN;
        assertError(send("PUT", "/table", "{not json", auth), 400, "the routing table is not valid JSON: ");
        assertError(send("PUT", "/table", "{\"version\": -1, \"placements\": {}}", auth), 400,
                "version: -1 (expected: an integer >= 0)");
        assertError(send("PUT", "/table", "{\"version\": 4, \"placements\": {\"acme\": {\"site\": \"Cloud!\"}}}", auth),
                400, "placements.acme.site: Cloud! (expected: a site name)");
        assertError(send("POST", "/tenants/acme/freeze?drain-timeout=soon", null, auth), 400,
                "drain-timeout: soon (expected: a duration such as 500ms, 10s, 1m or 2h, more than 0 and at most 10m)");
        assertError(send("POST", "/tenants/no%20such/release", null, auth), 400, "not a tenant name: no such");
        assertError(send("GET", "/stats?window=2d", null, auth), 400, "window: 2d (expected: ");
        assertError(send("GET", "/open-requests?longer-than=long", null, auth), 400, "longer-than: long (expected: ");
        assertError(send("GET", "/nothing", null, auth), 404, "no such admin endpoint: /nothing");
        HttpResponse<String> wrongMethod = send("DELETE", "/table", null, auth);
        assertError(wrongMethod, 405, "DELETE is not allowed on /table (allowed: GET, PUT)");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, PUT");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void clientErrors_nameTheRoutersAdminUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpRouterControl nowhere = new HttpRouterControl(URI.create("http://127.0.0.1:" + closedPort), TOKEN, TIMEOUT);
        assertThatThrownBy(nowhere::appliedVersion).isInstanceOf(AdminApiException.class)
                .hasMessageStartingWith("router admin http://127.0.0.1:" + closedPort + " GET /health failed: cannot connect");

        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            HttpRouterControl stuck = new HttpRouterControl(url, TOKEN, Duration.ofMillis(300));
            assertThatThrownBy(() -> stuck.release(ACME)).isInstanceOf(AdminApiException.class)
                    .hasMessage("router admin " + url + " POST /tenants/acme/release did not answer within 300 ms");
        }

        HttpRouterControl badToken = new HttpRouterControl(server.url(), "guess", TIMEOUT);
        assertThatThrownBy(() -> badToken.push(RoutingTable.empty())).isInstanceOf(UserException.class)
                .hasMessage("router admin " + server.url() + " PUT /table refused our token (401: the bearer token is "
                        + "not one of the router's admin tokens)");

        assertThatThrownBy(() -> new HttpRouterControl(URI.create("https://r1:8081"), TOKEN, TIMEOUT))
                .isInstanceOf(UserException.class).hasMessage("router admin URL https://r1:8081 is not an http://host:port URL");
    }

    @Test
    void start_onAPortInUse_isAUserErrorNamingTheAddress() {
        int port = server.address().getPort();
        AdminServer second = new AdminServer(new AdminSettings(new InetSocketAddress("127.0.0.1", port),
                AdminTokens.of(Map.of("controller", TOKEN))), control, traffic, open, () -> "", registry);
        assertThatThrownBy(second::start).isInstanceOf(UserException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + " for the router's admin API: ");
    }

    private HttpRouterControl client() {
        return new HttpRouterControl(server.url(), TOKEN, TIMEOUT);
    }

    private void assertError(HttpResponse<String> r, int status, String messageStart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).startsWith(messageStart);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return AdminJson.parse(r.body(), "answer");
    }

    private static ExchangeRecord exchange(String tenant, String site, int status, long micros) {
        return new ExchangeRecord(Instant.now(), "r1", tenant, site, "127.0.0.1:9", "GET", "/", status, 0, 0,
                micros, micros, 0);
    }
}
