package dev.hikkoshi.cutover.migration;

import static dev.hikkoshi.cutover.migration.MoveWaits.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveEvent.Judgement;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.TrafficKey;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.cutover.move.NoteKeys;
import dev.hikkoshi.cutover.rollback.Baseline;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rollback line's baseline as {@code hikkoshi run} wires it (ControllerProcess over an in-process router, two
 * real MariaDB servers, the shop on each site): a tenant that was already slow on its old site (600 ms added on
 * the legacy shop) is as slow on the new site, which its own baseline allows (3x) though the absolute p99 limit
 * (300 ms) alone would have rolled it back; the baseline is journaled with its PLANNED -> COPYING transition. A
 * tenant without traffic before its move gets no usable baseline, and an event says so.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class BaselineIT {
    private static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");
    private static final Duration ABSOLUTE_P99 = Duration.ofMillis(300);
    private static final Pattern P99 = Pattern.compile(", p99 (\\d+) ms \\(limit (\\d+) ms, 3x baseline\\)");

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @Test
    void slowOnTheOldSiteAlready_sameLatencyOnTheNewSite_bakesByItsBaseline_whichIsJournaled(SchemaPair pair)
            throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(2);
        TenantId slow = tenants.get(0);
        TenantId quiet = tenants.get(1);
        Path state = dir.resolve("state");
        List<MoveEvent> events = new CopyOnWriteArrayList<>();
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, config(pair, shop, slow, quiet, state));
            shop.legacy().addLatency(slow, Duration.ofMillis(600));
            shop.cloud().addLatency(slow, Duration.ofMillis(600));
            ShopWorkload workload = ShopWorkload.create(11);
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                controller.board().subscribe(events::add);
                // only the slow tenant has traffic: the quiet one has none before (or after) its move
                LoadRun load = LoadGenerator.target(URI.create("http://127.0.0.1:" + router.proxyAddress().getPort()))
                        .tenants(List.of(slow)).addressing(TenantAddressing.host("{tenant}.shop.test"))
                        .workload(workload).clients(6).maxRequests(100_000).duration(Duration.ofMinutes(3)).build()
                        .start();
                // a whole evaluation window of the slow tenant's traffic on its old site before the move starts (a
                // cold JVM on a shared machine may take seconds before the first request is served)
                long warm = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (legacyRequests(router, slow) < 10 && System.nanoTime() < warm) {
                    Thread.sleep(200);
                }
                Thread.sleep(3_000);
                controller.operations().apply(new Actor("test"));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!(state(controller, slow).settled() || state(controller, slow) == MoveState.DONE
                        || state(controller, slow) == MoveState.ROLLBACK_FROZEN) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                load.stop();
                assertThat(load.await(Duration.ofSeconds(30))).isTrue();
                assertThat(load.workloadFailure()).isEmpty();
                assertThat(state(controller, slow)).as("events %s", events).isEqualTo(MoveState.DONE);
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (notices(events, quiet).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
        }

        List<MoveEvent.Verdict> verdicts = events.stream().filter(e -> e instanceof MoveEvent.Verdict v
                && v.tenant().equals(slow)).map(e -> (MoveEvent.Verdict) e).toList();
        assertThat(verdicts).as("verdicts").isNotEmpty().allSatisfy(v -> {
            assertThat(v.judgement()).as(v.detail()).isEqualTo(Judgement.HEALTHY);
            Matcher m = P99.matcher(v.detail());
            assertThat(m.find()).as(v.detail()).isTrue();
            // the absolute line alone would have judged this window bad
            assertThat(Long.parseLong(m.group(1))).as(v.detail()).isGreaterThan(ABSOLUTE_P99.toMillis());
            assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(Long.parseLong(m.group(2)));
        });
        assertThat(notices(events, slow)).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(MoveEvent.Severity.INFO);
            assertThat(n.text()).startsWith("baseline of " + slow + " on legacy over 3s: ")
                    .endsWith(" (a window on cloud may reach 3x of it where that exceeds the absolute thresholds)");
        });
        assertThat(notices(events, quiet)).singleElement().isEqualTo(new MoveEvent.Notice(quiet,
                MoveEvent.Severity.WARNING, "baseline of " + quiet + " on legacy over 3s: 0 requests, 5xx 0.00%, p99 -,"
                + " fewer than min-requests 5: the rollback line judges " + quiet + " by its absolute thresholds only"
                + " (5xx 5.00%, p99 300 ms)", notices(events, quiet).get(0).at()));

        List<JournalEntry.Transition> started = new ArrayList<>();
        try (Journal journal = Journal.openIn(state)) {
            for (JournalEntry e : journal.replayed()) {
                if (e instanceof JournalEntry.Transition t && t.to() == MoveState.COPYING) {
                    started.add(t);
                }
            }
        }
        JournalEntry.Transition slowStarted = started.stream().filter(t -> t.tenant().equals(slow)).findFirst()
                .orElseThrow();
        Baseline baseline = Baseline.parseNote(slowStarted.notes().get(NoteKeys.BASELINE));
        assertThat(baseline.requests()).isGreaterThanOrEqualTo(5);
        assertThat(baseline.p99().orElseThrow()).isGreaterThan(Duration.ofMillis(600));
        assertThat(slowStarted.reason()).endsWith("; baseline of " + slow + " on legacy over 3s: "
                + baseline.describe());
        JournalEntry.Transition quietStarted = started.stream().filter(t -> t.tenant().equals(quiet)).findFirst()
                .orElseThrow();
        assertThat(Baseline.parseNote(quietStarted.notes().get(NoteKeys.BASELINE)).requests()).isZero();
    }

    private static long legacyRequests(Router router, TenantId tenant) {
        return router.traffic().window(Duration.ofSeconds(3)).get(new TrafficKey(tenant.value(), ShopSites.LEGACY))
                .requests();
    }

    private static List<MoveEvent.Notice> notices(List<MoveEvent> events, TenantId tenant) {
        return events.stream().filter(e -> e instanceof MoveEvent.Notice n && n.tenant().equals(tenant)
                && n.text().contains("baseline of ")).map(e -> (MoveEvent.Notice) e).toList();
    }

    private static String config(SchemaPair pair, ShopSites shop, TenantId slow, TenantId quiet, Path state) {
        return ShopMigrationConfig.of(pair, shop, state).plan(
                "parallel-moves: 2",
                "waves: [ { name: pilot, tenants: [" + slow + ", " + quiet + "] } ]",
                "freeze: { max: 8s }",
                "rollback-line: { error-rate: 5%, relative: 3x, p99: 300ms, window: 3s, min-requests: 5, bake: 6s,",
                "                 inconclusive: { max-extensions: 1, then: wait-for-approval } }").text();
    }
}
