package dev.hikkoshi.data.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the tenant's source rows of chosen keys, share-locked in the caller's open source transaction, so that
 * none can change before the caller's target transaction commits (see {@link KeySync} and {@link ChunkCopier}).
 *
 * <p>A per-tenant table ({@link TableStatements#locksByKeyFirst}) is read in two statements: a locking read of
 * the keys alone, by primary key, then a plain read of those rows with the tenant condition. READ COMMITTED
 * (the copy's isolation) makes the plain read see the newest committed versions, and nobody can commit a newer
 * one of a row this transaction has locked. One locking read with the condition would go through the tenant's
 * secondary index, locking its entry before the row: an application that locks the row by primary key and
 * then deletes it (which locks the entry) waits on the copy while the copy waits on it, and InnoDB kills one of
 * them as a deadlock (the demo's order deletes failed so). What the split gives up: a row that leaves the
 * tenant between the two statements (its parent moved) is judged as it is at the second; the change stream
 * syncs the move.
 *
 * <p>Keys per statement: at most {@value #KEYS_PER_STATEMENT}, short enough for old optimizers and small
 * packets, and within MariaDB's {@code eq_range_index_dive_limit} (200): beyond it the optimizer estimates the
 * key ranges from statistics and may read the tenant's whole index instead (1,000 keys a statement made a
 * 2,400-key batch of a 200,000-row tenant take seconds, with its share locks).
 */
final class SourceRowsByKey {
    static final int KEYS_PER_STATEMENT = 200;

    private final TableStatements statements;
    private final Optional<String> tenantId;
    private final String lockOnly;

    SourceRowsByKey(TableStatements statements, Optional<String> tenantId) {
        this.statements = statements;
        this.tenantId = tenantId;
        this.lockOnly = statements.table().source().transactional() ? " LOCK IN SHARE MODE" : "";
    }

    /** The rows found, by key, in the order the server returned them; keys without a tenant row are absent. */
    Map<RowKey, byte[][]> read(Connection src, List<RowKey> keys) throws SQLException {
        Map<RowKey, byte[][]> found = new LinkedHashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            if (statements.locksByKeyFirst()) {
                lock(src, part);
            }
            try (PreparedStatement ps = src.prepareStatement(select(part.size()))) {
                int index = 1;
                if (statements.tenantPredicate().isPresent()) {
                    ps.setString(index++, tenantId.orElseThrow(() -> new IllegalStateException(
                            "table " + statements.table().name() + " is per tenant but no tenant was given")));
                }
                for (RowKey key : part) {
                    index = statements.bindKey(ps, index, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int n = statements.columnCount();
                    while (rs.next()) {
                        byte[][] row = new byte[n][];
                        for (int i = 0; i < n; i++) {
                            row[i] = rs.getBytes(i + 1);
                        }
                        found.put(statements.keyOf(row), row);
                    }
                }
            }
        }
        return found;
    }

    private void lock(Connection src, List<RowKey> keys) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT 1 FROM " + statements.sourceTable() + " WHERE "
                + statements.anyKey(keys.size()) + " LOCK IN SHARE MODE")) {
            int index = 1;
            for (RowKey key : keys) {
                index = statements.bindKey(ps, index, key);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the locks are the point; the rows are read next, with the tenant condition
                }
            }
        }
    }

    private String select(int keys) {
        String lock = statements.locksByKeyFirst() ? "" : lockOnly;
        return "SELECT " + statements.selectList() + " FROM " + statements.sourceTable() + " WHERE "
                + statements.tenantPredicate().map(p -> "(" + p + ") AND ").orElse("") + "(" + statements.anyKey(keys)
                + ")" + lock;
    }
}
