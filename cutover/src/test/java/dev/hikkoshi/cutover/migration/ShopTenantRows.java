package dev.hikkoshi.cutover.migration;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A shop tenant's customers, orders and order items read with plain SQL, one line per row: the independent
 * comparison tests make between the two sites (none of hikkoshi's code is involved).
 */
public final class ShopTenantRows {
    private ShopTenantRows() {
    }

    public static List<String> of(SandboxSchema db, TenantId tenant) throws SQLException {
        List<String> rows = new ArrayList<>();
        String id = "(SELECT id FROM tenants WHERE slug = '" + tenant + "')";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "SELECT CONCAT_WS('|', 'c', id, tenant_id, name, email, country) FROM customers WHERE tenant_id = "
                            + id + " ORDER BY id",
                    "SELECT CONCAT_WS('|', 'o', id, tenant_id, customer_id, status, IFNULL(note, '-'), placed_at,"
                            + " updated_at) FROM orders WHERE tenant_id = " + id + " ORDER BY id",
                    "SELECT CONCAT_WS('|', 'i', i.id, i.order_id, i.sku, i.quantity, i.price_cents) FROM order_items i"
                            + " JOIN orders o ON o.id = i.order_id WHERE o.tenant_id = " + id + " ORDER BY i.id")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
        }
        return rows;
    }
}
