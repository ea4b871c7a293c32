package dev.hikkoshi.router.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.UpstreamTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SitePools} against real HTTP servers on 127.0.0.1. */
@Timeout(30)
class SitePoolsIT {
    private static final SiteId CLOUD = SiteId.of("cloud");
    private static final HealthCheckSettings FAST_CHECKS =
            new HealthCheckSettings("/healthz", Duration.ofMillis(100), Duration.ofMillis(300), 2, 2);
    private static final EjectionSettings NO_PASSIVE =
            new EjectionSettings(1000, 1000, Duration.ofSeconds(10), Duration.ofSeconds(10), 0);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Throwable> backgroundFailures = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        assertThat(backgroundFailures).isEmpty();
    }

    @Test
    void healthChecks_ejectADeadUpstream_andBringItBackWhenItRecovers() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.of(FAST_CHECKS), NO_PASSIVE, a, b));
        UpstreamTarget ta = target(a);
        UpstreamTarget tb = target(b);
        assertThat(picks(pools, 4)).containsOnly(ta, tb).contains(ta, tb);

        b.stop();
        await("b leaves rotation", () -> !usable(pools, tb));
        assertThat(picks(pools, 6)).containsOnly(ta);

        b.start();
        await("b returns to rotation", () -> usable(pools, tb));
        assertThat(picks(pools, 4)).contains(ta, tb);
    }

    @Test
    void healthChecks_failingStatus_takesTheUpstreamOut() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.of(FAST_CHECKS), NO_PASSIVE, a, b));
        b.sick(true);
        await("sick b leaves rotation", () -> !usable(pools, target(b)));
        assertThat(picks(pools, 4)).containsOnly(target(a));
        b.sick(false);
        await("b returns", () -> usable(pools, target(b)));
    }

    @Test
    void deadSite_picksEmptyWithinTheCheckBudget_evenWhenAnUpstreamNeverAnswers() throws Exception {
        // One upstream refuses connections, the other accepts them (kernel backlog) but never answers.
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(blackHole);
        UpstreamTarget dead = target(refused);
        UpstreamTarget silent = target(blackHole.getLocalPort());
        SitePools pools = pools(new SitePoolSettings(CLOUD, List.of(dead, silent), Balance.ROUND_ROBIN,
                Optional.of(FAST_CHECKS), NO_PASSIVE));

        long start = System.nanoTime();
        await("the site has no usable upstream", () -> pools.pick(CLOUD, Set.of()).isEmpty());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // unhealthy after 2 checks 100 ms apart, each at most 300 ms (about 0.7 s): bounded, with room for a
        // busy machine.
        assertThat(elapsedMillis).isLessThan(3000);

        long pickStart = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(pools.pick(CLOUD, Set.of())).isEmpty();
        }
        assertThat((System.nanoTime() - pickStart) / 1_000_000).isLessThan(1000);
        assertThat(pools.pick(SiteId.of("nowhere"), Set.of())).isEmpty();
    }

    @Test
    void connectFailures_ejectTheUpstream_untilTheEjectionTimeHasPassed_withBackoff() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        EjectionSettings ejection = new EjectionSettings(2, 5, Duration.ofMillis(300), Duration.ofSeconds(5), 50);
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.empty(), ejection, a, b));
        UpstreamTarget tb = target(b);
        b.stop();

        long ejectedAt = sendUntilEjected(pools, tb);
        assertThat(picks(pools, 6)).doesNotContain(tb);
        await("b returns after its ejection time", () -> usable(pools, tb));
        long firstEjectionMillis = (System.nanoTime() - ejectedAt) / 1_000_000;
        assertThat(firstEjectionMillis).isGreaterThanOrEqualTo(300);

        // still dead: ejected again, for twice as long
        long secondAt = sendUntilEjected(pools, tb);
        await("b returns after its second ejection", () -> usable(pools, tb));
        long secondEjectionMillis = (System.nanoTime() - secondAt) / 1_000_000;
        assertThat(secondEjectionMillis).isGreaterThanOrEqualTo(600);

        b.start();
        assertThat(LoopbackBackend.get(b.uri(), "/")).isEqualTo(200);
        assertThat(picks(pools, 4)).contains(tb);
    }

    @Test
    void burstOf5xx_ejectsTheUpstream_andASuccessInBetweenResetsTheCount() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        EjectionSettings ejection = new EjectionSettings(2, 3, Duration.ofSeconds(5), Duration.ofSeconds(5), 50);
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.empty(), ejection, a, b));
        UpstreamTarget tb = target(b);
        for (String path : List.of("/fail", "/fail", "/", "/fail", "/fail")) {
            pools.responded(tb, LoopbackBackend.get(b.uri(), path));
        }
        assertThat(usable(pools, tb)).isTrue();
        pools.responded(tb, LoopbackBackend.get(b.uri(), "/fail"));
        assertThat(usable(pools, tb)).isFalse();
        assertThat(picks(pools, 4)).containsOnly(target(a));
    }

    @Test
    void ejectionCap_neverEjectsMoreThanItsShare_evenUnderConcurrentFailures() throws Exception {
        List<LoopbackBackend> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backends.add(backend());
        }
        EjectionSettings ejection = new EjectionSettings(1, 3, Duration.ofSeconds(10), Duration.ofSeconds(10), 50);
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.empty(), ejection,
                backends.toArray(LoopbackBackend[]::new)));
        backends.forEach(LoopbackBackend::stop);

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (LoopbackBackend b : backends) {
                all.add(CompletableFuture.runAsync(() -> {
                    awaitLatch(go);
                    for (int i = 0; i < 3; i++) {
                        if (LoopbackBackend.get(b.uri(), "/") < 0) {
                            pools.connectFailed(target(b));
                        }
                    }
                }, threads));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        long ejected = pools.status().stream().filter(UpstreamStatus::ejected).count();
        assertThat(ejected).isEqualTo(2);
        assertThat(new HashSet<>(picks(pools, 8))).hasSize(2);
    }

    @Test
    void leastConnections_prefersTheIdleUpstream() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        SitePools pools = pools(settings(Balance.LEAST_CONNECTIONS, Optional.empty(), EjectionSettings.defaults(), a, b));
        UpstreamTarget busy = pools.pick(CLOUD, Set.of()).orElseThrow();
        LoopbackBackend busyBackend = busy.port() == a.port() ? a : b;
        UpstreamTarget idle = busy.equals(target(a)) ? target(b) : target(a);

        pools.started(busy);
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> LoopbackBackend.get(busyBackend.uri(), "/slow"));
        List<UpstreamTarget> chosen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UpstreamTarget t = pools.pick(CLOUD, Set.of()).orElseThrow();
            chosen.add(t);
            pools.started(t);
            assertThat(LoopbackBackend.get(t.uri(), "/")).isEqualTo(200);
            pools.finished(t);
        }
        assertThat(chosen).containsOnly(idle);
        assertThat(slow).isNotDone();

        busyBackend.releaseSlow();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        pools.finished(busy);
        assertThat(picks(pools, 4)).contains(busy, idle);
    }

    @Test
    void pick_skipsExcludedUpstreams() throws Exception {
        LoopbackBackend a = backend();
        LoopbackBackend b = backend();
        SitePools pools = pools(settings(Balance.ROUND_ROBIN, Optional.empty(), EjectionSettings.defaults(), a, b));
        assertThat(picks(pools, 4, Set.of(target(a)))).containsOnly(target(b));
        assertThat(pools.pick(CLOUD, Set.of(target(a), target(b)))).isEmpty();
    }

    /**
     * Sends real requests to a dead upstream and reports each connection failure until it is ejected; returns
     * {@code System.nanoTime()} taken just before the report that ejected it, so the ejection began after it.
     */
    private long sendUntilEjected(SitePools pools, UpstreamTarget t) {
        long before = 0;
        for (int i = 0; i < 10 && usable(pools, t); i++) {
            if (LoopbackBackend.get(t.uri(), "/") < 0) {
                before = System.nanoTime();
                pools.connectFailed(t);
            }
        }
        assertThat(usable(pools, t)).as("ejected after connection failures").isFalse();
        return before;
    }

    private LoopbackBackend backend() throws IOException {
        LoopbackBackend b = LoopbackBackend.open();
        closing.add(b);
        return b;
    }

    private SitePools pools(SitePoolSettings... sites) {
        SitePools pools = new SitePools(List.of(sites), backgroundFailures::add).start();
        closing.add(0, pools);
        return pools;
    }

    private static SitePoolSettings settings(Balance balance, Optional<HealthCheckSettings> health,
                                             EjectionSettings ejection, LoopbackBackend... backends) {
        List<UpstreamTarget> targets = new ArrayList<>();
        for (LoopbackBackend b : backends) {
            targets.add(target(b));
        }
        return new SitePoolSettings(CLOUD, targets, balance, health, ejection);
    }

    static UpstreamTarget target(LoopbackBackend b) {
        return target(b.port());
    }

    static UpstreamTarget target(int port) {
        return new UpstreamTarget(CLOUD, "127.0.0.1", port, URI.create("http://127.0.0.1:" + port));
    }

    private static boolean usable(SitePools pools, UpstreamTarget t) {
        return pools.status().stream().filter(s -> s.target().equals(t)).findFirst().orElseThrow().usable();
    }

    private static List<UpstreamTarget> picks(SitePools pools, int n) {
        return picks(pools, n, Set.of());
    }

    private static List<UpstreamTarget> picks(SitePools pools, int n, Set<UpstreamTarget> exclude) {
        List<UpstreamTarget> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pools.pick(CLOUD, exclude).orElseThrow());
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
