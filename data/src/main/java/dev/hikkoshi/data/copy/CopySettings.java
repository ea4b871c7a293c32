package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.config.CopyWrite;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a bulk copy runs: how many ranges are copied at once, the time a chunk should take (its row count
 * adapts to it), bounds on chunk rows, how long a chunk may hold its share locks on the source, a rows-per-
 * second cap, the source's {@code Threads_running} above which copying pauses, and how rows are written. Built from
 * {@code data.copy} by the copy command; {@link #defaults()} suits a live server.
 */
public record CopySettings(int parallelism, Duration chunkTarget, int initialChunkRows, int minChunkRows,
                           int maxChunkRows, Duration maxLockHold, OptionalLong maxRowsPerSecond,
                           OptionalLong maxThreadsRunning, Duration progressInterval, CopyWrite write) {
    public CopySettings {
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("parallelism must be 1 to 64: " + parallelism);
        }
        Objects.requireNonNull(chunkTarget, "chunkTarget");
        Objects.requireNonNull(maxLockHold, "maxLockHold");
        Objects.requireNonNull(maxRowsPerSecond, "maxRowsPerSecond");
        Objects.requireNonNull(maxThreadsRunning, "maxThreadsRunning");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(write, "write");
        if (minChunkRows < 1 || initialChunkRows < minChunkRows || maxChunkRows < initialChunkRows) {
            throw new IllegalArgumentException("need 1 <= minChunkRows <= initialChunkRows <= maxChunkRows: "
                    + minChunkRows + ", " + initialChunkRows + ", " + maxChunkRows);
        }
        if (chunkTarget.isNegative() || chunkTarget.isZero() || maxLockHold.compareTo(chunkTarget) < 0) {
            throw new IllegalArgumentException("need 0 < chunkTarget <= maxLockHold: " + chunkTarget + ", " + maxLockHold);
        }
        maxRowsPerSecond.ifPresent(r -> {
            if (r < 1) {
                throw new IllegalArgumentException("maxRowsPerSecond must be positive: " + r);
            }
        });
    }

    /**
     * 4 ranges at once, 1 s chunks of 100 to 100,000 rows starting at 5,000, locks held at most 2 s, no caps,
     * LOAD DATA where the target allows it.
     * Each chunk costs a source round trip, a checkpoint row and a target commit (a log flush): a chunk of a
     * second keeps that under a few percent, where 500 ms chunks of 2,000 rows cost a sixth of a copy's time.
     */
    public static CopySettings defaults() {
        return new CopySettings(4, Duration.ofSeconds(1), 5_000, 100, 100_000, Duration.ofSeconds(2),
                OptionalLong.empty(), OptionalLong.empty(), Duration.ofSeconds(10), CopyWrite.AUTO);
    }

    /** The settings of the config's {@code data.copy} section. */
    public static CopySettings of(dev.hikkoshi.data.config.CopyConfig config) {
        CopySettings d = defaults();
        return new CopySettings(config.parallelism(), config.chunkTime(), d.initialChunkRows(), d.minChunkRows(),
                d.maxChunkRows(), config.maxLockTime(), config.maxRowsPerSecond(), config.pauseAboveThreadsRunning(),
                d.progressInterval(), config.write());
    }

    public CopySettings withParallelism(int n) {
        return new CopySettings(n, chunkTarget, initialChunkRows, minChunkRows, maxChunkRows, maxLockHold,
                maxRowsPerSecond, maxThreadsRunning, progressInterval, write);
    }

    public CopySettings withChunkRows(int initial, int min, int max) {
        return new CopySettings(parallelism, chunkTarget, initial, min, max, maxLockHold, maxRowsPerSecond,
                maxThreadsRunning, progressInterval, write);
    }

    public CopySettings withMaxRowsPerSecond(long rows) {
        return new CopySettings(parallelism, chunkTarget, initialChunkRows, minChunkRows, maxChunkRows, maxLockHold,
                OptionalLong.of(rows), maxThreadsRunning, progressInterval, write);
    }

    public CopySettings withMaxThreadsRunning(long threads) {
        return new CopySettings(parallelism, chunkTarget, initialChunkRows, minChunkRows, maxChunkRows, maxLockHold,
                maxRowsPerSecond, OptionalLong.of(threads), progressInterval, write);
    }

    public CopySettings withWrite(CopyWrite method) {
        return new CopySettings(parallelism, chunkTarget, initialChunkRows, minChunkRows, maxChunkRows, maxLockHold,
                maxRowsPerSecond, maxThreadsRunning, progressInterval, method);
    }
}
