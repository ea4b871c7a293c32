package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.stream.StreamId;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.binlog.BinlogTailer;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The shop schema of the stream tests (customers, their orders by tenant column with ON DELETE CASCADE, order
 * items by join path with ON DELETE/UPDATE CASCADE), the scope, copy, capture (the production binlog tailer)
 * and stream built over two server URLs (so that the SIGKILL child JVM builds exactly what the test does), and
 * the independent comparison. Closing it closes the source pool its tailers read through.
 */
final class StreamFixture implements AutoCloseable {
    static final String[] DDL = {
        "CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, name VARCHAR(40) NOT NULL,"
                + " KEY (tenant_id), UNIQUE KEY uk_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, customer_id INT NOT NULL,"
                + " note VARCHAR(60) NULL, KEY (tenant_id), CONSTRAINT fk_customer FOREIGN KEY (customer_id)"
                + " REFERENCES customers (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE order_items (order_id INT NOT NULL, line INT NOT NULL, qty INT NOT NULL, PRIMARY KEY (order_id, line),"
                + " CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE ON UPDATE CASCADE)"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"};
    static final String DATA = "data:\n  tenant-column: tenant_id\n  tables: { order_items: { via: \"order_id -> orders.id\" } }\n";

    final String sourceUrl;
    final String targetUrl;
    final String schema;
    private final String data;
    final MariaDbDataSource source;
    final MariaDbDataSource target;
    private final List<SiteDatabase> opened = new ArrayList<>();

    StreamFixture(String sourceServerUrl, String targetServerUrl, String schema) throws SQLException {
        this(sourceServerUrl, targetServerUrl, schema, DATA);
    }

    /** As above, with another {@code data} section of the config (shared tables, for instance). */
    StreamFixture(String sourceServerUrl, String targetServerUrl, String schema, String data) throws SQLException {
        this.data = data;
        this.schema = schema;
        this.sourceUrl = withSchema(sourceServerUrl, schema);
        this.targetUrl = withSchema(targetServerUrl, schema);
        this.source = dataSource(sourceUrl);
        this.target = dataSource(targetUrl);
    }

    private static String withSchema(String serverUrl, String schema) {
        int q = serverUrl.indexOf('?');
        String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
        String params = q < 0 ? "" : serverUrl.substring(q);
        return (base.endsWith("/") ? base : base + "/") + schema + params;
    }

    private static MariaDbDataSource dataSource(String url) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(url);
        ds.setUser("root");
        return ds;
    }

    CopyEndpoint endpoint(boolean ofSource) throws SQLException {
        MariaDbDataSource ds = ofSource ? source : target;
        return new CopyEndpoint(ds, schema, new SchemaInspector(ds, ofSource ? "source" : "target").serverInfo(),
                "sandbox " + (ofSource ? "source" : "target"));
    }

    Schema inspect(boolean ofSource) throws SQLException {
        MariaDbDataSource ds = ofSource ? source : target;
        return new SchemaInspector(ds, ofSource ? "source" : "target").inspect(schema);
    }

    /** The config of the two sites: the source URL is site legacy's database, the target URL site cloud's. */
    DataConfig config() {
        String yaml = "sites:\n  legacy: { database: { url: \"" + sourceUrl + "\", user: root } }\n"
                + "  cloud: { database: { url: \"" + targetUrl + "\", user: root } }\n"
                + "tenants: { list: [ {name: t1, id: 1}, {name: t2, id: 2}, {name: t3, id: 3} ] }\n" + data;
        ConfigDocument doc = ConfigDocument.parse(Path.of("stream-test.yaml"), yaml, Map.of());
        DataConfig config = DataConfig.bind(doc.root(), CommonConfig.bind(doc.root()));
        doc.throwIfProblems();
        return config;
    }

    /** The scope checked by D1's resolver from the config's data section. */
    TenantScope scope() throws SQLException {
        DataConfig config = config();
        return new ScopeResolver(config, config.sites(Optional.empty(), Optional.empty()).source(), inspect(true),
                Optional.of(inspect(false)), new SchemaInspector(target, "target").serverInfo()).resolve().orThrow();
    }

