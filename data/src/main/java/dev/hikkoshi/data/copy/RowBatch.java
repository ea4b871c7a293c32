package dev.hikkoshi.data.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A chunk's rows on their way into the target's open transaction, written by {@link InsertBatch} (multi-row
 * INSERTs), {@link LoadDataBatch} (one LOAD DATA LOCAL fed from memory) or {@link LoadDataStatements} (LOAD DATA
 * LOCAL statements of about 2 MB). Used by one thread, the chunk's reader;
 * each may hand the writing to a sender thread, and the target connection belongs to that thread until
 * {@link #finish} or {@link #abandon} returns.
 */
interface RowBatch {
    /** Adds a row; may send rows held before it. */
    void add(Connection target, byte[][] row) throws SQLException, InterruptedException;

    /** Sends what is held and waits until the target has every row; throws the first failure. */
    void finish(Connection target) throws SQLException, InterruptedException;

    /** After a failure: waits, uninterruptibly, until the target connection is free again; rows sent are left to the rollback. */
    void abandon();

    /** Rows the target has taken so far (known once their statement completed). */
    long written();

    /**
     * Waits, without being interrupted, until the sender's statement {@code f} has ended, whatever its outcome, so
     * that the target connection is free; an interrupt meanwhile is kept for the caller.
     */
    static void awaitEnd(Future<?> f) {
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

    /**
     * The sender's failure, to be thrown by the caller: its SQLException as it is; a RuntimeException is thrown
     * here as it is, anything else wrapped, naming {@code what} was being done.
     */
    static SQLException failure(ExecutionException e, String what) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql) {
            return sql;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        throw new IllegalStateException(what, cause);
    }
}
