package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.connect.DatabaseException;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import dev.hikkoshi.data.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the target's rows of chosen keys of one table equal to the source's, for one tenant: the apply path of
 * change streams (and reverse sync) and of {@code verify --repair}. The source rows are re-read share-locked
 * with the tenant predicate by {@link SourceRowsByKey} (so the source decides, whatever a capture said about
 * the key), then each is written by key: an UPDATE of the existing target row, an INSERT of a missing one. A
 * target row of the tenant whose key has no source row of the tenant is DELETEd. Never REPLACE and never a delete-then-insert: either
 * would fire the target's ON DELETE cascades and triggers for a row that only changed.
 *
 * <p>A write that would duplicate a secondary unique key of another target row is reported
 * ({@link UniqueKeyConflictException}), never resolved by touching that row. Every transaction hikkoshi commits
 * through {@link #sync} carries the {@link WriteMarker}; callers that batch several tables in one transaction
 * ({@code TenantStream}) write the marker themselves.
 *
 * <p>Transactions: {@link #read} runs in the caller's source transaction and {@link #deleteGone}/{@link #upsert}
 * in its target transaction; the caller commits the target first and the source after, so that no source row
 * read can change before its copy is durable (the same protocol as the bulk copy).
 */
public final class KeySync {
    private static final int KEYS_PER_STATEMENT = SourceRowsByKey.KEYS_PER_STATEMENT;
    private static final int DUPLICATE_KEY = 1062;
    private static final Pattern DUPLICATE_KEY_NAME = Pattern.compile("for key '([^']*)'");

    private final CopyEndpoint source;
    private final CopyEndpoint target;
    private final TableStatements statements;
    private final Optional<String> tenantId;
    private final long maxStatementBytes;
    private final Optional<dev.hikkoshi.data.config.JoinHop> orphanHop;
    private final SourceRowsByKey reader;
    /** The tenant predicate over the target, for a tenant-column table: rows it rejects are another tenant's. */
    private final Optional<String> othersRows;
    /** The target table allows the one-statement upsert ({@link #upsert}). */
    private final boolean upsertsInOneStatement;

    /** What a sync did to the target: rows updated, inserted and deleted, and the source rows read. */
    public record Result(long read, long updated, long inserted, long deleted) {
        public static final Result NONE = new Result(0, 0, 0, 0);

        public Result plus(Result o) {
            return new Result(read + o.read, updated + o.updated, inserted + o.inserted, deleted + o.deleted);
        }

        public long written() {
            return updated + inserted + deleted;
        }
    }

    /** The source rows of a set of keys, read by {@link #read}, and the keys without a source row of the tenant. */
    public static final class SourceRows {
        private final Map<RowKey, byte[][]> found;
        private final List<RowKey> gone;

        private SourceRows(Map<RowKey, byte[][]> found, List<RowKey> gone) {
            this.found = found;
            this.gone = gone;
        }

        public int foundCount() {
            return found.size();
        }

        public List<RowKey> gone() {
            return Collections.unmodifiableList(gone);
        }

        /** These rows and {@code more}'s (read for other keys of the same table). */
        public SourceRows plus(SourceRows more) {
            Map<RowKey, byte[][]> f = new LinkedHashMap<>(found);
            f.putAll(more.found);
            List<RowKey> g = new ArrayList<>(gone);
            more.gone.stream().filter(k -> !g.contains(k)).forEach(g::add);
            return new SourceRows(f, g);
        }
    }

    public KeySync(CopyEndpoint source, CopyEndpoint target, CopyTable table, Optional<String> tenantId,
                   CharsetOverrides overrides) {
        this(source, target, table, tenantId, overrides, Optional.empty(), false);
    }

    /**
     * As above, for a join-path table whose first hop is {@code orphanHop}: a target row of a key gone from the
     * source is also deleted when its parent is not on the target at all. Such an orphan belongs to no tenant
     * there; it arises when the bulk copy took a child before its parent left the tenant and skipped the parent
     * (the target's own parent is what the tenant predicate would have judged it by). A NULL parent value refers
     * to nothing and is no orphan. Streams pass the hop only when their target is the new site (a reverse stream's
     * is the old site, whose parentless rows are its application's: see {@code StreamTables}).
     */
    public KeySync(CopyEndpoint source, CopyEndpoint target, CopyTable table, Optional<String> tenantId,
                   CharsetOverrides overrides, Optional<dev.hikkoshi.data.config.JoinHop> orphanHop,
                   boolean tenantColumn) {
        this.orphanHop = Objects.requireNonNull(orphanHop, "orphanHop");
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        Map<String, String> columnOverrides = new HashMap<>();
        table.source().columns().forEach(c -> overrides.charsetOverride(table.name(), c.name())
                .ifPresent(cs -> columnOverrides.put(c.name().toLowerCase(Locale.ROOT), cs)));
        this.statements = new TableStatements(table, source.schema(), target.schema(), columnOverrides);
        this.reader = new SourceRowsByKey(statements, tenantId);
        // An AUTO_INCREMENT key is kept apart between the sites by the cutover's id-collision check (interleaved
        // counters, each past the other's largest id) before any tenant writes on its new site: only other keys are
        // looked up, which spares a stream's batches of such tables a statement per 200 keys.
        List<String> keyColumns = table.rowKey().columns();
        boolean generatedKey = keyColumns.size() == 1 && table.target().column(keyColumns.get(0))
                .map(dev.hikkoshi.data.schema.Column::autoIncrement).orElse(false);
        this.othersRows = tenantColumn && tenantId.isPresent() && !generatedKey
                ? table.rows().tenantPredicate(target.schema(), TableStatements.ALIAS) : Optional.empty();
        Table written = table.target();
        this.upsertsInOneStatement = written.triggers().isEmpty()
                && written.indexes().stream().filter(i -> i.primary() || i.unique())
                .allMatch(i -> TableStatements.sameColumns(i.columns(), table.rowKey().columns()));
        this.maxStatementBytes = Math.min(Math.min(source.server().maxAllowedPacketBytes(),
                target.server().maxAllowedPacketBytes()) - 16_384, 16L << 20);
    }

    public String table() {
        return statements.table().name();
    }

    /** Pins a source connection's session as the copy does (READ COMMITTED, raw bytes, UTC). */
    public static void pinSource(Connection c, CopyEndpoint source) throws SQLException {
        SessionPins.source(c, source.server());
    }

    /** Pins a target connection's session as the copy does, and sets hikkoshi's write marker variable. */
    public static void pinTarget(Connection c, CopyEndpoint target) throws SQLException {
        SessionPins.target(c, target.server());
        WriteMarker.session(c);
    }

    /**
     * Syncs {@code keys} in transactions of up to 200 keys, each with its own connections, marker row
     * ({@code writer}) and commits (target first, then source). Used by {@code verify --repair}.
     */
    public Result sync(List<RowKey> keys, String writer) {
        Result total = Result.NONE;
        try (Connection src = source.dataSource().getConnection(); Connection tgt = target.dataSource().getConnection()) {
            tgt.setAutoCommit(true);
            WriteMarker.install(tgt);
            pinSource(src, source);
            pinTarget(tgt, target);
            for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
                List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
                try {
                    SourceRows rows = read(src, part);
                    long deleted = deleteGone(tgt, rows);
                    Result r = upsert(tgt, rows);
                    WriteMarker.mark(tgt, writer);
                    tgt.commit();
                    src.commit();
                    total = total.plus(r).plus(new Result(0, 0, 0, deleted));
                } catch (SQLException | RuntimeException e) {
                    ChunkCopier.rollbackQuietly(tgt, e);
                    ChunkCopier.rollbackQuietly(src, e);
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("syncing " + keys.size() + " keys of table " + table(),
                    source.describe() + " to " + target.describe(), e);
        }
        return total;
    }

    /** Reads the tenant's source rows of {@code keys}, share-locked in {@code src}'s open transaction. */
    public SourceRows read(Connection src, Collection<RowKey> keys) throws SQLException {
        List<RowKey> wanted = new ArrayList<>(keys instanceof java.util.Set<RowKey> ? keys : new LinkedHashSet<>(keys));
        Map<RowKey, byte[][]> found = reader.read(src, wanted);
        List<RowKey> gone = wanted.stream().filter(k -> !found.containsKey(k)).toList();
        return new SourceRows(found, new ArrayList<>(gone));
    }

    /**
     * Deletes the target's rows of the tenant whose keys have no source row of the tenant (another tenant's
     * row of such a key is left alone: the predicate is part of the DELETE). Returns the rows deleted.
     */
    public long deleteGone(Connection tgt, SourceRows rows) throws SQLException {
        long deleted = 0;
        Optional<String> predicate = statements.table().rows().tenantPredicate(statements.targetSchema(),
                TableStatements.ALIAS);
        for (int from = 0; from < rows.gone.size(); from += KEYS_PER_STATEMENT) {
            List<RowKey> part = rows.gone.subList(from, Math.min(rows.gone.size(), from + KEYS_PER_STATEMENT));
            CharSequence numbers = SourceRowsByKey.numbers(statements, part);
            String anyKey = numbers != null ? statements.keyIn(numbers) : statements.anyKeyOnTarget(part.size());
            // The multi-table form lets the predicate refer to the alias.
            // An orphan has a parent value the target lacks; a NULL one refers to nothing and is no orphan.
            Optional<String> guard = predicate.map(p -> orphanHop.map(h -> "((" + p + ") OR ("
                    + dev.hikkoshi.data.schema.SqlIdentifier.column(TableStatements.ALIAS, h.column()) + " IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM "
                    + dev.hikkoshi.data.schema.SqlIdentifier.qualified(statements.targetSchema(), h.referencedTable())
                    + " `hk_p` WHERE " + dev.hikkoshi.data.schema.SqlIdentifier.column("hk_p", h.referencedColumn())
                    + " = " + dev.hikkoshi.data.schema.SqlIdentifier.column(TableStatements.ALIAS, h.column()) + ")))")
                    .orElse("(" + p + ")"));
            String sql = "DELETE " + quoteAlias() + " FROM " + statements.targetTableByKey() + " WHERE "
                    + guard.map(p -> p + " AND ").orElse("") + "(" + anyKey + ")";
            try (PreparedStatement ps = tgt.prepareStatement(sql)) {
                int index = 1;
                if (predicate.isPresent()) {
                    ps.setString(index++, tenantId.orElseThrow());
                }
                if (numbers == null) {
                    statements.bindKeys(ps, index, part);
                }
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /**
     * The target's values of {@code columns} in its rows of {@code keys}, as text by lower-case column name:
     * what children refer to in a row about to be deleted.
     */
    public List<Map<String, Object>> targetValues(Connection tgt, List<RowKey> keys, List<String> columns)
            throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            String anyKey = statements.anyKeyOnTarget(part.size());
            String sql = "SELECT " + String.join(", ", columns.stream().map(c -> "CONCAT("
                    + dev.hikkoshi.data.schema.SqlIdentifier.column(TableStatements.ALIAS, c) + ")").toList())
                    + " FROM " + statements.targetTableByKey() + " WHERE " + anyKey;
            try (PreparedStatement ps = tgt.prepareStatement(sql)) {
                statements.bindKeys(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            row.put(columns.get(i).toLowerCase(Locale.ROOT), rs.getString(i + 1));
                        }
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Writes each source row read: UPDATE by key, INSERT when the target has no row of that key.
     *
     * <p>When the target table's one unique index is the row key and it has no triggers, all of it is one
     * multi-row {@code INSERT ... ON DUPLICATE KEY UPDATE} per megabyte (after one key lookup per 500 rows that
     * counts the rows present, so that the counts stay exact): with no other unique index, the only duplicate it
     * can meet is the row of the same key, which it updates exactly as the UPDATE would, and with no trigger
     * nothing can tell the two forms apart (an upsert of a present row would fire INSERT triggers before its
     * UPDATE ones). A stream's batch of 2,400 keys was 2,400 pipelined UPDATEs before; the one statement took the
     * target 27 to 73 ms (its slow log, on the loaded 2-core machine).
     *
     * <p>Otherwise the UPDATEs go
     * as one JDBC batch (Connector/J pipelines it and, with {@code useBulkStmts} off, its default, returns each
     * row's matched count, so a 0 still means "no such row"), and the missing rows as multi-row INSERTs: a few
     * round trips a batch instead of one or two a row. The statements are the per-row ones (never ON DUPLICATE
     * KEY UPDATE, which would update whichever row holds a duplicated secondary unique value). On a duplicate key
     * the batch is rolled back to a savepoint and written again row by row ({@link #upsertEach}), which names the
     * row whose write conflicts exactly as before; it also decides the rare case where only the batch's order
     * (all UPDATEs, then the INSERTs) conflicts.
     */
    public Result upsert(Connection tgt, SourceRows rows) throws SQLException {
        return upsert(tgt, rows, true);
    }

    /**
     * As {@link #upsert}, for a caller that does not use the counts (a stream's batch): the one-statement upsert
     * then skips its lookup of the rows present, one statement per 200 keys that a 2,400-key batch paid 12 times.
     */
    public void upsertUncounted(Connection tgt, SourceRows rows) throws SQLException {
        upsert(tgt, rows, false);
    }

    private Result upsert(Connection tgt, SourceRows rows, boolean counted) throws SQLException {
        if (rows.found.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        refuseOtherTenantsRows(tgt, new ArrayList<>(rows.found.keySet()));
        if (rows.found.size() == 1) {
            return upsertEach(tgt, rows);
        }
        Savepoint before = tgt.setSavepoint();
        try {
            return upsertsInOneStatement ? upsertInOneStatement(tgt, rows, counted) : upsertBatched(tgt, rows);
        } catch (SQLException e) {
            if (!duplicateKey(e)) {
                // A batch may wrap the statement's error without its code: callers retry deadlocks (1213) and
                // lock wait timeouts (1205) by code, as they did for the per-row statements.
                throw e instanceof BatchUpdateException && e.getErrorCode() == 0
                        && e.getCause() instanceof SQLException cause ? cause : e;
            }
            tgt.rollback(before);
            return upsertEach(tgt, rows);
        }
    }

    /** Uncounted, the result's updated and inserted counts are 0 (the rows read are still counted). */
    private Result upsertInOneStatement(Connection tgt, SourceRows rows, boolean counted) throws SQLException {
        long present = counted ? presentOnTarget(tgt, new ArrayList<>(rows.found.keySet())) : 0;
        InsertBatch all = InsertBatch.upserting(statements, maxStatementBytes, target.server());
        for (byte[][] row : rows.found.values()) {
            all.add(tgt, row);
        }
        all.flush(tgt);
        return counted ? new Result(rows.found.size(), present, rows.found.size() - present, 0)
                : new Result(rows.found.size(), 0, 0, 0);
    }

    /**
     * Throws {@link OtherTenantRowException} when the target holds a row of one of {@code keys} that is another
     * tenant's (tenant-column tables whose key is not AUTO_INCREMENT): an UPDATE by key would write this tenant's row
     * over it. The two sites gave one key to different rows (a natural key), and the other row
     * is live on the target (a tenant served there, or on a reverse sync's old site one never moved). A row that
     * moved from a tenant whose stream has not yet removed it from the target is refused too, until that stream
     * does. Join-path rows belong to their parent's tenant, which the copy and the sweep judge.
     */
    private void refuseOtherTenantsRows(Connection tgt, List<RowKey> keys) throws SQLException {
        if (othersRows.isEmpty()) {
            return;
        }
        // The key read as the copy reads it (same columns on the target), so describeKey names it as elsewhere.
        String head = "SELECT " + statements.keySelectList() + " FROM " + statements.targetTableByKey() + " WHERE (";
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            try (PreparedStatement ps = tgt.prepareStatement(head + statements.anyKeyOnTarget(part.size())
                    + ") AND NOT COALESCE((" + othersRows.get() + "), 0) LIMIT 1")) { // a NULL tenant is no tenant's
                int index = statements.bindKeys(ps, 1, part);
                ps.setString(index, tenantId.orElseThrow());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new OtherTenantRowException(table(), describeKey(statements.key(rs)), tenantId.get(),
                                target.describe());
                    }
                }
            }
        }
    }

    /** How many of {@code keys} the target has a row of. */
    private long presentOnTarget(Connection tgt, List<RowKey> keys) throws SQLException {
        long present = 0;
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            String anyKey = statements.anyKeyOnTarget(part.size());
            try (PreparedStatement ps = tgt.prepareStatement("SELECT COUNT(*) FROM " + statements.targetTableByKey()
                    + " WHERE " + anyKey)) {
                statements.bindKeys(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    present += rs.getLong(1);
                }
            }
        }
        return present;
    }

    private Result upsertBatched(Connection tgt, SourceRows rows) throws SQLException {
        List<byte[][]> values = new ArrayList<>(rows.found.values());
        int[] matched;
        try (PreparedStatement update = tgt.prepareStatement(statements.updateByKey())) {
            for (Map.Entry<RowKey, byte[][]> e : rows.found.entrySet()) {
                bindUpdate(update, e.getKey(), e.getValue());
                update.addBatch();
            }
            matched = update.executeBatch();
        }
        if (matched.length != values.size()) {
            throw new SQLException("the target answered " + matched.length + " update counts for " + values.size()
                    + " rows of table " + table(), "HY000");
        }
        long updated = 0;
        InsertBatch missing = new InsertBatch(statements, maxStatementBytes, ExistingRows.FAIL);
        for (int i = 0; i < matched.length; i++) {
            if (matched[i] > 0) {
                updated++;
            } else if (matched[i] == 0) {
                missing.add(tgt, values.get(i));
            } else {
                // SUCCESS_NO_INFO (bulk statements enabled on the URL): no way to tell updated rows from missing ones.
                throw new SQLException("the target gave no row count for an UPDATE of table " + table() + " ("
                        + matched[i] + "); remove useBulkStmts from the database URL", "HY000");
            }
        }
        missing.flush(tgt);
        return new Result(rows.found.size(), updated, missing.written(), 0);
    }

    /** The per-row form of {@link #upsert}: one UPDATE, then an INSERT when it matched nothing. */
    private Result upsertEach(Connection tgt, SourceRows rows) throws SQLException {
        long updated = 0;
        long inserted = 0;
        try (PreparedStatement update = tgt.prepareStatement(statements.updateByKey())) {
            for (Map.Entry<RowKey, byte[][]> e : rows.found.entrySet()) {
                bindUpdate(update, e.getKey(), e.getValue());
                int matched;
                try {
                    // Connector/J reports rows matched (not changed), so 0 means the target has no such row.
                    matched = update.executeUpdate();
                } catch (SQLException ex) {
                    throw conflictOr(ex, e.getKey());
                }
                if (matched > 0) {
                    updated++;
                    continue;
                }
                InsertBatch one = new InsertBatch(statements, maxStatementBytes, ExistingRows.FAIL);
                one.add(tgt, e.getValue());
                try {
                    one.flush(tgt);
                } catch (SQLException ex) {
                    throw conflictOr(ex, e.getKey());
                }
                inserted++;
            }
        }
        return new Result(rows.found.size(), updated, inserted, 0);
    }

    private void bindUpdate(PreparedStatement update, RowKey key, byte[][] row) throws SQLException {
        int index = 1;
        for (byte[] value : row) {
            if (value == null) {
                update.setNull(index++, Types.BINARY);
            } else {
                update.setBytes(index++, value);
            }
        }
        statements.bindKey(update, index, key);
    }

    /** A duplicate-key error anywhere in {@code e}'s chain (a batch wraps the statement's error). */
    private static boolean duplicateKey(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (t instanceof SQLException s && s.getErrorCode() == DUPLICATE_KEY) {
                return true;
            }
            t = t.getCause() != null ? t.getCause() : t instanceof SQLException s ? s.getNextException() : null;
        }
        return false;
    }

    private SQLException conflictOr(SQLException e, RowKey key) {
        if (e.getErrorCode() != DUPLICATE_KEY) {
            return e;
        }
        Matcher m = DUPLICATE_KEY_NAME.matcher(String.valueOf(e.getMessage()));
        String uniqueKey = m.find() ? m.group(1) : "?";
        throw new UniqueKeyConflictException(table(), describeKey(key), uniqueKey, target.describe());
    }

    /** {@code id=42} or {@code order_id=7,line=2}: key values are identifiers, shown in messages. */
    public String describeKey(RowKey key) {
        List<String> columns = statements.table().rowKey().columns();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            byte[] v = key.rawValue(i);
            String text = switch (statements.keyKinds().get(i)) {
                case NUMBER, FLOATING, TEMPORAL, TEXT -> new String(v, StandardCharsets.UTF_8);
                case BINARY -> "0x" + HexFormat.of().formatHex(v);
            };
            parts.add(columns.get(i) + "=" + text);
        }
        return String.join(",", parts);
    }

    private static String quoteAlias() {
        return dev.hikkoshi.data.schema.SqlIdentifier.quote(TableStatements.ALIAS);
    }
}
