package dev.hikkoshi.router.it;

import static dev.hikkoshi.router.it.RouterFixture.CLOUD;
import static dev.hikkoshi.router.it.RouterFixture.LEGACY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.router.admin.HttpRouterControl;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Received;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production control path: a controller's {@link HttpRouterControl} over the admin API, down to the
 * in-process control, the freeze gate and the real proxy.
 */
@Timeout(60)
class RemoteControlIT {
    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path dir;
    RouterFixture fx;
    Router router;

    @AfterEach
    void stop() {
        fx.legacy.openGate("remote");
        router.close();
        fx.close();
    }

    private CompletableFuture<RawClient.Response> send(String target) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.get(router.proxyAddress(), "acme.shop.test", target);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void freezeSwitchRelease_overTheAdminApi() throws Exception {
        fx = new RouterFixture(dir);
        router = fx.start("""
                  tenant-from: [ { host: "{tenant}.shop.test" } ]
                  unknown-tenant: legacy
                  freeze: { drain-grace: 60s }
                """);
        RouterControl remote = new HttpRouterControl(URI.create("http://127.0.0.1:" + router.adminAddress().getPort()),
                RouterFixture.ENV.get("ROUTER_TOKEN"), Duration.ofSeconds(20));
        assertThat(remote.push(new RoutingTable(5, Map.of(ACME, Placement.at(LEGACY))))).isEqualTo(5);

        CompletableFuture<RawClient.Response> stuck = send("/stuck?gate=remote");
        fx.log.await(Received.class, r -> r.request().path().equals("/stuck"), Duration.ofSeconds(20));
        assertThatThrownBy(() -> remote.freeze(ACME, Duration.ofMillis(300)))
                .isInstanceOf(FreezeFailedException.class)
                .satisfies(e -> assertThat(((FreezeFailedException) e).openRequests())
                        .singleElement().asString().contains("GET /stuck"));

        fx.legacy.openGate("remote");
        assertThat(stuck.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        RouterControl.FreezeReport report = remote.freeze(ACME, Duration.ofSeconds(5));
        assertThat(report.drainedRequests()).isZero();
        CompletableFuture<RawClient.Response> held = send("/held");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (router.heldCounts().getOrDefault(ACME, 0) == 0) {
            assertThat(System.nanoTime()).as("the request is held").isLessThan(deadline);
            Thread.sleep(5);
        }
        remote.push(new RoutingTable(6, Map.of(ACME, Placement.at(CLOUD))));
        assertThat(remote.table()).isEqualTo(new RoutingTable(6, Map.of(ACME, new Placement(CLOUD, true))));
        remote.release(ACME);
        assertThat(held.get(20, TimeUnit.SECONDS).header("X-Served-By")).isEqualTo("cloud");
        assertThat(remote.appliedVersion()).isEqualTo(6);
    }
}
