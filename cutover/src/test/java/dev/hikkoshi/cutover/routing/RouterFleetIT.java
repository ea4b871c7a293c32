package dev.hikkoshi.cutover.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.router.admin.HttpRouterControl;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's side of the routers, against real routers (recording backends as their sites) driven over
 * their admin APIs on loopback: the table is persisted and only grows, a router behind is brought up to date,
 * a freeze is confirmed by every router, and a router that accepts connections but never answers (as a stopped
 * process's kernel does) fails the freeze by name within the call timeout.
 */
@Timeout(60)
class RouterFleetIT {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final TenantId ACME = TenantId.of("acme");
    static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "fleet-it-token");

    @TempDir
    Path dir;
    final ExchangeLog log = new ExchangeLog();
    RecordingBackend legacy;
    RecordingBackend cloud;
    Router first;
    Router second;

    @BeforeEach
    void start() throws Exception {
        legacy = RecordingBackend.start(LEGACY, log);
        cloud = RecordingBackend.start(CLOUD, log);
        first = router("first");
        second = router("second");
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        legacy.close();
        cloud.close();
    }

    private Router router(String name) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                sites:
                  legacy: { upstreams: ["%s"] }
                  cloud: { upstreams: ["%s"] }
                tenants:
                  list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                  tenant-from: [ { path: "/t/{tenant}/", strip: true } ]
                  unknown-tenant: legacy
                """.formatted(legacy.uri(), cloud.uri(), dir.resolve(name + "-state")));
        return Router.start(config, ENV);
    }

    private static RouterControl http(Router r) {
        return new HttpRouterControl(URI.create("http://127.0.0.1:" + r.adminAddress().getPort()), ENV.get("ROUTER_TOKEN"),
                Duration.ofSeconds(2));
    }

    private RouterFleet fleet(RouterControl... routers) {
        return new RouterFleet(dir.resolve("controller-state"), List.of(LEGACY, CLOUD), List.of(routers),
                Duration.ofSeconds(2));
    }

    @Test
    void place_persistsTheTableAndPushesItToEveryRouter_andARestartedControllerContinuesItsVersions() {
        try (RouterFleet fleet = fleet(http(first), first.control())) {
            assertThat(fleet.place(ACME, Placement.at(LEGACY))).isEqualTo(1);
            assertThat(fleet.place(ACME, Placement.at(CLOUD))).isEqualTo(2);
        }
        assertThat(first.routingTable()).isEqualTo(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
        try (RouterFleet restarted = fleet(http(first))) {
            assertThat(restarted.table()).isEqualTo(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
            assertThat(restarted.place(ACME, Placement.at(LEGACY))).isEqualTo(3);
        }
    }

    @Test
    void routerBehind_isBroughtUpToDate_andATenantItStillHoldsIsReleased() {
        second.control().push(new RoutingTable(1, Map.of(ACME, Placement.at(LEGACY))));
        second.control().freeze(ACME, Duration.ofSeconds(1));
        try (RouterFleet fleet = fleet(http(first))) {
            fleet.place(ACME, Placement.at(CLOUD));
            fleet.place(ACME, Placement.at(CLOUD));
        }
        try (RouterFleet fleet = fleet(http(first), http(second))) {
            fleet.bringUpToDate();
            assertThat(second.routingTable()).isEqualTo(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
        }
    }

    @Test
    void freezeAndRelease_onEveryRouter_reportTheHoldAndSendTheTenantToTheNewSite() throws Exception {
        try (RouterFleet fleet = fleet(http(first), http(second))) {
            RouterFleet.Frozen frozen = fleet.freeze(ACME, LEGACY, Duration.ofSeconds(1));
            assertThat(frozen.reports()).hasSize(2);
            assertThat(first.routingTable().placement(ACME)).contains(new Placement(LEGACY, true));
            assertThat(second.routingTable().placement(ACME)).contains(new Placement(LEGACY, true));
            Thread.sleep(100);
            fleet.place(ACME, new Placement(CLOUD, true));
            RouterFleet.Released released = fleet.release(ACME, CLOUD).requireAll("release");
            assertThat(released.released()).hasSize(2);
            assertThat(released.held()).hasValueSatisfying(h -> assertThat(h).isGreaterThanOrEqualTo(Duration.ofMillis(100)));
            assertThat(first.routingTable().placement(ACME)).contains(Placement.at(CLOUD));
            assertThat(second.routingTable().placement(ACME)).contains(Placement.at(CLOUD));
            assertThat(fleet.frozenSince(ACME)).isEmpty();
        }
    }

    @Test
    void routerThatNeverAnswers_failsTheFreezeByName_andReleaseReachesTheOthers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RouterControl hung = new HttpRouterControl(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    ENV.get("ROUTER_TOKEN"), Duration.ofSeconds(10)); // the fleet's call timeout must decide
            try (RouterFleet fleet = fleet(http(first), hung)) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> fleet.freeze(ACME, LEGACY, Duration.ofSeconds(1)))
                        .isInstanceOf(RouterFleetException.class)
                        .hasMessage("routing table version 1 (tenant acme frozen on legacy) not confirmed by 1 of 2"
                                + " router(s): " + hung.name() + ": no answer within 2000 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

                RouterFleet.Released released = fleet.release(ACME, LEGACY);
                assertThat(released.byAll()).isFalse();
                assertThat(released.released()).containsExactly(http(first).name());
                assertThat(released.unanswered()).containsOnlyKeys(hung.name());
                assertThat(first.routingTable().placement(ACME)).contains(Placement.at(LEGACY));
                assertThatThrownBy(() -> released.requireAll("release of tenant acme on legacy"))
                        .isInstanceOf(RouterFleetException.class)
                        .hasMessageStartingWith("release of tenant acme on legacy not confirmed by 1 of 2 router(s): "
                                + hung.name() + ": ");
            }
        }
    }
}
