package dev.hikkoshi.cutover.rollback;

import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's traffic on one site over one window, added up across every router: request and 5xx counts
 * and the p99 computed from the merged latency buckets. What {@link Baseline} and {@link WindowJudge} judge.
 *
 * @param unanswered one line per router whose window could not be read (its traffic is missing here)
 */
public record TrafficReading(long requests, long serverErrors, Optional<Duration> p99, List<String> unanswered) {
    public TrafficReading {
        Objects.requireNonNull(p99, "p99");
        unanswered = List.copyOf(unanswered);
    }

    /**
     * Reads the window of {@code length} ending now from every router and merges them with
     * {@link TrafficWindow#merge} before any percentile is taken: a percentile of per-router percentiles would
     * hide one router's slow tail. A router that cannot be read is named in {@link #unanswered}.
     */
    public static TrafficReading read(List<? extends TrafficWindow> routers, TrafficKey key, Duration length) {
        List<TrafficWindow.Snapshot> snapshots = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        for (int i = 0; i < routers.size(); i++) {
            try {
                snapshots.add(routers.get(i).window(length));
            } catch (RuntimeException e) {
                unanswered.add("router " + (i + 1) + " of " + routers.size() + ": " + e.getMessage());
            }
        }
        TrafficStats merged = TrafficWindow.merge(snapshots).get(key);
        return of(merged, unanswered);
    }

    public static TrafficReading of(TrafficStats stats, List<String> unanswered) {
        return new TrafficReading(stats.requests(), stats.serverErrors(), quantile(stats.latency(), 0.99), unanswered);
    }

    /** 5xx responses per request, 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) serverErrors / requests;
    }

    /**
     * The quantile {@code q} of a bucketed histogram, interpolated linearly inside the bucket that holds it (as
     * Prometheus' {@code histogram_quantile} does). {@link LatencyHistogram#quantile} answers the bucket's upper
     * bound, which would turn an 800 ms threshold into 500 ms (any p99 in the 500..1000 ms bucket reads as
     * 1000 ms); interpolation keeps the threshold meaning what the config says. A quantile in the unbounded last
     * bucket reports that bucket's lower bound (at least that slow). Empty without samples.
     */
    static Optional<Duration> quantile(LatencyHistogram histogram, double q) {
        long[] counts = histogram.counts();
        long total = histogram.total();
        if (total == 0) {
            return Optional.empty();
        }
        long[] bounds = LatencyHistogram.BOUNDS_MILLIS;
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double lowerMillis = i == 0 ? 0 : bounds[i - 1];
                if (i == bounds.length) {
                    return Optional.of(Duration.ofMillis(bounds[bounds.length - 1]));
                }
                double fraction = Math.max(0, rank - seen) / counts[i];
                double millis = lowerMillis + (bounds[i] - lowerMillis) * fraction;
                return Optional.of(Duration.ofNanos(Math.round(millis * 1_000_000)));
            }
            seen += counts[i];
        }
        return Optional.of(Duration.ofMillis(bounds[bounds.length - 1]));
    }

    /** {@code 1.50%}: rates as shown in verdicts and notes. */
    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    /** {@code 912 ms}: latencies as shown in verdicts, whole milliseconds. */
    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
