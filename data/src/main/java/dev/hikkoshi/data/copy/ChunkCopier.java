package dev.hikkoshi.data.copy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one chunk of a {@link KeyRange}: reads up to {@code limit} rows after the range's last key in key
 * order with {@code SELECT ... LOCK IN SHARE MODE} in a source transaction (a per-tenant table in two steps,
 * see {@link #readByKeys}), writes them to the target ({@link RowBatch}: multi-row INSERTs, or LOAD DATA LOCAL
 * where {@link ChunkWrites} allows it), saves the range's checkpoint in
 * the same target transaction, commits the target, and only then commits the source, so that no source row of
 * the chunk can change between being read and being durable on the target (the change stream of a move relies
 * on it). Used by {@link CopyJob}'s workers.
 *
 * <p>Existing target rows: the INSERT ends with {@code ON DUPLICATE KEY UPDATE first_key_col =
 * first_key_col}, a no-op on a duplicate. A row already on the target was written by the change stream (newer
 * than ours) or by this copy before a crash, and must be left as it is. {@code INSERT IGNORE} would also turn
 * truncation, invalid values and foreign key errors into warnings and lose data silently; {@code REPLACE}
 * deletes the target's row (and any row clashing on another unique key, possibly another tenant's). The
 * price: a row clashing with a different row on a secondary unique key is skipped, not reported; verification
 * reports it as missing.
 *
 * <p>While the target executes one INSERT, the next is read and built: the range's {@code sender} thread sends
 * them (see {@link InsertBatch}), at most one in flight, all in the chunk's target transaction, and the chunk
 * waits for the last one before it saves its checkpoint and commits. The order of the commits is unchanged. A
 * LOAD DATA runs on the same thread for the whole chunk, taking rows as they are read ({@link LoadDataBatch}), or,
 * for a table whose LOAD DATA holds its AUTO-INC lock, as statements of about 2 MB ({@link LoadDataStatements}).
 * LOAD DATA's {@code IGNORE} keeps existing rows as the INSERT's clause does; a chunk whose LOAD DATA warnings
 * cannot all be seen is rolled back and copied again with INSERTs.
 */
final class ChunkCopier {
    private static final Logger log = LoggerFactory.getLogger(ChunkCopier.class);
    private final TableStatements statements;
    private final Optional<String> tenantId;
    private final boolean lockRows;
    private final long maxStatementBytes;
    private final CopyCheckpoints checkpoints;
    private final CopyHooks hooks;
    private final ExecutorService sender;
    private final SourceRowsByKey rowsByKey;
    private final Optional<String> literalCharset;
    private final ChunkWrites writes;
    /** The statement buffer of every chunk of this range (one worker thread): see {@link InsertBatch}. */
    private final SqlText statementBuffer;
    /** The same for {@link LoadDataStatements}, made when first needed. */
    private LoadDataRows loadBuffer;

    /** {@code literalCharset}: what {@link SessionPins#literalCharset} returned for the target connection. */
    ChunkCopier(TableStatements statements, Optional<String> tenantId, long maxStatementBytes,
                CopyCheckpoints checkpoints, CopyHooks hooks, ExecutorService sender, Optional<String> literalCharset,
                ChunkWrites writes) {
        this.literalCharset = literalCharset;
        this.writes = writes;
        this.statementBuffer = InsertBatch.statementBuffer(maxStatementBytes);
        this.statements = statements;
        this.tenantId = tenantId;
        // MyISAM has no row locks; its reads take a table read lock for the statement only.
        this.lockRows = statements.table().source().transactional();
        this.maxStatementBytes = maxStatementBytes;
        this.checkpoints = checkpoints;
        this.hooks = hooks;
        this.sender = sender;
        this.rowsByKey = new SourceRowsByKey(statements, tenantId);
    }

    /** What one chunk did: the range after it, rows copied, and how long the source rows were locked. */
    record Result(KeyRange range, long rows, long lockNanos) {
    }

    Result copy(Connection source, Connection target, KeyRange range, int limit) throws SQLException, InterruptedException {
        ChunkWrites.Form form = writes.form(statements.table());
        if (form != ChunkWrites.Form.INSERT) {
            try {
                return copy(source, target, range, limit, form == ChunkWrites.Form.LOAD
                        ? new LoadDataBatch(statements, sender)
                        : new LoadDataStatements(statements, sender, LoadDataStatements.STATEMENT_BYTES, loadBuffer()));
            } catch (LoadDataBatch.Unproven e) {
                log.debug("table {}: {}; the chunk is copied again with INSERT statements", statements.table().name(),
                        e.getMessage());
            } catch (SQLException e) {
                if (!writes.refused(e)) {
                    throw e;
                }
            }
        }
        return copy(source, target, range, limit, new InsertBatch(statements, maxStatementBytes, ExistingRows.KEEP,
                literalCharset, statementBuffer).sendingOn(sender));
    }

    private LoadDataRows loadBuffer() {
        if (loadBuffer == null) {
            loadBuffer = LoadDataStatements.buffer(LoadDataStatements.STATEMENT_BYTES);
        }
        return loadBuffer;
    }

