package dev.hikkoshi.cutover.migration;

import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSites;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The config of a whole migration over the sample shop, for tests here and in {@code app}: both sites (the shop
 * application and the database of each), the tenants the legacy server seeded with their ids, the router, the
 * controller's admin API, the shop's data scope, and the plan section each test gives.
 */
public final class ShopMigrationConfig {
    private final SchemaPair pair;
    private final ShopSites shop;
    private final Path stateDir;
    private int proxyPort;
    private int adminPort;
    private String tenantRule = "{ host: \"{tenant}.shop.test\" }";
    private String tenants;
    private List<String> plan = List.of();

    private ShopMigrationConfig(SchemaPair pair, ShopSites shop, Path stateDir) {
        this.pair = pair;
        this.shop = shop;
        this.stateDir = stateDir;
    }

    public static ShopMigrationConfig of(SchemaPair pair, ShopSites shop, Path stateDir) {
        return new ShopMigrationConfig(pair, shop, stateDir);
    }

    /** The router's proxy port and the controller's admin port (0, the default: any free port). */
    public ShopMigrationConfig ports(int proxy, int admin) {
        this.proxyPort = proxy;
        this.adminPort = admin;
        return this;
    }

    /** The router's one tenant rule; by default the host {@code {tenant}.shop.test}. */
    public ShopMigrationConfig tenantRule(String rule) {
        this.tenantRule = rule;
        return this;
    }

    /** The entries of {@code tenants.list}; by default every tenant the legacy server seeded. */
    public ShopMigrationConfig tenants(String entries) {
        this.tenants = entries;
        return this;
    }

    /** The lines of the {@code plan} section (waves, freeze, rollback line, ...). */
    public ShopMigrationConfig plan(String... lines) {
        this.plan = List.of(lines);
        return this;
    }

    public String text() {
        StringBuilder planLines = new StringBuilder();
        plan.forEach(line -> planLines.append("  ").append(line).append('\n'));
        return """
                environment: test
                sites:
                  legacy: { upstreams: ["%s"], database: { url: "%s", user: root } }
                  cloud: { upstreams: ["%s"], database: { url: "%s", user: root } }
                tenants: { list: [ %s ] }
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:%d
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                  tenant-from: [ %s ]
                  unknown-tenant: legacy
                  freeze: { max-hold: 30s }
                  traffic-bucket: 1s
                controller:
                  admin: { listen: 127.0.0.1:%d, tokens: { ops: { env: OPS_TOKEN } } }
                plan:
                %s%s""".formatted(shop.legacy().uri(), pair.source().jdbcUrl(), shop.cloud().uri(),
                pair.target().jdbcUrl(), tenants != null ? tenants : seededTenants(pair), stateDir, proxyPort, tenantRule,
                adminPort, planLines, ShopSchema.DATA_CONFIG);
    }

    /** The seeded tenants with the ids the legacy server gave them ({@code { name: shop-001, id: 1 }, ...}). */
    public static String seededTenants(SchemaPair pair) {
        List<String> entries = new ArrayList<>();
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, slug FROM tenants ORDER BY id")) {
            while (rs.next()) {
                entries.add("{ name: " + rs.getString(2) + ", id: " + rs.getLong(1) + " }");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the seeded tenants: " + e.getMessage(), e);
        }
        return String.join(", ", entries);
    }
}
