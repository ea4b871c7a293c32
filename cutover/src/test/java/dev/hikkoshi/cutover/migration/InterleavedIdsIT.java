package dev.hikkoshi.cutover.migration;

import static dev.hikkoshi.cutover.migration.MoveWaits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids never collide between sites (issue 5's acceptance): with the auto-increment interleaving the sandbox sets on
 * its two real servers (legacy odd, cloud even), orders are inserted through the router on the new site for a moved
 * tenant, reverse-synced to the old site, orders are inserted on the old site for another tenant, and that tenant is
 * moved too (its copy and stream write the old site's ids into the new site's tables, next to the first tenant's).
 * No insert, copy or stream fails, and every table ends the same on both servers, compared row by row with plain
 * SQL: no id was taken twice, anywhere.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class InterleavedIdsIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void insertOnNewSite_reverseSync_insertOnOldSite_moveAnotherTenant_noDuplicateKeyAnywhere(SchemaPair pair)
            throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId first = tenants.get(0);
        TenantId second = tenants.get(1);
        List<MoveEvent> events = new CopyOnWriteArrayList<>();
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, first, second));
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.board().subscribe(events::add);
                URI proxy = URI.create("http://127.0.0.1:" + router.proxyAddress().getPort());
                controller.operations().apply(new Actor("test"));
                awaitState(controller, first, MoveState.BAKING);
                // hold the second wave until the first tenant has written on the new site and it came back
                controller.operations().pause(new Actor("test"), "ids test: writes between the moves");

                List<Long> onCloud = insertOrders(proxy, first, "cloud", 5);
                assertThat(onCloud).as("ids generated on cloud").allMatch(id -> id % 2 == 0);
                await("the reverse sync carried " + first + "'s new orders to legacy", () -> ids(pair.source(),
                        "SELECT id FROM orders WHERE id IN (" + join(onCloud) + ")").size() == onCloud.size());
                List<Long> onLegacy = insertOrders(proxy, second, "legacy", 5);
                assertThat(onLegacy).as("ids generated on legacy").allMatch(id -> id % 2 == 1);

                controller.operations().approve(new Actor("test"), "first");
                awaitState(controller, first, MoveState.DONE);
                controller.operations().resume(new Actor("test"));
                awaitState(controller, second, MoveState.BAKING);
                // both tenants on the new site now: more inserts there, next to the ids the second move copied
                List<Long> later = new ArrayList<>(insertOrders(proxy, second, "cloud", 3));
                later.addAll(insertOrders(proxy, first, "cloud", 3));
                assertThat(later).allMatch(id -> id % 2 == 0).doesNotContainAnyElementsOf(onCloud);

                for (String table : ShopSchema.TABLES) {
                    await(table + " equal on both sites", () -> dump(pair.source(), table).equals(dump(pair.target(), table)));
                    assertThat(dump(pair.target(), table)).as(table).isEqualTo(dump(pair.source(), table));
                }
                assertThat(controller.steps().streams().streams()).isNotEmpty()
                        .allSatisfy(s -> assertThat(s.state()).as("%s", s).isNotIn(StreamState.FAILED, StreamState.STOPPED));
            }
        }
        assertThat(events).noneMatch(e -> e instanceof MoveEvent.ReverseSyncFailed);
        assertThat(events).filteredOn(e -> e instanceof MoveEvent.Transition t && (t.to() == MoveState.ABORTING
                || t.to() == MoveState.FAILED || t.to() == MoveState.ROLLBACK_FROZEN)).isEmpty();
        List<Long> orders = ids(pair.target(), "SELECT id FROM orders");
        assertThat(orders).doesNotHaveDuplicates().hasSizeGreaterThan(16);
    }

    /** Posts {@code n} orders of {@code tenant} through the router; each must be served by {@code site}. */
    private static List<Long> insertOrders(URI proxy, TenantId tenant, String site, int n) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(proxy.resolve("/t/" + tenant + "/orders"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\": null, \"note\": \"ids test " + i
                            + "\", \"items\": [{\"sku\": \"sku-" + i + "\", \"quantity\": 1, \"priceCents\": 100},"
                            + " {\"sku\": \"sku-x\", \"quantity\": 2, \"priceCents\": 250}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST order of %s: %s", tenant, r.body()).isEqualTo(201);
            assertThat(r.headers().firstValue("X-Served-By")).contains(site);
            Matcher m = ID.matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    private static void awaitState(ControllerProcess controller, TenantId tenant, MoveState state) throws Exception {
        await(tenant + " in " + state, () -> controller.controller().status().moves().stream()
                .filter(m -> m.tenant().equals(tenant)).map(MoveStatus::state).anyMatch(state::equals));
    }

    /** Every row of {@code table}, ordered by its key, one line each (read with plain SQL). */
    private static List<String> dump(SandboxSchema schema, String table) {
        String key = table.equals("countries") ? "code" : "id";
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + key)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<Long> ids(SandboxSchema schema, String sql) {
        List<Long> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String join(List<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId first, TenantId second) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).tenantRule("{ path: \"/t/{tenant}/\", strip: true }")
                .plan("parallel-moves: 1",
                        "waves: [ { name: first, tenants: [" + first + "] }, { name: second, tenants: [" + second + "] } ]",
                        "freeze: { max: 8s }",
                        "rollback-line: { error-rate: 50%, relative: 2x, p99: 10s, window: 2s, min-requests: 100000, bake: 2s,",
                        "                 inconclusive: { max-extensions: 0, then: wait-for-approval } }").text();
    }
}
