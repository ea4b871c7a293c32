package dev.hikkoshi.cutover.control;

import static dev.hikkoshi.cutover.control.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.Refreeze;
import dev.hikkoshi.cutover.move.ScriptedStep;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API hosting the real, journaled {@link Controller} (its steps scripted, as in ControllerTest):
 * operated over HTTP through {@link ControllerClient}, the plan runs, a finalize and a rollback take effect,
 * the controller's own refusals reach the client verbatim, and everything lands in the audit log.
 */
@Timeout(60)
class RealControllerAdminIT {
    static final String ALICE = "alice-s3cret-0123456789";
    static final Refreeze NO_REFREEZE = a -> {
        throw new AssertionError("no re-freeze expected");
    };

    @TempDir
    Path dir;
    ControllerFixture fixture;
    ControllerAdminServer server;
    ControllerClient client;

    @BeforeEach
    void start() {
        fixture = new ControllerFixture(dir.resolve("journal"), "plan: { waves: [ { name: pilot, tenants: \"*\" } ] }\n",
                List.of("acme", "globex"), ScriptedStep.happyPath(), NO_REFREEZE);
        server = ControllerAdminServer.start(new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
                        AdminTokens.of(Map.of("ops-alice", ALICE))), fixture.controller, Optional.of(fixture.board),
                dir.resolve("state"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        client = new ControllerClient(server.url(), ALICE, "HIKKOSHI_TOKEN_ALICE", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        fixture.close();
    }

    MoveStatus status(String tenant) {
        return client.status().moves().stream().filter(m -> m.tenant().value().equals(tenant)).findFirst().orElseThrow();
    }

    @Test
    void operatedOverHttp_thePlanRuns_finalizeAndRollbackTakeEffect_andRefusalsAreTheControllersOwn()
            throws Exception {
        ControllerOperations.Actor cli = new ControllerOperations.Actor("cli");
        assertThat(client.status().moves()).extracting(m -> m.tenant().value() + " " + m.state())
                .containsExactly("acme PLANNED", "globex PLANNED");

        client.apply(cli);
        await("both moves DONE", () -> client.status().moves().stream().allMatch(m -> m.state() == MoveState.DONE));
        client.finalizeMove(cli, TenantId.of("globex"));
        await("globex FINALIZED", () -> status("globex").state() == MoveState.FINALIZED);
        MoveStatus finalized = status("globex");

        assertThatThrownBy(() -> client.rollback(cli, TenantId.of("globex"))).isInstanceOf(UserException.class)
                .hasMessage("rollback refused: globex was finalized at " + finalized.since())
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("its reverse sync is stopped, so nothing can carry its writes back; to return it, move it "
                        + "back to legacy with a new plan");

        client.rollback(cli, TenantId.of("acme"));
        await("acme rolled back to PLANNED as its attempt 2", () -> status("acme").state() == MoveState.PLANNED
                && status("acme").attempt() == 2);
        await("the plan paused after the rollback", () -> client.status().paused());
        assertThatThrownBy(() -> client.approve(cli, "pilot")).isInstanceOf(UserException.class)
                .hasMessage("approve refused: no move of wave pilot is baking");
        assertThatThrownBy(() -> client.rollback(cli, TenantId.of("zeta"))).isInstanceOf(UserException.class)
                .hasMessage("no move of tenant zeta in the plan");
        client.resume(cli);
        assertThat(client.status().paused()).isFalse();

        List<String> audit = Files.readAllLines(server.auditFile());
        assertThat(audit).extracting(line -> {
            JsonNode n = new ObjectMapper().readTree(line);
            return n.path("who").asText() + " " + n.path("what").asText() + " " + n.path("subject").asText() + " "
                    + n.path("outcome").asText();
        }).containsExactly("ops-alice apply plan ok", "ops-alice finalize globex ok",
                "ops-alice rollback globex refused", "ops-alice rollback acme ok", "ops-alice approve pilot refused",
                "ops-alice rollback zeta refused", "ops-alice resume plan ok");
    }

    @Test
    void eventsAndMetrics_showTheRealControllersMoves() throws Exception {
        client.apply(new ControllerOperations.Actor("cli"));
        await("both moves DONE", () -> client.status().moves().stream().allMatch(m -> m.state() == MoveState.DONE));
        HttpClient http = HttpClient.newHttpClient();

        JsonNode events = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/events")).header("Authorization", "Bearer " + ALICE).build(), HttpResponse.BodyHandlers.ofString())
                .body());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .header("Authorization", "Bearer " + ALICE).build(), HttpResponse.BodyHandlers.ofString()).body();

        List<String> acme = new java.util.ArrayList<>();
        for (JsonNode e : events.path("events")) {
            if (e.path("tenant").asText().equals("acme") && e.path("type").asText().equals("transition")) {
                acme.add(e.path("from").asText() + "->" + e.path("to").asText());
            }
        }
        assertThat(acme).containsExactly("PLANNED->COPYING", "COPYING->SYNCED", "SYNCED->FROZEN", "FROZEN->FINAL_SYNC",
                "FINAL_SYNC->SWITCHED", "SWITCHED->BAKING", "BAKING->DONE");
        assertThat(metrics).contains("hikkoshi_moves{state=\"DONE\"} 2.0", "hikkoshi_moves{state=\"PLANNED\"} 0.0");
    }
}
