package dev.hikkoshi.cutover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's admin API end to end over real HTTP on loopback: every endpoint, the token checks, the
 * refusals' exact answers, the audit lines, and {@link ControllerClient}'s errors.
 */
@Timeout(60)
class ControllerAdminServerIT {
    static final String ALICE = "alice-s3cret-0123456789";
    static final String BOB = "bob-s3cret-9876543210";
    static final Instant NOW = Instant.parse("2026-11-29T09:30:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;
    InMemoryController controller;
    ControllerAdminServer server;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        controller = InMemoryController.withSamplePlan(clock);
        server = ControllerAdminServer.start(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                        AdminTokens.of(Map.of("ops-alice", ALICE, "ops-bob", BOB))), controller,
                Optional.of(controller), stateDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    List<String> auditLines() throws IOException {
        return Files.readAllLines(stateDir.resolve(AuditLog.FILE_NAME));
    }

    @Test
    void status_listsEveryMove_withItsFreezeTimeVerdictAndProblem() throws Exception {
        HttpResponse<String> r = call("GET", "/status", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode root = json(r);
        assertThat(root.path("paused").asBoolean()).isFalse();
        assertThat(root.has("pauseReason")).isFalse();
        assertThat(root.path("moves")).hasSize(4);
        assertThat(root.path("moves").get(0).toString()).isEqualTo("{\"tenant\":\"acme\",\"wave\":\"pilot\","
                + "\"attempt\":1,\"state\":\"BAKING\",\"since\":\"2026-11-29T09:28:25Z\",\"from\":\"legacy\","
                + "\"to\":\"cloud\",\"freezeTimeMillis\":812,\"lastVerdict\":\"window 3: p99 412 ms <= 800 ms, "
                + "5xx 0.1% <= 2%: healthy\"}");
        assertThat(root.path("moves").get(3).path("problem").asText()).isEqualTo("waiting for wave half");
        assertThat(auditLines()).as("reads are not audited").isEmpty();
    }

    @Test
    void status_throughTheClient_isTheControllersStatus() {
        ControllerStatus status = client(ALICE).status();

        assertThat(status).isEqualTo(controller.status());
    }

    @Test
    void rollback_ofABakingTenant_rollsItBack_andAuditsTheTokensName() throws Exception {
        HttpResponse<String> r = call("POST", "/rollback/acme", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"done\":\"rollback\",\"subject\":\"acme\"}");
        assertThat(controller.calls()).containsExactly("rollback acme by ops-alice");
        assertThat(controller.state("acme")).isEqualTo(MoveState.ROLLBACK_FROZEN);
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-alice\","
                + "\"what\":\"rollback\",\"subject\":\"acme\",\"outcome\":\"ok\"}");
    }

    @Test
    void rollback_ofAFinalizedTenant_is409WithTheControllersErrorAndHint_andAuditedAsRefused() throws Exception {
        HttpResponse<String> r = call("POST", "/rollback/initech", BOB, null);

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("{\"error\":\"rollback refused: initech was finalized at 2026-11-29T07:30:00Z\","
                + "\"hint\":\"its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                + "back to legacy with a new plan\"}");
        assertThat(controller.state("initech")).isEqualTo(MoveState.FINALIZED);
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-bob\","
                + "\"what\":\"rollback\",\"subject\":\"initech\",\"outcome\":\"refused\",\"message\":\"rollback refused: "
                + "initech was finalized at 2026-11-29T07:30:00Z\"}");
    }

