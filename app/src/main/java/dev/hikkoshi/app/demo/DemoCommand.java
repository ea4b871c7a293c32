package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.router.admin.HttpRouterControl;
import dev.hikkoshi.sandbox.http.ExchangeLog;
import dev.hikkoshi.sandbox.http.RecordingBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hikkoshi demo}: the product on one machine. Two recording backends and two sandbox MariaDB servers
 * stand in for the legacy and the cloud site, a real router (started from a config file written into a
 * temporary directory) sits in front, clients load several tenants, and one tenant's rows are copied to the
 * cloud database and verified, then the tenant is frozen, placed on the cloud site and released while the load
 * goes on. Prints what happened and the checks that prove it; exits 0 only when every check held.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Copies and verifies one tenant's rows, then moves the tenant from a legacy site to a cloud site"
                + " under load, on this machine, and reports what every client saw.")
public final class DemoCommand implements Callable<Integer> {
    private static final SiteId LEGACY = SiteId.of("legacy");
    private static final SiteId CLOUD = SiteId.of("cloud");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "refused: the demo writes its own config file and prints where")
    Path config;

    @Option(names = "--tenants", split = ",", paramLabel = "NAME",
            description = "the tenants under load (default: ${DEFAULT-VALUE})", defaultValue = "acme,globex,initech,umbrella")
    List<String> tenantNames;

    @Option(names = "--move", paramLabel = "TENANT", description = "the tenant to move (default: the first one)")
    String move;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8",
            description = "concurrent keep-alive clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--before", paramLabel = "DURATION", defaultValue = "2s",
            description = "load before the freeze (default: ${DEFAULT-VALUE})")
    String before;

    @Option(names = "--frozen", paramLabel = "DURATION", defaultValue = "1s",
            description = "how long the tenant stays frozen (default: ${DEFAULT-VALUE})")
    String frozen;

    @Option(names = "--after", paramLabel = "DURATION", defaultValue = "2s",
            description = "load after the release (default: ${DEFAULT-VALUE})")
    String after;

    @Option(names = "--admin-api", description = "drive the router over its admin API with a bearer token, as a"
            + " separate controller does (default: in process, as 'hikkoshi run' does)")
    boolean adminApi;

    @Option(names = "--keep", description = "keep the demo's directory (config, routing table state)")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (config != null) {
            throw new UserException("hikkoshi demo does not take a config file (given: " + config + ")",
                    "run 'hikkoshi demo' alone: it writes its own config into a temporary directory and prints where");
        }
        List<TenantId> tenants = tenants();
        TenantId moved = move == null ? tenants.get(0) : TenantId.of(move);
        if (!tenants.contains(moved)) {
            throw new UserException("--move " + moved + " is not one of the tenants under load (" + tenantNames + ")",
                    "name one of them, or add it to --tenants");
        }
        if (clients < tenants.size() || clients > 256) {
            throw new UserException("--clients " + clients + " must be from " + tenants.size()
                    + " (one per tenant) to 256", "pass --clients " + Math.max(8, tenants.size()));
        }
        DemoScenario.Timing timing = new DemoScenario.Timing(duration("--before", before),
                duration("--frozen", frozen), duration("--after", after), clients, Duration.ofMillis(20));

        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("hikkoshi-demo-");
        // Servers and directories go away on every path out, Ctrl-C included: the hook runs the same cleanup
        // as the finally block, whichever comes first.
        Cleanup cleanup = new Cleanup(keep ? null : dir);
        Thread hook = new Thread(cleanup, "hikkoshi-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        ExchangeLog exchanges = new ExchangeLog();
        try (RecordingBackend legacy = RecordingBackend.start(LEGACY, exchanges);
             RecordingBackend cloud = RecordingBackend.start(CLOUD, exchanges)) {
            DemoDatabases databases = cleanup.add(DemoDatabases.start(tenants));
            Map<SiteId, URI> sites = new LinkedHashMap<>();
            sites.put(LEGACY, legacy.uri());
            sites.put(CLOUD, cloud.uri());
            Path file = DemoConfig.write(dir, sites,
                    Map.of(LEGACY, databases.url(databases.legacy()), CLOUD, databases.url(databases.cloud())),
                    tenants, timing.frozen().plus(DemoScenario.OTHERS_LIMIT).plusSeconds(10));
            Map<String, String> environment = new HashMap<>(System.getenv());
            String token = randomToken();
            environment.put(DemoConfig.TOKEN_ENV, token);
            try (Router router = Router.start(file, environment);
                 DataContext data = DataContext.open(ConfigDocument.read(file), Optional.of(LEGACY), Optional.of(CLOUD), 16)) {
                URI proxy = uri(router.proxyAddress());
                RouterControl control = adminApi
                        ? new HttpRouterControl(uri(router.adminAddress()), token, Duration.ofSeconds(30))
                        : router.control();
                Tenant tenant = data.tenant(moved.value());
                DemoOutcome outcome = new DemoScenario(tenants, moved, LEGACY, CLOUD, timing)
                        .run(exchanges, sites, proxy, file, control, () -> TenantDataMove.run(data, tenant));
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

    private List<TenantId> tenants() {
        List<TenantId> tenants = new ArrayList<>();
        for (String name : tenantNames) {
            if (!TenantId.isValid(name)) {
                throw new UserException("--tenants: " + name + " is not a tenant name",
                        "use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            if (!tenants.contains(TenantId.of(name))) {
                tenants.add(TenantId.of(name));
            }
        }
        return tenants;
    }

    private static Duration duration(String option, String text) {
        return DurationText.parse(text)
                .filter(d -> d.compareTo(Duration.ofMillis(100)) >= 0 && d.compareTo(Duration.ofMinutes(5)) <= 0)
                .orElseThrow(() -> new UserException(option + " " + text + " is not a duration from 100ms to 5m",
                        "write it like 2s or 500ms"));
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
