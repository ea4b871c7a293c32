package dev.hikkoshi.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import dev.hikkoshi.sandbox.http.FreezeOrdering.Finding;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plays the router's part by hand (sending each request straight to a site) to show what each finding sees. */
@Timeout(30)
class FreezeOrderingTest {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final TenantId ACME = TenantId.of("acme");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExchangeLog log = new ExchangeLog();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

    private CompletableFuture<HttpResponse<String>> send(RecordingBackend site, String tenant, String query) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(site.uri() + "/orders" + query))
                        .header(RecordingBackend.TENANT_HEADER, tenant).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSwitchThatKeptItsPromises_isKeptOnEveryFinding() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = send(legacy, "acme", "?gate=drain");
        log.await(Received.class, r -> true, WAIT);
        legacy.openGate("drain");
        inFlight.get();
        log.await(Completed.class, c -> true, WAIT);
        Marker frozen = log.mark("freeze returned");
        send(legacy, "globex", "").get();
        log.awaitCount(Completed.class, c -> true, 2, WAIT);
        Marker release = log.mark("release requested");
        send(cloud, "acme", "").get();
        log.awaitCount(Completed.class, c -> true, 3, WAIT);

        List<Finding> findings = new FreezeOrdering(ACME, LEGACY, CLOUD, frozen, release).check(log);
        assertThat(findings).allMatch(Finding::kept);
        assertThat(findings).extracting(Finding::evidence).containsExactly(
                "1 received before the freeze, 0 still open when it returned", "0 received after",
                "0 received before", "1 received after", "1 completed meanwhile");
    }

    @Test
    void aSwitchThatBrokeThem_isCaughtOnEveryFinding() throws Exception {
        send(legacy, "acme", "?gate=never");
        log.await(Received.class, r -> true, WAIT);
        Marker frozen = log.mark("freeze returned");
        send(legacy, "acme", "").get();
        send(cloud, "acme", "").get();
        log.awaitCount(Completed.class, c -> true, 2, WAIT);
        Marker release = log.mark("release requested");

        List<Finding> findings = new FreezeOrdering(ACME, LEGACY, CLOUD, frozen, release).check(log);
        assertThat(findings).noneMatch(Finding::kept);
        assertThat(findings).extracting(Finding::promise).containsExactly(
                "every request of acme that reached legacy completed before freeze returned",
                "no request of acme reached legacy after the freeze",
                "no request of acme reached cloud before the release",
                "cloud served acme after the release",
                "other tenants were served while acme was frozen");
        assertThat(findings).extracting(Finding::evidence).containsExactly(
                "1 received before the freeze, 1 still open when it returned", "1 received after",
                "1 received before", "0 received after", "0 completed meanwhile");
    }

    @Test
    void markersOutOfOrder_areRefused() {
        Marker first = log.mark("a");
        Marker second = log.mark("b");
        assertThatThrownBy(() -> new FreezeOrdering(ACME, LEGACY, CLOUD, second, first))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the freeze marker (2) must come before the release marker (1)");
    }
}
