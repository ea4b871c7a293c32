package dev.hikkoshi.router.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.ByteSize;
import dev.hikkoshi.core.routing.FreezeFailedException;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.OpenRequests;
import dev.hikkoshi.router.config.FreezeConfig;
import dev.hikkoshi.router.route.Admission;
import dev.hikkoshi.router.route.InFlightRequest;
import dev.hikkoshi.router.route.Route;
import dev.hikkoshi.router.table.RoutingTableHolder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FreezeGateTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final FreezeConfig CONFIG = new FreezeConfig(3, ByteSize.ofKiB(10), Duration.ofSeconds(20),
            Duration.ofSeconds(20));

    private final RoutingTableHolder table = new RoutingTableHolder(
            new RoutingTable(1, Map.of(ACME, Placement.at(LEGACY), GLOBEX, Placement.at(LEGACY))), Optional.empty());
    private FreezeGate gate = new FreezeGate(table, CONFIG, "test-router");

    @AfterEach
    void closeGate() {
        gate.close();
    }

    /** The proxy's side of a request: records finish and forced closes. */
    static final class ProxyRequest implements InFlightRequest {
        final String name;
        final AtomicInteger finished = new AtomicInteger();
        volatile boolean forceClosed;
        volatile InFlightRequest handle;

        ProxyRequest(String name) {
            this.name = name;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public void forceClose() {
            forceClosed = true;
            handle.finish(); // the proxy closes both connections, then finishes the gate's handle
        }

        @Override
        public void finish() {
            finished.incrementAndGet();
        }
    }

    private static Route route(TenantId tenant) {
        return new Route(Optional.of(tenant), LEGACY, "/", InetAddress.getLoopbackAddress(), false);
    }

    private Admission.Proceed proceed(TenantId tenant, ProxyRequest r) {
        Admission a = gate.admit(route(tenant), 0, r);
        assertThat(a).isInstanceOf(Admission.Proceed.class);
        Admission.Proceed p = (Admission.Proceed) a;
        r.handle = p.inFlight();
        return p;
    }

    private Admission.Held held(TenantId tenant, long bytes, ProxyRequest r) {
        Admission a = gate.admit(route(tenant), bytes, r);
        assertThat(a).isInstanceOf(Admission.Held.class);
        return (Admission.Held) a;
    }

    private CompletableFuture<FreezeGate.Drain> freezeAsync(TenantId tenant, Duration timeout) {
        table.freeze(tenant, LEGACY);
        return CompletableFuture.supplyAsync(() -> gate.drain(tenant, timeout));
    }

    @Test
    void longerThan_listsPerTenantTheRequestsOpenLongerThanTheAge_untilTheyFinish() throws Exception {
        Admission.Proceed old = proceed(ACME, new ProxyRequest("r1 GET /events"));
        Thread.sleep(150);
        proceed(ACME, new ProxyRequest("r2 GET /events"));
        Admission.Proceed fresh = proceed(GLOBEX, new ProxyRequest("r3 GET /"));

        Map<TenantId, OpenRequests> open = gate.longerThan(Duration.ofMillis(100));
        assertThat(open).containsOnlyKeys(ACME);
        assertThat(open.get(ACME).count()).isEqualTo(1);
        assertThat(open.get(ACME).oldestRequest()).isEqualTo("r1 GET /events");
        assertThat(open.get(ACME).oldest()).isGreaterThan(Duration.ofMillis(100));
        assertThat(gate.longerThan(Duration.ZERO)).containsOnlyKeys(ACME, GLOBEX);
        assertThat(gate.longerThan(Duration.ZERO).get(ACME).count()).isEqualTo(2);

        old.inFlight().finish();
        fresh.inFlight().finish();
        assertThat(gate.longerThan(Duration.ofMillis(100))).isEmpty();
    }

    @Test
    void admit_tenantNotFrozen_proceedsToItsPlacedSiteAndCountsItInFlight() {
        table.push(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
        ProxyRequest r = new ProxyRequest("r1");
        Admission.Proceed p = proceed(ACME, r);
        assertThat(p.route().site()).isEqualTo(CLOUD);
        assertThat(gate.inFlight(ACME)).isEqualTo(1);
        p.inFlight().finish();
        p.inFlight().finish();
        assertThat(gate.inFlight(ACME)).isZero();
        assertThat(r.finished).hasValue(1);
    }

    @Test
    void admit_unknownTenant_proceedsUntracked() {
        Route unknown = new Route(Optional.empty(), LEGACY, "/", InetAddress.getLoopbackAddress(), false);
        ProxyRequest r = new ProxyRequest("r1");
        Admission a = gate.admit(unknown, 0, r);
        assertThat(a).isEqualTo(new Admission.Proceed(unknown, r));
    }

    @Test
    void freeze_whileRequestsInFlight_waitsForTheLastOneToFinish() throws Exception {
        Admission.Proceed first = proceed(ACME, new ProxyRequest("r1"));
        Admission.Proceed second = proceed(ACME, new ProxyRequest("r2"));
        CompletableFuture<FreezeGate.Drain> drain = freezeAsync(ACME, Duration.ofSeconds(10));
        first.inFlight().finish();
        assertThat(drain).isNotDone();
        Thread.sleep(100);
        assertThat(drain).isNotDone();
        second.inFlight().finish();
        // 1 or 2 were still open when the drain thread looked, depending on when it started
        assertThat(drain.get(5, TimeUnit.SECONDS).requests()).isBetween(1, 2);
        assertThat(gate.inFlight(ACME)).isZero();
    }

    @Test
    void freeze_nothingInFlight_completesAtOnce() {
        table.freeze(ACME, LEGACY);
        assertThat(gate.drain(ACME, Duration.ofSeconds(1)).requests()).isZero();
    }

    @Test
    void drain_withoutFrozenFlag_isRefused() {
        assertThatThrownBy(() -> gate.drain(ACME, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("drain of tenant acme before it was marked frozen");
    }

    @Test
    void freeze_requestNeverFinishes_failsNamingTheOpenRequests() {
        gate = new FreezeGate(table, new FreezeConfig(3, ByteSize.ofKiB(10), Duration.ofSeconds(20),
                Duration.ofSeconds(60)), "test-router");
        proceed(ACME, new ProxyRequest("req-7 GET /slow age 3s"));
        proceed(ACME, new ProxyRequest("req-8 POST /upload age 1s"));
        table.freeze(ACME, LEGACY);
        assertThatThrownBy(() -> gate.drain(ACME, Duration.ofMillis(200)))
                .isInstanceOf(FreezeFailedException.class)
                .hasMessage("freeze of tenant acme on router test-router did not drain: 2 request(s) still open: "
                        + "req-7 GET /slow age 3s, req-8 POST /upload age 1s");
        assertThat(table.current().placement(ACME).orElseThrow().frozen()).isTrue();
        assertThat(held(ACME, 0, new ProxyRequest("r9"))).isNotNull(); // still frozen: new requests wait
    }

    @Test
    void freeze_longRequestPastDrainGrace_isForceClosedAndTheDrainCompletes() throws Exception {
        gate = new FreezeGate(table, new FreezeConfig(3, ByteSize.ofKiB(10), Duration.ofSeconds(20),
                Duration.ofMillis(100)), "test-router");
        ProxyRequest websocket = new ProxyRequest("req-1 GET /ws (upgraded)");
        proceed(ACME, websocket);
        FreezeGate.Drain drain = freezeAsync(ACME, Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS);
        assertThat(websocket.forceClosed).isTrue();
        assertThat(websocket.finished).hasValue(1);
        assertThat(drain.requests()).isEqualTo(1);
    }

    @Test
    void frozen_newRequestsAreHeldAndReleasedInArrivalOrderToTheSitePlacedAtRelease() throws Exception {
        table.freeze(ACME, LEGACY);
        gate.drain(ACME, Duration.ofSeconds(1));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Admission.Held> holds = new ArrayList<>();
        for (String name : List.of("h1", "h2", "h3")) {
            Admission.Held h = held(ACME, 100, new ProxyRequest(name));
            h.outcome().thenAccept(a -> order.add(name + "->" + ((Admission.Proceed) a).route().site()));
            holds.add(h);
        }
        assertThat(gate.heldCounts()).isEqualTo(Map.of(ACME, 3));
        assertThat(gate.inFlight(ACME)).isZero();
        table.push(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD), GLOBEX, Placement.at(LEGACY))));
        assertThat(table.current().placement(ACME)).contains(new Placement(CLOUD, true)); // push keeps it frozen
        assertThat(holds).allMatch(h -> !h.outcome().toCompletableFuture().isDone());
        table.release(ACME);
        assertThat(gate.release(ACME)).isEqualTo(3);
        assertThat(order).containsExactly("h1->cloud", "h2->cloud", "h3->cloud");
        assertThat(gate.inFlight(ACME)).isEqualTo(3);
        assertThat(gate.heldCounts()).isEmpty();
    }

    @Test
    void frozen_otherTenantsAreNeverHeld() {
        table.freeze(ACME, LEGACY);
        held(ACME, 0, new ProxyRequest("a1"));
        Admission.Proceed p = proceed(GLOBEX, new ProxyRequest("g1"));
        assertThat(p.route().site()).isEqualTo(LEGACY);
    }

    @Test
    void frozen_moreThanMaxHeld_refusedWith503AndRetryAfter() {
        table.freeze(ACME, LEGACY);
        for (int i = 0; i < 3; i++) {
            held(ACME, 0, new ProxyRequest("h" + i));
        }
        assertThat(gate.admit(route(ACME), 0, new ProxyRequest("h4"))).isEqualTo(new Admission.Refuse(
                HttpResponseStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(1),
                "tenant acme is being moved and 3 of its requests are already held; try again shortly"));
    }

    @Test
    void frozen_heldBytesOverTheCap_refusedWith503() {
        table.freeze(ACME, LEGACY);
        held(ACME, 6 * 1024, new ProxyRequest("big1"));
        assertThat(gate.admit(route(ACME), 5 * 1024, new ProxyRequest("big2"))).isEqualTo(new Admission.Refuse(
                HttpResponseStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(1),
                "tenant acme is being moved and its held requests would exceed 10KiB; try again shortly"));
        held(ACME, 4 * 1024, new ProxyRequest("fits"));
    }

    @Test
    void frozen_heldLongerThanMaxHold_refusedWith503() throws Exception {
        gate = new FreezeGate(table, new FreezeConfig(3, ByteSize.ofKiB(10), Duration.ofMillis(50),
                Duration.ofSeconds(1)), "test-router");
        table.freeze(ACME, LEGACY);
        Admission.Held h = held(ACME, 100, new ProxyRequest("h1"));
        assertThat(h.outcome().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(new Admission.Refuse(
                HttpResponseStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(1),
                "tenant acme is being moved and this request was held for 50ms; try again shortly"));
        assertThat(gate.heldCounts()).isEmpty();
        held(ACME, 10 * 1024, new ProxyRequest("h2")); // its bytes were given back
    }

    @Test
    void held_clientGoneWhileHeld_isForgottenAndNotSent() {
        table.freeze(ACME, LEGACY);
        Admission.Held gone = held(ACME, 100, new ProxyRequest("gone"));
        Admission.Held stays = held(ACME, 100, new ProxyRequest("stays"));
        gone.outcome().toCompletableFuture().cancel(false);
        assertThat(gate.heldCounts()).isEqualTo(Map.of(ACME, 1));
        table.release(ACME);
        assertThat(gate.release(ACME)).isEqualTo(1);
        assertThat(stays.outcome().toCompletableFuture()).isCompletedWithValueMatching(a -> a instanceof Admission.Proceed);
        assertThat(gate.inFlight(ACME)).isEqualTo(1);
    }

    @Test
    void close_refusesEveryHeldRequest() {
        table.freeze(ACME, LEGACY);
        Admission.Held h = held(ACME, 100, new ProxyRequest("h1"));
        gate.close();
        assertThat(h.outcome().toCompletableFuture()).isCompletedWithValue(new Admission.Refuse(
                HttpResponseStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(1), "the router is shutting down"));
    }

    /**
     * Many threads admit and finish requests while the tenant is frozen. Every request that was sent to the
     * old site must have started before the drain returned (a global sequence orders the events), and every
     * request after that is held, then sent to the new site on release.
     */
    @Test
    void freeze_underConcurrentAdmits_noRequestStartsAtTheOldSiteAfterTheDrain() throws Exception {
        AtomicLong sequence = new AtomicLong();
        List<long[]> oldSiteStarts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger heldCount = new AtomicInteger();
        List<CompletableFuture<Admission>> held = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(4);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            done.add(workers.submit(() -> {
                running.countDown();
                int i = 0;
                while (!stop.get()) {
                    ProxyRequest r = new ProxyRequest("w" + i++);
                    Admission a = gate.admit(route(ACME), 0, r);
                    if (a instanceof Admission.Proceed p) {
                        long start = sequence.incrementAndGet();
                        oldSiteStarts.add(new long[] {start});
                        Thread.yield();
                        p.inFlight().finish();
                    } else if (a instanceof Admission.Held h) {
                        heldCount.incrementAndGet();
                        held.add(h.outcome().toCompletableFuture());
                        if (heldCount.get() >= 3) {
                            return;
                        }
                    }
                }
            }));
        }
        running.await();
        Thread.sleep(20);
        table.freeze(ACME, LEGACY);
        gate.drain(ACME, Duration.ofSeconds(10));
        long drainedAt = sequence.incrementAndGet();
        Thread.sleep(50);
        stop.set(true);
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        workers.shutdown();
        assertThat(oldSiteStarts).isNotEmpty().allMatch(s -> s[0] < drainedAt);
        assertThat(held).isNotEmpty();
        table.push(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
        table.release(ACME);
        gate.release(ACME);
        for (CompletableFuture<Admission> h : held) {
            assertThat(((Admission.Proceed) h.get(1, TimeUnit.SECONDS)).route().site()).isEqualTo(CLOUD);
        }
    }
}
