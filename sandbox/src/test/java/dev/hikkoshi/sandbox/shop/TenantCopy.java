package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The shop tests' stand-in for the data engine (which depends on sandbox, not the other way round): copies one
 * tenant's rows of every tenant-scoped shop table from one site's database to another's, keeping their ids, while
 * no load runs for that tenant (the test plays the freeze).
 */
final class TenantCopy {
    private TenantCopy() {
    }

    static void copy(SandboxSchema from, SandboxSchema to, TenantId tenant) throws SQLException {
        try (Connection source = from.connect(); Connection target = to.connect()) {
            int id;
            try (PreparedStatement s = source.prepareStatement("SELECT id FROM tenants WHERE slug = ?")) {
                s.setString(1, tenant.value());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    id = rs.getInt(1);
                }
            }
            target.setAutoCommit(false);
            copy(source, target, "tenants", "SELECT * FROM tenants WHERE id = " + id);
            copy(source, target, "customers", "SELECT * FROM customers WHERE tenant_id = " + id);
            copy(source, target, "orders", "SELECT * FROM orders WHERE tenant_id = " + id);
            copy(source, target, "order_items", "SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id"
                    + " WHERE o.tenant_id = " + id);
            target.commit();
        }
    }

    private static void copy(Connection source, Connection target, String table, String select) throws SQLException {
        try (PreparedStatement read = source.prepareStatement(select); ResultSet rs = read.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            String marks = "?" + ",?".repeat(columns - 1);
            try (PreparedStatement write = target.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        write.setObject(i, rs.getObject(i));
                    }
                    write.addBatch();
                }
                write.executeBatch();
            }
        }
    }
}
