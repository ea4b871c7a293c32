package dev.hikkoshi.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveEvent.Verdict;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.MoveAttempt;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.move.StepOutcome;
import dev.hikkoshi.cutover.rollback.BakeStepTest.ListJournal;
import dev.hikkoshi.cutover.rollback.RollbackLineConfig.InconclusiveAction;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback line end to end over a real in-process router (1 s traffic buckets) and two recording backends:
 * the baseline is measured on legacy, acme is switched to cloud, and the bake reads the router's traffic window
 * in 2 s windows. Added latency on the new site rolls acme back after two bad windows; the same traffic without
 * it bakes to DONE; too little traffic stays inconclusive and ends waiting for approval, never healthy.
 */
@Timeout(120)
class RollbackLineRouterIT {
    static final TenantId ACME = TenantId.of("acme");
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final RollbackLineConfig LINE = new RollbackLineConfig(0.02, 2.0, Duration.ofMillis(200),
            Duration.ofSeconds(2), 10, Duration.ofSeconds(6), 1, InconclusiveAction.WAIT_FOR_APPROVAL);

    @TempDir
    Path dir;
    final ExchangeLog log = new ExchangeLog();
    RecordingBackend legacy;
    RecordingBackend cloud;
    Router router;
    Load load;

    @BeforeEach
    void start() throws Exception {
        legacy = RecordingBackend.start(LEGACY, log, 2);
        cloud = RecordingBackend.start(CLOUD, log, 2);
        Path config = dir.resolve("hikkoshi.yaml");
        Files.writeString(config, """
                sites:
                  legacy: { upstreams: ["%s"] }
                  cloud: { upstreams: ["%s"] }
                tenants:
                  list: [ { name: acme, id: 1 } ]
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                  tenant-from: [ { path: "/t/{tenant}/", strip: true } ]
                  unknown-tenant: reject
                  traffic-bucket: 1s
                """.formatted(legacy.uri(), cloud.uri(), dir.resolve("state")));
        router = Router.start(config, Map.of("ROUTER_TOKEN", "it-token"));
        router.control().push(new RoutingTable(1, Map.of(ACME, Placement.at(LEGACY))));
    }

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (router != null) {
            router.close();
        }
        legacy.close();
        cloud.close();
    }

    /** Clients sending acme's requests through the router until closed; each waits {@code pauseMillis} between. */
    static final class Load implements AutoCloseable {
        final AtomicLong delayMillis = new AtomicLong();
        final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Load(Router router, int threads, long pauseMillis) {
            clients = Executors.newFixedThreadPool(threads);
            URI base = URI.create("http://127.0.0.1:" + router.proxyAddress().getPort() + "/t/acme/items");
            for (int i = 0; i < threads; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                            URI.create(base + "?delay-ms=" + delayMillis.get()))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            servedBy.computeIfAbsent(r.headers().firstValue(RecordingBackend.SERVED_BY_HEADER)
                                    .orElse("?") + " " + r.statusCode(), k -> new LongAdder()).increment();
                            if (pauseMillis > 0) {
                                Thread.sleep(pauseMillis);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return null;
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                });
            }
        }

        long total() {
            return servedBy.values().stream().mapToLong(LongAdder::sum).sum();
        }

        long served(String siteAndStatus) {
            LongAdder n = servedBy.get(siteAndStatus);
            return n == null ? 0 : n.sum();
        }

        @Override
        public void close() {
            running.set(false);
            clients.shutdown();
            try {
                if (!clients.awaitTermination(15, TimeUnit.SECONDS)) {
                    clients.shutdownNow();
                }
            } catch (InterruptedException e) {
                clients.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Measures acme's baseline on legacy over 2 s of traffic, then switches it to cloud. */
    private MoveAttempt baselineThenSwitch() throws InterruptedException {
        // warm up first (a cold JVM with paranoid leak detection on a shared machine is slow to start serving),
        // then let two whole seconds of traffic reach the window
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.total() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(2500);
        Baseline baseline = Baseline.measure(List.of(router.traffic()), ACME, LEGACY, Duration.ofSeconds(2));
        assertThat(baseline.requests()).as("baseline %s; served %s; failures %s", baseline.describe(), load.servedBy,
                load.failures).isGreaterThanOrEqualTo(LINE.minRequests());
        assertThat(baseline.p99()).isPresent();
        assertThat(load.served("cloud 200")).isZero();
        router.control().push(new RoutingTable(2, Map.of(ACME, Placement.at(CLOUD))));
        return new MoveAttempt(ACME, "pilot", 1, LEGACY, CLOUD, MoveState.BAKING,
                Map.of(NoteKeys.BASELINE, baseline.toNote()));
    }

    /** Runs the step every 100 ms, as a runner would, until it leaves BAKING or settles into waiting. */
    private static StepOutcome bake(BakeStep step, MoveAttempt attempt, ListJournal journal, int windows)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            StepOutcome outcome = step.run(attempt);
            if (!outcome.stays(MoveState.BAKING) || journal.verdicts.size() >= windows) {
                return outcome;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the bake decided nothing in 40 s; verdicts: " + journal.verdicts);
    }

    @Test
    void latencyAddedOnTheNewSite_rollsTheTenantBackAfterTwoBadWindows() throws Exception {
        // enough clients that 1.2 s requests still make min-requests per window
        load = new Load(router, 24, 0);
        MoveAttempt attempt = baselineThenSwitch();
        // well above the line's limit, max(200 ms, 2x baseline), however slow the shared test machine is
        load.delayMillis.set(1200);
        ListJournal journal = new ListJournal();
        List<MoveEvent> events = new CopyOnWriteArrayList<>();
        BakeStep step = new BakeStep(LINE, List.of(router.traffic()), journal, a -> false, events::add,
                Clock.systemUTC());
        StepOutcome outcome = bake(step, attempt, journal, 10);
        assertThat(outcome.next()).as("verdicts: %s", journal.verdicts).isEqualTo(MoveState.ROLLBACK_FROZEN);
        assertThat(outcome.reason()).startsWith("rollback line crossed in two consecutive windows (1 and 2): ")
                .endsWith(": bad: p99 over its limit");
        assertThat(journal.verdicts).extracting(Verdict::judgement).containsExactly(Judgement.BAD, Judgement.BAD);
        assertThat(journal.verdicts).allSatisfy(v -> assertThat(v.detail()).contains(" (limit ")
                .doesNotContain(", fewer than"));
        assertThat(load.served("cloud 200")).isPositive();
        assertThat(load.served("legacy 200")).isPositive();
        assertThat(load.failures).isEmpty();
    }

    @Test
    void noAddedLatency_bakesToDone() throws Exception {
        load = new Load(router, 4, 20);
        MoveAttempt attempt = baselineThenSwitch();
        ListJournal journal = new ListJournal();
        // a 2 s p99 limit: a loaded test machine must not make an unslowed site look bad
        RollbackLineConfig lenient = new RollbackLineConfig(0.02, 2.0, Duration.ofSeconds(2), Duration.ofSeconds(2), 10,
                Duration.ofSeconds(6), 1, InconclusiveAction.WAIT_FOR_APPROVAL);
        BakeStep step = new BakeStep(lenient, List.of(router.traffic()), journal, a -> false, e -> { },
                Clock.systemUTC());
        StepOutcome outcome = bake(step, attempt, journal, 10);
        assertThat(outcome).as("verdicts: %s", journal.verdicts).isEqualTo(StepOutcome.go(MoveState.DONE,
                "baked: 3 healthy windows of 2s (0 bad, 0 inconclusive)"));
        assertThat(load.failures).isEmpty();
    }

    @Test
    void tooLittleTraffic_staysInconclusive_andWaitsForApprovalInsteadOfBaking() throws Exception {
        load = new Load(router, 6, 0);
        MoveAttempt attempt = baselineThenSwitch();
        load.close();
        load = new Load(router, 1, 1000); // about one request a second: under min-requests 10 per 2 s window
        ListJournal journal = new ListJournal();
        List<MoveEvent> events = new CopyOnWriteArrayList<>();
        BakeStep step = new BakeStep(LINE, List.of(router.traffic()), journal, a -> false, events::add,
                Clock.systemUTC());
        StepOutcome outcome = bake(step, attempt, journal, 2);
        assertThat(journal.verdicts).extracting(Verdict::judgement)
                .containsExactly(Judgement.INCONCLUSIVE, Judgement.INCONCLUSIVE);
        assertThat(outcome).isEqualTo(StepOutcome.stay(MoveState.BAKING, "bake inconclusive in 2 windows, more than "
                + "inconclusive.max-extensions 1: waiting for an operator's approval (hikkoshi approve)"));
        assertThat(events).extracting(e -> ((MoveEvent.Notice) e).text()).satisfiesExactly(
                first -> assertThat(first).startsWith("bake of acme extended (1 of 1): window 1: ")
                        .endsWith(", fewer than min-requests 10: inconclusive"),
                second -> assertThat(second).isEqualTo("bake inconclusive in 2 windows, more than "
                        + "inconclusive.max-extensions 1: waiting for an operator's approval (hikkoshi approve pilot)"));
        assertThat(load.served("cloud 200")).isPositive();
    }
}
