package dev.hikkoshi.cutover.routing;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.router.table.RoutingTableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routers a controller drives and the controller's authoritative routing table: every change is written to
 * {@code STATE_DIR/controller/routing-table.json} (atomically, version only grows) before the whole table is
 * pushed to every router. Used by the move steps (freeze, switch, release) and by the controller at start.
 *
 * <p>Confirmation: a router confirms a table when its push answers at least that version; one answering an
 * older version is pushed again (brought up to date) before anything proceeds. A freeze is confirmed only when
 * every router drained the tenant. A router that throws or does not answer within the call timeout has not
 * confirmed: the caller gets a {@link RouterFleetException} naming it. Calls go to all routers at once, so a
 * freeze's drains overlap and one stopped router costs one timeout, not one per router.
 *
 * <p>Release never reaches a router that did not confirm the table it releases to: such a router keeps
 * holding the tenant (its table still says frozen) rather than send it to a site the controller left.
 */
public final class RouterFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterFleet.class);
    /** Where the controller keeps its table, under the state directory (the routers' own file is one level up). */
    public static final String STATE_SUBDIR = "controller";

    private final List<RouterControl> routers;
    private final RoutingTableStore store;
    private final Duration callTimeout;
    private final ExecutorService calls;
    private final Map<TenantId, Instant> frozenSince = new ConcurrentHashMap<>();
    private volatile RoutingTable table;

    /**
     * @param sites       the config's sites: a persisted table placing a tenant elsewhere is refused
     * @param callTimeout how long a router may take to answer a call (a freeze gets its drain timeout on top)
     */
    public RouterFleet(Path stateDir, Collection<SiteId> sites, List<RouterControl> routers, Duration callTimeout) {
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("a router fleet needs at least one router");
        }
        this.routers = List.copyOf(routers);
        this.store = new RoutingTableStore(stateDir.resolve(STATE_SUBDIR));
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        this.table = store.load(sites).orElse(RoutingTable.empty());
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hikkoshi-fleet-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The controller's table now. */
    public RoutingTable table() {
        return table;
    }

    public List<String> routerNames() {
        return routers.stream().map(RouterControl::name).toList();
    }

    /** When the controller last froze {@code tenant}, while it is frozen (in memory: a restart freezes again). */
    public Optional<Instant> frozenSince(TenantId tenant) {
        return Optional.ofNullable(frozenSince.get(tenant));
    }

    /**
     * Brings every router to the controller's table before a move proceeds: pushes it to routers holding an
     * older version, and releases tenants a router still holds that the controller does not (left frozen by an
     * abort the router missed). A controller that never wrote a table adopts the newest one a router holds.
     *
     * @throws RouterFleetException naming every router that could not be brought up to date
     */
    public void bringUpToDate() {
        if (table.version() == 0) {
            adoptNewest();
        }
        RoutingTable ours = table;
        Map<RouterControl, Outcome<Integer>> answers = callAll(r -> {
            RoutingTable theirs = r.table();
            if (theirs.version() < ours.version()) {
                confirmPush(r, ours);
            }
            int released = 0;
            for (Map.Entry<TenantId, Placement> e : theirs.placements().entrySet()) {
                boolean wanted = ours.placement(e.getKey()).map(Placement::frozen).orElse(false);
                if (e.getValue().frozen() && !wanted) {
                    log.warn("router {} holds tenant {}, which the controller does not freeze: releasing it", r.name(),
                            e.getKey());
                    r.release(e.getKey());
                    released++;
                }
            }
            return released;
        }, callTimeout);
        throwIfAny("routing table version " + ours.version(), answers);
    }

    /**
     * Places a tenant (persisted first), then pushes the whole table to every router.
     *
     * @return the table version every router confirmed
     * @throws RouterFleetException naming the routers that did not confirm it
     */
    public long place(TenantId tenant, Placement placement) {
        RoutingTable next = commit(tenant, placement);
        throwIfAny("routing table version " + next.version() + " (tenant " + tenant + " " + describe(placement) + ")",
                pushAll(next));
        return next.version();
    }

    /**
     * Freezes a tenant on {@code site}: the table with the tenant frozen there is pushed, then every router
     * holds its new requests and drains its in-flight ones.
     *
     * @throws RouterFleetException naming the routers that did not confirm; the tenant stays frozen on the
     *                              routers that did, and the caller decides to release it
     */
    public Frozen freeze(TenantId tenant, SiteId site, Duration drainTimeout) {
        RoutingTable next = commit(tenant, new Placement(site, true));
        // The hold starts with the push: no router holds a request before it has the table that freezes the tenant.
        Instant since = Instant.now();
        frozenSince.putIfAbsent(tenant, since);
        Map<RouterControl, Outcome<Long>> pushed = pushAll(next);
        throwIfAny("routing table version " + next.version() + " (tenant " + tenant + " frozen on " + site + ")", pushed);
        Map<RouterControl, Outcome<RouterControl.FreezeReport>> drained =
                callAll(r -> r.freeze(tenant, drainTimeout), drainTimeout.plus(callTimeout));
        throwIfAny("freeze of tenant " + tenant, drained);
        List<RouterControl.FreezeReport> reports = drained.values().stream().map(Outcome::value).toList();
        log.info("tenant {} frozen on {} by {} router(s); {} request(s) drained", tenant, site, reports.size(),
                reports.stream().mapToInt(RouterControl.FreezeReport::drainedRequests).sum());
        return new Frozen(frozenSince.getOrDefault(tenant, since), reports);
    }

    /**
     * Places a tenant on {@code site} unfrozen and releases it on every router that confirmed that table (its
     * held requests go to {@code site}); routers that did not answer keep holding it and are listed in the
     * result. Never throws for a router's failure: the caller decides whether every router had to answer.
     */
    public Released release(TenantId tenant, SiteId site) {
        RoutingTable next = commit(tenant, Placement.at(site));
        Map<RouterControl, Outcome<Long>> pushed = pushAll(next);
        List<RouterControl> confirmed = pushed.entrySet().stream().filter(e -> e.getValue().ok()).map(Map.Entry::getKey)
                .toList();
        Map<RouterControl, Outcome<Boolean>> released = callAll(confirmed, r -> {
            r.release(tenant);
            return true;
        }, callTimeout);
        Map<String, String> unanswered = new LinkedHashMap<>();
        problems(pushed).forEach(unanswered::put);
        problems(released).forEach(unanswered::put);
        Instant since = frozenSince.remove(tenant);
        Optional<Duration> held = Optional.ofNullable(since).map(s -> Duration.between(s, Instant.now()));
        List<String> names = released.entrySet().stream().filter(e -> e.getValue().ok()).map(e -> e.getKey().name())
                .toList();
        if (unanswered.isEmpty()) {
            log.info("tenant {} released to {} on {} router(s) after {} ms", tenant, site, names.size(),
                    held.map(Duration::toMillis).orElse(-1L));
        } else {
            log.warn("tenant {} released to {} on {} router(s); still held by {}", tenant, site, names.size(), unanswered);
        }
        return new Released(next.version(), held, names, unanswered, routers.size());
    }

    /** A confirmed freeze: since when the tenant is held (the first freeze of this hold), and each router's report. */
    public record Frozen(Instant since, List<RouterControl.FreezeReport> reports) {
    }

    /**
     * What a release reached: the table version, how long the tenant was held (the longest any of its requests
     * could wait; empty when this controller did not freeze it), the routers that released it, and the ones that
     * did not answer, with their problems.
     */
    public record Released(long version, Optional<Duration> held, List<String> released, Map<String, String> unanswered,
                           int routers) {
        public boolean byAll() {
            return unanswered.isEmpty();
        }

        /** Throws unless every router released the tenant. */
        public Released requireAll(String what) {
            if (!byAll()) {
                throw new RouterFleetException(what, routers, unanswered, null);
            }
            return this;
        }
    }

    private synchronized RoutingTable commit(TenantId tenant, Placement placement) {
        RoutingTable next = table.with(tenant, placement);
        store.save(next);
        table = next;
        return next;
    }

    private synchronized void adoptNewest() {
        Map<RouterControl, Outcome<RoutingTable>> tables = callAll(RouterControl::table, callTimeout);
        tables.values().stream().filter(Outcome::ok).map(Outcome::value)
                .filter(t -> t.version() > table.version())
                .max(java.util.Comparator.comparingLong(RoutingTable::version))
                .ifPresent(newest -> {
                    log.warn("the controller has no routing table yet; adopting version {} held by a router ({} placements)",
                            newest.version(), newest.placements().size());
                    store.save(newest);
                    table = newest;
                });
    }

    private Map<RouterControl, Outcome<Long>> pushAll(RoutingTable next) {
        return callAll(r -> confirmPush(r, next), callTimeout);
    }

    /** Pushes, pushing once more to a router that answers an older version; refuses a router with a newer one. */
    private long confirmPush(RouterControl r, RoutingTable next) {
        long held = r.push(next);
        if (held < next.version()) {
            log.warn("router {} answered version {} to a push of version {}: pushing again", r.name(), held, next.version());
            held = r.push(next);
        }
        if (held < next.version()) {
            throw new IllegalStateException("still at routing table version " + held + " after a push of version "
                    + next.version());
        }
        long ours = table.version();
        if (held > ours) {
            throw new IllegalStateException("holds routing table version " + held + ", newer than the controller's "
                    + ours + " (another controller pushes tables, or this controller's state dir was replaced)");
        }
        return held;
    }

    private <T> Map<RouterControl, Outcome<T>> callAll(Function<RouterControl, T> call, Duration timeout) {
        return callAll(routers, call, timeout);
    }

    private <T> Map<RouterControl, Outcome<T>> callAll(List<RouterControl> to, Function<RouterControl, T> call,
                                                       Duration timeout) {
        Map<RouterControl, Future<T>> futures = new LinkedHashMap<>();
        for (RouterControl r : to) {
            futures.put(r, calls.submit(() -> call.apply(r)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<RouterControl, Outcome<T>> out = new LinkedHashMap<>();
        for (Map.Entry<RouterControl, Future<T>> e : futures.entrySet()) {
            out.put(e.getKey(), await(e.getValue(), deadline, timeout));
        }
        return out;
    }

    private static <T> Outcome<T> await(Future<T> f, long deadline, Duration timeout) {
        try {
            return new Outcome<>(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null, null);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome<>(null, "no answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome<>(null, String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome<>(null, "interrupted while waiting for its answer", e);
        }
    }

    private void throwIfAny(String what, Map<RouterControl, ? extends Outcome<?>> answers) {
        Map<String, String> failed = problems(answers);
        if (!failed.isEmpty()) {
            Throwable first = answers.values().stream().filter(o -> !o.ok()).findFirst().map(Outcome::failure).orElse(null);
            throw new RouterFleetException(what, routers.size(), failed, first);
        }
    }

    private static Map<String, String> problems(Map<RouterControl, ? extends Outcome<?>> answers) {
        Map<String, String> out = new LinkedHashMap<>();
        answers.forEach((r, o) -> {
            if (!o.ok()) {
                out.put(r.name(), o.problem());
            }
        });
        return out;
    }

    private static String describe(Placement p) {
        return (p.frozen() ? "frozen on " : "on ") + p.site();
    }

    /** One router's answer: a value, or why there is none. */
    private record Outcome<T>(T value, String problem, Throwable failure) {
        boolean ok() {
            return problem == null;
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    List<RouterControl> routers() {
        return new ArrayList<>(routers);
    }
}
