package dev.hikkoshi.cutover.migration;

import static dev.hikkoshi.cutover.migration.MoveWaits.await;
import static dev.hikkoshi.cutover.migration.MoveWaits.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before DONE the reverse sync is verified in full: a row of the tenant the old site lacks (made here by deleting
 * it there with {@code sql_log_bin=0}, which neither the reverse stream nor the bypass watch can see, as a row the
 * reverse stream failed to carry would be) is found, re-copied from the new site and named in DONE's reason.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class ReverseVerificationIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");

    @TempDir
    Path dir;

    @Test
    void rowTheOldSiteLacksAtTheEndOfTheBake_isReCopiedBeforeDone_andNamedInItsReason(SchemaPair pair) throws Exception {
        TenantId tenant = ShopSeed.tenantNames(1).get(0);
        long item;
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), List.of(tenant), ShopSeed.small())) {
            long id = single(pair.source(), "SELECT id FROM tenants WHERE slug = '" + tenant + "'");
            item = single(pair.source(), "SELECT MIN(i.id) FROM order_items i JOIN orders o ON o.id = i.order_id"
                    + " WHERE o.tenant_id = " + id);
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, ShopMigrationConfig.of(pair, shop, dir.resolve("state"))
                    .tenantRule("{ path: \"/t/{tenant}/\", strip: true }")
                    .plan("parallel-moves: 1", "waves: [ { name: pilot, tenants: [" + tenant + "] } ]", "freeze: { max: 8s }",
                            "rollback-line: { error-rate: 50%, relative: 2x, p99: 10s, window: 2s, min-requests: 100000,"
                                    + " bake: 2s, inconclusive: { max-extensions: 0, then: wait-for-approval } }")
                    .text());
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.operations().apply(new Actor("test"));
                await(tenant + " baking", () -> state(controller, tenant) == MoveState.BAKING);
                pair.source().execute("SET SESSION sql_log_bin = 0", "DELETE FROM order_items WHERE id = " + item);
                assertThat(single(pair.source(), "SELECT COUNT(*) FROM order_items WHERE id = " + item)).isZero();
                controller.operations().approve(new Actor("test"), "pilot");
                await(tenant + " done", () -> state(controller, tenant) == MoveState.DONE);

                assertThat(single(pair.source(), "SELECT COUNT(*) FROM order_items WHERE id = " + item))
                        .as("re-copied to the old site").isOne();
            }
        }
        List<String> done = new ArrayList<>();
        try (Journal journal = Journal.openIn(dir.resolve("state"))) {
            for (JournalEntry e : journal.replayed()) {
                if (e instanceof JournalEntry.Transition t && t.to() == MoveState.DONE) {
                    done.add(t.reason());
                }
            }
        }
        assertThat(done).singleElement().asString()
                .startsWith("approved by an operator after: ")
                .contains("; reverse sync: tenant verified in full (")
                .endsWith("): 1 row(s) still differed after the stream caught up and were re-copied by key (missing"
                        + " order_items (" + item + "))");
    }

    private static long single(SandboxSchema schema, String sql) throws Exception {
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
