package dev.hikkoshi.sandbox.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's independent comparison of a tenant's rows on two sites, on real servers. */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class TenantRowsComparisonIT {
    @BeforeAll
    static void interleave() {
        ShopAppIT.interleave();
    }

    @Test
    void equalCopies_compareEqual_andEachDifferingRowIsNamedByItsId(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId moved = tenants.get(0);
        ShopAppIT.createShops(pair, tenants);
        TenantCopy.copy(pair.source(), pair.target(), moved);

        TenantRowsComparison.Result same = TenantRowsComparison.compare(moved, pair.target(), pair.source());
        assertThat(same.differences()).isEmpty();
        long rows = TenantRowsComparison.read(moved, pair.source()).stream()
                .mapToLong(TenantRowsComparison.TableRows::rows).sum();
        assertThat(same.rows()).isEqualTo(rows).isPositive();

        List<Long> items = longs(pair.source(), "SELECT i.id FROM order_items i JOIN orders o ON o.id = i.order_id"
                + " JOIN tenants t ON t.id = o.tenant_id WHERE t.slug = '" + moved.value() + "' ORDER BY i.id");
        long order = longs(pair.source(), "SELECT order_id FROM order_items WHERE id = " + items.get(0)).get(0);
        pair.target().execute("DELETE FROM order_items WHERE id = " + items.get(0),
                "UPDATE order_items SET quantity = quantity + 1 WHERE id = " + items.get(1),
                "INSERT INTO order_items (id, order_id, sku, quantity, price_cents) VALUES (900002, " + order
                        + ", 'extra', 1, 100)");

        TenantRowsComparison.Result differ = TenantRowsComparison.compare(moved, pair.target(), pair.source());
        String target = pair.target().server().name();
        String source = pair.source().server().name();
        assertThat(differ.differences()).containsExactly("order_items: " + items.size() + " rows on " + target + ", "
                + items.size() + " on " + source + ", contents differ; only on " + target + ": id 900002; only on "
                + source + ": id " + items.get(0) + "; differ: id " + items.get(1));
    }

    @Test
    void manyDifferingRows_nameTheFirstFive_andCountTheRest(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId moved = tenants.get(0);
        ShopAppIT.createShops(pair, tenants);

        TenantRowsComparison.Result differ = TenantRowsComparison.compare(moved, pair.target(), pair.source());
        List<Long> orders = longs(pair.source(), "SELECT o.id FROM orders o JOIN tenants t ON t.id = o.tenant_id"
                + " WHERE t.slug = '" + moved.value() + "' ORDER BY o.id");
        assertThat(orders).hasSizeGreaterThan(5);
        assertThat(differ.differences()).contains("orders: 0 rows on " + pair.target().server().name() + ", "
                + orders.size() + " on " + pair.source().server().name() + "; only on " + pair.source().server().name()
                + ": id " + String.join(", ", orders.subList(0, 5).stream().map(String::valueOf).toList())
                + " and " + (orders.size() - 5) + " more");
    }

    private static List<Long> longs(SandboxSchema schema, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