    private Result copy(Connection source, Connection target, KeyRange range, int limit, RowBatch batch)
            throws SQLException, InterruptedException {
        long start = System.nanoTime();
        try {
            Read read = statements.readsChunksByKey() ? readByKeys(source, target, batch, range, limit)
                    : readLocked(source, target, batch, range, limit);
            batch.finish(target);
            if (read.copied() > 0) {
                hooks.reached(CopyPoint.AFTER_INSERT, statements.table().name());
            }
            KeyRange after = range.advanced(read.last(), read.copied(), read.scanned() < limit);
            checkpoints.save(target, after);
            hooks.reached(CopyPoint.BEFORE_TARGET_COMMIT, statements.table().name());
            target.commit();
            hooks.reached(CopyPoint.AFTER_TARGET_COMMIT, statements.table().name());
            source.commit();
            return new Result(after, read.copied(), System.nanoTime() - start);
        } catch (Throwable e) {
            // Errors too: a LOAD DATA left running would hold the target connection, which the caller then closes.
            batch.abandon(); // the target connection is free only once no statement is in flight
            rollbackQuietly(target, e);
            rollbackQuietly(source, e);
            throw e;
        }
    }

    /** What a chunk's read found: the last key it passed (null: none), rows it passed, rows it copied. */
    private record Read(RowKey last, long scanned, long copied) {
    }

    /** One locking read of the chunk's rows, in key order. */
    private Read readLocked(Connection source, Connection target, RowBatch batch, KeyRange range, int limit)
            throws SQLException, InterruptedException {
        byte[][] last = null;
        long rows = 0;
        try (PreparedStatement ps = source.prepareStatement(chunkSql(range, limit))) {
            bind(ps, range);
            ps.setFetchSize(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[][] row = statements.row(rs);
                    add(target, batch, row);
                    last = row;
                    rows++;
                }
            }
        }
        return new Read(last == null ? null : statements.keyOf(last), rows, rows);
    }

    /**
     * A per-tenant table's chunk: its keys by a plain read with the tenant condition (through whatever index
     * finds them fastest), then the rows of those keys share-locked through the row key's index only
     * ({@link SourceRowsByKey}), so that no secondary index entry is locked before its row. A row deleted or
     * gone from the tenant between the two is not copied; the change stream has its change.
     */
    private Read readByKeys(Connection source, Connection target, RowBatch batch, KeyRange range, int limit)
            throws SQLException, InterruptedException {
        List<RowKey> keys = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(chunkSql(range, limit, statements.keySelectList(), ""))) {
            bind(ps, range);
            ps.setFetchSize(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(statements.key(rs));
                }
            }
        }
        long copied = 0;
        int step = rowsByKey.keysPerStatement();
        for (int from = 0; from < keys.size(); from += step) {
            List<RowKey> part = keys.subList(from, Math.min(keys.size(), from + step));
            Map<RowKey, byte[][]> found = rowsByKey.read(source, part);
            for (RowKey key : part) {
                byte[][] row = found.get(key);
                if (row != null) {
                    add(target, batch, row);
                    copied++;
                }
            }
        }
        return new Read(keys.isEmpty() ? null : keys.get(keys.size() - 1), keys.size(), copied);
    }

    private void add(Connection target, RowBatch batch, byte[][] row) throws SQLException, InterruptedException {
        long before = batch.written();
        batch.add(target, row);
        if (batch.written() != before) {
            hooks.reached(CopyPoint.AFTER_INSERT, statements.table().name());
        }
    }

    String chunkSql(KeyRange range, int limit) {
        return chunkSql(range, limit, statements.selectList(), lockRows ? " LOCK IN SHARE MODE" : "");
    }

    private String chunkSql(KeyRange range, int limit, String selectList, String lock) {
        List<String> where = new ArrayList<>();
        statements.tenantPredicate().ifPresent(p -> where.add("(" + p + ")"));
        range.low().ifPresent(l -> where.add(statements.firstKeyColumn() + " >= ?"));
        range.high().ifPresent(h -> where.add(statements.firstKeyColumn() + " < ?"));
        range.lastKey().ifPresent(k -> where.add(statements.afterPredicate(false)));
        return "SELECT " + selectList + " FROM " + statements.sourceTable()
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + statements.orderBy() + " LIMIT " + limit + lock;
    }

    private void bind(PreparedStatement ps, KeyRange range) throws SQLException {
        int index = 1;
        if (statements.tenantPredicate().isPresent()) {
            ps.setString(index++, tenantId.orElseThrow(() -> new IllegalStateException(
                    "table " + statements.table().name() + " is per tenant but no tenant was given")));
        }
        if (range.low().isPresent()) {
            ps.setBigDecimal(index++, new BigDecimal(range.low().get()));
        }
        if (range.high().isPresent()) {
            ps.setBigDecimal(index++, new BigDecimal(range.high().get()));
        }
        if (range.lastKey().isPresent()) {
            statements.bindAfter(ps, index, range.lastKey().get());
        }
    }

    static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
