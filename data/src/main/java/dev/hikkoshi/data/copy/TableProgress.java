package dev.hikkoshi.data.copy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows copied of one table so far, against an estimate of its total, updated by the workers after each
 * chunk and read by the progress reporter: rows per second since the start and the time left at that rate.
 */
public final class TableProgress {
    private final String table;
    private final long estimate;
    private final long alreadyCopied;
    private final long startNanos = System.nanoTime();
    private final AtomicLong copied = new AtomicLong();
    private volatile boolean done;

    TableProgress(String table, long estimate, long alreadyCopied) {
        this.table = table;
        this.estimate = Math.max(estimate, 0);
        this.alreadyCopied = alreadyCopied;
    }

    public String table() {
        return table;
    }

    /** Rows copied, including those of an earlier run this one resumes. */
    public long copied() {
        return alreadyCopied + copied.get();
    }

    /** Rows copied by this run only. */
    public long copiedNow() {
        return copied.get();
    }

    public long estimate() {
        return Math.max(estimate, copied());
    }

    public boolean done() {
        return done;
    }

    void add(long rows) {
        copied.addAndGet(rows);
    }

    void finish() {
        done = true;
    }

    public double rowsPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : copied.get() / seconds;
    }

    /** Time left at the current rate; empty before the first chunk. */
    public Optional<Duration> eta() {
        double rate = rowsPerSecond();
        if (done) {
            return Optional.of(Duration.ZERO);
        }
        if (rate <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((estimate() - copied()) / rate * 1000)));
    }
}
