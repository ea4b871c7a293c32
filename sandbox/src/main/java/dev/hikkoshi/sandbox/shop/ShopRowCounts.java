package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts one shop tenant's rows per table on one site, read straight from the database by the tenant's id (its
 * order items through its orders; by id, not slug, so that the counts stay right once its tenants row is gone):
 * what tests compare before and after hikkoshi removes a tenant's rows, so that the check does not go through the
 * code under test.
 */
public final class ShopRowCounts {
    private ShopRowCounts() {
    }

    /** The tenant's id on that site (its {@code tenants} row's), looked up by its slug. */
    public static long id(SandboxSchema schema, TenantId tenant) {
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM tenants WHERE slug = ?")) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no tenant " + tenant + " in " + schema.name());
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the id of " + tenant + " in " + schema.name(), e);
        }
    }

    /** The rows of tenant {@code id} per per-tenant table (order_items, orders, customers, tenants). */
    public static Map<String, Long> of(SandboxSchema schema, long id) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("order_items", count(schema, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
                + " WHERE o.tenant_id = ?", id));
        counts.put("orders", count(schema, "SELECT COUNT(*) FROM orders WHERE tenant_id = ?", id));
        counts.put("customers", count(schema, "SELECT COUNT(*) FROM customers WHERE tenant_id = ?", id));
        counts.put("tenants", count(schema, "SELECT COUNT(*) FROM tenants WHERE id = ?", id));
        return counts;
    }

    /** The rows of the shared countries table. */
    public static long countries(SandboxSchema schema) {
        return count(schema, "SELECT COUNT(*) FROM countries", null);
    }

    private static long count(SandboxSchema schema, String sql, Long id) {
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows in " + schema.name() + ": " + e.getMessage(), e);
        }
    }
}
