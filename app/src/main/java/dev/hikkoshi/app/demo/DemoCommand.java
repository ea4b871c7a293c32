package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveEvent;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.move.MoveStatus;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerOperations.Actor;
import dev.hikkoshi.cutover.control.ControllerOperations.ControllerStatus;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.http.LoadGenerator;
import dev.hikkoshi.sandbox.http.LoadRun;
import dev.hikkoshi.sandbox.http.TenantAddressing;
import dev.hikkoshi.sandbox.shop.AckedWritesCheck;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import dev.hikkoshi.sandbox.shop.ShopWorkload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi demo}: a whole staged migration with an automatic rollback on one machine. Two sandbox MariaDB
 * servers and a sandbox shop app per site stand in for the legacy and the cloud site; a real router and the real
 * controller ({@link ControllerProcess}: journal, steps, rollback line, admin API) start from a config file
 * written into a temporary directory and read by the normal config loader. The shop's load reads and writes four
 * tenants' orders through the router while a wave of two moves to cloud: one bakes healthy to DONE, the other is
 * slowed down on cloud so that its rollback line rolls it back by itself. Prints what happened and the named
 * checks; exits 0 only when every check held.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Moves a wave of two shop tenants from a legacy site to a cloud site under load with the real"
                + " engine, on this machine; one is slow on cloud and is rolled back automatically. Reports every"
                + " transition and the checks that prove no request failed and no write was lost or misrouted.")
