package dev.hikkoshi.data.stream;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.stream.StreamTables.Link;
import dev.hikkoshi.data.stream.StreamTables.StreamTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows a bulk copy left on the target without a parent, which a forward {@link TenantStream} deletes once it
 * has caught up after starting (see {@link #find}). One anti-join per join-path table on the target, and up to two
 * lookups on the source per row it finds.
 *
 * <p>A parentless row cannot tell its tenant, so the sweep keeps every such row that the source still explains:
 * its parent, or the row itself, exists there. A reverse stream never sweeps: no copy preceded it, and its target
 * is the old site, whose application may hold parentless rows of any tenant (legacy schemas without foreign keys
 * often do); they are not hikkoshi's to delete.
 */
final class CopyOrphans {
    private final StreamTables tables;
    private final String schemaSource;
    private final String schemaTarget;

    CopyOrphans(StreamTables tables, String schemaSource, String schemaTarget) {
        this.tables = tables;
        this.schemaSource = schemaSource;
        this.schemaTarget = schemaTarget;
    }

    /**
     * Join-path rows on the target whose parent exists neither on the target nor on the source. The bulk copy
     * is not one snapshot across tables: a child copied before a cascade (a customer deleted with its orders and
     * their items, none of it but the customer in the binlog) and a parent table copied after it leave such rows,
     * which no change will ever mark: the cascade removed the child from the source too. Rows whose parent still
     * exists on the source are left alone (they may be another tenant's copy in progress, and a parent that moved
     * away is marked by its own change), and so are rows that still exist on the source themselves (parentless
     * there as well: the application's own, which the copy never takes, or a tenant's already live on this
     * target whose rows the old site still holds).
     */
    Map<StreamTable, Set<RowKey>> find(Connection src, Connection tgt) throws SQLException {
        Map<StreamTable, Set<RowKey>> out = new LinkedHashMap<>();
        for (Link link : tables.joinLinks()) {
            StreamTable child = link.child();
            String col = link.childColumns().get(0);
            String parentCol = link.parentColumns().get(0);
            String sql = "SELECT " + child.keyColumns().stream().map(k -> "CONCAT(" + quote("r") + "." + quote(k) + ")")
                    .collect(Collectors.joining(", ")) + ", CONCAT(" + quote("r") + "." + quote(col) + ") FROM "
                    + qualified(schemaTarget, child.source().name()) + " " + quote("r") + " WHERE NOT EXISTS (SELECT 1 FROM "
                    + qualified(schemaTarget, link.parent().source().name()) + " " + quote("p") + " WHERE "
                    + quote("p") + "." + quote(parentCol) + " = " + quote("r") + "." + quote(col) + ")";
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement ps = tgt.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int k = 0; k < child.keyColumns().size(); k++) {
                        row.put(StreamTables.lower(child.keyColumns().get(k)), rs.getString(k + 1));
                    }
                    row.put("\0parent", rs.getString(child.keyColumns().size() + 1));
                    rows.add(row);
                }
            }
            tgt.commit();
            String parentExists = "SELECT 1 FROM " + qualified(schemaSource, link.parent().source().name()) + " WHERE "
                    + quote(parentCol) + " = ? LIMIT 1";
            String rowExists = "SELECT 1 FROM " + qualified(schemaSource, child.source().name()) + " WHERE "
                    + child.keyColumns().stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND ")) + " LIMIT 1";
            try (PreparedStatement parentOnSource = src.prepareStatement(parentExists);
                 PreparedStatement rowOnSource = src.prepareStatement(rowExists)) {
                for (Map<String, Object> row : rows) {
                    Object parent = row.remove("\0parent");
                    if (parent == null) {
                        continue;
                    }
                    parentOnSource.setString(1, parent.toString());
                    if (found(parentOnSource)) {
                        continue;
                    }
                    int i = 1;
                    for (Object value : row.values()) {
                        rowOnSource.setString(i++, String.valueOf(value));
                    }
                    if (!found(rowOnSource)) {
                        TenantFilter.mark(out, child, KeyValues.key(child.source(), child.keyColumns(), row));
                    }
                }
            }
            src.commit();
        }
        return out;
    }

    private static boolean found(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
