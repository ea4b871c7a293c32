package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.router.table.RoutingTableStore;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world of a plan test: a small shop (customers, orders by tenant column, order_items via orders) on a fresh
 * schema pair (legacy = the sandbox source server, cloud = the target, both with the tables, rows on legacy only),
 * three tenants of known sizes (t1 65 rows, t2 33, t3 7), and a config file with two waves (pilot: t1 behind an
 * approval gate, rest: the others), a rollback line and the freeze budget and legacy capture mode given.
 */
final class PlanFixture implements AutoCloseable {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final TenantId T1 = TenantId.of("t1");
    static final TenantId T2 = TenantId.of("t2");
    static final TenantId T3 = TenantId.of("t3");
    static final String[] DDL = {
        "CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, name VARCHAR(40) NOT NULL,"
                + " KEY (tenant_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, customer_id INT NOT NULL,"
                + " note VARCHAR(60) NULL DEFAULT 'none', KEY (tenant_id), CONSTRAINT fk_customer FOREIGN KEY (customer_id)"
                + " REFERENCES customers (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE order_items (order_id INT NOT NULL, line INT NOT NULL, qty INT NOT NULL, PRIMARY KEY (order_id, line),"
                + " CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE)"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"};
    /** Customers and orders per tenant; each order has two items. */
    private static final int[][] SIZES = {{5, 20}, {3, 10}, {1, 2}};

    final SchemaPair pair;
    final Path dir;
    final Path configFile;
    final Path stateDir;
    private final List<SiteDatabase> opened = new ArrayList<>();

    PlanFixture(SchemaPair pair, Path dir, String capture, String freezeMax) throws Exception {
        this.pair = pair;
        this.dir = dir;
        this.stateDir = dir.resolve("state");
        pair.source().execute(DDL);
        pair.target().execute(DDL);
        seed();
        this.configFile = dir.resolve("hikkoshi.yaml");
        Files.writeString(configFile, config(capture, freezeMax));
    }

    String config(String capture, String freezeMax) {
        return """
                environment: test
                sites:
                  legacy: { upstreams: ["http://127.0.0.1:9"], database: { url: "%s", user: root, capture: %s } }
                  cloud: { upstreams: ["http://127.0.0.1:9"], database: { url: "%s", user: root } }
                tenants:
                  list: [ { name: t1, id: 1 }, { name: t2, id: 2 }, { name: t3, id: 3 } ]
                state-dir: "%s"
                data:
                  tenant-column: tenant_id
                  tables: { order_items: { via: "order_id -> orders.id" } }
                plan:
                  waves: [ { name: pilot, tenants: [t1], gate: approval }, { name: rest, tenants: "*" } ]
                  rollback-line: { error-rate: 2%%, p99: 800ms }
                  freeze: { max: %s }
                """.formatted(pair.source().jdbcUrl(), capture, pair.target().jdbcUrl(), stateDir, freezeMax);
    }

    private void seed() {
        List<String> sql = new ArrayList<>();
        for (int t = 1; t <= SIZES.length; t++) {
            for (int c = 1; c <= SIZES[t - 1][0]; c++) {
                sql.add("INSERT INTO customers VALUES (" + (t * 1000 + c) + ", " + t + ", 'c" + t + "_" + c + "')");
            }
            for (int o = 1; o <= SIZES[t - 1][1]; o++) {
                int id = t * 1000 + o;
                sql.add("INSERT INTO orders VALUES (" + id + ", " + t + ", " + (t * 1000 + 1) + ", 'seed')");
                sql.add("INSERT INTO order_items VALUES (" + id + ", 1, 1), (" + id + ", 2, 2)");
            }
        }
        // Statistics recomputed now, not in the background: the plan's byte estimates read AVG_ROW_LENGTH.
        sql.add("ANALYZE TABLE customers, orders, order_items");
        pair.source().execute(sql.toArray(String[]::new));
    }

    /** The tenant's rows as seeded: customers + orders + 2 items per order. */
    static long seededRows(int tenant) {
        return SIZES[tenant - 1][0] + 3L * SIZES[tenant - 1][1];
    }

    Planner planner() {
        return Planner.open(ConfigDocument.read(configFile, Map.of()), Clock.systemUTC());
    }

    /** Places {@code tenant} on {@code site} in the controller's routing table, as a finished move would. */
    void place(TenantId tenant, SiteId site) {
        RoutingTableStore store = new RoutingTableStore(stateDir.resolve(RouterFleet.STATE_SUBDIR));
        RoutingTable table = store.load(List.of(LEGACY, CLOUD)).orElse(RoutingTable.empty());
        store.save(new RoutingTable(table.version() + 1, with(table.placements(), tenant, Placement.at(site))));
    }

    private static Map<TenantId, Placement> with(Map<TenantId, Placement> placements, TenantId t, Placement p) {
        Map<TenantId, Placement> out = new LinkedHashMap<>(placements);
        out.put(t, p);
        return out;
    }

    /** A fingerprint reader over databases opened here (closed with the fixture), as the controller would hold. */
    FingerprintReader reader(Fingerprint.Tolerance tolerance) {
        Bound b = bound();
        return new FingerprintReader(b.common, b.data, b.databases::get, new ListedTenants(b.common.tenants().list()),
                tolerance);
    }

    /** The plan's throughput probe from legacy to cloud and its tenant sizer, over databases opened here. */
    record Probe(ThroughputProbe probe, TenantSizer sizer, ListedTenants tenants) {
    }

    Probe probe() {
        Bound b = bound();
        SiteScopes scopes = new SiteScopes(b.data, b.databases::get);
        TenantScope forward = scopes.report(LEGACY, CLOUD).orThrow();
        return new Probe(new ThroughputProbe(b.databases.get(LEGACY), b.databases.get(CLOUD), forward,
                scopes.schema(CLOUD), CopySettings.of(b.data.copy())), new TenantSizer(b.databases.get(LEGACY), forward),
                new ListedTenants(b.common.tenants().list()));
    }

    private record Bound(CommonConfig common, DataConfig data, Map<SiteId, SiteDatabase> databases) {
    }

    private Bound bound() {
        ConfigDocument doc = ConfigDocument.read(configFile, Map.of());
        CommonConfig common = CommonConfig.bind(doc.root());
        DataConfig data = DataConfig.bind(doc.root(), common);
        doc.throwIfProblems();
        Map<SiteId, SiteDatabase> dbs = new LinkedHashMap<>();
        for (DatabaseConfig db : data.databases().values()) {
            SiteDatabase s = SiteDatabase.open(db, 2);
            opened.add(s);
            dbs.put(db.site(), s);
        }
        return new Bound(common, data, dbs);
    }

    /** {@code AVG_ROW_LENGTH} of each shop table on {@code schema}, read with plain SQL. */
    static Map<String, Long> avgRowLengths(SandboxSchema schema) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, schema.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** The seeded tenant's bytes as the plan estimates them: rows per table times the table's average row length. */
    static long seededBytes(int tenant, Map<String, Long> avg) {
        int customers = SIZES[tenant - 1][0];
        int orders = SIZES[tenant - 1][1];
        return customers * Math.max(1, avg.get("customers")) + orders * Math.max(1, avg.get("orders"))
                + 2L * orders * Math.max(1, avg.get("order_items"));
    }

    @Override
    public void close() {
        opened.forEach(SiteDatabase::close);
    }
}
