package dev.hikkoshi.router.config;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigNode;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a router runs with, bound from one config file: the {@code router} section, the router's parts
 * of each site, the tenants and the state directory. Built by {@link #load} (start and reload), read by the
 * router's assembly, which hands each part to the component that uses it.
 *
 * @param unknownTenantSite the site that serves requests naming no known tenant, and known tenants that the
 *                          routing table does not place yet; empty for {@code unknown-tenant: reject}
 * @param tenantHeader      the request header the router always overwrites with the tenant it resolved
 */
public record RouterConfig(InetSocketAddress listen, AdminConfig admin, AddressSet trustedProxies,
                           List<TenantRule> tenantFrom, Optional<SiteId> unknownTenantSite, String tenantHeader,
                           FreezeConfig freeze, boolean accessLog, List<SiteConfig> sites, List<Tenant> tenants,
                           Path stateDir) {
    public static final String DEFAULT_LISTEN = "0.0.0.0:8080";
    public static final String DEFAULT_TENANT_HEADER = "X-Hikkoshi-Tenant";
    static final String[] KEYS = {"listen", "admin", "trusted-proxies", "tenant-from", "unknown-tenant",
            "tenant-header", "freeze", "access-log"};

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
        return config;
    }

    /** Binds the router's parts of the file, recording problems in the document's shared list. */
    public static RouterConfig bind(ConfigNode root, CommonConfig common) {
        ConfigNode router = root.get("router");
        router.require("a router section with at least admin.tokens and tenant-from");
        router.allowOnly(KEYS);
        InetSocketAddress listen = router.get("listen").address(DEFAULT_LISTEN);
        AdminConfig admin = AdminConfig.bind(router.get("admin"));
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
        Optional<SiteId> unknownSite = Optional.empty();
        if (!unknownNode.text("reject").equals("reject")) {
            unknownSite = common.site(unknownNode);
        }
        ConfigNode headerNode = router.get("tenant-header");
        String tenantHeader = headerNode.text(DEFAULT_TENANT_HEADER);
        if (!tenantHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            headerNode.problem("an HTTP header name such as " + DEFAULT_TENANT_HEADER);
            tenantHeader = DEFAULT_TENANT_HEADER;
        }
        FreezeConfig freeze = FreezeConfig.bind(router.get("freeze"));
        boolean accessLog = router.get("access-log").bool(true);
        List<SiteConfig> sites = new ArrayList<>();
        for (SiteId site : common.sites()) {
            sites.add(SiteConfig.bind(site, root.get("sites").get(site.value())));
        }
        if (common.tenants().fromTable().isPresent()) {
            root.get("tenants").get("from-table").problem("from-table",
                    "tenants.list for the router (reading tenants from a table is not wired into the router yet)");
        }
        return new RouterConfig(listen, admin, trustedProxies, rules, unknownSite, tenantHeader, freeze,
                accessLog, sites, common.tenants().list(), common.stateDir());
    }

    public Optional<SiteConfig> site(SiteId id) {
        return sites.stream().filter(s -> s.site().equals(id)).findFirst();
    }
}
