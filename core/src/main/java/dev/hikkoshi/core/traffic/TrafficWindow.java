package dev.hikkoshi.core.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per tenant and site traffic over a recent window: what the cutover engine's rollback line and the watch
 * module read. Implemented by a router in process and by a client of the routers' admin endpoint; results
 * of several routers merge with {@link #merge}.
 */
public interface TrafficWindow {
    /**
     * Counts for the window that ends now and lasts {@code length} (rounded up to the implementation's
     * bucket size, and at most its retention).
     */
    Snapshot window(Duration length);

    /** Traffic per tenant and site, with the window it covers. */
    record Snapshot(Instant from, Instant to, Map<TrafficKey, TrafficStats> stats) {
        public Snapshot {
            stats = Map.copyOf(stats);
        }

        public TrafficStats get(TrafficKey key) {
            return stats.getOrDefault(key, TrafficStats.empty());
        }
    }

    /** Adds up snapshots of the same window taken from several routers. */
    static Snapshot merge(Iterable<Snapshot> snapshots) {
        Instant from = null;
        Instant to = null;
        Map<TrafficKey, TrafficStats> sum = new HashMap<>();
        for (Snapshot s : snapshots) {
            from = from == null || s.from().isBefore(from) ? s.from() : from;
            to = to == null || s.to().isAfter(to) ? s.to() : to;
            s.stats().forEach((k, v) -> sum.merge(k, v, TrafficStats::merge));
        }
        Instant now = Instant.now();
        return new Snapshot(from == null ? now : from, to == null ? now : to, sum);
    }
}
