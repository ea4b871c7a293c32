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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one shop tenant's rows on two sites with its own SQL, independently of the data engine's verifier:
 * per table (tenants, customers, orders, order_items reached through orders) the row count and a SHA-256 over
 * the digests of its rows (each over every column) in primary-key order. The demo and the end-to-end tests use
 * it to show a moved tenant's rows equal on its final site and the site it left (kept equal by the reverse sync). A difference
 * names the first rows by {@code id} (every shop table's key), so that a failed run says which rows to look for.
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

    /** How many differing rows of each kind a difference names. */
    private static final int NAMED = 5;

    /** One table's rows of the tenant on one site: how many, and their digest. */
    public record TableRows(String table, long rows, String sha256) {
    }

    /** A table's rows as read for a comparison: the summary, and each row's digest by its {@code id}. */
    private record TableRead(TableRows rows, Map<String, String> byId) {
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
        List<TableRead> left = readRows(tenant, one);
        List<TableRead> right = readRows(tenant, other);
        List<String> differences = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < TABLES.size(); i++) {
            TableRows a = left.get(i).rows();
            TableRows b = right.get(i).rows();
            rows += Math.max(a.rows(), b.rows());
            if (!a.equals(b)) {
                differences.add(a.table() + ": " + a.rows() + " rows on " + one.server().name() + ", " + b.rows()
                        + " on " + other.server().name() + (a.rows() == b.rows() ? ", contents differ" : "")
                        + namedRows(left.get(i).byId(), right.get(i).byId(), one.server().name(), other.server().name()));
            }
        }
        return new Result(tenant, rows, differences);
    }

    /** {@code tenant}'s rows of each shop table on {@code site}. */
    public static List<TableRows> read(TenantId tenant, SandboxSchema site) throws SQLException {
        return readRows(tenant, site).stream().map(TableRead::rows).toList();
    }

    private static List<TableRead> readRows(TenantId tenant, SandboxSchema site) throws SQLException {
        List<TableRead> out = new ArrayList<>();
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

    /** "; only on A: id 7, 9; only on B: id 4; differ: id 12", each list cut at {@link #NAMED}. */
    private static String namedRows(Map<String, String> a, Map<String, String> b, String nameA, String nameB) {
        List<String> onlyA = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        a.forEach((id, hash) -> {
            String other = b.get(id);
            if (other == null) {
                onlyA.add(id);
            } else if (!other.equals(hash)) {
                differ.add(id);
            }
        });
        List<String> onlyB = b.keySet().stream().filter(id -> !a.containsKey(id)).toList();
        return named("only on " + nameA, onlyA) + named("only on " + nameB, onlyB) + named("differ", differ);
    }

    private static String named(String what, List<String> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())));
        return "; " + what + ": id " + shown + (ids.size() > NAMED ? " and " + (ids.size() - NAMED) + " more" : "");
    }

    private static TableRead digest(String table, ResultSet rs) throws SQLException {
        MessageDigest sha = sha256();
        Map<String, String> byId = new LinkedHashMap<>();
        int columns = rs.getMetaData().getColumnCount();
        int idColumn = rs.findColumn("id");
        long rows = 0;
        while (rs.next()) {
            rows++;
            MessageDigest row = sha256();
            for (int col = 1; col <= columns; col++) {
                // The shop has no binary columns: each value's text form, as the server renders it, is exact.
                String text = rs.getString(col);
                byte[] value = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, NULL distinct from empty: no two different rows hash alike by concatenation.
                row.update(value == null ? new byte[] {(byte) 0xff} : lengthOf(value.length));
                if (value != null) {
                    row.update(value);
                }
            }
            // The table's digest is over its rows' digests in key order: one hash per row, not two.
            byte[] rowDigest = row.digest();
            sha.update(rowDigest);
            byId.put(rs.getString(idColumn), HexFormat.of().formatHex(rowDigest));
        }
        return new TableRead(new TableRows(table, rows, HexFormat.of().formatHex(sha.digest())), byId);
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
