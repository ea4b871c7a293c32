package dev.hikkoshi.app.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.cutover.migration.ShopMigrationConfig;
import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.app.cli.data.DataCommandIT.Run;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.AuditLog;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopRowCounts;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi data purge} in process against the real controller ({@link ControllerProcess} over real MariaDB
 * servers, its admin API on loopback), whose journal says the tenant's move was finalized (PurgeIT in the cutover
 * module gets there by a real move): the confirmation, the rows printed per table (counted straight from the
 * database before), a refusal of the controller's as {@code error:}/{@code hint:} lines, and nothing deleted
 * without confirmation.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class PurgeCommandIT {
    static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        PurgeCommand.input = System.in;
        ControllerOptions.environment = System.getenv();
    }

    static Run purge(String answer, String... args) {
        PurgeCommand.input = answer == null ? InputStream.nullInputStream()
                : new ByteArrayInputStream((answer + "\n").getBytes(StandardCharsets.UTF_8));
        return DataCommandIT.run(args);
    }

    @Test
    void purge_asksForTheTenantsName_deletesOnlyOnceConfirmed_andPrintsTheRowsPerTable(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId gone = tenants.get(0);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, gone));
            finalizedInTheJournal(gone);
            long id = ShopRowCounts.id(pair.source(), gone);
            Map<String, Long> before = ShopRowCounts.of(pair.source(), id);
            long total = before.values().stream().mapToLong(Long::longValue).sum();
            long otherRows = ShopRowCounts.of(pair.source(), ShopRowCounts.id(pair.source(), tenants.get(1))).values()
                    .stream().mapToLong(Long::longValue).sum();
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                ControllerOptions.environment = Map.of("OPS_TOKEN", "ops-secret");
                String c = config.toString();
                String url = controller.adminUrl().toString();
                String prompt = "This deletes every row of " + gone + " on site legacy for good (the controller first "
                        + "checks that " + gone + " is FINALIZED and served by another site).\nType the tenant's name"
                        + " to confirm: \n";

                Run wrong = purge("acme", "data", "purge", gone.value(), "--site", "legacy", "-c", c, "--controller", url);
                Run none = purge(null, "data", "purge", gone.value(), "--site", "legacy", "-c", c, "--controller", url);

                assertThat(wrong.exitCode()).isEqualTo(2);
                assertThat(wrong.out()).isEqualTo(prompt);
                assertThat(wrong.err()).isEqualTo("error: purge not confirmed: the answer was not " + gone + "\nhint: "
                        + "nothing was deleted; run it again and type " + gone + " exactly, or pass --yes in scripts\n");
                assertThat(none.err()).isEqualTo("error: purge not confirmed: no answer was typed\nhint: type the "
                        + "tenant's name when asked, or pass --yes in scripts; nothing was deleted\n");
                assertThat(ShopRowCounts.of(pair.source(), id)).isEqualTo(before);

                Run servedThere = purge(null, "data", "purge", gone.value(), "--site", "cloud", "--yes", "-c", c,
                        "--controller", url);

                assertThat(servedThere.exitCode()).isEqualTo(2);
                assertThat(servedThere.err()).isEqualTo("error: purge refused: " + gone + " is served by site cloud: its "
                        + "rows there are its live data\nhint: purge the site it left: --site legacy\n");

                Run confirmed = purge(gone.value(), "data", "purge", gone.value(), "--site", "legacy", "-c", c,
                        "--controller", url);

                assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
                assertThat(confirmed.out()).isEqualTo(prompt + "purged " + gone + " from legacy: "
                        + String.format(Locale.ROOT, "%,d", total) + " rows removed\n"
                        + "  order_items  " + before.get("order_items") + "\n"
                        + "  customers    " + before.get("customers") + "\n"
                        + "  orders       " + before.get("orders") + "\n"
                        + "  tenants      " + before.get("tenants") + "\n");
                assertThat(ShopRowCounts.of(pair.source(), id)).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
                assertThat(ShopRowCounts.of(pair.source(), ShopRowCounts.id(pair.source(), tenants.get(1))).values()
                        .stream().mapToLong(Long::longValue).sum()).isEqualTo(otherRows);
            }
            assertThat(Files.readAllLines(dir.resolve("state").resolve(AuditLog.FILE_NAME)))
                    .filteredOn(l -> l.contains("\"what\":\"purge\""))
                    .extracting(l -> l.replaceAll("\"at\":\"[^\"]+\",", ""))
                    .containsExactly("{\"who\":\"ops\",\"what\":\"purge\",\"subject\":\"" + gone + "\",\"detail\":"
                                    + "\"site cloud\",\"outcome\":\"refused\",\"message\":\"purge refused: " + gone
                                    + " is served by site cloud: its rows there are its live data\"}",
                            "{\"who\":\"ops\",\"what\":\"purge\",\"subject\":\"" + gone + "\",\"detail\":\"site legacy: "
                                    + total + " rows removed {order_items=" + before.get("order_items") + ", customers="
                                    + before.get("customers") + ", orders=" + before.get("orders") + ", tenants="
                                    + before.get("tenants") + "}\",\"outcome\":\"ok\"}");
        }
    }

    /** What the controller's journal holds once a move of {@code tenant} from legacy to cloud was finalized. */
    void finalizedInTheJournal(TenantId tenant) {
        List<MoveState> path = List.of(MoveState.PLANNED, MoveState.COPYING, MoveState.SYNCED, MoveState.FROZEN,
                MoveState.FINAL_SYNC, MoveState.SWITCHED, MoveState.BAKING, MoveState.DONE, MoveState.FINALIZED);
        try (Journal journal = Journal.openIn(dir.resolve("state"))) {
            for (int i = 1; i < path.size(); i++) {
                journal.append(new JournalEntry.Transition(tenant, "pilot", 1, SiteId.of("legacy"), SiteId.of("cloud"),
                        path.get(i - 1), path.get(i), "as the test journals it", Map.of(), Instant.now()));
            }
        }
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId tenant) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).plan(
                "waves: [ { name: pilot, tenants: [" + tenant + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 5%, p99: 1s }").text();
    }
}
