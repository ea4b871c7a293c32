package dev.hikkoshi.cutover.plan;

import java.time.Duration;

/**
 * How fast rows travel from the source to the target: measured by {@code hikkoshi plan} against the real servers
 * over the real link (a bounded copy of real rows into a scratch table), or given (tests, {@code
 * --throughput-sample}). Every copy estimate of a plan comes from one sample, so a plan's estimates are exactly
 * what its sample implies.
 *
 * @param rowsPerSecond  rows copied per second
 * @param bytesPerSecond bytes (of row data, as the source's {@code AVG_ROW_LENGTH} counts them) per second
 * @param rows           how many rows the measurement copied (0 when given rather than measured)
 * @param measured       true when measured, false when given
 */
public record ThroughputSample(double rowsPerSecond, double bytesPerSecond, long rows, boolean measured) {
    public ThroughputSample {
        if (!(rowsPerSecond > 0) || !(bytesPerSecond > 0) || Double.isInfinite(rowsPerSecond)
                || Double.isInfinite(bytesPerSecond) || rows < 0) {
            throw new IllegalArgumentException("a throughput sample needs positive finite rates: " + rowsPerSecond
                    + " rows/s, " + bytesPerSecond + " bytes/s");
        }
    }

    /** A sample given rather than measured. */
    public static ThroughputSample given(double rowsPerSecond, double bytesPerSecond) {
        return new ThroughputSample(rowsPerSecond, bytesPerSecond, 0, false);
    }

    /**
     * How long copying {@code rows} rows of {@code bytes} bytes takes at this rate: the slower of the two limits
     * (row-bound for narrow rows, byte-bound for wide ones), rounded up to the millisecond.
     */
    public Duration copyTime(long rows, long bytes) {
        double seconds = Math.max(rows / rowsPerSecond, bytes / bytesPerSecond);
        return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    }
}
