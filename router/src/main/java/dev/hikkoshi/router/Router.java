package dev.hikkoshi.router;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.TrafficWindow;
import dev.hikkoshi.router.admin.AdminServer;
import dev.hikkoshi.router.config.RouterConfig;
import dev.hikkoshi.router.freeze.FreezeGate;
import dev.hikkoshi.router.metrics.RouterMetrics;
import dev.hikkoshi.router.proxy.ProxyServer;
import dev.hikkoshi.router.resolve.TenantResolver;
import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.site.SitePools;
import dev.hikkoshi.router.table.RoutingTableHolder;
import dev.hikkoshi.router.table.RoutingTableStore;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router, assembled from a config file: the routing table (loaded from the state directory), the tenant
 * resolver, the freeze gate, the site pools with their health checks, metrics and the traffic window, the
 * proxy and the admin API. {@code hikkoshi router} and {@code hikkoshi run} start one; tests start several.
 *
 * <p>Reload validates the new file completely first; if it has any problem the old config keeps serving and
 * the problems are thrown. Resolution rules, tenants, unknown-tenant and freeze limits apply at once; listen
 * addresses, proxy settings, admin tokens, sites and the state directory need a restart, which the reload's
 * answer says.
 */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Path configFile;
    private final Map<String, String> environment;
    private final AtomicReference<RouterConfig> config;
    private final RoutingTableHolder table;
    private final FreezeGate gate;
    private final TenantResolver resolver;
    private final SitePools pools;
    private final RouterMetrics metrics;
    private final RouterTrafficWindow traffic;
    private final InProcessRouterControl control;
    private final ProxyServer proxy;
    private AdminServer admin;

    private Router(Path configFile, Map<String, String> environment, RouterConfig initial) {
        this.configFile = configFile;
        this.environment = Map.copyOf(environment);
        this.config = new AtomicReference<>(initial);
        this.table = RoutingTableHolder.persistent(new RoutingTableStore(initial.stateDir()), initial.siteIds());
        this.gate = new FreezeGate(table, initial.freeze(), "in-process");
        this.resolver = new TenantResolver(initial, table);
        this.pools = new SitePools(initial.sites(), this::backgroundFailure);
        this.metrics = new RouterMetrics(RouterMetrics.newRegistry());
        this.traffic = new RouterTrafficWindow(initial.trafficBucket(), RouterTrafficWindow.DEFAULT_RETENTION,
                java.time.Clock.systemUTC());
        this.control = new InProcessRouterControl(table, gate, config::get);
        ExchangeObserver observer = exchange -> {
            metrics.completed(exchange);
            traffic.completed(exchange);
        };
        this.proxy = new ProxyServer(initial.proxy(), resolver, gate, pools, observer);
    }

    /**
     * Reads and validates the config file, then starts every part; returns once both listeners are bound.
     *
     * @throws ConfigException listing every problem of the file
     * @throws dev.hikkoshi.core.UserException when a listener cannot be bound or the state is unusable
     */
    public static Router start(Path configFile, Map<String, String> environment) {
        RouterConfig config = RouterConfig.load(ConfigDocument.read(configFile, environment));
        leakDetectionOffUnlessAsked();
        Router router = new Router(configFile, environment, config);
        try {
            router.pools.start();
            router.metrics.bindHeldRequests(router.gate::heldTotal);
            router.metrics.bindUpstreams(router.pools);
            router.proxy.start();
            router.admin = new AdminServer(config.admin(), router.control, router.traffic, router.gate, router::reload,
                    router.metrics.registry()).start();
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        log.info("router started: proxy on {}, admin API on {}, routing table version {}", router.proxyAddress(),
                router.adminAddress(), router.table.version());
        return router;
    }

    /**
     * Netty's default leak detection (SIMPLE) wraps one buffer in 128 and records a stack trace for it: in a
     * JFR profile of the proxy under load that was about 1% of its CPU, for a check the tests already make
     * on every buffer (they run with {@code -Dio.netty.leakDetection.level=paranoid}). A level asked for on
     * the command line is kept, so an operator chasing a leak can still turn it on.
     */
    private static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    public InetSocketAddress proxyAddress() {
        return proxy.boundAddress();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The in-process control of this router (what {@code hikkoshi run}'s controller drives). */
    public RouterControl control() {
        return control;
    }

    /** The routing table this router routes with now. */
    public RoutingTable routingTable() {
        return table.current();
    }

    /** Requests held now per frozen tenant (for the admin API, tests and the demo). */
    public Map<TenantId, Integer> heldCounts() {
        return gate.heldCounts();
    }

    public TrafficWindow traffic() {
        return traffic;
    }

    /** The requests in flight now, per tenant (what {@code GET /open-requests} serves). */
    public InFlightRequests inFlight() {
        return gate;
    }

    public RouterConfig config() {
        return config.get();
    }

    /**
     * Re-reads the config file and applies it if it is valid (the admin API's POST /reload and SIGHUP).
     *
     * @return one line saying what was applied and what needs a restart
     * @throws ConfigException listing every problem; the old config keeps serving
     */
    public synchronized String reload() {
        RouterConfig old = config.get();
        ConfigDocument document = ConfigDocument.read(configFile, environment);
        RouterConfig next = RouterConfig.load(document);
        Map<SiteId, List<String>> removed = new TreeMap<>();
        table.current().sorted().forEach((tenant, p) -> {
            if (!next.siteIds().contains(p.site())) {
                removed.computeIfAbsent(p.site(), s -> new ArrayList<>()).add(tenant.value());
            }
        });
        if (!removed.isEmpty()) {
            List<ConfigProblem> problems = new ArrayList<>();
            removed.forEach((site, tenants) -> problems.add(new ConfigProblem("sites." + site, "(removed)",
                    "site " + site + " kept while the routing table places tenants on it: " + String.join(", ", tenants))));
            throw new ConfigException(configFile, problems);
        }
        resolver.reconfigure(next);
        gate.reconfigure(next.freeze());
        config.set(next);
        List<String> restart = new ArrayList<>();
        if (!next.proxy().equals(old.proxy())) {
            restart.add("proxy settings (listen, timeouts, limits, pool, headers, access-log)");
        }
        if (!next.admin().listen().equals(old.admin().listen())
                || !next.admin().tokens().names().equals(old.admin().tokens().names())) {
            restart.add("router.admin");
        }
        if (!next.sites().equals(old.sites())) {
            restart.add("sites (upstreams, balance, health, ejection)");
        }
        if (!next.stateDir().equals(old.stateDir())) {
            restart.add("state-dir");
        }
        if (!next.trafficBucket().equals(old.trafficBucket())) {
            restart.add("router.traffic-bucket");
        }
        String summary = "applied tenant-from, trusted-proxies, tenants, unknown-tenant and freeze from " + configFile
                + (restart.isEmpty() ? "" : "; restart the router to apply " + String.join(", ", restart));
        log.info("config reloaded: {}", summary);
        return summary;
    }

    /**
     * Stops accepting connections and lets in-flight requests finish until {@code deadline} (SIGTERM);
     * returns whether they all did. The caller closes the router afterwards.
     */
    public boolean drain(Instant deadline) throws InterruptedException {
        log.info("router draining: no new connections; {} request(s) in flight", proxy.inFlight());
        proxy.stopAccepting();
        boolean done = proxy.awaitInFlight(deadline);
        if (!done) {
            log.warn("router stopping with {} request(s) still in flight after the shutdown grace", proxy.inFlight());
        }
        return done;
    }

    private void backgroundFailure(Throwable failure) {
        log.error("router background task failed (a bug): {}", failure.toString(), failure);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        proxy.close();
        gate.close();
        pools.close();
        log.info("router stopped");
    }

    @Override
    public String toString() {
        return "Router[" + Objects.toString(configFile) + "]";
    }
}
