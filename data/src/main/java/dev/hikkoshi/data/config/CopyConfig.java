package dev.hikkoshi.data.config;

import dev.hikkoshi.core.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@code data.copy}: how bulk copy runs: ranges copied at once, the time a chunk should take, how long a chunk
 * may hold its share locks on the source, a rows-per-second cap, and the source's {@code Threads_running}
 * above which copying pauses, and how rows are written. The copy engine turns it into its {@code CopySettings}.
 */
public record CopyConfig(int parallelism, Duration chunkTime, Duration maxLockTime, OptionalLong maxRowsPerSecond,
                         OptionalLong pauseAboveThreadsRunning, CopyWrite write) {
    /** Every key {@code data.copy} accepts. */
    static final String[] KEYS = {"parallelism", "chunk-time", "max-lock-time", "max-rows-per-second",
            "pause-above-threads-running", "write"};

    public CopyConfig {
        Objects.requireNonNull(chunkTime, "chunkTime");
        Objects.requireNonNull(maxLockTime, "maxLockTime");
        Objects.requireNonNull(maxRowsPerSecond, "maxRowsPerSecond");
        Objects.requireNonNull(pauseAboveThreadsRunning, "pauseAboveThreadsRunning");
        Objects.requireNonNull(write, "write");
    }

    /** 4 at once, 1 s chunks, locks held at most 2 s, no cap, no load pause, LOAD DATA where the target allows it. */
    public static CopyConfig defaults() {
        return new CopyConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(2), OptionalLong.empty(), OptionalLong.empty(),
                CopyWrite.AUTO);
    }

    static CopyConfig bind(ConfigNode node) {
        if (!node.isPresent()) {
            return defaults();
        }
        if (!node.isMap()) {
            node.problem("a map of copy settings: " + String.join(", ", KEYS));
            return defaults();
        }
        node.allowOnly(KEYS);
        CopyConfig d = defaults();
        int parallelism = (int) node.get("parallelism").integer(d.parallelism(), 1, 64);
        Duration chunkTime = node.get("chunk-time").duration(d.chunkTime(), Duration.ofMillis(10));
        ConfigNode lockNode = node.get("max-lock-time");
        Duration maxLock = lockNode.duration(chunkTime.compareTo(d.maxLockTime()) > 0 ? chunkTime : d.maxLockTime(),
                Duration.ofMillis(10));
        if (maxLock.compareTo(chunkTime) < 0) {
            lockNode.problem("a duration at least data.copy.chunk-time (" + chunkTime.toMillis() + "ms)");
            maxLock = chunkTime;
        }
        ConfigNode rate = node.get("max-rows-per-second");
        OptionalLong maxRows = rate.isPresent() ? OptionalLong.of(rate.integer(1, 1, Long.MAX_VALUE)) : OptionalLong.empty();
        ConfigNode threads = node.get("pause-above-threads-running");
        OptionalLong pause = threads.isPresent() ? OptionalLong.of(threads.integer(1, 1, 100_000)) : OptionalLong.empty();
        CopyWrite write = node.get("write").choice(CopyWrite.class, d.write());
        return new CopyConfig(parallelism, chunkTime, maxLock, maxRows, pause, write);
    }
}
