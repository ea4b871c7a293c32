package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficStats;

/** Real {@link TrafficStats} for tests, built from request latencies. */
final class Traffic {
    private final long[] counts = new long[LatencyHistogram.BOUNDS_MILLIS.length + 1];
    private long requests;
    private long errors;

    static Traffic of() {
        return new Traffic();
    }

    /** {@code n} requests that took {@code millis} each, {@code errors} of them answered with a 5xx. */
    Traffic add(long n, long millis, long errors) {
        counts[LatencyHistogram.bucketOf(millis * 1000)] += n;
        requests += n;
        this.errors += errors;
        return this;
    }

    Traffic add(long n, long millis) {
        return add(n, millis, 0);
    }

    TrafficStats stats() {
        return new TrafficStats(requests, errors, new LatencyHistogram(counts));
    }
}
