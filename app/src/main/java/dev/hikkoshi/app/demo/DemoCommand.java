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
 * controller ({@link dev.hikkoshi.cutover.control.ControllerProcess}: journal, steps, rollback line, admin API)
 * start from a config file written into a temporary directory and read by the normal config loader. The shop's
 * load reads and writes every tenant's orders through the router while three waves move them to cloud (a pilot,
 * half of the rest, the remainder); one tenant is slowed down on cloud so that its rollback line sends it back by
 * itself. Prints progress as it goes, then the report ({@link DemoReport}); exits 0 only when every check held.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Moves the sample shop's tenants from a legacy site to a cloud site in three waves under load"
                + " with the real engine, on this machine; one tenant is slow on cloud and is rolled back"
                + " automatically. Reports every transition and the checks that prove no request failed and no write"
                + " was lost or misrouted.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "refused: the demo writes its own config file and prints where")
    Path config;

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "20",
            description = "how many shop tenants (4 to 200, default ${DEFAULT-VALUE}); sizes are skewed")
    int tenants;

    @Option(names = "--steady-writes", paramLabel = "PER_SECOND",
            description = "benchmark mode: no slow tenant, and the load paced to this many writes a second")
    Double steadyWrites;

    @Option(names = "--keep", description = "keep the demo's directory (config, journal) and both servers' data"
            + " directories (binlogs included)")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException, SQLException {
        if (config != null) {
            throw new UserException("hikkoshi demo does not take a config file (given: " + config + ")",
                    "run 'hikkoshi demo' alone: it writes its own config into a temporary directory and prints where");
        }
        if (tenants < 4 || tenants > 200) {
            throw new UserException("--tenants must be 4 to 200, not " + tenants, "the default is 20");
        }
        if (steadyWrites != null && !(steadyWrites > 0 && steadyWrites <= 5_000)) {
            throw new UserException("--steady-writes must be above 0 and at most 5000, not " + steadyWrites,
                    "bench/cutover.sh uses 200");
        }
        DemoScenario scenario = steadyWrites == null ? DemoScenario.standard(tenants)
                : DemoScenario.steadyWrites(tenants, steadyWrites, ShopWorkload.Mix.DEFAULT.writeShare());
        Instant start = Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("hikkoshi-demo-");
        // Servers and directories go away on every path out, Ctrl-C included: the hook runs the same cleanup
        // as the finally block, whichever comes first.
        Cleanup cleanup = new Cleanup(keep ? null : dir);
        Thread hook = new Thread(cleanup, "hikkoshi-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoProgress progress = new DemoProgress(out, start);
            progress.say("starting two MariaDB servers (legacy and cloud) and the shop on each");
            DemoDatabases databases = cleanup.add(DemoDatabases.start());
            if (keep) {
                List<Path> kept = databases.keepDataOnClose();
                progress.say("--keep: " + dir + " and the data directories of legacy (" + kept.get(0) + ") and cloud ("
                        + kept.get(1) + "), binlogs included, stay after the demo");
            }
            try (ShopSites shop = ShopSites.start(databases.legacy(), databases.cloud(), scenario.names(),
                    scenario.seed())) {
                progress.say("seeded " + scenario.tenants() + " tenants on legacy");
                DemoOutcome outcome = DemoRun.run(dir, databases, shop, scenario, start, progress);
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
        }
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
