package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.cutover.control.PlanSettings;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlanFile;
import dev.hikkoshi.cutover.plan.PlanSummary;
import dev.hikkoshi.cutover.plan.Planner;
import dev.hikkoshi.cutover.plan.RouterReadings;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import dev.hikkoshi.sandbox.shop.TenantRowsComparison;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo migration: writes the config, starts the real router and controller from it, puts the shop's load on
 * the router, applies the plan's waves, follows them until every move has settled (printing progress through
 * {@link DemoProgress}), then stops the load and collects what the report judges: final statuses, freeze times,
 * the acknowledged writes on each tenant's final site and each moved tenant's rows compared between the sites.
 */
final class DemoRun {
    private static final Logger log = LoggerFactory.getLogger(DemoRun.class);
    /** Moves in these states are still under way. */
    private static final Set<MoveState> SETTLED = EnumSet.of(MoveState.PLANNED, MoveState.DONE, MoveState.FINALIZED,
            MoveState.FAILED, MoveState.ROLLED_BACK);
    /** Room for every wave on a busy 2-core machine; a healthy run of 20 tenants takes about a minute. */
    private static final Duration PLAN_LIMIT = Duration.ofSeconds(150);
    /** How long the reverse streams get to carry the last writes back before rows are compared. */
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    private DemoRun() {
    }

