package dev.hikkoshi.core.traffic;

import java.time.Duration;
import java.util.Arrays;

/**
 * Request latencies counted in fixed buckets, the same on every router, so that histograms from several
 * routers and windows merge by adding counts (a percentile of merged percentiles would be wrong).
 * Immutable; {@link #BOUNDS_MILLIS} are the inclusive upper bounds, and the last bucket is unbounded.
 */
public record LatencyHistogram(long[] counts) {
    public static final long[] BOUNDS_MILLIS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    public LatencyHistogram {
        if (counts.length != BOUNDS_MILLIS.length + 1) {
            throw new IllegalArgumentException("expected " + (BOUNDS_MILLIS.length + 1) + " buckets, got "
                    + counts.length);
        }
        counts = counts.clone();
    }

    public static LatencyHistogram empty() {
        return new LatencyHistogram(new long[BOUNDS_MILLIS.length + 1]);
    }

    /** The index of the bucket that holds a latency. */
    public static int bucketOf(long latencyMicros) {
        for (int i = 0; i < BOUNDS_MILLIS.length; i++) {
            if (latencyMicros <= BOUNDS_MILLIS[i] * 1000) {
                return i;
            }
        }
        return BOUNDS_MILLIS.length;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public LatencyHistogram merge(LatencyHistogram other) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.counts[i];
        }
        return new LatencyHistogram(sum);
    }

    /**
     * The upper bound of the bucket holding the given quantile (0..1), or empty if there is no sample;
     * the unbounded last bucket reports {@link Duration#ofMillis} of the largest bound.
     */
    public java.util.Optional<Duration> quantile(double q) {
        long total = total();
        if (total == 0) {
            return java.util.Optional.empty();
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                int bound = Math.min(i, BOUNDS_MILLIS.length - 1);
                return java.util.Optional.of(Duration.ofMillis(BOUNDS_MILLIS[bound]));
            }
        }
        return java.util.Optional.of(Duration.ofMillis(BOUNDS_MILLIS[BOUNDS_MILLIS.length - 1]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LatencyHistogram" + Arrays.toString(counts);
    }
}
