package dev.hikkoshi.cutover.migration;

import static dev.hikkoshi.cutover.migration.MoveWaits.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.RoutingInvariant;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import dev.hikkoshi.sandbox.shop.SwitchTimeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine as {@code hikkoshi run} wires it (ControllerProcess over an in-process router), moving shop
 * tenants between two real MariaDB servers while the shop's load runs through the router: one tenant bakes
 * healthy and is DONE; latency added on the new site for another makes its rollback line roll it back
 * automatically after two bad windows. From the load's records: no request failed, no write reached a site
 * the tenant was not placed on, and every acknowledged write is on the tenant's final site (for the rolled-back
 * tenant, the writes made on the new site came back).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(300)
class MigrationIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");

    @TempDir
    Path dir;

    @Test
    void healthyTenantIsDone_slowTenantRollsBackByItself_andTheLoadSeesNoFailureNorMisroutedWrite(SchemaPair pair)
            throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(3);
        TenantId healthy = tenants.get(0);
        TenantId slow = tenants.get(1);
        TenantId stays = tenants.get(2);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, healthy, slow));
            shop.cloud().addLatency(slow, Duration.ofMillis(700));
            ConfigDocument document = ConfigDocument.read(config, ENV);
            List<MoveEvent.Transition> transitions = new CopyOnWriteArrayList<>();
            ShopWorkload workload = ShopWorkload.create(7);
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(document, config, List.of(router.control()),
                         List.of(router.traffic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.board().subscribe(e -> {
                    if (e instanceof MoveEvent.Transition t) {
                        transitions.add(t);
                    }
                });
                LoadRun load = LoadGenerator.target(URI.create("http://127.0.0.1:" + router.proxyAddress().getPort()))
                        .tenants(tenants).addressing(TenantAddressing.host("{tenant}.shop.test")).workload(workload)
                        .clients(8).maxRequests(100_000).duration(Duration.ofMinutes(4)).build().start();
                Thread.sleep(1_000); // some traffic on the old site first
                controller.operations().apply(new Actor("test"));

                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!(state(controller, healthy) == MoveState.DONE && rolledBack(transitions, slow))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                Thread.sleep(1_000); // the rolled-back tenant serves from the old site again for a moment
                load.stop();
                assertThat(load.await(Duration.ofSeconds(30))).isTrue();
                assertThat(load.workloadFailure()).isEmpty();

                assertThat(state(controller, healthy)).isEqualTo(MoveState.DONE);
                assertThat(rolledBack(transitions, slow)).as("transitions %s", transitions).isTrue();
                assertThat(transitions).anySatisfy(t -> {
                    assertThat(t.tenant()).isEqualTo(slow);
                    assertThat(t.from()).isEqualTo(MoveState.BAKING);
                    assertThat(t.to()).isEqualTo(MoveState.ROLLBACK_FROZEN);
                });
                assertThat(controller.controller().status().paused()).isTrue(); // an automatic rollback pauses the plan

                SwitchTimeline timeline = SwitchTimeline.startingOn(ShopSites.LEGACY);
                for (MoveEvent.Transition t : transitions) {
                    if (t.from() == MoveState.FINAL_SYNC && t.to() == MoveState.SWITCHED) {
                        timeline.switched(t.tenant(), ShopSites.CLOUD, t.at());
                    } else if (t.from() == MoveState.ROLLBACK_FROZEN && t.to() == MoveState.ROLLBACK_SYNC) {
                        timeline.switched(t.tenant(), ShopSites.LEGACY, t.at());
                    }
                }
                assertThat(workload.exchanges()).hasSizeGreaterThan(100);
                assertThat(RoutingInvariant.check(workload.exchanges(), timeline)).isEmpty();
                assertThat(RoutingInvariant.servedBySequence(workload.exchanges(), slow))
                        .containsExactly("legacy", "cloud", "legacy");
                assertThat(RoutingInvariant.servedBySequence(workload.exchanges(), stays)).containsExactly("legacy");
                AckedWritesCheck.Report onCloud = AckedWritesCheck.check(workload.exchanges(), List.of(healthy), pair.target());
                AckedWritesCheck.Report onLegacy = AckedWritesCheck.check(workload.exchanges(), List.of(slow, stays),
                        pair.source());
                assertThat(onCloud.violations()).isEmpty();
                assertThat(onLegacy.violations()).isEmpty();
                assertThat(onCloud.ordersChecked()).isPositive();
                assertThat(onLegacy.ordersChecked()).isPositive();
            }
        }
    }

    /**
     * A write made straight on the old site to a moved tenant's row (a cron job that still points there) is
     * reported as a split-brain naming table and key, and pauses the plan.
     */
    @Test
    void directWriteOnTheOldSite_toAMovedTenantsRow_pausesThePlanWithACriticalEvent(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId moved = tenants.get(0);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, moved, moved).replace("tenants: [" + moved + ", " + moved + "]",
                    "tenants: [" + moved + "]"));
            ConfigDocument document = ConfigDocument.read(config, ENV);
            List<MoveEvent> events = new CopyOnWriteArrayList<>();
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(document, config, List.of(router.control()),
                         List.of(router.traffic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.board().subscribe(events::add);
                controller.operations().apply(new Actor("test"));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (state(controller, moved) != MoveState.BAKING && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(state(controller, moved)).isEqualTo(MoveState.BAKING);
                long order;
                try (java.sql.Connection c = pair.source().connect(); java.sql.Statement s = c.createStatement();
                     java.sql.ResultSet rs = s.executeQuery("SELECT o.id FROM orders o JOIN tenants t ON t.id = o.tenant_id"
                             + " WHERE t.slug = '" + moved + "' ORDER BY o.id LIMIT 1")) {
                    rs.next();
                    order = rs.getLong(1);
                }
                pair.source().execute("UPDATE orders SET note = 'written by a forgotten cron job' WHERE id = " + order);

                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (events.stream().noneMatch(e -> e instanceof MoveEvent.SplitBrain) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(events).filteredOn(e -> e instanceof MoveEvent.SplitBrain).first()
                        .isEqualTo(new MoveEvent.SplitBrain(moved, ShopSites.LEGACY, "orders", "id=" + order,
                                ((MoveEvent.SplitBrain) events.stream().filter(e -> e instanceof MoveEvent.SplitBrain)
                                        .findFirst().orElseThrow()).at()));
                assertThat(controller.controller().status().paused()).isTrue();
                assertThat(controller.controller().status().pauseReason().orElseThrow())
                        .startsWith("split-brain: a write that bypassed hikkoshi changed tenant " + moved + "'s row orders id="
                                + order + " on site legacy");
            }
        }
    }

    private static boolean rolledBack(List<MoveEvent.Transition> transitions, TenantId tenant) {
        return transitions.stream().anyMatch(t -> t.tenant().equals(tenant) && t.to() == MoveState.ROLLED_BACK);
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId healthy, TenantId slow) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).plan(
                "parallel-moves: 2",
                "waves: [ { name: pilot, tenants: [" + healthy + ", " + slow + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 5%, relative: 2x, p99: 300ms, window: 3s, min-requests: 2, bake: 6s,",
                "                 inconclusive: { max-extensions: 3, then: wait-for-approval } }").text();
    }
}
