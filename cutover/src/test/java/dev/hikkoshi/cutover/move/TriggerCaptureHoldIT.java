package dev.hikkoshi.cutover.move;

import static dev.hikkoshi.cutover.move.DataSites.CLOUD;
import static dev.hikkoshi.cutover.move.DataSites.LEGACY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.stream.TenantStream;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With trigger capture, a position noted for a stream that starts later is held in the change log for it: another
 * tenant's stream draining the same log does not purge what it will read, and a finalize does not remove the
 * capture it will read from. Both sites capture by triggers; the schema is the move tests'.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(180)
class TriggerCaptureHoldIT {
    private static final Tenant T1 = new Tenant(TenantId.of("t1"), "1");
    private static final Tenant T2 = new Tenant(TenantId.of("t2"), "2");
    /** Longer than a drain's purge check (a second) and its idle polls, so that a purge that may run has run. */
    private static final Duration PURGE_CHANCE = Duration.ofSeconds(3);

    /**
     * Tenant 2's forward position is noted (as PLANNED does) and its rows copied; they then change while only tenant
     * 1's stream drains the legacy change log and checkpoints past those changes. Tenant 2's stream, started from
     * its noted position after that, still finds them.
     */
    @Test
    void forwardPositionNotedBeforeTheCopy_isHeld_againstAnotherTenantsStreamPurging(SchemaPair pair) throws Exception {
        seed(pair);
        try (DataSites sites = new DataSites(pair, "triggers")) {
            MoveData data = sites.data;
            CapturePosition t2From = data.noteStreamStart(T2, LEGACY, CLOUD, false);
            data.copy(T2, LEGACY, CLOUD);
            CapturePosition t1From = data.noteStreamStart(T1, LEGACY, CLOUD, false);
            data.copy(T1, LEGACY, CLOUD);
            TenantStream first = data.stream(T1, LEGACY, CLOUD, false, t1From);

            pair.source().execute("UPDATE orders SET note = 'changed after its copy' WHERE tenant_id = 2 AND id <= 2005",
                    "DELETE FROM order_items WHERE order_id = 2006", "INSERT INTO orders VALUES (2500, 2, 2001, 'new')",
                    "INSERT INTO order_items VALUES (2500, 1, 7)", "UPDATE orders SET note = 'tenant 1' WHERE id = 1001");
            assertThat(first.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            Thread.sleep(PURGE_CHANCE.toMillis());
            TenantStream second = data.stream(T2, LEGACY, CLOUD, false, t2From);
            assertThat(second.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

            assertThat(tenantRows(pair.target().jdbcUrl(), 2)).as("tenant 2 on cloud")
                    .containsExactlyElementsOf(tenantRows(pair.source().jdbcUrl(), 2))
                    .contains("orders|2001|changed after its copy", "orders|2500|new", "order_items|2500|1|7")
                    .doesNotContain("order_items|2006|1|1");
            assertThat(tenantRows(pair.target().jdbcUrl(), 1)).containsExactlyElementsOf(tenantRows(pair.source().jdbcUrl(), 1));
        }
    }

    /**
     * Tenant 2 has switched to cloud and noted its reverse position in its freeze, but its reverse stream has not
     * started (and written no checkpoint) when tenant 1's move is finalized: the trigger capture on cloud stays, so
     * the write tenant 2's service makes on cloud meanwhile reaches legacy once its reverse stream runs. The last
     * finalize removes the capture.
     */
    @Test
    void finalize_keepsTheCapture_forATenantWhoseReversePositionIsNoted(SchemaPair pair) throws Exception {
        seed(pair);
        try (DataSites sites = new DataSites(pair, "triggers")) {
            MoveData data = sites.data;
            data.copy(T2, LEGACY, CLOUD);
            CapturePosition back = data.noteStreamStart(T2, CLOUD, LEGACY, true);
            String reverseName = pair.target().name() + "/t2:cloud->legacy";

            assertThat(data.finalizeMove(T1, LEGACY, CLOUD)).isEqualTo("reverse stream stopped; the trigger capture on cloud"
                    + " stays for 1 other stream(s) that read it: " + reverseName);
            pair.target().execute("UPDATE orders SET note = 'written on cloud' WHERE id = 2001");
            TenantStream reverse = data.stream(T2, CLOUD, LEGACY, true, back);
            assertThat(reverse.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(StepsFixture.rows(pair.source().jdbcUrl(), "SELECT note FROM orders WHERE id = 2001"))
                    .containsExactly("written on cloud");

            assertThat(data.finalizeMove(T2, LEGACY, CLOUD)).startsWith("reverse stream stopped; ")
                    .contains(" trigger capture objects removed from ");
            assertThat(StepsFixture.rows(pair.target().jdbcUrl(), "SELECT COUNT(*) FROM information_schema.TRIGGERS"
                    + " WHERE TRIGGER_SCHEMA = '" + pair.target().name() + "'")).containsExactly("0");
        }
    }

    private static void seed(SchemaPair pair) {
        pair.source().execute(StepsFixture.DDL);
        pair.target().execute(StepsFixture.DDL);
        StepsFixture.seed(pair);
    }

    /** Every row of tenant {@code id} in the three tables, as text, in key order. */
    private static List<String> tenantRows(String jdbcUrl, int id) throws Exception {
        List<String> out = new ArrayList<>();
        out.addAll(StepsFixture.rows(jdbcUrl, "SELECT 'customers', id, name FROM customers WHERE tenant_id = " + id
                + " ORDER BY id"));
        out.addAll(StepsFixture.rows(jdbcUrl, "SELECT 'orders', id, note FROM orders WHERE tenant_id = " + id
                + " ORDER BY id"));
        out.addAll(StepsFixture.rows(jdbcUrl, "SELECT 'order_items', i.order_id, i.line, i.qty FROM order_items i"
                + " JOIN orders o ON o.id = i.order_id WHERE o.tenant_id = " + id + " ORDER BY i.order_id, i.line"));
        return out;
    }
}
