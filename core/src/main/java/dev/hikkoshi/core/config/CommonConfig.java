package dev.hikkoshi.core.config;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sections every command shares: the environment's name, the site names, the tenants and the state
 * directory. Each module binds its own sections ({@code router}, {@code data}, ...) and the parts of a site
 * it owns ({@code upstreams} for the router, {@code database} for the data engine).
 */
public record CommonConfig(String environment, List<SiteId> sites, TenantsConfig tenants, Path stateDir) {
    /** Every top-level section; a key not listed here is a typo. */
    public static final String[] SECTIONS = {"environment", "sites", "tenants", "router", "data", "controller",
            "plan", "alerts", "state-dir"};
    /** Every key a site may have, across the modules that read sites. */
    public static final String[] SITE_KEYS = {"upstreams", "balance", "health", "ejection", "database"};

    public CommonConfig {
        sites = List.copyOf(sites);
    }

    public static CommonConfig bind(ConfigNode root) {
        root.allowOnly(SECTIONS);
        String environment = root.get("environment").text("default");
        List<SiteId> sites = new ArrayList<>();
        ConfigNode sitesNode = root.get("sites");
        if (sitesNode.require("a map of site names (such as legacy, cloud) to their upstreams and database")) {
            sitesNode.entries().forEach((name, site) -> {
                if (!SiteId.isValid(name)) {
                    site.problem(name, "a site name of lower-case letters, digits, '_' or '-', starting with a letter");
                    return;
                }
                site.allowOnly(SITE_KEYS);
                sites.add(SiteId.of(name));
            });
        }
        TenantsConfig tenants = TenantsConfig.bind(root.get("tenants"));
        Path stateDir = Path.of(root.get("state-dir").text("./hikkoshi-state"));
        return new CommonConfig(environment, sites, tenants, stateDir);
    }

    /** Looks up a site named in another section, recording a problem at {@code where} when it is not defined. */
    public Optional<SiteId> site(ConfigNode where) {
        Optional<String> name = where.text();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        for (SiteId s : sites) {
            if (s.value().equals(name.get())) {
                return Optional.of(s);
            }
        }
        where.problem("a site defined under sites: " + String.join(", ", sites.stream().map(SiteId::value).toList()));
        return Optional.empty();
    }

    /**
     * The tenants given by name and id in the config file, or how to read them from a table
     * ({@code from-table}, read by the data engine).
     */
    public record TenantsConfig(List<Tenant> list, Optional<FromTable> fromTable) {
        public TenantsConfig {
            list = List.copyOf(list);
        }

        public record FromTable(String table, String idColumn, String nameColumn) {
        }

        static TenantsConfig bind(ConfigNode node) {
            if (!node.require("either list: [{name: acme, id: 1}, ...] or from-table: {table: tenants, id: id, name: slug}")) {
                return new TenantsConfig(List.of(), Optional.empty());
            }
            node.allowOnly("list", "from-table");
            ConfigNode listNode = node.get("list");
            ConfigNode tableNode = node.get("from-table");
            if (listNode.isPresent() == tableNode.isPresent()) {
                node.problem("exactly one of list or from-table");
                return new TenantsConfig(List.of(), Optional.empty());
            }
            if (tableNode.isPresent()) {
                tableNode.allowOnly("table", "id", "name");
                String table = tableNode.get("table").requiredText("the name of the table that lists tenants").orElse("");
                String id = tableNode.get("id").text("id");
                String name = tableNode.get("name").requiredText("the column that holds each tenant's name").orElse("");
                return new TenantsConfig(List.of(), Optional.of(new FromTable(table, id, name)));
            }
            List<Tenant> tenants = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (ConfigNode item : listNode.items()) {
                item.allowOnly("name", "id");
                Optional<String> name = item.get("name").requiredText("a tenant name such as acme");
                Optional<String> id = item.get("id").requiredText("the tenant's id in the database, such as 42");
                if (name.isEmpty() || id.isEmpty()) {
                    continue;
                }
                if (!TenantId.isValid(name.get())) {
                    item.get("name").problem("1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
                } else if (!names.add(name.get())) {
                    item.get("name").problem("a name not used by another tenant");
                } else if (!ids.add(id.get())) {
                    item.get("id").problem("an id not used by another tenant");
                } else {
                    tenants.add(new Tenant(TenantId.of(name.get()), id.get()));
                }
            }
            return new TenantsConfig(tenants, Optional.empty());
        }
    }
}
