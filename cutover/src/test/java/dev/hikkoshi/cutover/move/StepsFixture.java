package dev.hikkoshi.cutover.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.move.MoveState;
import dev.hikkoshi.core.routing.RouterControl;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.journal.Journal;
import dev.hikkoshi.cutover.journal.JournalEntry;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.router.admin.HttpRouterControl;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The world of a move test: the shop schema with two tenants on a fresh schema pair (legacy = the sandbox
 * source server, cloud = the target), one {@link ShopBackend} per site, a real router started from a config file
 * that also holds the sites' databases, the data scope and the freeze budget, and the move steps built from the
 * same file over the routers given. {@link #runner} is the real move runner over the steps (journaled in the
 * state directory); {@link #run} runs one step by hand, for a test that checks one outcome.
 */
final class StepsFixture implements AutoCloseable {
    static final SiteId LEGACY = SiteId.of("legacy");
    static final SiteId CLOUD = SiteId.of("cloud");
    static final TenantId T1 = TenantId.of("t1");
    static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "move-it-token");
    static final String[] DDL = {
        "CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, name VARCHAR(40) NOT NULL,"
                + " KEY (tenant_id), UNIQUE KEY uk_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, customer_id INT NOT NULL,"
                + " note VARCHAR(60) NULL, KEY (tenant_id), CONSTRAINT fk_customer FOREIGN KEY (customer_id)"
                + " REFERENCES customers (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE order_items (order_id INT NOT NULL, line INT NOT NULL, qty INT NOT NULL, PRIMARY KEY (order_id, line),"
                + " CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE ON UPDATE CASCADE)"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"};

    final SchemaPair pair;
    final Path dir;
    final ShopBackend legacy;
    final ShopBackend cloud;
    final Path configFile;
    final Router router;
    final MoveRequests requests = new MoveRequests();
    MoveSteps steps;
    Journal journal;
    MoveLog moveLog;

    StepsFixture(SchemaPair pair, Path dir, String freezeMax) throws Exception {
        this.pair = pair;
        this.dir = dir;
        pair.source().execute(DDL);
        pair.target().execute(DDL);
        seed(pair);
        this.legacy = new ShopBackend(LEGACY, pair.source().jdbcUrl());
        this.cloud = new ShopBackend(CLOUD, pair.target().jdbcUrl());
        this.configFile = dir.resolve("hikkoshi.yaml");
        Files.writeString(configFile, config(dir.resolve("state"), freezeMax));
        this.router = Router.start(configFile, ENV);
    }

    String config(Path stateDir, String freezeMax) {
        return """
                environment: test
                sites:
                  legacy: { upstreams: ["%s"], database: { url: "%s", user: root } }
                  cloud: { upstreams: ["%s"], database: { url: "%s", user: root } }
                tenants:
                  list: [ { name: t1, id: 1 }, { name: t2, id: 2 } ]
                state-dir: "%s"
                router:
                  listen: 127.0.0.1:0
                  admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                  access-log: false
                  tenant-from: [ { path: "/t/{tenant}/", strip: true } ]
                  unknown-tenant: legacy
                  freeze: { max-hold: 30s }
                data:
                  tenant-column: tenant_id
                  tables: { order_items: { via: "order_id -> orders.id" } }
                plan:
                  freeze: { max: %s }
                """.formatted(legacy.uri(), pair.source().jdbcUrl(), cloud.uri(), pair.target().jdbcUrl(), stateDir,
                freezeMax);
    }

    /** Tenants 1 and 2: 5 customers, 20 orders and 40 items each, on the old site (the pair's source) only. */
    static void seed(SchemaPair pair) {
        List<String> sql = new ArrayList<>();
        for (int t = 1; t <= 2; t++) {
            for (int c = 1; c <= 5; c++) {
                sql.add("INSERT INTO customers VALUES (" + (t * 1000 + c) + ", " + t + ", 'c" + t + "_" + c + "')");
            }
            for (int o = 1; o <= 20; o++) {
                int id = t * 1000 + o;
                sql.add("INSERT INTO orders VALUES (" + id + ", " + t + ", " + (t * 1000 + 1 + o % 5) + ", 'seed')");
                sql.add("INSERT INTO order_items VALUES (" + id + ", 1, 1), (" + id + ", 2, 2)");
            }
        }
        pair.source().execute(sql.toArray(String[]::new));
    }

    /** Tenant 1's seeded order ids. */
    static List<Integer> t1Orders() {
        List<Integer> out = new ArrayList<>();
        for (int o = 1; o <= 20; o++) {
            out.add(1000 + o);
        }
        return out;
    }

    /** The steps over the given routers, with the file's config and shortened waits. */
    MoveSteps steps(List<RouterControl> routers, MoveHooks hooks, Duration routerTimeout) {
        ConfigDocument doc = ConfigDocument.read(configFile, ENV);
        CommonConfig common = CommonConfig.bind(doc.root());
        DataConfig data = DataConfig.bind(doc.root(), common);
        MoveSettings settings = MoveSettings.bind(doc.root()).withRouterTimeout(routerTimeout)
                .withStepWait(Duration.ofSeconds(3));
        doc.throwIfProblems();
        steps = MoveSteps.open(common, data, settings, routers, hooks);
        return steps;
    }

    RouterControl httpControl(Router r, Duration timeout) {
        return new HttpRouterControl(URI.create("http://127.0.0.1:" + r.adminAddress().getPort()), ENV.get("ROUTER_TOKEN"),
                timeout);
    }

    URI proxy() {
        return URI.create("http://127.0.0.1:" + router.proxyAddress().getPort());
    }

    static MoveAttempt planned(int attempt) {
        return new MoveAttempt(T1, "pilot", attempt, LEGACY, CLOUD, MoveState.PLANNED, Map.of());
    }

    /**
     * The real move runner over the steps, journaling in the state directory; BAKING (the rollback line's step,
     * not built here) is stood in for by {@code baking}.
     */
    MoveRunner runner(MoveStep baking) {
        if (journal == null) {
            journal = Journal.openIn(dir.resolve("state"));
            moveLog = new MoveLog(journal, new MoveBoard(), Clock.systemUTC());
        }
        List<MoveStep> all = new ArrayList<>(steps.steps());
        all.add(baking);
        return new MoveRunner(moveLog, all, steps::refreeze, requests, Duration.ofMillis(100));
    }

    /** A BAKING stand-in that lets the tenant be served by the new site for {@code bake}, then says DONE. */
    static MoveStep bakeFor(Duration bake) {
        return new MoveStep() {
            @Override
            public MoveState state() {
                return MoveState.BAKING;
            }

            @Override
            public StepOutcome run(MoveAttempt attempt) throws InterruptedException {
                Thread.sleep(bake.toMillis());
                return StepOutcome.go(MoveState.DONE, "baked for " + bake.toMillis() + " ms (test stand-in)");
            }
        };
    }

    /** "FROM>TO" for every transition journaled so far, read back from a copy of the journal file. */
    List<String> journaledPath() throws Exception {
        Path copy = Files.createTempFile(dir, "copy", ".journal");
        Files.copy(journal.file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Journal j = Journal.open(copy)) {
            return j.replayed().stream().filter(JournalEntry.Transition.class::isInstance)
                    .map(JournalEntry.Transition.class::cast).map(t -> t.from() + ">" + t.to()).toList();
        }
    }

    /** The reasons journaled with every transition, in order. */
    List<String> journaledReasons() throws Exception {
        Path copy = Files.createTempFile(dir, "copy", ".journal");
        Files.copy(journal.file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Journal j = Journal.open(copy)) {
            return j.replayed().stream().filter(JournalEntry.Transition.class::isInstance)
                    .map(JournalEntry.Transition.class::cast).map(JournalEntry.Transition::reason).toList();
        }
    }

    /** One step's run (for a test that steps by hand, or checks one outcome). */
    StepOutcome run(MoveAttempt a) throws Exception {
        return steps.step(a.state()).orElseThrow().run(a);
    }

    /** Tenant {@code t}'s rows on a site, read with plain SQL (not hikkoshi's predicates), one line per row. */
    static List<String> tenantRows(String jdbcUrl, int t) throws SQLException {
        List<String> out = new ArrayList<>();
        out.addAll(rows(jdbcUrl, "SELECT 'c', id, tenant_id, name FROM customers WHERE tenant_id = " + t + " ORDER BY id"));
        out.addAll(rows(jdbcUrl, "SELECT 'o', id, tenant_id, customer_id, note FROM orders WHERE tenant_id = " + t
                + " ORDER BY id"));
        out.addAll(rows(jdbcUrl, "SELECT 'i', i.order_id, i.line, i.qty FROM order_items i JOIN orders o ON o.id = i.order_id"
                + " WHERE o.tenant_id = " + t + " ORDER BY i.order_id, i.line"));
        return out;
    }

    static List<String> rows(String jdbcUrl, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    /** The note of every order of tenant 1 on a site, by id. */
    static Map<Integer, String> notes(String jdbcUrl) throws SQLException {
        Map<Integer, String> out = new java.util.HashMap<>();
        for (String line : rows(jdbcUrl, "SELECT id, note FROM orders WHERE tenant_id = 1")) {
            String[] p = line.split("\\|", 2);
            out.put(Integer.parseInt(p[0]), p[1]);
        }
        return out;
    }

    static <T> T within(Duration timeout, Function<Void, T> poll) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = poll.apply(null);
            if (v != null || System.nanoTime() > deadline) {
                return v;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (steps != null) {
            steps.close();
        }
        if (journal != null) {
            journal.close();
        }
        router.close();
        legacy.close();
        cloud.close();
    }
}