    static DemoOutcome run(Path dir, DemoDatabases databases, ShopSites shop, DemoScenario scenario, Instant start,
                           DemoProgress progress) throws IOException, InterruptedException, SQLException {
        Path file = DemoConfig.write(dir, shop, databases, scenario);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put(DemoConfig.ROUTER_TOKEN_ENV, randomToken());
        environment.put(DemoConfig.OPS_TOKEN_ENV, randomToken());
        scenario.slow().ifPresent(t -> shop.cloud().addLatency(t, DemoScenario.LATENCY));
        Map<TenantId, Long> rows = new LinkedHashMap<>();
        for (TenantId t : scenario.names()) {
            rows.put(t, TenantRowsComparison.read(t, databases.legacy()).stream()
                    .mapToLong(TenantRowsComparison.TableRows::rows).sum());
        }
        ConfigDocument document = ConfigDocument.read(file, environment);
        ShopWorkload workload = ShopWorkload.create(start.toEpochMilli());
        try (Router router = Router.start(file, environment);
             ControllerProcess controller = ControllerProcess.start(document, file, List.of(router.control()),
                     List.of(router.traffic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                     Clock.systemUTC())) {
            progress.statusFrom(t -> controller.board().status(t));
            controller.board().subscribe(progress);
            URI proxy = uri(router.proxyAddress());
            try (LoadRun load = LoadGenerator.target(proxy).tenants(scenario.names())
                    .addressing(TenantAddressing.host(DemoConfig.HOST_PATTERN)).workload(workload)
                    .clients(scenario.clients()).rate(scenario.rate()).maxRequests(1_000_000)
                    .duration(PLAN_LIMIT.plus(CATCH_UP).plusSeconds(30)).build().start()) {
                progress.say(String.format(Locale.ROOT, "load: %d clients, %.0f requests a second over %d tenants"
                        + " through the router", scenario.clients(), scenario.rate(), scenario.tenants()));
                Thread.sleep(3_000); // the rollback line's baseline: the tenants' traffic on the old site first
                // hikkoshi plan, then hikkoshi apply PLAN, as an operator runs them (in process here).
                Plan plan;
                try (Planner planner = Planner.open(document, Clock.systemUTC())) {
                    progress.say("hikkoshi plan: sizes, a throughput sample over the real link, estimates, preflight");
                    plan = planner.plan(Optional.empty(), RouterReadings.of(List.of("in-process"),
                            List.of(router.traffic()), List.of(router.inFlight())));
                    progress.block(PlanSummary.render(plan, planner.rollbackLine()));
                }
                PlanFile.write(dir.resolve("plan.json"), plan);
                Instant applied = Instant.now();
                controller.operations().adopt(new Actor("demo"), plan);
                progress.say("hikkoshi apply " + dir.resolve("plan.json") + ": the world matches the plan's"
                        + " fingerprint; its waves run");
                List<PlanSettings.Wave> waves = controller.controller().waves();
                Map<TenantId, Duration> estimates = new LinkedHashMap<>();
                plan.waves().forEach(w -> w.moves().forEach(m -> estimates.put(m.tenant(), m.copyEstimate())));
                Map<TenantId, Duration> freezes = new HashMap<>();
                awaitSettled(controller, freezes);
                progress.say(controller.controller().running() ? "the plan did not finish in "
                        + PLAN_LIMIT.toSeconds() + " s" : "every wave has run");
                load.stop();
                if (!load.await(Duration.ofSeconds(30))) {
                    log.warn("some load clients were still waiting for an answer after 30 s");
                }
                progress.say("load stopped; comparing the moved tenants' rows on cloud and legacy");
                Map<TenantId, TenantRowsComparison.Result> compared = compareMoved(controller, databases);
                List<MoveStatus> moves = controller.controller().status().moves();
                for (MoveStatus m : moves) {
                    m.freezeTime().ifPresent(f -> freezes.merge(m.tenant(), f, DemoRun::longer));
                }
                Map<SiteId, List<TenantId>> bySite = new LinkedHashMap<>();
                for (TenantId t : scenario.names()) {
                    SiteId site = DemoOutcome.finalSite(moves.stream().filter(m -> m.tenant().equals(t)).findFirst(),
                            ShopSites.LEGACY);
                    bySite.computeIfAbsent(site, s -> new ArrayList<>()).add(t);
                }
                Map<SiteId, AckedWritesCheck.Report> acked = new LinkedHashMap<>();
                for (Map.Entry<SiteId, List<TenantId>> e : bySite.entrySet()) {
                    SandboxSchema database = e.getKey().equals(ShopSites.CLOUD) ? databases.cloud() : databases.legacy();
                    acked.put(e.getKey(), AckedWritesCheck.check(workload.exchanges(), e.getValue(), database));
                }
                return new DemoOutcome(file, proxy, controller.adminUrl(), scenario, start, applied, Instant.now(),
                        waves, rows, estimates, progress.transitions(), moves, freezes,
                        controller.controller().status().pauseReason(), workload.exchanges(), acked, compared,
                        load.workloadFailure().map(RuntimeException::toString));
            }
        }
    }

    /** Waits until the plan's walk has ended and no move is under way, or the limit; notes freeze times. */
    private static void awaitSettled(ControllerProcess controller, Map<TenantId, Duration> freezes)
            throws InterruptedException {
        long deadline = System.nanoTime() + PLAN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<MoveStatus> moves = controller.controller().status().moves();
            // A move's status holds the freeze time of its current attempt only, and a rolled-back move is
            // planned again: the longest one seen while polling is what the report shows.
            for (MoveStatus m : moves) {
                m.freezeTime().ifPresent(f -> freezes.merge(m.tenant(), f, DemoRun::longer));
            }
            if (!controller.controller().running() && moves.stream().allMatch(m -> SETTLED.contains(m.state()))) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Each tenant on cloud, compared with its rows on legacy, where the reverse sync keeps them: retried until
     * equal or {@link #CATCH_UP} has passed, since the last writes may still be on their way.
     */
    private static Map<TenantId, TenantRowsComparison.Result> compareMoved(ControllerProcess controller,
                                                                          DemoDatabases databases)
            throws SQLException, InterruptedException {
        List<TenantId> moved = controller.controller().status().moves().stream()
                .filter(m -> m.state().onNewSite()).map(MoveStatus::tenant).sorted().toList();
        Map<TenantId, TenantRowsComparison.Result> results = new LinkedHashMap<>();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        for (TenantId t : moved) {
            TenantRowsComparison.Result r = TenantRowsComparison.compare(t, databases.cloud(), databases.legacy());
            while (!r.equal() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                r = TenantRowsComparison.compare(t, databases.cloud(), databases.legacy());
            }
            results.put(t, r);
        }
        return results;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static URI uri(InetSocketAddress address) {
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }
}
