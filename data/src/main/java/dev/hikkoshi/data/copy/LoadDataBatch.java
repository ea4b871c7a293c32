package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.Column;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A chunk's rows written to the target by one {@code LOAD DATA LOCAL INFILE} ({@link TableStatements#loadDataSql})
 * whose "file" the driver reads from memory ({@link BlockStream}): the statement starts on the range's sender
 * thread with the chunk's first row, and the target loads each block of rows while the reader reads and
 * formats the next ones ({@link LoadDataRows}). The target parses tab-separated fields instead of SQL: a
 * million-row load took the target about half the CPU of the same rows as 1 MB INSERTs (docs/data.md).
 *
 * <p>Warnings. {@code IGNORE} turns a duplicate key into warning 1062 and the row is left as the target has it,
 * as the INSERT's {@code ON DUPLICATE KEY UPDATE} leaves it; an ENUM's error value {@code ''} is warning 1265
 * as in the INSERT. Any other warning (a truncated, clipped or invalid value) fails the chunk, as the INSERT
 * path's check does. The server lists at most {@code max_error_count} warnings (64 by default): when it holds
 * more than it lists, nothing proves the unlisted ones harmless, and {@link #finish} throws
 * {@link Unproven}, on which the chunk is rolled back and copied again with INSERTs (many duplicates: a copy
 * restarted over rows already there).
 */
final class LoadDataBatch implements RowBatch {
    /** Rows are handed to the loader in blocks of about this size (the driver sends 64 KB packets). */
    private static final int BLOCK_BYTES = 64 * 1024;
    private static final int DUPLICATE_KEY = 1062;
    private static final int DATA_TRUNCATED = 1265;

    private final TableStatements statements;
    private final ExecutorService sender;
    private final LoadDataRows text = new LoadDataRows(BLOCK_BYTES + BLOCK_BYTES / 4);
    /** Per column, whether an ENUM column is given {@code ''} by some row (see {@link InsertBatch}). */
    private final boolean[] emptyEnum;
    private final boolean[] enumColumn;
    private BlockStream stream;
    private Future<Outcome> loading;
    private long rows;
    private long written;

    /** Thrown by {@link #finish} when the statement's warnings cannot all be shown harmless. */
    static final class Unproven extends SQLException {
        Unproven(String message) {
            super(message, "01000");
        }
    }

    /** What the statement reported: rows it inserted, the warnings listed, and how many it had in all. */
    private record Outcome(long inserted, List<SQLWarning> warnings, long warningCount) {
    }

    LoadDataBatch(TableStatements statements, ExecutorService sender) {
        this.statements = statements;
        this.sender = sender;
        List<Column> columns = statements.columns();
        this.enumColumn = new boolean[columns.size()];
        this.emptyEnum = new boolean[columns.size()];
        for (int i = 0; i < enumColumn.length; i++) {
            enumColumn[i] = columns.get(i).dataType().equals("enum");
        }
    }

    @Override
    public void add(Connection target, byte[][] row) throws SQLException, InterruptedException {
        if (loading == null) {
            start(target);
        }
        text.append(row);
        for (int i = 0; i < row.length; i++) {
            if (enumColumn[i] && row[i] != null && row[i].length == 0) {
                emptyEnum[i] = true;
            }
        }
        rows++;
        if (text.length() >= BLOCK_BYTES && !stream.put(text.take(), loading::isDone)) {
            throw endedEarly();
        }
    }

    private void start(Connection target) {
        BlockStream s = new BlockStream();
        String sql = statements.loadDataSql();
        stream = s;
        loading = sender.submit(() -> load(target, sql, s));
    }

    private static Outcome load(Connection target, String sql, BlockStream stream) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.setEscapeProcessing(false);
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(stream);
            long inserted = s.executeLargeUpdate(sql);
            List<SQLWarning> warnings = new ArrayList<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                warnings.add(w);
            }
            long count = warnings.isEmpty() ? 0 : warningCount(target);
            return new Outcome(inserted, warnings, count);
        }
    }

    /** The statement's warnings in all, listed or not ({@code SHOW WARNINGS} itself clears none). */
    private static long warningCount(Connection target) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SHOW COUNT(*) WARNINGS")) {
            return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
        }
    }

    @Override
    public void finish(Connection target) throws SQLException, InterruptedException {
        if (loading == null) {
            return;
        }
        if (text.length() > 0 && !stream.put(text.take(), loading::isDone) || !stream.end(loading::isDone)) {
            throw endedEarly();
        }
        Outcome outcome = await();
        if (!stream.ended()) {
            throw new SQLException("loading rows of table " + statements.table().name()
                    + " ended before the driver had read them all", "HY000");
        }
        refuseWarnings(outcome);
        written = rows;
    }

    /** The statement ended before taking every row: its own failure, or a stream cut short. */
    private SQLException endedEarly() throws InterruptedException {
        try {
            await();
        } catch (SQLException e) {
            return e;
        }
        return new SQLException("loading rows of table " + statements.table().name()
                + " ended before every row was sent", "HY000");
    }

    private Outcome await() throws SQLException, InterruptedException {
        try {
            return loading.get();
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading rows of table " + statements.table().name(), "70100", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("loading rows of table " + statements.table().name(), cause);
        }
    }

    private void refuseWarnings(Outcome outcome) throws SQLException {
        for (SQLWarning w : outcome.warnings()) {
            boolean harmless = w.getErrorCode() == DUPLICATE_KEY
                    || w.getErrorCode() == DATA_TRUNCATED && InsertBatch.namesEmptyEnum(statements, w.getMessage(), emptyEnum);
            if (!harmless) {
                throw new SQLException("writing rows of table " + statements.table().name() + " changed a value: "
                        + w.getMessage() + " (warning " + w.getErrorCode() + ")", "22000", w.getErrorCode());
            }
        }
        if (outcome.warningCount() > outcome.warnings().size()) {
            throw new Unproven("loading rows of table " + statements.table().name() + " gave " + outcome.warningCount()
                    + " warnings, of which the server listed " + outcome.warnings().size());
        }
    }

    @Override
    public void abandon() {
        Future<Outcome> f = loading;
        if (f == null) {
            return;
        }
        stream.cut();
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long written() {
        return written;
    }
}
