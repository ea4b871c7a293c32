package dev.hikkoshi.router.freeze;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.OpenRequests;
import dev.hikkoshi.router.config.FreezeConfig;
import dev.hikkoshi.router.freeze.TenantTraffic.HeldRequest;
import dev.hikkoshi.router.freeze.TenantTraffic.Tracked;
import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.route.TenantGate;
import dev.hikkoshi.router.table.RoutingTableHolder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The freeze gate: admits a tenant's requests while it is not frozen and counts them in flight; holds its
 * new requests while it is frozen (the frozen flag is the routing table's); drains a freezing tenant's
 * in-flight requests; sends the held ones on release, in arrival order, to the site placed at release time.
 * The proxy calls {@link #admit}; {@code InProcessRouterControl} calls {@link #drain} and {@link #release}; the
 * admin API lists long-open requests ({@link #longerThan}).
 *
 * <p>Concurrency: {@link #admit} registers a request as in flight <em>before</em> it reads the frozen flag,
 * and a freeze sets the flag <em>before</em> it looks at the in-flight set. Either the request sees the flag
 * (and is held, withdrawing its registration) or the drain sees the request (and waits for it): no request
 * can slip to the old site after a drain completed. The request path takes no lock unless the tenant is
 * frozen. Held requests wait on futures, never by polling; a single timer thread enforces {@code max-hold}.
 */
public final class FreezeGate implements TenantGate, InFlightRequests, AutoCloseable {
    /** What a 503 for a refused hold suggests; a freeze is meant to last seconds. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(FreezeGate.class);

    private final RoutingTableHolder table;
    private final String routerName;
    private final AtomicReference<FreezeConfig> config;
    private final ConcurrentHashMap<TenantId, TenantTraffic> tenants = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    public FreezeGate(RoutingTableHolder table, FreezeConfig config, String routerName) {
        this.table = table;
        this.routerName = routerName;
        this.config = new AtomicReference<>(config);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hikkoshi-freeze-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Applies a reloaded {@code router.freeze} section to requests held from now on. */
    public void reconfigure(FreezeConfig next) {
        config.set(next);
    }

    @Override
    public Admission admit(Route route, long bufferedBytes, InFlightRequest request) {
        if (route.tenant().isEmpty()) {
            return new Admission.Proceed(route, request); // unknown tenants are never frozen
        }
        TenantId tenant = route.tenant().get();
        TenantTraffic traffic = traffic(tenant);
        while (true) {
            Tracked tracked = traffic.register(request);
            Placement p = table.current().placement(tenant).orElse(null);
            if (p == null || !p.frozen()) {
                return new Admission.Proceed(p == null ? route : route.atSite(p.site()), tracked);
            }
            tracked.withdraw();
            Admission held = hold(tenant, traffic, route, bufferedBytes, request);
            if (held != null) {
                return held;
            }
            // released between the two reads: go round and proceed
        }
    }

    /** Holds a frozen tenant's request, or refuses it over the caps; null if the tenant is no longer frozen. */
    private Admission hold(TenantId tenant, TenantTraffic traffic, Route route, long bytes, InFlightRequest request) {
        FreezeConfig c = config.get();
        HeldRequest h;
        synchronized (traffic) {
            if (!frozen(tenant)) {
                return null;
            }
            if (closed) {
                return refuse("the router is shutting down");
            }
            if (traffic.held.size() >= c.maxHeldPerTenant()) {
                return refuse("tenant " + tenant + " is being moved and " + traffic.held.size()
                        + " of its requests are already held; try again shortly");
            }
            if (traffic.heldBytes + bytes > c.maxHeldBytesPerTenant().bytes()) {
                return refuse("tenant " + tenant + " is being moved and its held requests would exceed "
                        + c.maxHeldBytesPerTenant() + "; try again shortly");
            }
            h = new HeldRequest(route, bytes, request);
            traffic.held.addLast(h);
            traffic.heldBytes += bytes;
            try {
                h.timeout = timer.schedule(() -> expire(tenant, traffic, h, c.maxHold()), c.maxHold().toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) { // closed meanwhile
                traffic.held.removeLast();
                traffic.heldBytes -= bytes;
                return refuse("the router is shutting down");
            }
        }
        // the proxy cancels the outcome when the client goes away: forget the request then
        h.outcome.whenComplete((a, failure) -> {
            if (failure != null) {
                unhold(traffic, h);
            }
        });
        return new Admission.Held(h.outcome);
    }

    private void expire(TenantId tenant, TenantTraffic traffic, HeldRequest h, Duration maxHold) {
        if (unhold(traffic, h)) {
            h.outcome.complete(refuse("tenant " + tenant + " is being moved and this request was held for "
                    + DurationText.format(maxHold) + "; try again shortly"));
        }
    }

    private static boolean unhold(TenantTraffic traffic, HeldRequest h) {
        synchronized (traffic) {
            if (!traffic.held.remove(h)) {
                return false;
            }
            traffic.heldBytes -= h.bytes;
        }
        h.timeout.cancel(false);
        return true;
    }

    private static Admission.Refuse refuse(String message) {
        return new Admission.Refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, RETRY_AFTER, message);
    }

    private boolean frozen(TenantId tenant) {
        return table.current().placement(tenant).map(Placement::frozen).orElse(false);
    }

    /**
     * Waits until none of the tenant's requests is in flight; the caller has already marked the tenant frozen
     * in the routing table. Requests still open after {@code drain-grace} are force-closed (WebSockets,
     * server-sent events, long polls). Throws {@link FreezeFailedException} naming the requests still open if
     * they have not all finished within {@code timeout}; the tenant stays frozen.
     */
    public Drain drain(TenantId tenant, Duration timeout) {
        if (!frozen(tenant)) {
            throw new IllegalStateException("drain of tenant " + tenant + " before it was marked frozen");
        }
        TenantTraffic traffic = traffic(tenant);
        long start = System.nanoTime();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        traffic.drained = drained;
        int open = traffic.inFlight.size();
        if (traffic.inFlight.isEmpty()) {
            drained.complete(null);
        }
        Duration grace = config.get().drainGrace();
        try {
            if (grace.compareTo(timeout) < 0 && !await(drained, grace, traffic)) {
                List<Tracked> longOnes = List.copyOf(traffic.inFlight);
                log.warn("tenant {}: force-closing {} request(s) still open after drain-grace {}: {}", tenant,
                        longOnes.size(), DurationText.format(grace),
                        traffic.describeInFlight());
                longOnes.forEach(Tracked::forceClose);
            }
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            if (!await(drained, left.isNegative() ? Duration.ZERO : left, traffic)) {
                throw new FreezeFailedException(tenant, routerName, traffic.describeInFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FreezeFailedException(tenant, routerName, traffic.describeInFlight());
        }
        return new Drain(open, Duration.ofNanos(System.nanoTime() - start));
    }

    /** What a completed drain waited for: the requests in flight when it started, and how long it took. */
    public record Drain(int requests, Duration time) {
    }

    /**
     * Whether the drain completed within {@code d}. The set is looked at again on a timeout: a second drain
     * of the same tenant replaces the future the last request completes, and an empty set is a drain that
     * did happen.
     */
    private static boolean await(CompletableFuture<Void> f, Duration d, TenantTraffic traffic)
            throws InterruptedException {
        try {
            f.get(d.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return f.isDone() || traffic.inFlight.isEmpty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("drain future failed", e);
        }
    }

    /**
     * Sends the tenant's held requests, oldest first, to its site as placed now; the caller has already
     * cleared the frozen flag. Returns how many were sent. If the tenant is frozen again meanwhile, the rest
     * stay held.
     */
    public int release(TenantId tenant) {
        TenantTraffic traffic = tenants.get(tenant);
        if (traffic == null) {
            return 0;
        }
        List<HeldRequest> sent = new ArrayList<>();
        List<Admission.Proceed> proceeds = new ArrayList<>();
        synchronized (traffic) {
            while (!traffic.held.isEmpty()) {
                HeldRequest h = traffic.held.peekFirst();
                Tracked tracked = traffic.register(h.request);
                Placement p = table.current().placement(tenant).orElse(null);
                if (p != null && p.frozen()) {
                    tracked.withdraw();
                    break;
                }
                traffic.held.removeFirst();
                traffic.heldBytes -= h.bytes;
                h.timeout.cancel(false);
                sent.add(h);
                proceeds.add(new Admission.Proceed(p == null ? h.route : h.route.atSite(p.site()), tracked));
            }
        }
        // completed outside the lock (the proxy's callbacks run here) and in arrival order
        for (int i = 0; i < sent.size(); i++) {
            if (!sent.get(i).outcome.complete(proceeds.get(i))) {
                ((Tracked) proceeds.get(i).inFlight()).withdraw(); // the client went away while held
            }
        }
        return sent.size();
    }

    /** The number of requests held now, per frozen tenant that has any (for metrics and the admin API). */
    public Map<TenantId, Integer> heldCounts() {
        Map<TenantId, Integer> out = new TreeMap<>();
        tenants.forEach((t, traffic) -> {
            int n;
            synchronized (traffic) {
                n = traffic.held.size();
            }
            if (n > 0) {
                out.put(t, n);
            }
        });
        return out;
    }

    /** Per tenant with any, its requests admitted longer than {@code age} ago and not finished yet. */
    @Override
    public Map<TenantId, OpenRequests> longerThan(Duration age) {
        long now = System.nanoTime();
        Map<TenantId, OpenRequests> out = new HashMap<>();
        tenants.forEach((tenant, traffic) -> {
            for (Tracked t : traffic.inFlight) {
                Duration open = Duration.ofNanos(now - t.admittedNanos);
                if (open.compareTo(age) > 0) {
                    out.merge(tenant, new OpenRequests(1, open, t.describe()), OpenRequests::merge);
                }
            }
        });
        return Map.copyOf(out);
    }

    /** The number of requests held now, all tenants together (the held-requests gauge). */
    public int heldTotal() {
        return heldCounts().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The number of the tenant's requests in flight to a site now. */
    public int inFlight(TenantId tenant) {
        TenantTraffic traffic = tenants.get(tenant);
        return traffic == null ? 0 : traffic.inFlight.size();
    }

    private TenantTraffic traffic(TenantId tenant) {
        return tenants.computeIfAbsent(tenant, t -> new TenantTraffic());
    }

    /** Refuses every held request (503) and stops the timer; used when the router shuts down. */
    @Override
    public void close() {
        closed = true;
        List<HeldRequest> refused = new ArrayList<>();
        tenants.values().forEach(traffic -> {
            synchronized (traffic) {
                refused.addAll(traffic.held);
                traffic.held.clear();
                traffic.heldBytes = 0;
            }
        });
        refused.forEach(h -> {
            h.timeout.cancel(false);
            h.outcome.complete(refuse("the router is shutting down"));
        });
        timer.shutdownNow();
    }
}
