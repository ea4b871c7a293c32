package dev.hikkoshi.sandbox.shop;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox shop application ({@link ShopApi}) of one site: an HTTP listener on 127.0.0.1 and a free port, in
 * front of that site's database ({@link ShopSchema}) through a small HikariCP pool. Tests of the cutover engine
 * and the demo run one per site behind the router; {@link ShopWorkload} is its load.
 *
 * <p>Why the JDK's {@code HttpServer} and not Netty like the rest of sandbox http: the app stands for an ordinary
 * thread-per-request application with blocking JDBC. With Netty every request would have to leave the event loop
 * for a worker pool anyway; here the server's executor is that pool, and an injected latency is a plain sleep on
 * the request's thread, holding no connection and delaying no other tenant.
 *
 * <p>Concurrency: the injected latencies and failures are immutable maps swapped atomically; each request reads
 * one snapshot.
 */
public final class ShopApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShopApp.class);
    /** Worker threads: enough for a slowed tenant's requests to sleep while other tenants are served. */
    private static final int THREADS = 32;
    private static final int POOL_SIZE = 8;

    static {
        // The JDK's server writes a response's head and body separately and leaves Nagle on: on a keep-alive
        // connection every answer then waited for the client's delayed ACK (about 40 ms). Read once, when the
        // JDK's server configuration is first used; a value given on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SiteId site;
    private final HikariDataSource pool;
    private final ExecutorService workers;
    private final HttpServer server;
    private final AtomicReference<Map<TenantId, Duration>> latencies = new AtomicReference<>(Map.of());
    private final AtomicReference<Map<TenantId, Integer>> failures = new AtomicReference<>(Map.of());

    private ShopApp(SiteId site, HikariDataSource pool) throws IOException {
        this.site = site;
        this.pool = pool;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "shop-" + site.value() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(THREADS, factory);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/", new ShopHandler(this, new ShopStore(pool)));
        server.setExecutor(workers);
        server.start();
    }

    /** Starts the shop of {@code site} on the shop tables of {@code database}. */
    public static ShopApp start(SiteId site, SandboxSchema database) {
        Objects.requireNonNull(site, "site");
        HikariConfig config = new HikariConfig();
        config.setPoolName("shop-" + site.value());
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.server().user());
        config.setPassword("");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            ShopApp app = new ShopApp(site, pool);
            log.info("sandbox shop of site {} listening on {} (database {} on port {})", site, app.uri(),
                    database.name(), database.server().port());
            return app;
        } catch (IOException e) {
            pool.close();
            throw new UncheckedIOException("cannot start the shop of " + site + " on 127.0.0.1", e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public SiteId site() {
        return site;
    }

    /** {@code http://127.0.0.1:PORT}, for a router's upstream list or a direct load. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes every later request of {@code tenant} wait {@code latency} first (zero removes it). */
    public void addLatency(TenantId tenant, Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        latencies.updateAndGet(m -> with(m, tenant, latency.isZero() ? null : latency));
    }

    /** Makes every later request of {@code tenant} fail with {@code status} (500 to 599; 0 removes it). */
    public void failRequests(TenantId tenant, int status) {
        if (status != 0 && (status < 500 || status > 599)) {
            throw new IllegalArgumentException("status must be 500 to 599 (or 0 to stop), was " + status);
        }
        failures.updateAndGet(m -> with(m, tenant, status == 0 ? null : status));
    }

    Duration latency(TenantId tenant) {
        return latencies.get().getOrDefault(tenant, Duration.ZERO);
    }

    int failure(TenantId tenant) {
        return failures.get().getOrDefault(tenant, 0);
    }

    /** Stops listening (requests in flight are cut off), then the workers and the pool. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("shop of site {}: workers still busy 5 s after stop", site);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.close();
        }
    }

    private static <V> Map<TenantId, V> with(Map<TenantId, V> map, TenantId tenant, V value) {
        Map<TenantId, V> copy = new HashMap<>(map);
        if (value == null) {
            copy.remove(tenant);
        } else {
            copy.put(Objects.requireNonNull(tenant, "tenant"), value);
        }
        return Map.copyOf(copy);
    }

    @Override
    public String toString() {
        return "shop " + site + " at " + uri();
    }
}
