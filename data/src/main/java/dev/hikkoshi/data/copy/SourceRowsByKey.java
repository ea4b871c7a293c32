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
 * <p>The read is forced through the row key's index ({@code FORCE INDEX}), so that it locks the rows and
 * nothing else: left to itself, the optimizer may go through the tenant's secondary index, which locks the
 * index entry before the row. An application that locks the row by primary key and then deletes it (which
 * locks the entry) then waits on the read while the read waits on it, and InnoDB kills one of them as a
 * deadlock (the demo's order deletes failed so). The tenant condition is checked on each row found; rows of
 * its subqueries (a join path's parents) are not locked, as a locking read never locks a subquery's rows.
 *
 * <p>Keys per statement ({@link #keysPerStatement}): a key of one number or date column goes as one IN list of
 * up to {@value #SHORT_KEYS_PER_STATEMENT}; any other key as an OR of up to {@value #KEYS_PER_STATEMENT}
 * equalities, short enough for old optimizers and small packets.
 */
final class SourceRowsByKey {
    static final int KEYS_PER_STATEMENT = 200;
    /** Below MariaDB's {@code in_predicate_conversion_threshold} (1,000): a longer IN list becomes a join, read by a full scan. */
    static final int SHORT_KEYS_PER_STATEMENT = 500;

    private final TableStatements statements;
    private final Optional<String> tenantId;
    private final String lock;

    SourceRowsByKey(TableStatements statements, Optional<String> tenantId) {
        this.statements = statements;
        this.tenantId = tenantId;
        this.lock = statements.table().source().transactional() ? " LOCK IN SHARE MODE" : "";
    }

    /** How many keys one statement reads. */
    int keysPerStatement() {
        return statements.shortKey() ? SHORT_KEYS_PER_STATEMENT : KEYS_PER_STATEMENT;
    }

    /** The rows found, by key, in the order the server returned them; keys without a tenant row are absent. */
    Map<RowKey, byte[][]> read(Connection src, List<RowKey> keys) throws SQLException {
        Map<RowKey, byte[][]> found = new LinkedHashMap<>();
        int step = keysPerStatement();
        for (int from = 0; from < keys.size(); from += step) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + step));
            CharSequence numbers = numbers(statements, part);
            try (PreparedStatement ps = src.prepareStatement(numbers != null ? select(statements.keyIn(numbers))
                    : select(statements.anyKey(part.size())))) {
                int index = 1;
                if (statements.tenantPredicate().isPresent()) {
                    ps.setString(index++, tenantId.orElseThrow(() -> new IllegalStateException(
                            "table " + statements.table().name() + " is per tenant but no tenant was given")));
                }
                for (int k = 0; numbers == null && k < part.size(); k++) {
                    index = statements.bindKey(ps, index, part.get(k));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[][] row = statements.row(rs);
                        found.put(statements.keyOf(row), row);
                    }
                }
            }
        }
        return found;
    }

    private String select(String anyKey) {
        return "SELECT " + statements.selectList() + " FROM " + statements.sourceTableByKey() + " WHERE "
                + statements.tenantPredicate().map(p -> "(" + p + ") AND ").orElse("") + "(" + anyKey + ")" + lock;
    }

    /**
     * The keys of a {@link TableStatements#numberKey} written out ({@code 1, 2, 3}) when every one is a plain
     * number ({@code -?[0-9]+(.[0-9]+)?}, as the server prints an integer or DECIMAL), else null: they are then
     * bound as parameters. Written out, the driver has no 500 placeholders to find in the SQL and no 500
     * BigDecimals to make and print again; the stream's first batch ran that code in the interpreter. Also used
     * for {@link KeySync#deleteGone}'s keys on the target (an integer's text means the same number there).
     */
    static CharSequence numbers(TableStatements statements, List<RowKey> keys) {
        if (!statements.numberKey()) {
            return null;
        }
        StringBuilder out = new StringBuilder(keys.size() * 9);
        for (RowKey key : keys) {
            byte[] v = key.rawValue(0);
            if (!plainNumber(v)) {
                return null;
            }
            if (!out.isEmpty()) {
                out.append(", ");
            }
            for (byte b : v) {
                out.append((char) b);
            }
        }
        return out;
    }

    static boolean plainNumber(byte[] v) {
        int i = v.length > 0 && v[0] == '-' ? 1 : 0;
        int digits = 0;
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            i++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (i == v.length) {
            return true;
        }
        if (v[i++] != '.' || i == v.length) {
            return false;
        }
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            i++;
        }
        return i == v.length;
    }
}
