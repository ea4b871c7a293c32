package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RouterControl.FreezeReport;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Completed;
import dev.hikkoshi.sandbox.http.ExchangeEvent.Marker;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's script: every tenant placed on the old site, load on all of them, then one tenant's rows copied to
 * the new site's database and verified, then that tenant frozen, placed on the new site and released while the
 * load goes on. It drives the router only through {@link RouterControl},
 * as the controller will. Used by {@link DemoCommand}.
 */
final class DemoScenario {
    private static final Logger log = LoggerFactory.getLogger(DemoScenario.class);
    static final String HOST_PATTERN = "{tenant}.demo.test";
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);
    static final Duration OTHERS_LIMIT = Duration.ofSeconds(6);
    /**
     * The load runs until the script stops it; its own time limit is only a backstop, so it must cover the data
     * step (a copy and a verification whose time depends on the machine) as well as the phases.
     */
    private static final Duration DATA_LIMIT = Duration.ofMinutes(5);

    /** How long each phase lasts and how much load runs. */
    record Timing(Duration before, Duration frozen, Duration after, int clients, Duration serverTime) {
    }

    /** Copies and verifies the moved tenant's rows; run before the freeze. */
    interface DataStep {
        TenantDataMove.Figures run() throws InterruptedException;
    }

    private final List<TenantId> tenants;
    private final TenantId moved;
    private final SiteId from;
    private final SiteId to;
    private final Timing timing;
    private final List<DemoOutcome.Step> timeline = new ArrayList<>();

    DemoScenario(List<TenantId> tenants, TenantId moved, SiteId from, SiteId to, Timing timing) {
        this.tenants = List.copyOf(tenants);
        this.moved = moved;
        this.from = from;
        this.to = to;
        this.timing = timing;
    }

    DemoOutcome run(ExchangeLog exchanges, Map<SiteId, URI> sites, URI router, Path config, RouterControl control,
                    DataStep data) throws InterruptedException {
        Instant start = Instant.now();
        Map<TenantId, Placement> placements = new HashMap<>();
        tenants.forEach(t -> placements.put(t, Placement.at(from)));
        long v1 = control.push(new RoutingTable(control.appliedVersion() + 1, placements));
        step("table v" + v1 + " pushed to the router (" + control.name() + "): every tenant on " + from);

        String path = "/orders?delay-ms=" + timing.serverTime().toMillis();
        Duration total = timing.before().plus(timing.frozen()).plus(timing.after());
        LoadGenerator load = LoadGenerator.target(router).tenants(tenants)
                .addressing(TenantAddressing.host(HOST_PATTERN)).path(path).clients(timing.clients())
                .maxRequests(1_000_000).duration(total.plus(DATA_LIMIT)).requestTimeout(Duration.ofSeconds(20)).build();
        FreezeReport freeze;
        Marker freezeReturned;
        Marker releaseRequested;
        try (LoadRun run = load.start()) {
            step("load started: " + timing.clients() + " clients on " + tenants.size() + " tenants");
            // A cold JVM on a busy machine can take seconds for the first answers; the move starts under
            // steady load, not before the first request of a tenant was even served.
            for (TenantId t : tenants) {
                awaitCompleted(exchanges, c -> c.request().tenant().equals(Optional.of(t.value())), WARM_UP_LIMIT);
            }
            step("every tenant answered by " + from);
            Thread.sleep(timing.before().toMillis());

            // Bulk copy and verification only: change streams are not part of a move until the cutover engine, so
            // the load does not write to the database and the copy taken here stays equal until the switch.
            step("copy " + moved + "'s rows from " + from + "'s database to " + to + "'s");
            TenantDataMove.Figures figures = data.run();
            step(figures.describe());

            step("freeze " + moved + " requested");
            freeze = control.freeze(moved, Duration.ofSeconds(5));
            freezeReturned = exchanges.mark("freeze " + moved + " returned");
            step("freeze " + moved + " returned: " + freeze.drainedRequests() + " in-flight request(s) to " + from
                    + " drained in " + freeze.drainTime().toMillis() + " ms");

            placements.put(moved, new Placement(to, true));
            long v2 = control.push(new RoutingTable(control.appliedVersion() + 1, placements));
            step("table v" + v2 + " pushed: " + moved + " on " + to + ", still frozen");
            Thread.sleep(timing.frozen().toMillis());
            // Show that the freeze holds only this tenant: stay frozen until another tenant has been served
            // meanwhile (bounded well below the router's max-hold, after which held requests would get 503).
            long frozenAt = freezeReturned.sequence();
            awaitCompleted(exchanges, c -> c.sequence() > frozenAt
                    && !c.request().tenant().equals(Optional.of(moved.value())), OTHERS_LIMIT);

            releaseRequested = exchanges.mark("release " + moved + " requested");
            step("release " + moved + " requested");
            control.release(moved);
            step("release " + moved + " returned (router table v" + control.appliedVersion() + ")");
            Thread.sleep(timing.after().toMillis());

            run.stop();
            step("load stopped after " + run.sent() + " requests; waiting for the last answers");
            if (!run.await(Duration.ofSeconds(30))) {
                log.warn("some load clients were still waiting for an answer after 30 s");
            }
            step("all answers in");
            return new DemoOutcome(sites, router, config, tenants, timing.clients(), HOST_PATTERN, path, moved, from,
                    to, start, timeline, figures, freeze, freezeReturned,
                    releaseRequested, run.responses(), exchanges);
        }
    }

    /** Waits for a completed exchange at the backends; on timeout goes on (the report's checks will say). */
    private static void awaitCompleted(ExchangeLog exchanges, Predicate<Completed> condition, Duration limit)
            throws InterruptedException {
        try {
            exchanges.await(Completed.class, condition, limit);
        } catch (TimeoutException e) {
            log.warn("waited {} ms for an answer at the sites: {}", limit.toMillis(), e.getMessage());
        }
    }

    private void step(String what) {
        log.info("{}", what);
        timeline.add(new DemoOutcome.Step(Instant.now(), what));
    }
}
