package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Compares one shop tenant's rows on two sites with its own SQL, independently of the data engine's verifier:
 * per table (tenants, customers, orders, order_items reached through orders) the row count and a SHA-256 over
 * every column of every row in primary-key order. The demo and the end-to-end tests use it to show a moved
 * tenant's rows equal on its final site and the site it left (kept equal by the reverse sync).
 */
public final class TenantRowsComparison {
    /** The tenant's rows of each table, selected by its slug, in primary-key order. */
    private static final List<Table> TABLES = List.of(
            new Table("tenants", "SELECT t.* FROM tenants t WHERE t.slug = ? ORDER BY t.id"),
            new Table("customers", "SELECT c.* FROM customers c JOIN tenants t ON t.id = c.tenant_id"
                    + " WHERE t.slug = ? ORDER BY c.id"),
            new Table("orders", "SELECT o.* FROM orders o JOIN tenants t ON t.id = o.tenant_id"
                    + " WHERE t.slug = ? ORDER BY o.id"),
            new Table("order_items", "SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id"
                    + " JOIN tenants t ON t.id = o.tenant_id WHERE t.slug = ? ORDER BY i.id"));

    private record Table(String name, String sql) {
    }

    /** One table's rows of the tenant on one site: how many, and their digest. */
    public record TableRows(String table, long rows, String sha256) {
    }

    /**
     * What the comparison found.
     *
     * @param rows        rows compared on each side (when equal, the tenant's rows on one site)
     * @param differences one line per table whose rows differ, naming the counts
     */
    public record Result(TenantId tenant, long rows, List<String> differences) {
        public Result {
            differences = List.copyOf(differences);
        }

        public boolean equal() {
            return differences.isEmpty();
        }
    }

    private TenantRowsComparison() {
    }

    /** Compares {@code tenant}'s rows on {@code one} and {@code other}. */
    public static Result compare(TenantId tenant, SandboxSchema one, SandboxSchema other) throws SQLException {
        List<TableRows> left = read(tenant, one);
        List<TableRows> right = read(tenant, other);
        List<String> differences = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < TABLES.size(); i++) {
            TableRows a = left.get(i);
            TableRows b = right.get(i);
            rows += Math.max(a.rows(), b.rows());
            if (!a.equals(b)) {
                differences.add(a.table() + ": " + a.rows() + " rows on " + one.server().name() + ", " + b.rows()
                        + " on " + other.server().name() + (a.rows() == b.rows() ? ", contents differ" : ""));
            }
        }
        return new Result(tenant, rows, differences);
    }

    /** {@code tenant}'s rows of each shop table on {@code site}. */
    public static List<TableRows> read(TenantId tenant, SandboxSchema site) throws SQLException {
        List<TableRows> out = new ArrayList<>();
        try (Connection c = site.connect()) {
            for (Table table : TABLES) {
                try (PreparedStatement s = c.prepareStatement(table.sql())) {
                    s.setString(1, tenant.value());
                    try (ResultSet rs = s.executeQuery()) {
                        out.add(digest(table.name(), rs));
                    }
                }
            }
        }
        return out;
    }

    private static TableRows digest(String table, ResultSet rs) throws SQLException {
        MessageDigest sha = sha256();
        int columns = rs.getMetaData().getColumnCount();
        long rows = 0;
        while (rs.next()) {
            rows++;
            for (int col = 1; col <= columns; col++) {
                // The shop has no binary columns: each value's text form, as the server renders it, is exact.
                String text = rs.getString(col);
                byte[] value = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, NULL distinct from empty: no two different rows hash alike by concatenation.
                sha.update(value == null ? new byte[] {(byte) 0xff} : lengthOf(value.length));
                if (value != null) {
                    sha.update(value);
                }
            }
        }
        return new TableRows(table, rows, HexFormat.of().formatHex(sha.digest()));
    }

    private static byte[] lengthOf(int length) {
        return (length + ":").getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