    @Test
    void rollback_ofATenantNotInThePlan_is404_andNeverReachesTheController() throws Exception {
        HttpResponse<String> r = call("POST", "/rollback/zeta", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"no move of tenant zeta in the plan\","
                + "\"hint\":\"hikkoshi status lists the plan's tenants; check the name\"}");
        assertThat(controller.calls()).isEmpty();
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-alice\","
                + "\"what\":\"rollback\",\"subject\":\"zeta\",\"outcome\":\"refused\","
                + "\"message\":\"no move of tenant zeta in the plan\"}");
    }

    @Test
    void rollback_ofSomethingThatIsNoTenantName_is400() throws Exception {
        HttpResponse<String> r = call("POST", "/rollback/..%0Aevil", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("not a tenant name: ..%0Aevil");
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void finalize_ofADoneTenant_finalizesIt_andOfABakingOne_isRefused() throws Exception {
        HttpResponse<String> ok = call("POST", "/finalize/globex", ALICE, null);
        HttpResponse<String> refused = call("POST", "/finalize/acme", ALICE, null);

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(controller.state("globex")).isEqualTo(MoveState.FINALIZED);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).path("error").asText()).isEqualTo("finalize refused: acme is BAKING (finalize needs DONE)");
        assertThat(auditLines()).hasSize(2);
        assertThat(auditLines().get(0)).contains("\"what\":\"finalize\",\"subject\":\"globex\",\"outcome\":\"ok\"");
        assertThat(auditLines().get(1)).contains("\"subject\":\"acme\",\"outcome\":\"refused\"");
    }

    @Test
    void pause_withAReason_pausesThePlan_andStatusSaysWhy_thenResumeContinues() throws Exception {
        HttpResponse<String> paused = call("POST", "/pause", ALICE, "{\"reason\":\"schema change on both sites\"}");
        JsonNode status = json(call("GET", "/status", ALICE, null));
        HttpResponse<String> again = call("POST", "/pause", BOB, "{\"reason\":\"me too\"}");
        HttpResponse<String> resumed = call("POST", "/resume", BOB, null);

        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(status.path("paused").asBoolean()).isTrue();
        assertThat(status.path("pauseReason").asText()).isEqualTo("schema change on both sites");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("{\"error\":\"pause refused: the plan is already paused: schema change on "
                + "both sites\",\"hint\":\"hikkoshi resume continues it\"}");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(controller.calls()).containsExactly("pause by ops-alice: schema change on both sites",
                "resume by ops-bob");
        assertThat(auditLines()).containsExactly(
                "{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-alice\",\"what\":\"pause\",\"subject\":\"plan\","
                        + "\"detail\":\"schema change on both sites\",\"outcome\":\"ok\"}",
                "{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-bob\",\"what\":\"pause\",\"subject\":\"plan\","
                        + "\"detail\":\"me too\",\"outcome\":\"refused\",\"message\":\"pause refused: the plan is "
                        + "already paused: schema change on both sites\"}",
                "{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-bob\",\"what\":\"resume\",\"subject\":\"plan\","
                        + "\"outcome\":\"ok\"}");
    }

    @Test
    void pause_withABodyThatIsNotJson_is400() throws Exception {
        HttpResponse<String> r = call("POST", "/pause", ALICE, "reason=oops");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).startsWith("the pause request is not valid JSON: ");
        assertThat(controller.calls()).isEmpty();
    }

    @Test
    void apply_startsThePlan() throws Exception {
        HttpResponse<String> r = call("POST", "/apply", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(controller.applied()).isTrue();
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-alice\","
                + "\"what\":\"apply\",\"subject\":\"plan\",\"outcome\":\"ok\"}");
    }

    @Test
    void approve_ofAWaveWithAMoveWaitingForApproval_isDone_andOfAnUnknownWave_is404() throws Exception {
        controller.add(InMemoryController.move("hooli", "rest", MoveState.BAKING, NOW, Optional.empty(),
                Optional.of("window 4: 12 requests < 50: inconclusive"), Optional.of("waiting for approval after 3 "
                        + "inconclusive windows")));

        HttpResponse<String> ok = call("POST", "/approve/rest", ALICE, null);
        HttpResponse<String> nothingWaits = call("POST", "/approve/half", ALICE, null);
        HttpResponse<String> unknown = call("POST", "/approve/last%20one", ALICE, null);

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(nothingWaits.statusCode()).isEqualTo(409);
        assertThat(json(nothingWaits).path("error").asText()).isEqualTo("approve refused: no move of wave half is baking");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no wave last one in the plan\","
                + "\"hint\":\"the plan's waves: pilot, half, rest\"}");
        assertThat(controller.calls()).containsExactly("approve rest by ops-alice");
    }

    @Test
    void noToken_is401WithAClearBody_andAudited() throws Exception {
        HttpResponse<String> r = call("POST", "/rollback/acme", null, null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"error\":\"missing bearer token (expected: Authorization: Bearer <token>)\"}");
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"hikkoshi-controller\"");
        assertThat(controller.calls()).isEmpty();
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"-\","
                + "\"what\":\"POST /rollback/acme\",\"subject\":\"-\",\"outcome\":\"unauthorized\","
                + "\"message\":\"no bearer token\"}");
    }

    @Test
    void aWrongToken_is401_onEveryPath_andAudited() throws Exception {
        HttpResponse<String> status = call("GET", "/status", "not-a-token", null);
        HttpResponse<String> unknown = call("GET", "/no/such/path", "not-a-token", null);

        for (HttpResponse<String> r : List.of(status, unknown)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"the bearer token is not one of the controller's admin tokens\"}");
        }
        assertThat(auditLines()).containsExactly(
                "{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"-\",\"what\":\"GET /status\",\"subject\":\"-\","
                        + "\"outcome\":\"unauthorized\",\"message\":\"token not accepted\"}",
                "{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"-\",\"what\":\"GET /no/such/path\",\"subject\":\"-\","
                        + "\"outcome\":\"unauthorized\",\"message\":\"token not accepted\"}");
    }

    @Test
    void anUnknownPath_is404_andAWrongMethod_is405() throws Exception {
        HttpResponse<String> unknown = call("GET", "/moves", ALICE, null);
        HttpResponse<String> wrongMethod = call("GET", "/rollback/acme", ALICE, null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no such controller admin endpoint: /moves\",\"hint\":\"the "
                + "endpoints are GET /status, POST /apply, POST /pause, POST /resume, POST /rollback/{tenant}, "
                + "POST /finalize/{tenant}, POST /approve/{wave}, GET /events?after=SEQ, GET /metrics\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"GET is not allowed on /rollback/acme\","
                + "\"hint\":\"use POST /rollback/acme\"}");
        assertThat(controller.calls()).isEmpty();
    }

    @Test
    void metrics_countMovesByState_andShowEachMovesAgeAndFreezeTime() throws Exception {
        call("POST", "/pause", ALICE, "{\"reason\":\"x\"}");

        HttpResponse<String> r = call("GET", "/metrics", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).contains("hikkoshi_moves{state=\"BAKING\"} 1.0", "hikkoshi_moves{state=\"FAILED\"} 0.0",
                "hikkoshi_moves{state=\"PLANNED\"} 1.0",
                "hikkoshi_move_age_seconds{state=\"BAKING\",tenant=\"acme\"} 95.0",
                "hikkoshi_move_freeze_seconds{tenant=\"acme\"} 0.812", "hikkoshi_controller_paused 1.0");
        assertThat(r.body()).doesNotContain("hikkoshi_move_freeze_seconds{tenant=\"umbrella\"}");
    }

    @Test
    void events_afterARollback_carryItsTransition_numbered() throws Exception {
        call("POST", "/rollback/acme", ALICE, null);
        call("POST", "/finalize/globex", ALICE, null);

        JsonNode all = json(call("GET", "/events", ALICE, null));
        JsonNode later = json(call("GET", "/events?after=1", ALICE, null));
        HttpResponse<String> bad = call("GET", "/events?after=x", ALICE, null);

        assertThat(all.path("last").asLong()).isEqualTo(2);
        assertThat(all.path("missed").asLong()).isZero();
        assertThat(all.path("events").get(0).toString()).isEqualTo("{\"seq\":1,\"type\":\"transition\",\"attempt\":1,"
                + "\"from\":\"BAKING\",\"to\":\"ROLLBACK_FROZEN\",\"reason\":\"rollback by ops-alice\","
                + "\"tenant\":\"acme\",\"at\":\"2026-11-29T09:30:00Z\"}");
        assertThat(later.path("events")).hasSize(1);
        assertThat(later.path("events").get(0).path("tenant").asText()).isEqualTo("globex");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void inProcessCalls_throughTheServersOperations_areAuditedAsTheLocalUser() throws Exception {
        server.operations().rollback(AuditedOperations.localUser(), TenantId.of("globex"));

        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"local:"
                + System.getProperty("user.name") + "\",\"what\":\"rollback\",\"subject\":\"globex\",\"outcome\":\"ok\"}");
    }

    @Test
    void theAuditLog_isAppendedTo_acrossRestarts() throws Exception {
        call("POST", "/apply", ALICE, null);
        server.close();
        start();

        call("POST", "/resume", ALICE, null);

        assertThat(auditLines()).hasSize(2);
        assertThat(auditLines().get(1)).contains("\"what\":\"resume\"", "\"outcome\":\"refused\"");
    }

    @Test
    void client_carriesEveryAction_andTheControllersRefusalsVerbatim() {
        ControllerClient client = client(ALICE);
        Actor ignored = new Actor("whoever");

        client.apply(ignored);
        client.pause(ignored, "db maintenance");
        client.resume(ignored);
        client.rollback(ignored, TenantId.of("acme"));
        client.finalizeMove(ignored, TenantId.of("globex"));

        assertThat(controller.calls()).containsExactly("apply by ops-alice", "pause by ops-alice: db maintenance",
                "resume by ops-alice", "rollback acme by ops-alice", "finalize globex by ops-alice");
        assertThatThrownBy(() -> client.rollback(ignored, TenantId.of("initech")))
                .isInstanceOf(UserException.class)
                .hasMessage("rollback refused: initech was finalized at 2026-11-29T07:30:00Z")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                        + "back to legacy with a new plan");
        assertThatThrownBy(() -> client.approve(ignored, "no such wave"))
                .isInstanceOf(UserException.class).hasMessage("no wave no such wave in the plan");
    }

    @Test
    void client_withAWrongToken_saysWhichVariableHoldsIt() {
        ControllerClient client = new ControllerClient(server.url(), "wrong", "HIKKOSHI_TOKEN_ALICE",
                Duration.ofSeconds(5));

        assertThatThrownBy(client::status).isInstanceOf(UserException.class)
                .hasMessage("the controller at " + server.url() + " refused the token in HIKKOSHI_TOKEN_ALICE: "
                        + "the bearer token is not one of the controller's admin tokens")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("set HIKKOSHI_TOKEN_ALICE to the secret of one of the controller's controller.admin.tokens,"
                        + " or pass --token-env with the variable that holds yours");
    }

    @Test
    void client_ofAControllerThatIsNotRunning_saysItCannotReachIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + port), ALICE,
                "HIKKOSHI_TOKEN_ALICE", Duration.ofSeconds(5));

        assertThatThrownBy(client::status).isInstanceOf(UserException.class)
                .hasMessage("cannot reach the controller at http://127.0.0.1:" + port + ": connection refused")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("start it (hikkoshi controller -c FILE, or hikkoshi run -c FILE), or point at it with "
                        + "controller.admin.listen in the config or --controller URL");
    }

    @Test
    void start_onAnAddressInUse_saysWhichKeyToChange() {
        InetSocketAddress used = server.address();

        assertThatThrownBy(() -> ControllerAdminServer.start(new AdminSettings(used,
                        AdminTokens.of(Map.of("ops-alice", ALICE))), controller, Optional.empty(), stateDir,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC()))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + used.getPort() + " for the controller's admin API")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("choose a free port of an address of this host in controller.admin.listen (default "
                        + "127.0.0.1:8090), or stop the process that uses it");
    }

    @Test
    void status_listsMovesInPlanOrder() {
        List<MoveStatus> moves = client(BOB).status().moves();

        assertThat(moves).extracting(m -> m.tenant().value()).containsExactly("acme", "globex", "initech", "umbrella");
    }

    @Test
    void anActionTheControllerFails_is500_andAuditedAsFailed() throws Exception {
        server.close();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        server = ControllerAdminServer.start(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                        AdminTokens.of(Map.of("ops-alice", ALICE))), new FailingApply(controller), Optional.empty(),
                stateDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);

        HttpResponse<String> r = call("POST", "/apply", ALICE, null);
        HttpResponse<String> events = call("GET", "/events", ALICE, null);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"error\":\"internal error: java.io.UncheckedIOException: journal (caused by "
                + "java.io.IOException: No space left on device)\",\"hint\":\"the controller's log has the details\"}");
        assertThat(auditLines()).containsExactly("{\"at\":\"2026-11-29T09:30:00Z\",\"who\":\"ops-alice\","
                + "\"what\":\"apply\",\"subject\":\"plan\",\"outcome\":\"failed\",\"message\":"
                + "\"java.io.UncheckedIOException: journal (caused by java.io.IOException: No space left on device)\"}");
        assertThat(events.statusCode()).isEqualTo(409);
        assertThat(json(events).path("error").asText()).isEqualTo("this controller does not publish move events");
        assertThatThrownBy(() -> client(ALICE).apply(new Actor("x"))).isInstanceOf(ControllerApiException.class)
                .hasMessage("the controller at " + server.url() + " answered POST /apply with 500: internal error: "
                        + "java.io.UncheckedIOException: journal (caused by java.io.IOException: No space left on device)");
    }

    /** A controller whose apply fails the way an infrastructure failure would (not a refusal). */
    record FailingApply(ControllerOperations delegate) implements ControllerOperations {
        @Override
        public ControllerStatus status() {
            return delegate.status();
        }

        @Override
        public void apply(Actor actor) {
            throw new java.io.UncheckedIOException("journal", new IOException("No space left on device"));
        }

        @Override
        public void adopt(Actor actor, dev.hikkoshi.cutover.plan.Plan plan) {
            delegate.adopt(actor, plan);
        }

        @Override
        public void resumePlan(Actor actor) {
            delegate.resumePlan(actor);
        }

        @Override
        public void pause(Actor actor, String reason) {
            delegate.pause(actor, reason);
        }

        @Override
        public void resume(Actor actor) {
            delegate.resume(actor);
        }

        @Override
        public void rollback(Actor actor, TenantId tenant) {
            delegate.rollback(actor, tenant);
        }

        @Override
        public void finalizeMove(Actor actor, TenantId tenant) {
            delegate.finalizeMove(actor, tenant);
        }

        @Override
        public void approve(Actor actor, String wave) {
            delegate.approve(actor, wave);
        }
    }

    ControllerClient client(String token) {
        return new ControllerClient(server.url(), token, "HIKKOSHI_TOKEN", Duration.ofSeconds(5));
    }
}
