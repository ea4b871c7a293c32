package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.connect.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies chosen rows of one table, by key, through the same statements as the bulk copy: the source rows are
 * read share-locked, written with hikkoshi's multi-row INSERT, and the source transaction ends only after the
 * target's commits. Used by {@code verify --repair} (with {@link ExistingRows#REPLACE}: the target's rows of
 * those keys are deleted first, so changed rows are overwritten and rows gone from the source disappear) and
 * by change capture catching up on dirty keys.
 *
 * <p>Tenant safety: both the source SELECT and the target DELETE carry the tenant predicate, so a key of
 * another tenant's row is neither copied nor deleted.
 */
public final class RowCopier {
    /** Keys per statement: keeps the OR-list short enough for old optimizers and small packets. */
    private static final int KEYS_PER_STATEMENT = 200;

    private final CopyEndpoint source;
    private final CopyEndpoint target;
    private final TableStatements statements;
    private final Optional<String> tenantId;

    public RowCopier(CopyEndpoint source, CopyEndpoint target, CopyTable table, Optional<String> tenantId,
                     CharsetOverrides overrides) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        Map<String, String> columnOverrides = new HashMap<>();
        table.source().columns().forEach(c -> overrides.charsetOverride(table.name(), c.name())
                .ifPresent(cs -> columnOverrides.put(c.name().toLowerCase(Locale.ROOT), cs)));
        this.statements = new TableStatements(table, source.schema(), target.schema(), columnOverrides);
    }

    /**
     * Copies the source rows with these keys (in key column order, as {@link RowKey}); keys with no source row
     * of the tenant are skipped, or with {@link ExistingRows#REPLACE} deleted from the target. Returns the
     * number of rows read from the source and written.
     */
    public long copyRows(List<RowKey> keys, ExistingRows existing) {
        long copied = 0;
        try (Connection src = source.dataSource().getConnection(); Connection tgt = target.dataSource().getConnection()) {
            SessionPins.source(src, source.server());
            SessionPins.target(tgt);
            for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
                copied += copyBatch(src, tgt, keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT)), existing);
            }
        } catch (SQLException e) {
            throw new DatabaseException("copying " + keys.size() + " chosen rows of table " + statements.table().name(),
                    source.describe() + " to " + target.describe(), e);
        }
        return copied;
    }

    private long copyBatch(Connection src, Connection tgt, List<RowKey> keys, ExistingRows existing) throws SQLException {
        long maxStatement = Math.min(Math.min(source.server().maxAllowedPacketBytes(),
                target.server().maxAllowedPacketBytes()) - 16_384, 16L << 20);
        try {
            if (existing == ExistingRows.REPLACE) {
                delete(tgt, keys);
            }
            InsertBatch batch = new InsertBatch(statements, maxStatement, existing);
            long rows = 0;
            try (PreparedStatement ps = src.prepareStatement(select(keys.size()))) {
                int index = 1;
                if (statements.tenantPredicate().isPresent()) {
                    ps.setString(index++, tenantId.orElseThrow());
                }
                for (RowKey key : keys) {
                    index = statements.bindKey(ps, index, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int n = statements.columnCount();
                    while (rs.next()) {
                        byte[][] row = new byte[n][];
                        for (int i = 0; i < n; i++) {
                            row[i] = rs.getBytes(i + 1);
                        }
                        batch.add(tgt, row);
                        rows++;
                    }
                }
            }
            batch.flush(tgt);
            tgt.commit();
            src.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            ChunkCopier.rollbackQuietly(tgt, e);
            ChunkCopier.rollbackQuietly(src, e);
            throw e;
        }
    }

    private String select(int keys) {
        String lock = statements.table().source().transactional() ? " LOCK IN SHARE MODE" : "";
        String anyKey = String.join(" OR ", Collections.nCopies(keys, statements.keyEquals(false)));
        return "SELECT " + statements.selectList() + " FROM " + statements.sourceTable() + " WHERE "
                + statements.tenantPredicate().map(p -> "(" + p + ") AND ").orElse("") + "(" + anyKey + ")" + lock;
    }

    /** {@code DELETE r FROM t r WHERE (tenant) AND (keys)}: the multi-table form lets the predicate use the alias. */
    private void delete(Connection tgt, List<RowKey> keys) throws SQLException {
        Optional<String> predicate = statements.table().rows().tenantPredicate(target.schema(), TableStatements.ALIAS);
        String anyKey = String.join(" OR ", Collections.nCopies(keys.size(), statements.keyEquals(true)));
        String sql = "DELETE " + quote(TableStatements.ALIAS) + " FROM "
                + qualified(target.schema(), statements.table().target().name()) + " " + quote(TableStatements.ALIAS)
                + " WHERE " + predicate.map(p -> "(" + p + ") AND ").orElse("") + "(" + anyKey + ")";
        try (PreparedStatement ps = tgt.prepareStatement(sql)) {
            int index = 1;
            if (predicate.isPresent()) {
                ps.setString(index++, tenantId.orElseThrow());
            }
            for (RowKey key : keys) {
                index = statements.bindKey(ps, index, key);
            }
            ps.executeUpdate();
        }
    }
}
