package dev.hikkoshi.router.metrics;

import dev.hikkoshi.core.traffic.LatencyHistogram;
import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.ExchangeRecord;
import dev.hikkoshi.router.route.UpstreamTarget;
import dev.hikkoshi.router.site.SitePools;
import dev.hikkoshi.router.site.UpstreamStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The router's Prometheus metrics, fed by every finished exchange ({@link ExchangeObserver}) and scraped by
 * the admin API's {@code GET /metrics}.
 *
 * <ul>
 *   <li>{@code hikkoshi_router_requests_total{tenant,site,status_class}}: status class {@code 1xx}..{@code 5xx};
 *   <li>{@code hikkoshi_router_request_duration_seconds{tenant,site}}: a histogram whose buckets are exactly
 *       {@link LatencyHistogram#BOUNDS_MILLIS}, so that several routers' histograms add up (and agree with
 *       {@code GET /stats}); the time a request was held by a freeze is left out;
 *   <li>{@code hikkoshi_router_requests_held_total{tenant,site}} and
 *       {@code hikkoshi_router_hold_duration_seconds{tenant,site}} (same buckets): requests that were held;
 *   <li>{@code hikkoshi_router_held_requests}: requests held right now (from {@link #bindHeldRequests});
 *   <li>{@code hikkoshi_router_upstream_up{site,upstream}} (1 in rotation, 0 unhealthy or ejected) and
 *       {@code hikkoshi_router_upstream_active_requests{site,upstream}} (from {@link #bindUpstreams}).
 * </ul>
 *
 * <p>Cardinality: a tenant label costs about 25 series per site it is served on. Only the first
 * {@code maxTenantLabels} tenants seen get their own label; later ones are counted under
 * {@code tenant="_other"} (per tenant numbers for every tenant are in {@code GET /stats}). Unknown tenants
 * are {@code "-"}.
 *
 * <p>Concurrency: meters are created once per tenant, site and status class and cached in concurrent maps, so
 * an exchange costs two map lookups and two lock-free meter updates on the event loop.
 */
public final class RouterMetrics implements ExchangeObserver {
    public static final int DEFAULT_MAX_TENANT_LABELS = 1000;
    public static final String OTHER_TENANTS = "_other";
    private static final Duration[] BUCKETS = Arrays.stream(LatencyHistogram.BOUNDS_MILLIS)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry;
    private final int maxTenantLabels;
    private final ConcurrentHashMap<String, String> tenantLabels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Series>> series = new ConcurrentHashMap<>();

    /** The meters of one tenant on one site; status-class counters and hold meters appear on first use. */
    private final class Series {
        final String tenant;
        final String site;
        final Timer latency;
        final AtomicReferenceArray<Counter> byClass = new AtomicReferenceArray<>(6);
        volatile Counter held;
        volatile Timer holdTime;

        Series(String tenant, String site) {
            this.tenant = tenant;
            this.site = site;
            this.latency = Timer.builder("hikkoshi.router.request.duration")
                    .description("time to serve a request, without the time it was held by a freeze")
                    .tags("tenant", tenant, "site", site)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }

        Counter requests(int status) {
            int c = status >= 100 && status <= 599 ? status / 100 : 0;
            Counter counter = byClass.get(c);
            if (counter == null) {
                counter = Counter.builder("hikkoshi.router.requests")
                        .description("requests answered, by status class")
                        .tags("tenant", tenant, "site", site, "status_class", c == 0 ? "other" : c + "xx")
                        .register(registry);
                byClass.set(c, counter); // registering twice returns the same meter
            }
            return counter;
        }

        void held(long heldMicros) {
            if (held == null) {
                held = Counter.builder("hikkoshi.router.requests.held")
                        .description("requests held while their tenant was frozen")
                        .tags("tenant", tenant, "site", site).register(registry);
                holdTime = Timer.builder("hikkoshi.router.hold.duration")
                        .description("how long held requests waited for their tenant's release")
                        .tags("tenant", tenant, "site", site)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
            }
            held.increment();
            holdTime.record(heldMicros, TimeUnit.MICROSECONDS);
        }
    }

    public RouterMetrics(PrometheusMeterRegistry registry) {
        this(registry, DEFAULT_MAX_TENANT_LABELS);
    }

    public RouterMetrics(PrometheusMeterRegistry registry, int maxTenantLabels) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (maxTenantLabels < 0) {
            throw new IllegalArgumentException("maxTenantLabels must be >= 0, was " + maxTenantLabels);
        }
        this.maxTenantLabels = maxTenantLabels;
    }

    /** A registry for the router; the admin API scrapes it. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void completed(ExchangeRecord exchange) {
        Series s = series(tenantLabel(exchange.tenant()), exchange.site().isEmpty() ? "-" : exchange.site());
        s.requests(exchange.status()).increment();
        long held = Math.max(0, exchange.heldMicros());
        s.latency.record(Math.max(0, exchange.durationMicros() - held), TimeUnit.MICROSECONDS);
        if (held > 0) {
            s.held(held);
        }
    }

    private String tenantLabel(String tenant) {
        String label = tenantLabels.get(tenant);
        if (label != null) {
            return label;
        }
        if (tenantLabels.size() >= maxTenantLabels) {
            return OTHER_TENANTS;
        }
        return tenantLabels.computeIfAbsent(tenant, t -> t);
    }

    private Series series(String tenant, String site) {
        ConcurrentHashMap<String, Series> bySite = series.get(tenant);
        if (bySite == null) {
            bySite = series.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        }
        Series s = bySite.get(site);
        return s != null ? s : bySite.computeIfAbsent(site, x -> new Series(tenant, x));
    }

    /** Publishes the number of requests held right now (the freeze gate's count). */
    public void bindHeldRequests(IntSupplier heldNow) {
        Gauge.builder("hikkoshi.router.held.requests", heldNow, IntSupplier::getAsInt)
                .description("requests held right now because their tenant is frozen")
                .strongReference(true)
                .register(registry);
    }

    /** Publishes each upstream's rotation state and requests in flight. */
    public void bindUpstreams(SitePools pools) {
        for (UpstreamStatus u : pools.status()) {
            UpstreamTarget target = u.target();
            Gauge.builder("hikkoshi.router.upstream.up", pools,
                            p -> p.status(target).map(s -> s.usable() ? 1.0 : 0.0).orElse(Double.NaN))
                    .description("1 when the upstream is in rotation, 0 when unhealthy or ejected")
                    .tags("site", target.site().value(), "upstream", target.authority())
                    .strongReference(true)
                    .register(registry);
            Gauge.builder("hikkoshi.router.upstream.active.requests", pools,
                            p -> p.status(target).map(s -> (double) s.activeRequests()).orElse(Double.NaN))
                    .description("requests in flight to the upstream")
                    .tags("site", target.site().value(), "upstream", target.authority())
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
