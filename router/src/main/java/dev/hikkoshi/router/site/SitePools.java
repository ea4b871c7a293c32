package dev.hikkoshi.router.site;

import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.UpstreamTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The router's sites: per site a pool of upstreams balanced round robin or by least connections, with active
 * HTTP health checks and passive ejection. The proxy picks through {@link SiteUpstreams}; the metrics read
 * {@link #status()}.
 *
 * <p>Concurrency: the site map and each pool's upstream array are fixed at construction, so {@link #pick} reads
 * only immutable structure plus volatile flags and atomic counters: no lock on the request path. Health checks
 * and returns from ejection run on one small scheduler owned by this object (two daemon threads named
 * {@code hikkoshi-health-N}): a check blocks its thread for at most its timeout, and the proxy's event loops never
 * wait for a check. A failure of a background task (a bug, not a failed check) goes to the {@code failures}
 * owner given at construction and stops that task.
 */
public final class SitePools implements SiteUpstreams, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SitePools.class);
    private static final int CHECK_THREADS = 2;

    private final Map<SiteId, SitePool> pools;
    private final Map<UpstreamTarget, Feedback> byTarget;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Consumer<Throwable> failures;
    private boolean checksStarted;

    private record Feedback(SitePool pool, UpstreamState state) {
    }

    /**
     * @param sites    one entry per site
     * @param failures told about a background task that failed unexpectedly (the assembly's error channel)
     */
    public SitePools(List<SitePoolSettings> sites, Consumer<Throwable> failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(CHECK_THREADS, r -> {
            Thread t = new Thread(r, "hikkoshi-health-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        Map<SiteId, SitePool> p = new LinkedHashMap<>();
        Map<UpstreamTarget, Feedback> t = new HashMap<>();
        for (SitePoolSettings s : sites) {
            if (p.containsKey(s.site())) {
                throw new IllegalArgumentException("site " + s.site() + " is configured twice");
            }
            SitePool pool = new SitePool(s, scheduler, failures);
            p.put(s.site(), pool);
            pool.upstreams().forEach(u -> t.put(u.target, new Feedback(pool, u)));
        }
        this.pools = Collections.unmodifiableMap(p);
        this.byTarget = Map.copyOf(t);
    }

    /** Starts the active health checks of every site that has {@code health} configured; once. */
    public synchronized SitePools start() {
        if (checksStarted) {
            throw new IllegalStateException("site pools already started");
        }
        checksStarted = true;
        for (SitePool pool : pools.values()) {
            pool.settings().health().ifPresent(h -> pool.upstreams().forEach(u ->
                    scheduler.scheduleWithFixedDelay(() -> runCheck(pool, u, h), 0, h.interval().toNanos(),
                            TimeUnit.NANOSECONDS)));
        }
        log.info("site pools started: {}", describe());
        return this;
    }

    private void runCheck(SitePool pool, UpstreamState u, HealthCheckSettings h) {
        MDC.put("component", "health-check");
        try {
            pool.checked(u, HealthProbe.check(u.target, h.path(), h.timeout()));
        } catch (RuntimeException | Error e) {
            failures.accept(e);
            throw e;
        } finally {
            MDC.remove("component");
        }
    }

    @Override
    public Optional<UpstreamTarget> pick(SiteId site, Set<UpstreamTarget> exclude) {
        SitePool pool = pools.get(site);
        return pool == null ? Optional.empty() : pool.pick(exclude);
    }

    @Override
    public void started(UpstreamTarget upstream) {
        Feedback f = byTarget.get(upstream);
        if (f != null) {
            f.state.active.increment();
        }
    }

    @Override
    public void finished(UpstreamTarget upstream) {
        Feedback f = byTarget.get(upstream);
        if (f != null) {
            f.state.active.decrement();
        }
    }

    @Override
    public void connectFailed(UpstreamTarget upstream) {
        Feedback f = byTarget.get(upstream);
        if (f != null) {
            f.pool.connectFailed(f.state);
        }
    }

    @Override
    public void responded(UpstreamTarget upstream, int status) {
        Feedback f = byTarget.get(upstream);
        if (f != null) {
            f.pool.responded(f.state, status);
        }
    }

    /** Every upstream of every site, in configuration order. */
    public List<UpstreamStatus> status() {
        List<UpstreamStatus> out = new ArrayList<>();
        pools.values().forEach(p -> out.addAll(p.status()));
        return out;
    }

    /** One upstream's state now; empty for an upstream this router does not know. */
    public Optional<UpstreamStatus> status(UpstreamTarget upstream) {
        Feedback f = byTarget.get(upstream);
        return f == null ? Optional.empty() : Optional.of(f.state.status());
    }

    /** The sites this router knows. */
    public Set<SiteId> sites() {
        return pools.keySet();
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        pools.values().forEach(p -> parts.add(p.settings().site() + "=" + p.upstreams().size() + " upstream(s) "
                + ConfigNode.spelling(p.settings().balance())
                + p.settings().health().map(h -> " checked " + h.path()).orElse(" unchecked")));
        return String.join(", ", parts);
    }

    /** Stops the health checks and pending returns from ejection. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("health-check threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
