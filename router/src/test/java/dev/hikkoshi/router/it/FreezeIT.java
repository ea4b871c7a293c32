package dev.hikkoshi.router.it;

import static dev.hikkoshi.router.it.RouterFixture.CLOUD;
import static dev.hikkoshi.router.it.RouterFixture.LEGACY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.ExchangeEvent;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import dev.hikkoshi.sandbox.http.FreezeOrdering;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freeze, proved by the order of events the backends recorded (one global sequence) rather than by
 * timing: real proxy, real sockets, two recording backends as the legacy and cloud sites.
 */
@Timeout(90)
class FreezeIT {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    RouterFixture fx;
    Router router;
    final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void backends() throws Exception {
        fx = new RouterFixture(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fx.legacy.openGate("stuck");
        if (router != null) {
            router.close();
        }
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        fx.close();
    }

    private Router start(String freeze) throws Exception {
        Router r = fx.start("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: legacy
                  freeze: %s
                """.formatted(freeze));
        r.control().push(new RoutingTable(1, Map.of(ACME, Placement.at(LEGACY), GLOBEX, Placement.at(LEGACY))));
        return r;
    }

    private CompletableFuture<RawClient.Response> send(TenantId tenant, String target) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.get(router.proxyAddress(), tenant + ".shop.test", target);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private boolean frozen(TenantId tenant) {
        return router.routingTable().placement(tenant).map(Placement::frozen).orElse(false);
    }

    private List<Received> received(TenantId tenant) {
        return fx.log.events(Received.class).stream()
                .filter(r -> r.request().tenant().equals(java.util.Optional.of(tenant.value()))).toList();
    }

    @Test
    void freeze_switch_release_keepsEveryPromiseInTheBackendsEventOrder() throws Exception {
        router = start("{ max-hold: 30s, drain-grace: 30s }");
        // two requests of acme in flight at legacy, held there by the backend until the gate opens
        List<CompletableFuture<RawClient.Response>> inFlight = List.of(send(ACME, "/slow/1?gate=inflight"),
                send(ACME, "/slow/2?gate=inflight"));
        fx.log.awaitCount(Received.class, r -> r.request().path().startsWith("/slow/"), 2, WAIT);

        CompletableFuture<FreezeReport> freeze = CompletableFuture.supplyAsync(
                () -> router.control().freeze(ACME, Duration.ofSeconds(30)));
        await("acme is marked frozen", () -> frozen(ACME));
        Thread.sleep(200);
        assertThat(freeze).as("freeze must wait for the in-flight requests").isNotDone();

        fx.legacy.openGate("inflight");
        FreezeReport report = freeze.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Marker freezeReturned = fx.log.mark("freeze returned");
        assertThat(report.drainedRequests()).isEqualTo(2);
        for (CompletableFuture<RawClient.Response> r : inFlight) {
            assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS).header("X-Served-By")).isEqualTo("legacy");
        }

        // new requests of acme are held; globex is not
        List<CompletableFuture<RawClient.Response>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(send(ACME, "/held/" + i));
            int n = i + 1;
            await(n + " acme requests held", () -> router.heldCounts().getOrDefault(ACME, 0) == n);
        }
        RawClient.Response other = send(GLOBEX, "/other").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("X-Served-By")).isEqualTo("legacy");
        assertThat(held).noneMatch(CompletableFuture::isDone);

        // switch while frozen, then release
        router.control().push(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD), GLOBEX, Placement.at(LEGACY))));
        assertThat(router.routingTable().placement(ACME)).contains(new Placement(CLOUD, true));
        Marker releaseRequested = fx.log.mark("release requested");
        router.control().release(ACME);
        for (CompletableFuture<RawClient.Response> h : held) {
            RawClient.Response r = h.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Served-By")).isEqualTo("cloud");
        }
        assertThat(send(ACME, "/after").get(WAIT.toSeconds(), TimeUnit.SECONDS).header("X-Served-By")).isEqualTo("cloud");

        List<FreezeOrdering.Finding> findings = new FreezeOrdering(ACME, LEGACY, CLOUD, freezeReturned,
                releaseRequested).check(fx.log);
        assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.kept()).as(f.promise() + ": " + f.evidence()).isTrue());
        // and the same facts read directly from the sequence
        List<Received> acme = received(ACME);
        assertThat(acme).filteredOn(r -> r.request().site().equals(LEGACY))
                .extracting(r -> r.request().path()).containsExactlyInAnyOrder("/slow/1", "/slow/2");
        assertThat(acme).filteredOn(r -> r.request().site().equals(LEGACY))
                .allMatch(r -> r.sequence() < freezeReturned.sequence());
        assertThat(fx.log.events(Completed.class)).filteredOn(c -> c.request().path().startsWith("/slow/"))
                .hasSize(2).allMatch(c -> c.sequence() < freezeReturned.sequence());
        assertThat(acme).filteredOn(r -> r.request().site().equals(CLOUD)).hasSize(4)
                .allMatch(r -> r.sequence() > releaseRequested.sequence());
        assertThat(fx.log.events(Completed.class)).filteredOn(c -> c.request().path().equals("/other"))
                .singleElement().matches(c -> c.sequence() > freezeReturned.sequence()
                        && c.sequence() < releaseRequested.sequence());
    }

    @Test
    void freeze_longRequestPastDrainGrace_isClosedAndTheFreezeCompletes() throws Exception {
        router = start("{ drain-grace: 300ms }");
        CompletableFuture<RawClient.Response> events = send(ACME, "/events?sse=0&sse-interval-ms=50");
        fx.log.await(Received.class, r -> r.request().path().equals("/events"), WAIT);

        FreezeReport report = router.control().freeze(ACME, Duration.ofSeconds(10));
        Marker freezeReturned = fx.log.mark("freeze returned");
        assertThat(report.drainedRequests()).isEqualTo(1);
        // The router closed both connections before freeze returned; the backend learns of the close on its
        // own event loop, so its ABORTED event may be recorded just after the marker: not an ordering to assert.
        Completed closed = fx.log.await(Completed.class, c -> c.request().path().equals("/events"), WAIT);
        assertThat(closed.outcome()).isEqualTo(ExchangeEvent.Outcome.ABORTED);
        assertThat(received(ACME)).singleElement().matches(r -> r.sequence() < freezeReturned.sequence());
        try {
            events.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // the client's stream was cut: that is what force-closing means
        }
        router.control().release(ACME);
    }

    @Test
    void freeze_requestThatCannotDrain_failsNamingItAndTheTenantStaysFrozen() throws Exception {
        router = start("{ drain-grace: 60s, max-hold: 30s }");
        CompletableFuture<RawClient.Response> stuck = send(ACME, "/stuck?gate=stuck");
        fx.log.await(Received.class, r -> r.request().path().equals("/stuck"), WAIT);

        assertThatThrownBy(() -> router.control().freeze(ACME, Duration.ofMillis(300)))
                .isInstanceOf(FreezeFailedException.class)
                .hasMessageStartingWith("freeze of tenant acme on router in-process did not drain: 1 request(s) still open: ")
                .hasMessageContaining("GET /stuck");
        assertThat(frozen(ACME)).isTrue();
        CompletableFuture<RawClient.Response> waiting = send(ACME, "/waiting");
        await("acme's new request is held", () -> router.heldCounts().getOrDefault(ACME, 0) == 1);

        router.control().release(ACME);
        assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        fx.legacy.openGate("stuck");
        assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void held_pastMaxHold_gets503WithRetryAfter() throws Exception {
        router = start("{ max-hold: 200ms }");
        router.control().freeze(ACME, Duration.ofSeconds(5));
        RawClient.Response r = send(ACME, "/late").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.body()).contains("tenant acme is being moved and this request was held for 200ms");
        assertThat(received(ACME)).isEmpty();
        router.control().release(ACME);
    }

    @Test
    void restartedRouter_keepsPersistedPlacementsAndFrozenFlags() throws Exception {
        router = start("{}");
        router.control().push(new RoutingTable(3, Map.of(ACME, Placement.at(CLOUD), GLOBEX, Placement.at(LEGACY))));
        router.control().freeze(GLOBEX, Duration.ofSeconds(5));
        router.close();

        router = Router.start(fx.configFile, RouterFixture.ENV);
        assertThat(router.control().appliedVersion()).isEqualTo(3);
        assertThat(send(ACME, "/moved").get(WAIT.toSeconds(), TimeUnit.SECONDS).header("X-Served-By")).isEqualTo("cloud");
        CompletableFuture<RawClient.Response> held = send(GLOBEX, "/frozen");
        await("globex is held after the restart", () -> router.heldCounts().getOrDefault(GLOBEX, 0) == 1);
        assertThat(router.control().push(new RoutingTable(2, Map.of(ACME, Placement.at(LEGACY))))).isEqualTo(3);
        router.control().release(GLOBEX);
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).header("X-Served-By")).isEqualTo("legacy");
        assertThat(received(GLOBEX)).hasSize(1);
        assertThat(received(ACME)).singleElement().matches(r -> r.request().site().equals(CLOUD));
    }
}
