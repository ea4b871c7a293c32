package dev.hikkoshi.router.traffic;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.core.traffic.TrafficStats;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.ExchangeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This router's traffic per tenant and site in fixed time buckets (5 s by default, kept 15 min): request and 5xx
 * counts and a {@link LatencyHistogram}. The proxy reports every exchange to it as an {@link ExchangeObserver};
 * the cutover engine and the admin API's {@code GET /stats} read it as a {@link TrafficWindow}.
 *
 * <p>Concurrency: a ring of buckets in an {@link AtomicReferenceArray}; the first exchange of a new time bucket
 * replaces the slot's expired bucket with a CAS, so recording takes no lock. Inside a bucket each tenant and
 * site has one {@link AtomicLongArray} (requests, 5xx, then the latency buckets) found in a
 * {@link ConcurrentHashMap}: one lookup and three atomic increments per exchange on the event loop. Readers add
 * up the buckets of the window while writers go on, so a snapshot may miss an exchange being recorded at that
 * instant, never count one twice.
 *
 * <p>Latency is the time the request spent being served ({@code durationMicros - heldMicros}): a request held
 * during its tenant's freeze is not counted as slow for the site that then serves it (the hold time has its
 * own metric).
 *
 * <p>Memory: one bucket holds about 200 bytes per tenant and site that had traffic in it, so 1,000 busy
 * tenants on one site take about 36 MB with the defaults (180 buckets); larger buckets make it smaller.
 * Buckets are wall-clock aligned ({@code epochMillis / bucketMillis}) so that snapshots of several routers
 * cover the same intervals and merge with {@link TrafficWindow#merge}.
 */
public final class RouterTrafficWindow implements TrafficWindow, ExchangeObserver {
    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(15);
    private static final int REQUESTS = 0;
    private static final int SERVER_ERRORS = 1;
    private static final int LATENCY = 2;
    private static final int SLOTS = LATENCY + LatencyHistogram.BOUNDS_MILLIS.length + 1;

    private final long bucketMillis;
    private final int buckets;
    private final Clock clock;
    private final AtomicReferenceArray<Bucket> ring;
    private final ConcurrentHashMap<String, Optional<SiteId>> siteNames = new ConcurrentHashMap<>();

    private record Bucket(long epoch, ConcurrentHashMap<TrafficKey, AtomicLongArray> counters) {
        Bucket(long epoch) {
            this(epoch, new ConcurrentHashMap<>());
        }
    }

    public RouterTrafficWindow() {
        this(DEFAULT_BUCKET, DEFAULT_RETENTION, Clock.systemUTC());
    }

    /**
     * @param bucket    the granularity of windows, at least 100 ms
     * @param retention how far back windows reach; a whole number of buckets
     */
    public RouterTrafficWindow(Duration bucket, Duration retention, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (bucket.toMillis() < 100 || retention.toMillis() % bucket.toMillis() != 0
                || retention.compareTo(bucket) < 0 || retention.toMillis() / bucket.toMillis() > 100_000) {
            throw new IllegalArgumentException("traffic window needs a bucket of at least 100 ms and a retention of "
                    + "1 to 100,000 whole buckets, got bucket=" + bucket + " retention=" + retention);
        }
        this.bucketMillis = bucket.toMillis();
        this.buckets = (int) (retention.toMillis() / bucketMillis);
        this.ring = new AtomicReferenceArray<>(buckets);
    }

    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    public Duration retention() {
        return Duration.ofMillis(bucketMillis * buckets);
    }

    @Override
    public void completed(ExchangeRecord exchange) {
        Optional<SiteId> site = siteNames.get(exchange.site());
        if (site == null) {
            site = siteNames.computeIfAbsent(exchange.site(),
                    n -> SiteId.isValid(n) ? Optional.of(SiteId.of(n)) : Optional.empty());
        }
        if (site.isEmpty()) {
            return; // refused before a site was chosen (400, 404 for an unknown tenant): no site's traffic
        }
        Bucket bucket = current(clock.millis() / bucketMillis);
        if (bucket == null) {
            return; // the wall clock stepped back past a newer bucket: drop rather than corrupt it
        }
        TrafficKey key = new TrafficKey(exchange.tenant(), site.get());
        AtomicLongArray counts = bucket.counters.get(key);
        if (counts == null) {
            counts = bucket.counters.computeIfAbsent(key, k -> new AtomicLongArray(SLOTS));
        }
        counts.incrementAndGet(REQUESTS);
        if (exchange.status() >= 500 && exchange.status() <= 599) {
            counts.incrementAndGet(SERVER_ERRORS);
        }
        long servedMicros = Math.max(0, exchange.durationMicros() - Math.max(0, exchange.heldMicros()));
        counts.incrementAndGet(LATENCY + LatencyHistogram.bucketOf(servedMicros));
    }

    private Bucket current(long epoch) {
        int slot = (int) Math.floorMod(epoch, (long) buckets);
        while (true) {
            Bucket b = ring.get(slot);
            if (b != null && b.epoch == epoch) {
                return b;
            }
            if (b != null && b.epoch > epoch) {
                return null;
            }
            Bucket fresh = new Bucket(epoch);
            if (ring.compareAndSet(slot, b, fresh)) {
                return fresh;
            }
        }
    }

    @Override
    public Snapshot window(Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("window length must be positive, was " + length);
        }
        long n = Math.min(buckets, Math.max(1, (length.toMillis() + bucketMillis - 1) / bucketMillis));
        long now = clock.millis();
        long epoch = now / bucketMillis;
        Map<TrafficKey, long[]> sums = new HashMap<>();
        for (long e = epoch - n + 1; e <= epoch; e++) {
            Bucket b = ring.get((int) Math.floorMod(e, (long) buckets));
            if (b == null || b.epoch != e) {
                continue;
            }
            b.counters.forEach((key, counts) -> {
                long[] sum = sums.computeIfAbsent(key, k -> new long[SLOTS]);
                for (int i = 0; i < SLOTS; i++) {
                    sum[i] += counts.get(i);
                }
            });
        }
        Map<TrafficKey, TrafficStats> stats = new HashMap<>();
        sums.forEach((key, sum) -> {
            long[] latency = new long[SLOTS - LATENCY];
            System.arraycopy(sum, LATENCY, latency, 0, latency.length);
            // A reader racing a writer may see the latency increment before the request one: count what the
            // histogram holds so that the stats stay consistent (5xx <= requests).
            long requests = Math.max(sum[REQUESTS], new LatencyHistogram(latency).total());
            stats.put(key, new TrafficStats(requests, Math.min(sum[SERVER_ERRORS], requests),
                    new LatencyHistogram(latency)));
        });
        return new Snapshot(Instant.ofEpochMilli((epoch - n + 1) * bucketMillis), Instant.ofEpochMilli(now), stats);
    }
}
