package dev.hikkoshi.data.copy;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The one statement a batch has handed to its range's sender thread ({@link InsertBatch}, {@link LoadDataStatements}),
 * and the rows its completed statements wrote. While a statement is in flight the target connection is the sender's;
 * a batch hands over the next only after {@link #await}, so at most one runs at a time.
 */
final class InFlightStatement {
    /** What the statements do, for messages: "sending rows of table orders". */
    private final String what;
    private Future<?> inFlight;
    private int inFlightRows;
    private long written;

    InFlightStatement(String what) {
        this.what = what;
    }

    /** Waits for the statement before it, then runs {@code statement}, which writes {@code rows}, on {@code sender}. */
    void hand(ExecutorService sender, int rows, SenderWork statement) throws SQLException {
        await();
        inFlight = sender.submit(() -> {
            statement.run();
            return null;
        });
        inFlightRows = rows;
    }

    /** Counts {@code rows} written by a statement the caller ran itself. */
    void ran(int rows) {
        written += rows;
    }

    /**
     * Waits for the statement in flight and throws its failure. Interrupted, it still waits for the statement to end
     * (the connection is in use until then), keeps the interrupt flag and fails with SQLSTATE 70100 (query
     * interrupted), so that callers that know only SQL failures (the key sync) need not change.
     */
    void await() throws SQLException {
        Future<?> f = inFlight;
        if (f == null) {
            return;
        }
        try {
            f.get();
            inFlight = null;
            written += inFlightRows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new SQLException("interrupted while " + what, "70100", e);
        } catch (ExecutionException e) {
            inFlight = null;
            throw RowBatch.failure(e, what);
        }
    }

    /**
     * After a failure: waits, without being interrupted, until no statement is in flight, so that the caller may roll
     * the target connection back; the statement's own outcome no longer matters.
     */
    void abandon() {
        Future<?> f = inFlight;
        inFlight = null;
        if (f != null) {
            RowBatch.awaitEnd(f);
        }
    }

    /** Rows written by the statements completed so far. */
    long written() {
        return written;
    }

    /** A statement to run on the sender thread. */
    @FunctionalInterface
    interface SenderWork {
        void run() throws SQLException;
    }
}
