package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.router.admin.AdminSettings;
import dev.hikkoshi.router.proxy.ProxySettings;
import dev.hikkoshi.router.site.SitePoolSettings;
import dev.hikkoshi.router.traffic.RouterTrafficWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything a router runs with, bound from one config file: the {@code router} section, the router's parts
 * of each site, the tenants and the state directory. Built by {@link #load} (at start and on reload), read
 * by the router's assembly, which hands each part to the component that uses it.
 *
 * @param proxy             the proxy's settings (listen address, timeouts, limits, pool, tenant header,
 *                          access log)
 * @param trustedProxies    peers whose X-Forwarded-For is believed when finding the client address
 * @param tenantFrom        the tenant rules, in the order they are tried
 * @param unknownTenantSite the site that serves requests naming no known tenant, and known tenants that the
 *                          routing table does not place yet; empty for {@code unknown-tenant: reject}
 * @param sites             every site's upstream pool, in file order
 * @param shutdownGrace     how long a stopping router (SIGTERM) lets in-flight requests finish
 * @param trafficBucket     the granularity of the router's traffic window (what the rollback line reads): its
 *                          windows are whole buckets, so a rollback-line window should be a multiple of it
 */
public record RouterConfig(ProxySettings proxy, AdminSettings admin, AddressSet trustedProxies,
                           List<TenantRule> tenantFrom, Optional<SiteId> unknownTenantSite, FreezeConfig freeze,
                           List<SitePoolSettings> sites, List<Tenant> tenants, Path stateDir,
                           Duration shutdownGrace, Duration trafficBucket) {
    public static final String DEFAULT_LISTEN = "0.0.0.0:8080";
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    static final String[] KEYS = Stream.concat(Arrays.stream(ProxySection.KEYS), Stream.of("admin", "trusted-proxies",
            "tenant-from", "unknown-tenant", "freeze", "shutdown-grace", "traffic-bucket")).toArray(String[]::new);

    public RouterConfig {
        tenantFrom = List.copyOf(tenantFrom);
        sites = List.copyOf(sites);
        tenants = List.copyOf(tenants);
    }

    /**
     * Binds and validates a whole config file for a router; throws a
     * {@link dev.hikkoshi.core.config.ConfigException} listing every problem if there is any.
     */
    public static RouterConfig load(ConfigDocument document) {
        CommonConfig common = CommonConfig.bind(document.root());
        RouterConfig config = bind(document.root(), common);
        document.throwIfProblems();
        return Objects.requireNonNull(config, "a config with no problem recorded must bind");
    }

    /**
     * Binds the router's parts of the file, recording problems in the document's shared list; null when a
     * part could not be built because of a recorded problem. The router uses {@link #load}; the app's whole-file
     * validation calls this to collect the router's problems with every other section's.
     */
    public static RouterConfig bind(ConfigNode root, CommonConfig common) {
        ConfigNode router = root.get("router");
        router.require("a router section with at least admin.tokens and tenant-from");
        router.allowOnly(KEYS);
        ProxySettings proxy = ProxySection.bind(router, DEFAULT_LISTEN);
        Optional<AdminSettings> admin = AdminSection.bind(router.get("admin"));
        AddressSet trustedProxies = AddressSet.bind(router.get("trusted-proxies"));
        List<TenantRule> rules = new ArrayList<>();
        ConfigNode rulesNode = router.get("tenant-from");
        if (rulesNode.require("a list of tenant rules, such as [{host: \"{tenant}.shop.example.com\"}]")) {
            for (ConfigNode item : rulesNode.items()) {
                TenantRule.bind(item).ifPresent(rules::add);
            }
            if (rulesNode.isList() && rulesNode.items().isEmpty()) {
                rulesNode.problem("[]", "at least one tenant rule");
            }
        }
        ConfigNode unknownNode = router.get("unknown-tenant");
        Optional<SiteId> unknownSite = unknownNode.text("reject").equals("reject") ? Optional.empty()
                : common.site(unknownNode);
        FreezeConfig freeze = FreezeConfig.bind(router.get("freeze"));
        Duration shutdownGrace = router.get("shutdown-grace").duration(DEFAULT_SHUTDOWN_GRACE, Duration.ZERO);
        Duration trafficBucket = trafficBucket(router.get("traffic-bucket"));
        List<SitePoolSettings> sites = new ArrayList<>();
        for (SiteId site : common.sites()) {
            SitesSection.bind(site, root.get("sites").get(site.value())).ifPresent(sites::add);
        }
        if (common.tenants().fromTable().isPresent()) {
            root.get("tenants").get("from-table").problem("from-table",
                    "tenants.list for the router (reading tenants from a table is not wired into the router yet)");
        }
        if (admin.isEmpty()) {
            return null;
        }
        return new RouterConfig(proxy, admin.get(), trustedProxies, rules, unknownSite, freeze, sites,
                common.tenants().list(), common.stateDir(), shutdownGrace, trafficBucket);
    }

    /**
     * {@code router.traffic-bucket}: from 100 ms to 1 min and dividing the traffic window's retention evenly (its
     * ring holds whole buckets).
     */
    private static Duration trafficBucket(ConfigNode node) {
        Duration bucket = node.duration(RouterTrafficWindow.DEFAULT_BUCKET, Duration.ofMillis(100));
        long retention = RouterTrafficWindow.DEFAULT_RETENTION.toMillis();
        if (bucket.compareTo(Duration.ofMinutes(1)) > 0 || retention % bucket.toMillis() != 0) {
            node.problem("a duration from 100ms to 1m that divides 15m evenly, such as 1s or 5s");
            return RouterTrafficWindow.DEFAULT_BUCKET;
        }
        return bucket;
    }

    public Optional<SitePoolSettings> site(SiteId id) {
        return sites.stream().filter(s -> s.site().equals(id)).findFirst();
    }

    public List<SiteId> siteIds() {
        return sites.stream().map(SitePoolSettings::site).toList();
    }
}