public final class DemoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    private static final int TENANTS = 4;
    private static final int CLIENTS = 8;
    /** Well above the rollback line's p99 of 300 ms, so every window of the slow tenant on cloud is bad. */
    private static final Duration LATENCY = Duration.ofMillis(700);
    /** Room for the whole wave on a busy machine; a healthy run ends within seconds of the second bake. */
    private static final Duration MOVE_LIMIT = Duration.ofSeconds(90);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "refused: the demo writes its own config file and prints where")
    Path config;

    @Option(names = "--keep", description = "keep the demo's directory (config, journal)")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException, SQLException {
        if (config != null) {
            throw new UserException("hikkoshi demo does not take a config file (given: " + config + ")",
                    "run 'hikkoshi demo' alone: it writes its own config into a temporary directory and prints where");
        }
        Instant start = Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("hikkoshi-demo-");
        // Servers and directories go away on every path out, Ctrl-C included: the hook runs the same cleanup
        // as the finally block, whichever comes first.
        Cleanup cleanup = new Cleanup(keep ? null : dir);
        Thread hook = new Thread(cleanup, "hikkoshi-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoDatabases databases = cleanup.add(DemoDatabases.start());
            List<TenantId> tenants = ShopSeed.tenantNames(TENANTS);
            try (ShopSites shop = ShopSites.start(databases.legacy(), databases.cloud(), tenants, ShopSeed.small())) {
                DemoOutcome outcome = migrate(dir, databases, shop, tenants, start);
                DemoReport report = new DemoReport(outcome);
                out.print(report.render());
                out.flush();
                return report.ok() ? 0 : 1;
            }
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting and runs the hook (a no-op now): nothing to remove.
            }
            if (keep) {
                out.println("kept " + dir);
                out.flush();
            }
        }
    }

    /** Starts the router and the controller from the written config, applies the plan under load, and collects. */
    private static DemoOutcome migrate(Path dir, DemoDatabases databases, ShopSites shop, List<TenantId> tenants,
                                       Instant start) throws IOException, InterruptedException, SQLException {
        TenantId healthy = tenants.get(0);
        TenantId slow = tenants.get(1);
        Path file = DemoConfig.write(dir, shop, databases, healthy, slow);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put(DemoConfig.ROUTER_TOKEN_ENV, randomToken());
        environment.put(DemoConfig.OPS_TOKEN_ENV, randomToken());
        shop.cloud().addLatency(slow, LATENCY);
        ConfigDocument document = ConfigDocument.read(file, environment);
        List<MoveEvent.Transition> transitions = new CopyOnWriteArrayList<>();
        ShopWorkload workload = ShopWorkload.create(start.toEpochMilli());
        try (Router router = Router.start(file, environment);
             ControllerProcess controller = ControllerProcess.start(document, file, List.of(router.control()),
                     List.of(router.traffic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                     Clock.systemUTC())) {
            controller.board().subscribe(e -> {
                if (e instanceof MoveEvent.Transition t) {
                    log.info("{}: {} -> {}: {}", t.tenant(), t.from(), t.to(), t.reason());
                    transitions.add(t);
                }
            });
            URI proxy = uri(router.proxyAddress());
            Instant applied;
            ControllerStatus status;
            try (LoadRun load = LoadGenerator.target(proxy).tenants(tenants)
                    .addressing(TenantAddressing.host(DemoConfig.HOST_PATTERN)).workload(workload).clients(CLIENTS)
                    .maxRequests(200_000).duration(MOVE_LIMIT.plusSeconds(30)).build().start()) {
                Thread.sleep(1_000); // the rollback line's baseline: some traffic on the old site first
                applied = Instant.now();
                controller.operations().apply(new Actor("demo"));
                long deadline = System.nanoTime() + MOVE_LIMIT.toNanos();
                // A move's status holds the freeze time of its current attempt only, and a rolled-back move is
                // planned again: the longest one seen while polling is what the report shows.
                Map<TenantId, Duration> freezes = new HashMap<>();
                while (!(state(controller, healthy, freezes) == MoveState.DONE && rolledBack(transitions, slow))
                        && !state(controller, healthy, freezes).settled() && !state(controller, slow, freezes).settled()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                Thread.sleep(1_000); // the rolled-back tenant is served by the old site again for a moment
                load.stop();
                if (!load.await(Duration.ofSeconds(30))) {
                    log.warn("some load clients were still waiting for an answer after 30 s");
                }
                status = controller.controller().status();
                for (TenantId t : tenants) {
                    state(controller, t, freezes);
                }
                Map<SiteId, List<TenantId>> bySite = new LinkedHashMap<>();
                for (TenantId t : tenants) {
                    SiteId site = DemoOutcome.finalSite(status.moves().stream().filter(m -> m.tenant().equals(t))
                            .findFirst(), ShopSites.LEGACY);
                    bySite.computeIfAbsent(site, s -> new ArrayList<>()).add(t);
                }
                Map<SiteId, AckedWritesCheck.Report> acked = new LinkedHashMap<>();
                for (Map.Entry<SiteId, List<TenantId>> e : bySite.entrySet()) {
                    SandboxSchema database = e.getKey().equals(ShopSites.CLOUD) ? databases.cloud() : databases.legacy();
                    acked.put(e.getKey(), AckedWritesCheck.check(workload.exchanges(), e.getValue(), database));
                }
                return new DemoOutcome(file, proxy, controller.adminUrl(), tenants, healthy, slow, LATENCY, CLIENTS,
                        start, applied, Instant.now(), transitions, status.moves(), freezes, status.pauseReason(),
                        workload.exchanges(), acked, load.workloadFailure().map(RuntimeException::toString));
            }
        }
    }

    private static boolean rolledBack(List<MoveEvent.Transition> transitions, TenantId tenant) {
        return transitions.stream().anyMatch(t -> t.tenant().equals(tenant) && t.to() == MoveState.ROLLED_BACK);
    }

    /** {@code tenant}'s state now; notes its freeze time in {@code freezes} when longer than the one noted. */
    private static MoveState state(ControllerProcess controller, TenantId tenant, Map<TenantId, Duration> freezes) {
        Optional<MoveStatus> move = controller.controller().status().moves().stream()
                .filter(m -> m.tenant().equals(tenant)).findFirst();
        move.flatMap(MoveStatus::freezeTime).ifPresent(f -> freezes.merge(tenant, f, (a, b) -> a.compareTo(b) >= 0 ? a : b));
        return move.map(MoveStatus::state).orElse(MoveState.PLANNED);
    }

    /** Stops the demo's databases and removes its directory, once, from the finally block or the shutdown hook. */
    private static final class Cleanup implements Runnable {
        private final Path dir;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile DemoDatabases databases;

        Cleanup(Path dir) {
            this.dir = dir;
        }

        DemoDatabases add(DemoDatabases started) {
            databases = started;
            if (done.get()) {
                // The hook ran while the servers were starting: stop them rather than leave them behind.
                started.close();
            }
            return started;
        }

        @Override
        public void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                DemoDatabases started = databases;
                if (started != null) {
                    started.close();
                }
            } finally {
                if (dir != null) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static URI uri(InetSocketAddress address) {
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the demo's directory " + dir, e);
        }
    }
}
