package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Removing a tenant's rows from a site never changes another tenant's rows through a foreign key's ON DELETE action:
 * a purge of the site it left refuses, with the rows counted and before deleting anything, when rows that are not
 * the tenant's refer to its rows; PLANNED's clean-up of a retried move's target removes the tenant's rows and leaves
 * such a row as it is (the copy that follows puts back what it refers to). The schema is the move tests' (orders
 * refer to customers, items to orders, both ON DELETE CASCADE).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class TenantRowsRemovalIT {
    private static final Tenant T1 = new Tenant(TenantId.of("t1"), "1");

    @Test
    void purge_whoseCascadeWouldReachAnotherTenantsRows_isRefused_andRemovesNothing(SchemaPair pair) throws Exception {
        seed(pair);
        // Tenant 2's order refers to tenant 1's customer: deleting that customer would cascade into it and its items.
        pair.source().execute("INSERT INTO orders VALUES (2999, 2, 1001, 'refers across')",
                "INSERT INTO order_items VALUES (2999, 1, 1)");
        try (DataSites sites = new DataSites(pair, "binlog")) {
            assertThatThrownBy(() -> sites.data.purge(T1, SiteId.of("legacy"), SiteId.of("cloud")))
                    .isInstanceOfSatisfying(UserException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("cannot remove the rows of tenant id 1 stale since it moved"
                                + " to cloud from site legacy (127.0.0.1:" + pair.source().server().port() + "/"
                                + pair.name() + " as root): rows that are not the tenant's refer to them by foreign keys:"
                                + " 1 row of orders (foreign key fk_customer ON DELETE CASCADE to customers)");
                        assertThat(e.hint()).isEqualTo("nothing was removed; those rows are another tenant's or of a"
                                + " table hikkoshi does not move, and removing would leave them pointing at nothing: point"
                                + " them elsewhere or delete them yourself, then run again");
                    });
            assertThat(counts(pair)).as("nothing removed").containsExactly("customers 10", "orders 41", "order_items 81");
        }
    }

    @Test
    void purge_removesTheTenantsRowsOnly(SchemaPair pair) throws Exception {
        seed(pair);
        try (DataSites sites = new DataSites(pair, "binlog")) {
            Map<String, Long> removed = sites.data.purge(T1, SiteId.of("legacy"), SiteId.of("cloud"));

            assertThat(removed).containsEntry("customers", 5L).containsEntry("orders", 20L).containsEntry("order_items", 40L);
            assertThat(counts(pair)).containsExactly("customers 5", "orders 20", "order_items 40");
        }
    }

    @Test
    void earlierAttemptsCleanUp_removesTheTenantsRows_andLeavesAnotherTenantsReferringRowAsItIs(SchemaPair pair)
            throws Exception {
        seed(pair);
        pair.source().execute("INSERT INTO orders VALUES (2999, 2, 1001, 'refers across')",
                "INSERT INTO order_items VALUES (2999, 1, 1)");
        try (DataSites sites = new DataSites(pair, "binlog")) {
            Map<String, Long> removed = TenantRowsRemoval.remove(sites.data.database(SiteId.of("legacy")),
                    sites.data.scope(SiteId.of("cloud"), SiteId.of("legacy")), "1", "test");

            assertThat(removed).containsEntry("customers", 5L).containsEntry("orders", 20L).containsEntry("order_items", 40L);
            assertThat(counts(pair)).containsExactly("customers 5", "orders 21", "order_items 41");
            assertThat(StepsFixture.rows(pair.source().jdbcUrl(), "SELECT CONCAT(tenant_id, ':', customer_id) FROM orders"
                    + " WHERE id = 2999")).as("no cascade").containsExactly("2:1001");
        }
    }

    private static void seed(SchemaPair pair) {
        pair.source().execute(StepsFixture.DDL);
        pair.target().execute(StepsFixture.DDL);
        StepsFixture.seed(pair);
    }

    private static List<String> counts(SchemaPair pair) throws Exception {
        List<String> out = new ArrayList<>();
        for (String table : List.of("customers", "orders", "order_items")) {
            out.add(table + " " + StepsFixture.rows(pair.source().jdbcUrl(), "SELECT COUNT(*) FROM " + table).get(0));
        }
        return out;
    }
}
