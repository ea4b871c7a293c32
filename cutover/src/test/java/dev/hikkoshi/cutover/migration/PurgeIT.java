package dev.hikkoshi.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.AuditLog;
import dev.hikkoshi.cutover.control.ControllerClient;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.PurgeReport;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopRowCounts;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a move's life on real servers, through the real admin API: a shop tenant moves to cloud and is DONE
 * (its inconclusive bake approved), its wave is finalized, a rollback is refused, and its stale rows are purged
 * from legacy only after that: every refusal before, then exactly its per-tenant rows gone from legacy (counted
 * straight from the database), its rows on cloud, the other tenant's rows and the shared countries untouched, a
 * second purge deleting nothing, no split-brain reported, and every step in the audit log.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class PurgeIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");
    private static final Actor CLI = new Actor("cli");

    @TempDir
    Path dir;

    @Test
    void aFinalizedTenantsStaleRows_arePurgedFromTheSiteItLeft_onlyAfterFinalize(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId moved = tenants.get(0);
        TenantId other = tenants.get(1);
        List<String> purged = new CopyOnWriteArrayList<>();
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, moved));
            List<MoveEvent> events = new CopyOnWriteArrayList<>();
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.board().subscribe(events::add);
                ControllerClient client = new ControllerClient(controller.adminUrl(), "ops-secret", "OPS_TOKEN",
                        Duration.ofSeconds(30));
                client.apply(CLI);
                await(Duration.ofMinutes(2), () -> state(client, moved) == MoveState.BAKING);
                await(Duration.ofSeconds(30), () -> {
                    try {
                        client.approve(CLI, "pilot"); // no traffic: its bake is inconclusive and waits for approval
                        return true;
                    } catch (UserException notYet) {
                        return false;
                    }
                });
                await(Duration.ofSeconds(30), () -> state(client, moved) == MoveState.DONE);
                long legacyId = ShopRowCounts.id(pair.source(), moved);
                long otherId = ShopRowCounts.id(pair.source(), other);
                Map<String, Long> before = ShopRowCounts.of(pair.source(), legacyId);
                Map<String, Long> onCloud = ShopRowCounts.of(pair.target(), legacyId);
                Map<String, Long> otherBefore = ShopRowCounts.of(pair.source(), otherId);
                long countries = ShopRowCounts.countries(pair.source());
                assertThat(before).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
                assertThat(onCloud).isEqualTo(before);

                refused(() -> client.purge(CLI, moved, ShopSites.LEGACY),
                        "purge refused: " + moved + " is DONE (purge needs FINALIZED)",
                        "finalize it first (hikkoshi finalize " + moved + "): until then its rows on legacy are what "
                                + "a rollback returns to");
                assertThat(client.finalizeWave(CLI, "pilot").finalized()).containsExactly(moved);
                await(Duration.ofSeconds(30), () -> state(client, moved) == MoveState.FINALIZED);
                MoveStatus finalized = status(client, moved);
                refused(() -> client.rollback(CLI, moved), "rollback refused: " + moved + " was finalized at "
                        + finalized.since(), "its reverse sync is stopped, so nothing can carry its writes back; to "
                        + "return it, move it back to legacy with a new plan");
                refused(() -> client.purge(CLI, moved, ShopSites.CLOUD), "purge refused: " + moved + " is served by "
                        + "site cloud: its rows there are its live data", "purge the site it left: --site legacy");
                refused(() -> client.purge(CLI, moved, SiteId.of("mars")), "purge refused: there is no site mars in "
                        + "the config", "the config's sites are legacy, cloud; purge the site " + moved
                        + " left: --site legacy");
                refused(() -> client.purge(CLI, TenantId.of("zeta"), ShopSites.LEGACY),
                        "no move of tenant zeta in the plan", "hikkoshi status lists the plan's tenants; check the name");
                HttpResponse<String> unconfirmed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(controller.adminUrl() + "/purge/" + moved))
                        .header("Authorization", "Bearer ops-secret")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"site\": \"legacy\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(unconfirmed.statusCode()).isEqualTo(400);
                assertThat(new ObjectMapper().readTree(unconfirmed.body()).path("error").asText())
                        .isEqualTo("confirm: (missing) (expected: the tenant's name, " + moved + ", to confirm the purge)");
                assertThat(ShopRowCounts.of(pair.source(), legacyId)).as("nothing deleted yet").isEqualTo(before);

                PurgeReport report = client.purge(CLI, moved, ShopSites.LEGACY);

                assertThat(report.rowsByTable()).containsExactlyInAnyOrderEntriesOf(before);
                assertThat(report.rowsByTable().keySet()).as("children first").startsWith("order_items");
                assertThat(report.kept()).isEmpty(); // the tenants come from a list: its tenants row goes too
                assertThat(ShopRowCounts.of(pair.source(), legacyId)).allSatisfy((table, rows) ->
                        assertThat(rows).as(table).isZero());
                assertThat(ShopRowCounts.of(pair.target(), legacyId)).isEqualTo(onCloud);
                assertThat(ShopRowCounts.of(pair.source(), otherId)).isEqualTo(otherBefore);
                assertThat(ShopRowCounts.countries(pair.source())).isEqualTo(countries);
                PurgeReport again = client.purge(CLI, moved, ShopSites.LEGACY);
                assertThat(again.totalRows()).as("a second purge").isZero();
                purged.add("site legacy: " + report.totalRows() + " rows removed " + report.rowsByTable());
                purged.add("site legacy: 0 rows removed " + again.rowsByTable());
                Thread.sleep(500); // a split-brain report would come from a capture thread
                assertThat(events).noneMatch(e -> e instanceof MoveEvent.SplitBrain);
                assertThat(client.status().paused()).isFalse();
            }
        }
        List<String> audit = Files.readAllLines(dir.resolve("state").resolve(AuditLog.FILE_NAME)).stream()
                .map(PurgeIT::brief).filter(l -> l.contains(" purge ")).toList();
        assertThat(audit).containsExactly(
                "ops purge " + moved + " refused [site legacy]",
                "ops purge " + moved + " refused [site cloud]",
                "ops purge " + moved + " refused [site mars]",
                "ops purge zeta refused [site legacy]",
                "ops purge " + moved + " ok [" + purged.get(0) + "]",
                "ops purge " + moved + " ok [" + purged.get(1) + "]");
    }

    private static String brief(String line) {
        try {
            JsonNode n = new ObjectMapper().readTree(line);
            return n.path("who").asText() + " " + n.path("what").asText() + " " + n.path("subject").asText() + " "
                    + n.path("outcome").asText() + (n.has("detail") ? " [" + n.path("detail").asText() + "]" : "");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void refused(ThrowableAssert.ThrowingCallable call, String message, String hint) {
        assertThatThrownBy(call).isInstanceOf(UserException.class).hasMessage(message)
                .extracting(e -> ((UserException) e).hint()).isEqualTo(hint);
    }

    private static MoveStatus status(ControllerClient client, TenantId tenant) {
        return client.status().moves().stream().filter(m -> m.tenant().equals(tenant)).findFirst().orElseThrow();
    }

    private static MoveState state(ControllerClient client, TenantId tenant) {
        return status(client, tenant).state();
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private String config(SchemaPair pair, ShopSites shop, TenantId moved) {
        return ShopMigrationConfig.of(pair, shop, dir.resolve("state")).plan(
                "waves: [ { name: pilot, tenants: [" + moved + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 5%, p99: 1s, window: 1s, min-requests: 1, bake: 1s,",
                "                 inconclusive: { max-extensions: 0, then: wait-for-approval } }").text();
    }
}
