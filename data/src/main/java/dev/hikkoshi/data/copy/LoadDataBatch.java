package dev.hikkoshi.data.copy;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A chunk's rows written to the target by one {@code LOAD DATA LOCAL INFILE} ({@link TableStatements#loadDataSql})
 * whose "file" the driver reads from memory ({@link BlockStream}): the statement starts on the range's sender
 * thread with the chunk's first row, and the target loads each block of rows while the reader reads and
 * formats the next ones ({@link LoadDataRows}). The target parses tab-separated fields instead of SQL: a
 * million-row load took the target about half the CPU of the same rows as 1 MB INSERTs (docs/data.md).
 *
 * <p>Warnings ({@link WriteWarnings}). {@code IGNORE} turns a duplicate key into warning 1062 and the row is
 * left as the target has it, as the INSERT's {@code ON DUPLICATE KEY UPDATE} leaves it; an ENUM's error value
 * {@code ''} is warning 1265 as in the INSERT. Any other warning (a truncated, clipped or invalid value) fails
 * the chunk, as the INSERT path's check does. The server lists at most {@code max_error_count} warnings
 * ({@link SessionPins} raises it to 65,535): when it holds more than it lists (a chunk of that many duplicates,
 * from a copy restarted over rows already there), nothing proves the unlisted ones harmless, and
 * {@link #finish} throws {@link Unproven}, on which the chunk is rolled back and copied again with INSERTs,
 * whose 1 MB statements cannot hold that many.
 */
final class LoadDataBatch implements RowBatch {
    /** Rows are handed to the loader in blocks of about this size (the driver sends 64 KB packets). */
    private static final int BLOCK_BYTES = 64 * 1024;

    private final TableStatements statements;
    private final ExecutorService sender;
    private final LoadDataRows text = new LoadDataRows(BLOCK_BYTES + BLOCK_BYTES / 4);
    /** The warnings the statement may give: duplicates, and the rows with an ENUM error value. */
    private final WriteWarnings warnings;
    private BlockStream stream;
    private Future<WriteWarnings.Verdict> loading;
    private long rows;
    private long written;

    /**
     * Thrown by {@link #finish}, and by {@link LoadDataStatements} for any of its statements, when a statement's
     * warnings cannot all be shown harmless.
     */
    static final class Unproven extends SQLException {
        Unproven(TableStatements statements) {
            super("loading rows of table " + statements.table().name() + " gave more warnings than the target lists"
                    + " (max_error_count)", "01000");
        }
    }

    LoadDataBatch(TableStatements statements, ExecutorService sender) {
        this.statements = statements;
        this.sender = sender;
        this.warnings = new WriteWarnings(statements);
    }

    @Override
    public void add(Connection target, byte[][] row) throws SQLException, InterruptedException {
        if (loading == null) {
            start(target);
        }
        text.append(row);
        warnings.row(row);
        rows++;
        if (text.length() >= BLOCK_BYTES && !stream.put(text.take(), loading::isDone)) {
            throw endedEarly();
        }
    }

    private void start(Connection target) {
        BlockStream s = new BlockStream();
        String sql = statements.loadDataSql();
        stream = s;
        // A stream cut short ends a statement whose rows are rolled back: its warnings are not judged.
        loading = sender.submit(() -> load(target, sql, s, warnings, s::ended));
    }

    /**
     * Runs the LOAD DATA LOCAL {@code sql} on {@code target} with {@code data} as its file, on the sender thread, and
     * judges the statement's warnings there, on the statement that gave them, if {@code judged} says so once it ended
     * (also for {@link LoadDataStatements}).
     */
    static WriteWarnings.Verdict load(Connection target, String sql, InputStream data, WriteWarnings warnings,
                                      BooleanSupplier judged) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.setEscapeProcessing(false);
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(data);
            s.executeLargeUpdate(sql);
            return judged.getAsBoolean() ? warnings.judge(s, target, true) : WriteWarnings.Verdict.ACCEPTED;
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
        WriteWarnings.Verdict verdict = await();
        if (!stream.ended()) {
            throw new SQLException("loading rows of table " + statements.table().name()
                    + " ended before the driver had read them all", "HY000");
        }
        if (verdict == WriteWarnings.Verdict.NOT_ALL_LISTED) {
            throw new Unproven(statements);
        }
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

    private WriteWarnings.Verdict await() throws SQLException, InterruptedException {
        try {
            return loading.get();
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading rows of table " + statements.table().name(), "70100", e);
        } catch (ExecutionException e) {
            throw RowBatch.failure(e, "loading rows of table " + statements.table().name());
        }
    }

    @Override
    public void abandon() {
        Future<WriteWarnings.Verdict> f = loading;
        if (f == null) {
            return;
        }
        stream.cut();
        RowBatch.awaitEnd(f);
    }

    @Override
    public long written() {
        return written;
    }
}
