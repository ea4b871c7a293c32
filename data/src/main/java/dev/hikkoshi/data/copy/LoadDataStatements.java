package dev.hikkoshi.data.copy;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;

/**
 * A chunk's rows written to the target by short {@code LOAD DATA LOCAL INFILE} statements, each sent only once its
 * rows are all formatted in memory (about {@code statementBytes} of them), so that the target holds whatever the
 * statement locks only while it loads them. Under {@code innodb_autoinc_lock_mode} 0 or 1 a LOAD DATA into a table
 * with an AUTO_INCREMENT column holds the table's AUTO-INC lock to the statement's end: {@link LoadDataBatch}'s one
 * statement per chunk would hold it while the chunk is read from the source, and the table's ranges (and the
 * application's INSERTs into it) would wait for whole chunks.
 *
 * <p>As {@link InsertBatch} does, a full statement is handed to the range's sender thread while the reader formats
 * the next, at most one in flight. Warnings are judged per statement as {@link LoadDataBatch} judges them; a
 * statement holding more warnings than the server lists ends the chunk with {@link LoadDataBatch.Unproven}.
 */
final class LoadDataStatements implements RowBatch {
    /**
     * The copy's statement size. Twice the INSERTs' 1 MB, which costs the target about as long to load (a LOAD DATA
     * takes it half the CPU per row): a million-row copy took 6.7 to 8.2 s (median 7.0) in statements of 2 MB
     * against 6.9 to 8.9 s (median 8.0) in statements of 1 MB, and the application's INSERTs waited no longer
     * behind them (at most 0.27 to 0.46 s either way, queued behind the other ranges' statements).
     */
    static final int STATEMENT_BYTES = 2 << 20;

    private final TableStatements statements;
    private final ExecutorService sender;
    private final int statementBytes;
    private final LoadDataRows text;
    private final String sql;
    private WriteWarnings warnings;
    private int rows;
    private final InFlightStatement inFlight;

    /**
     * {@code buffer} (from {@link #buffer}) holds the statement being formatted; a range's chunks reuse one, as
     * {@link InsertBatch} reuses its statement buffer. It is cleared here, and used only by the thread adding rows.
     */
    LoadDataStatements(TableStatements statements, ExecutorService sender, int statementBytes, LoadDataRows buffer) {
        this.statements = statements;
        this.sender = sender;
        this.statementBytes = statementBytes;
        this.text = buffer;
        this.sql = statements.loadDataSql();
        this.warnings = new WriteWarnings(statements);
        this.inFlight = new InFlightStatement("loading rows of table " + statements.table().name());
        buffer.clear();
    }

    /** A buffer for statements of about {@code statementBytes}: one row more fits without growing it. */
    static LoadDataRows buffer(int statementBytes) {
        return new LoadDataRows(statementBytes + statementBytes / 4);
    }

    @Override
    public void add(Connection target, byte[][] row) throws SQLException {
        if (rows > 0 && !warnings.roomFor(row)) {
            send(target);
        }
        text.append(row);
        warnings.row(row);
        rows++;
        if (text.length() >= statementBytes) {
            send(target);
        }
    }

    /** Hands the rows held to the sender as one statement, once the statement before it has completed. */
    private void send(Connection target) throws SQLException {
        if (rows == 0) {
            return;
        }
        byte[] bytes = text.take();
        WriteWarnings judged = warnings;
        int count = rows;
        warnings = new WriteWarnings(statements);
        rows = 0;
        inFlight.hand(sender, count, () -> {
            if (LoadDataBatch.load(target, sql, new ByteArrayInputStream(bytes), judged, () -> true)
                    == WriteWarnings.Verdict.NOT_ALL_LISTED) {
                throw new LoadDataBatch.Unproven(statements);
            }
        });
    }

    @Override
    public void finish(Connection target) throws SQLException {
        send(target);
        inFlight.await();
    }

    @Override
    public void abandon() {
        inFlight.abandon();
    }

    @Override
    public long written() {
        return inFlight.written();
    }
}
