package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.shop.ShopApi.NewOrder;
import dev.hikkoshi.sandbox.shop.ShopApi.Order;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderChange;
import dev.hikkoshi.sandbox.shop.ShopApi.OrderLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The shop application's SQL: one site's orders, always within one tenant. The tenant row is looked up on every
 * request (no cache), so a tenant whose rows are not on this site is refused at once, never served from a stale
 * id. Writes run in one transaction each. Used by {@link ShopHandler}.
 */
final class ShopStore {
    private final DataSource pool;

    ShopStore(DataSource pool) {
        this.pool = pool;
    }

    List<Order> orders(TenantId tenant) throws SQLException, RejectedRequestException {
        try (Connection c = pool.getConnection()) {
            int tenantId = tenantId(c, tenant);
            return read(c, "o.tenant_id = ? ORDER BY o.id DESC LIMIT " + ShopApi.LIST_LIMIT, tenantId);
        }
    }

    Order order(TenantId tenant, long id) throws SQLException, RejectedRequestException {
        try (Connection c = pool.getConnection()) {
            List<Order> found = read(c, "o.tenant_id = ? AND o.id = ?", tenantId(c, tenant), id);
            if (found.isEmpty()) {
                throw noOrder(tenant, id);
            }
            return found.get(0);
        }
    }

    long create(TenantId tenant, NewOrder order) throws SQLException, RejectedRequestException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                int tenantId = tenantId(c, tenant);
                long customer = customer(c, tenant, tenantId, Optional.ofNullable(order.customerId()));
                long id;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (tenant_id, customer_id, status,"
                        + " note, placed_at, updated_at) VALUES (?, ?, 'new', ?, NOW(), NOW())",
                        Statement.RETURN_GENERATED_KEYS)) {
                    s.setInt(1, tenantId);
                    s.setLong(2, customer);
                    s.setString(3, order.note());
                    s.executeUpdate();
                    try (ResultSet keys = s.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES (?, ?, ?, ?)")) {
                    for (OrderLine line : order.items()) {
                        s.setLong(1, id);
                        s.setString(2, line.sku());
                        s.setInt(3, line.quantity());
                        s.setInt(4, line.priceCents());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
                return id;
            } finally {
                endTransaction(c);
            }
        }
    }

    void update(TenantId tenant, long id, OrderChange change) throws SQLException, RejectedRequestException {
        try (Connection c = pool.getConnection()) {
            int tenantId = tenantId(c, tenant);
            // Connector/J reports matched rows (CLIENT_FOUND_ROWS), so an update to the same values is not a 404.
            try (PreparedStatement s = c.prepareStatement("UPDATE orders SET status = ?, note = ?, updated_at = NOW()"
                    + " WHERE id = ? AND tenant_id = ?")) {
                s.setString(1, change.status());
                s.setString(2, change.note());
                s.setLong(3, id);
                s.setInt(4, tenantId);
                if (s.executeUpdate() == 0) {
                    throw noOrder(tenant, id);
                }
            }
        }
    }

    void delete(TenantId tenant, long id) throws SQLException, RejectedRequestException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                int tenantId = tenantId(c, tenant);
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT id FROM orders WHERE id = ? AND tenant_id = ? FOR UPDATE")) {
                    s.setLong(1, id);
                    s.setInt(2, tenantId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            throw noOrder(tenant, id);
                        }
                    }
                }
                for (String sql : new String[] {"DELETE FROM order_items WHERE order_id = ?",
                        "DELETE FROM orders WHERE id = ?"}) {
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        s.setLong(1, id);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } finally {
                endTransaction(c);
            }
        }
    }

    private static int tenantId(Connection c, TenantId tenant) throws SQLException, RejectedRequestException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM tenants WHERE slug = ?")) {
            s.setString(1, tenant.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new RejectedRequestException(404, "unknown tenant " + tenant + " on this site");
                }
                return rs.getInt(1);
            }
        }
    }

    private static long customer(Connection c, TenantId tenant, int tenantId, Optional<Long> wanted)
            throws SQLException, RejectedRequestException {
        String sql = wanted.isPresent() ? "SELECT id FROM customers WHERE tenant_id = ? AND id = ?"
                : "SELECT MIN(id) FROM customers WHERE tenant_id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, tenantId);
            if (wanted.isPresent()) {
                s.setLong(2, wanted.get());
            }
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getLong(1) != 0) {
                    return rs.getLong(1);
                }
            }
        }
        throw new RejectedRequestException(422, wanted.map(id -> "customer " + id + " is not a customer of " + tenant)
                .orElse("tenant " + tenant + " has no customers"));
    }

    /** Orders matching {@code where} (on {@code o}, with whole-number parameters) and their items. */
    private static List<Order> read(Connection c, String where, long... parameters) throws SQLException {
        Map<Long, Order> orders = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT o.id, o.customer_id, k.name, o.status, o.note"
                + " FROM orders o LEFT JOIN customers cu ON cu.id = o.customer_id"
                + " LEFT JOIN countries k ON k.code = cu.country WHERE " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    orders.put(rs.getLong(1), new Order(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), new ArrayList<>()));
                }
            }
        }
        if (orders.isEmpty()) {
            return List.of();
        }
        String ids = String.join(",", orders.keySet().stream().map(String::valueOf).toList());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT order_id, sku, quantity,"
                + " price_cents FROM order_items WHERE order_id IN (" + ids + ") ORDER BY id")) {
            while (rs.next()) {
                orders.get(rs.getLong(1)).items().add(new OrderLine(rs.getString(2), rs.getInt(3), rs.getInt(4)));
            }
        }
        return List.copyOf(orders.values());
    }

    private static RejectedRequestException noOrder(TenantId tenant, long id) {
        return new RejectedRequestException(404, "no order " + id + " of tenant " + tenant);
    }

    /** Rolls back what a failed write left open (after a commit there is nothing left) and ends the transaction. */
    private static void endTransaction(Connection c) throws SQLException {
        if (!c.isClosed() && !c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
