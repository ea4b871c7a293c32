package dev.hikkoshi.app.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.cutover.control.ControllerAdminServer;
import dev.hikkoshi.cutover.control.InMemoryController;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.admin.AdminTokens;
import dev.hikkoshi.watch.alert.Labels;
import dev.hikkoshi.watch.alert.silence.SilenceStore;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silences set and ended over the controller's admin API (real HTTP on loopback), landing in the silence file
 * the live alert pipeline reads, and audited under the token's name; mistakes answer 400/404 with a hint.
 */
class SilenceEndpointsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path state;

    @Test
    void addListAndEndASilence_overTheAdminApi_sharedWithTheAlertPipelinesFile() throws Exception {
        Clock clock = Clock.systemUTC();
        SilenceStore store = SilenceStore.open(SilenceStore.fileIn(state));
        try (ControllerAdminServer server = ControllerAdminServer.start(new AdminSettings(
                        new InetSocketAddress("127.0.0.1", 0), AdminTokens.of(Map.of("ops-alice", "secret-a"))),
                new InMemoryController(clock), Optional.empty(), state, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                clock, audit -> List.of(new SilenceEndpoints(store, audit, clock)))) {
            URI base = server.url();

            HttpResponse<String> added = send(base, "POST", "/silences",
                    "{\"matchers\": [\"tenant=acme\", \"check=http-5xx\"], \"for\": \"2h\", \"comment\": \"known issue\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            JsonNode silence = JSON.readTree(added.body());
            String id = silence.path("id").asText();
            assertThat(silence.path("createdBy").asText()).isEqualTo("ops-alice");

            SilenceStore pipelinesView = SilenceStore.open(SilenceStore.fileIn(state));
            assertThat(pipelinesView.snapshot()).singleElement().satisfies(s -> {
                assertThat(s.matches(Labels.of("tenant", "acme", "check", "http-5xx", "env", "production"))).isTrue();
                assertThat(s.activeAt(Instant.now())).isTrue();
            });
            assertThat(JSON.readTree(send(base, "GET", "/silences", null).body()).path("silences")).hasSize(1);

            HttpResponse<String> ended = send(base, "DELETE", "/silences/" + id, null);
            assertThat(ended.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(send(base, "GET", "/silences", null).body()).path("silences")).isEmpty();

            HttpResponse<String> unknown = send(base, "DELETE", "/silences/s99", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            HttpResponse<String> bad = send(base, "POST", "/silences", "{\"matchers\": [\"tenant acme\"], \"for\": \"2h\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("not a label matcher: \"tenant acme\"");
            HttpResponse<String> noLength = send(base, "POST", "/silences", "{\"matchers\": [\"tenant=acme\"]}");
            assertThat(noLength.statusCode()).isEqualTo(400);
            assertThat(send(base, "PUT", "/silences", "{}").statusCode()).isEqualTo(405);

            List<String> audit = Files.readAllLines(server.auditFile());
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"who\":\"ops-alice\"").contains("\"what\":\"silence\"")
                    .contains("\"subject\":\"" + id + "\"").contains("\"outcome\":\"ok\""));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"what\":\"silence-expire\"")
                    .contains("\"subject\":\"s99\"").contains("\"outcome\":\"refused\""));
        }
    }

    private HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer secret-a")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