    /** Copies tenant {@code tenant}'s rows with the bulk copy. */
    void copy(String tenant) throws Exception {
        TenantScope scope = scope();
        Schema targetSchema = inspect(false);
        List<CopyTable> tables = new ArrayList<>();
        for (TableScope t : scope.perTenantTables()) {
            tables.add(new CopyTable(t.table(), targetSchema.table(t.name()).orElseThrow(), t.rowKey(), t::tenantPredicate));
        }
        new CopyJob(endpoint(true), endpoint(false), tables, Optional.of(tenant), "t" + tenant,
                CopySettings.defaults().withParallelism(2).withChunkRows(200, 50, 500), CharsetOverrides.NONE,
                CopyHooks.NONE).run();
    }

    TenantStream.Setup setup(String tenant, boolean reverse) throws SQLException {
        return setup(tenant, reverse, new StreamSettings(50, 500, 10_000, Duration.ofMillis(250), Duration.ofSeconds(5)));
    }

    TenantStream.Setup setup(String tenant, boolean reverse, StreamSettings settings) throws SQLException {
        StreamId id = new StreamId(TenantId.of("t" + tenant), SiteId.of(reverse ? "cloud" : "legacy"),
                SiteId.of(reverse ? "legacy" : "cloud"));
        return new TenantStream.Setup(id, endpoint(true), endpoint(false), scope(), inspect(false), tenant,
                CharsetOverrides.NONE, reverse, settings);
    }

    /** The position the stream of tenant {@code tenant} checkpointed on the target, or empty. */
    java.util.Optional<String> checkpoint(String tenant) throws SQLException {
        List<String> found = rows(target, "SELECT position FROM hikkoshi.stream_checkpoint WHERE stream = '" + schema
                + "/t" + tenant + ":legacy->cloud'");
        return found.stream().findFirst();
    }

    /**
     * The production binlog tailer of the source server (preconditions checked, default server-id), reading
     * through a pool this fixture closes. One per server and process, as in production: close it before the next.
     */
    BinlogTailer capture() {
        SiteDatabase db = SiteDatabase.open(config().sites(Optional.empty(), Optional.empty()).source(), 4);
        opened.add(db);
        return BinlogTailer.open(db, db.inspector().inspect(db.schema()));
    }

    /**
     * The trigger capture of the source schema (installed by {@link #installTriggers}): a child JVM builds its
     * own over the same change log, as a restarted process would.
     */
    dev.hikkoshi.data.trigger.TriggerCapture triggerCapture() throws SQLException {
        return new dev.hikkoshi.data.trigger.TriggerCapture(endpoint(true), scope(), CharsetOverrides.NONE,
                dev.hikkoshi.data.trigger.TriggerCapture.Options.defaults());
    }

    @Override
    public void close() {
        opened.forEach(SiteDatabase::close);
        opened.clear();
    }

    /** The tenant's rows on the source, read with plain SQL (not hikkoshi's predicates), one line per row. */
    List<String> sourceRows(String tenant) throws SQLException {
        List<String> out = new ArrayList<>();
        out.addAll(rows(source, "SELECT 'c', id, tenant_id, name FROM customers WHERE tenant_id = " + tenant + " ORDER BY id"));
        out.addAll(rows(source, "SELECT 'o', id, tenant_id, customer_id, note FROM orders WHERE tenant_id = " + tenant
                + " ORDER BY id"));
        out.addAll(rows(source, "SELECT 'i', i.order_id, i.line, i.qty FROM order_items i JOIN orders o ON o.id = i.order_id"
                + " WHERE o.tenant_id = " + tenant + " ORDER BY i.order_id, i.line"));
        return out;
    }

    /** Every row on the target, however it got there, one line per row. */
    List<String> targetRows() throws SQLException {
        List<String> out = new ArrayList<>();
        out.addAll(rows(target, "SELECT 'c', id, tenant_id, name FROM customers ORDER BY id"));
        out.addAll(rows(target, "SELECT 'o', id, tenant_id, customer_id, note FROM orders ORDER BY id"));
        out.addAll(rows(target, "SELECT 'i', order_id, line, qty FROM order_items ORDER BY order_id, line"));
        return out;
    }

    static List<String> rows(MariaDbDataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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

    static long count(MariaDbDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "root", "");
    }
}
