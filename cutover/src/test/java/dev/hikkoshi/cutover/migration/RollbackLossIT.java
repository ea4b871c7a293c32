package dev.hikkoshi.cutover.migration;

import static dev.hikkoshi.cutover.migration.MoveWaits.await;
import static dev.hikkoshi.cutover.migration.MoveWaits.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code hikkoshi status} says a rollback would lose, from a real move (ControllerProcess over an in-process
 * router and two real MariaDB servers), read over the admin API as the command does: nothing while the reverse
 * sync streams, except the tenant's rows the new site holds in a skipped table; the place it stopped once a schema
 * change on the new site stops the reverse stream; and no rollback at all once finalized.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class RollbackLossIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");
    private static final String SKIPPED = "CREATE TABLE audit_log (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " tenant_id INT NOT NULL, what VARCHAR(40) NOT NULL) ENGINE=InnoDB";
    private static final String UNATTRIBUTABLE = "CREATE TABLE cron_state (name VARCHAR(40) NOT NULL PRIMARY KEY,"
            + " ran_at DATETIME NULL) ENGINE=InnoDB";

    @TempDir
    Path dir;

    @Test
    void status_overTheAdminApi_saysWhatARollbackWouldLose_fromTheReverseStreamSkippedTablesAndFinalize(
            SchemaPair pair) throws Exception {
        TenantId tenant = ShopSeed.tenantNames(1).get(0);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), List.of(tenant), ShopSeed.small())) {
            pair.source().execute(SKIPPED, UNATTRIBUTABLE);
            pair.target().execute(SKIPPED, UNATTRIBUTABLE);
            long id = tenantId(pair, tenant);
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, tenant, id));
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                ControllerClient client = new ControllerClient(controller.adminUrl(), "ops-secret", "OPS_TOKEN",
                        Duration.ofSeconds(10));
                assertThat(client.status().rollbackLoss()).as("nothing switched yet").isEmpty();
                controller.operations().apply(new Actor("test"));
                await(tenant + " baking", () -> state(controller, tenant) == MoveState.BAKING);
                // the application on the new site writes its audit log, a table the move skips
                pair.target().execute("INSERT INTO audit_log (tenant_id, what) VALUES (" + id + ", 'login'), (" + id
                        + ", 'logout'), (" + (id + 100) + ", 'someone else')");
                controller.operations().approve(new Actor("test"), "pilot");
                await(tenant + " done", () -> state(controller, tenant) == MoveState.DONE);

                String skipped = "skipped table audit_log: 2 rows of " + tenant + " on cloud; skipped table cron_state:"
                        + " no tenant_id column, rows not attributable";
                await("the reverse stream streaming", () -> controller.steps().streams().streams().stream()
                        .anyMatch(st -> st.reverse() && st.state() == StreamState.STREAMING));
                ControllerStatus status = client.status();
                assertThat(status.rollbackLoss()).containsOnlyKeys(tenant);
                assertThat(status.rollbackLoss(tenant).orElseThrow()).isEqualTo(skipped);

                // a schema change on the new site stops the reverse stream: what it did not carry back is named
                pair.target().execute("ALTER TABLE orders ADD COLUMN gift_wrap TINYINT NULL");
                await("the reverse stream stopped", () -> client.status().rollbackLoss(tenant).orElse("")
                        .contains("reverse sync STOPPED"));
                assertThat(client.status().rollbackLoss(tenant).orElseThrow())
                        .startsWith("writes on cloud after ").contains(": reverse sync STOPPED (")
                        .endsWith(skipped);

                controller.operations().finalizeMove(new Actor("test"), tenant);
                await(tenant + " finalized", () -> state(controller, tenant) == MoveState.FINALIZED);
                MoveStatus finalized = client.status().moves().get(0);
                assertThat(client.status().rollbackLoss(tenant)).contains("no rollback possible: finalized at "
                        + finalized.since());
            }
        }
    }

    private static long tenantId(SchemaPair pair, TenantId tenant) throws Exception {
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM tenants WHERE slug = '" + tenant + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId tenant, long id) {
        String data = ShopSchema.DATA_CONFIG.replace("    countries: { shared: { writer: legacy } }\n",
                "    countries: { shared: { writer: legacy } }\n    audit_log: { skip: true }\n"
                        + "    cron_state: { skip: true }\n");
        assertThat(data).contains("audit_log");
        return """
                environment: test
                sites:
                  legacy: { upstreams: ["%s"], database: { url: "%s", user: root } }
                  cloud: { upstreams: ["%s"], database: { url: "%s", user: root } }
                tenants: { list: [ { name: %s, id: %d } ] }
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                  tenant-from: [ { path: "/t/{tenant}/", strip: true } ]
                  unknown-tenant: legacy
                  freeze: { max-hold: 30s }
                  traffic-bucket: 1s
                controller:
                  admin: { listen: 127.0.0.1:0, tokens: { ops: { env: OPS_TOKEN } } }
                plan:
                  parallel-moves: 1
                  waves: [ { name: pilot, tenants: [%s] } ]
                  freeze: { max: 8s }
                  rollback-line: { error-rate: 50%%, relative: 2x, p99: 10s, window: 2s, min-requests: 100000, bake: 2s,
                                   inconclusive: { max-extensions: 0, then: wait-for-approval } }
                %s""".formatted(shop.legacy().uri(), pair.source().jdbcUrl(), shop.cloud().uri(), pair.target().jdbcUrl(),
                tenant, id, dir.resolve("state"), tenant, data);
    }
}
