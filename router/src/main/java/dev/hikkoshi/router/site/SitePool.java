package dev.hikkoshi.router.site;

import dev.hikkoshi.router.route.UpstreamTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One site's upstreams: picks one by the site's balancing rule and applies passive ejection.
 *
 * <p>Concurrency: the upstream array never changes after construction; a pick reads only volatile flags and
 * atomic counters, so it takes no lock and never allocates beyond the returned {@code Optional}. The ejection
 * cap is a CAS on {@link #ejectedCount} reserved before an upstream's own {@code ejected} flag is set, so
 * concurrent failures on several event loops can never eject more than the cap. Returns from ejection run on
 * the shared scheduler.
 */
final class SitePool {
    private static final Logger log = LoggerFactory.getLogger(SitePool.class);

    private final SitePoolSettings settings;
    private final UpstreamState[] upstreams;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Throwable> failures;
    private final AtomicInteger nextStart = new AtomicInteger();
    private final AtomicInteger ejectedCount = new AtomicInteger();
    private final int ejectionCap;

    SitePool(SitePoolSettings settings, ScheduledExecutorService scheduler, Consumer<Throwable> failures) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.failures = failures;
        this.upstreams = settings.upstreams().stream().map(UpstreamState::new).toArray(UpstreamState[]::new);
        this.ejectionCap = settings.ejection().cap(upstreams.length);
    }

    SitePoolSettings settings() {
        return settings;
    }

    List<UpstreamState> upstreams() {
        return List.of(upstreams);
    }

    Optional<UpstreamTarget> pick(Set<UpstreamTarget> exclude) {
        int n = upstreams.length;
        // One upstream needs no turn: the shared counter is a cache line both event loops would write.
        int start = n == 1 ? 0 : Math.floorMod(nextStart.getAndIncrement(), n);
        UpstreamState best = null;
        long bestActive = 0;
        for (int i = 0; i < n; i++) {
            UpstreamState u = upstreams[(start + i) % n];
            if (!u.usable() || (!exclude.isEmpty() && exclude.contains(u.target))) {
                continue;
            }
            switch (settings.balance()) {
                case ROUND_ROBIN -> {
                    return Optional.of(u.target);
                }
                case LEAST_CONNECTIONS -> {
                    long active = u.active.sum();
                    if (best == null || active < bestActive) {
                        best = u;
                        bestActive = active;
                    }
                }
            }
        }
        return Optional.ofNullable(best).map(u -> u.target);
    }

    void connectFailed(UpstreamState u) {
        int inRow = u.connectFailuresInRow.incrementAndGet();
        if (inRow >= settings.ejection().connectFailures()) {
            eject(u, inRow + " failed connection attempt(s) in a row");
        }
    }

    void responded(UpstreamState u, int status) {
        // Written only when it changes: every response of every event loop reads it, a write would make them
        // pass its cache line back and forth.
        if (u.connectFailuresInRow.get() != 0) {
            u.connectFailuresInRow.set(0);
        }
        if (status >= 500 && status <= 599) {
            int inRow = u.serverErrorsInRow.incrementAndGet();
            if (inRow >= settings.ejection().consecutive5xx()) {
                eject(u, inRow + " 5xx answers in a row (last: " + status + ")");
            }
        } else if (u.serverErrorsInRow.get() != 0) {
            u.serverErrorsInRow.set(0);
            u.capWarned = false;
        }
    }

    private void eject(UpstreamState u, String reason) {
        if (u.ejected.get()) {
            return;
        }
        if (!reserveEjection()) {
            if (!u.capWarned) {
                u.capWarned = true;
                log.warn("upstream {} of site {} has {}, but {} of {} upstream(s) are already ejected "
                                + "(max-ejected {}%): it stays in rotation", u.target.authority(), settings.site(),
                        reason, ejectedCount.get(), upstreams.length, settings.ejection().maxEjectedPercent());
            }
            return;
        }
        if (!u.ejected.compareAndSet(false, true)) {
            ejectedCount.decrementAndGet();
            return;
        }
        EjectionSettings e = settings.ejection();
        long now = System.nanoTime();
        long calm = now - u.returnedAtNanos;
        if (u.returnedAtNanos != 0 && calm > e.maxTime().toNanos()) {
            u.ejectionLevel.set(0);
        }
        int level = u.ejectionLevel.getAndIncrement();
        Duration time = ejectionTime(e, level);
        log.warn("upstream {} of site {} ejected for {} ms: {}", u.target.authority(), settings.site(),
                time.toMillis(), reason);
        scheduler.schedule(() -> {
            try {
                returnFromEjection(u);
            } catch (RuntimeException | Error failure) {
                failures.accept(failure);
                throw failure;
            }
        }, time.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code base * 2^level}, at most {@code max}. */
    static Duration ejectionTime(EjectionSettings e, int level) {
        Duration t = e.baseTime();
        for (int i = 0; i < level && t.compareTo(e.maxTime()) < 0; i++) {
            t = t.multipliedBy(2);
        }
        return t.compareTo(e.maxTime()) > 0 ? e.maxTime() : t;
    }

    private boolean reserveEjection() {
        while (true) {
            int current = ejectedCount.get();
            if (current >= ejectionCap) {
                return false;
            }
            if (ejectedCount.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void returnFromEjection(UpstreamState u) {
        MDC.put("component", "site-pool");
        try {
            u.connectFailuresInRow.set(0);
            u.serverErrorsInRow.set(0);
            u.returnedAtNanos = System.nanoTime();
            u.capWarned = false;
            if (u.ejected.compareAndSet(true, false)) {
                ejectedCount.decrementAndGet();
                log.info("upstream {} of site {} returns to rotation after its ejection", u.target.authority(),
                        settings.site());
            }
        } finally {
            MDC.remove("component");
        }
    }

    /** Records one active health check's outcome; logs a transition once. Called by the check of {@code u} only. */
    void checked(UpstreamState u, Optional<String> failure) {
        HealthCheckSettings h = settings.health().orElseThrow();
        if (failure.isEmpty()) {
            u.checkFailuresInRow = 0;
            u.checkSuccessesInRow++;
            if (!u.healthy && u.checkSuccessesInRow >= h.healthyThreshold()) {
                u.healthy = true;
                log.info("upstream {} of site {} is healthy again after {} passed check(s) of {}",
                        u.target.authority(), settings.site(), u.checkSuccessesInRow, h.path());
            }
        } else {
            u.checkSuccessesInRow = 0;
            u.checkFailuresInRow++;
            if (u.healthy && u.checkFailuresInRow >= h.unhealthyThreshold()) {
                u.healthy = false;
                log.warn("upstream {} of site {} is unhealthy after {} failed check(s) of {} (last: {}): "
                                + "out of rotation{}", u.target.authority(), settings.site(), u.checkFailuresInRow,
                        h.path(), failure.get(), usableCount() == 0 ? "; site " + settings.site()
                                + " has no usable upstream left" : "");
            }
        }
    }

    int usableCount() {
        int n = 0;
        for (UpstreamState u : upstreams) {
            if (u.usable()) {
                n++;
            }
        }
        return n;
    }

    List<UpstreamStatus> status() {
        List<UpstreamStatus> out = new ArrayList<>(upstreams.length);
        for (UpstreamState u : upstreams) {
            out.add(u.status());
        }
        return out;
    }
}
