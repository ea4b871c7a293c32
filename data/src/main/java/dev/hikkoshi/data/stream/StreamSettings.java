package dev.hikkoshi.data.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How a stream applies: at most {@code batchTransactions} source transactions and {@code batchKeys} keys per
 * target transaction, {@code queueTransactions} transactions buffered before the capture is held back, a
 * heartbeat every {@code heartbeatInterval}, and the lag under which it counts as STREAMING.
 */
public record StreamSettings(int batchTransactions, int batchKeys, int queueTransactions, Duration heartbeatInterval,
                             Duration streamingLag) {
    public StreamSettings {
        if (batchTransactions < 1 || batchKeys < 1 || queueTransactions < 1) {
            throw new IllegalArgumentException("batch and queue sizes must be positive: " + batchTransactions + ", "
                    + batchKeys + ", " + queueTransactions);
        }
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(streamingLag, "streamingLag");
    }

    /** 500 transactions or 2,000 keys a batch, 10,000 queued, a beat a second, streaming under 5 s of lag. */
    public static StreamSettings defaults() {
        return new StreamSettings(500, 2_000, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    public StreamSettings withHeartbeat(Duration interval) {
        return new StreamSettings(batchTransactions, batchKeys, queueTransactions, interval, streamingLag);
    }
}
