package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.SandboxConfig;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import dev.hikkoshi.data.capture.RowChange;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mariadb.jdbc.MariaDbDataSource;

/** A legacy-like shop schema, its scope, and the source seen as MySQL 5.0.96 (one trigger per event, SUPER needed). */
final class TriggerFixture {
    static final String[] SHOP = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL) ENGINE=InnoDB",
            "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                    + " note VARCHAR(40) CHARACTER SET latin1, KEY (tenant_id)) ENGINE=InnoDB",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL, qty INT, KEY (order_id))"
                    + " ENGINE=InnoDB",
            "CREATE TABLE files (k VARBINARY(16) NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id)) ENGINE=InnoDB",
            "CREATE TABLE labels (tenant_id INT NOT NULL, day DATE NOT NULL, name VARCHAR(20) CHARACTER SET latin1 NOT NULL,"
                    + " PRIMARY KEY (tenant_id, day, name)) ENGINE=InnoDB",
            "INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex')",
            "INSERT INTO orders VALUES (10, 1, 'first'), (20, 2, 'other')",
            "INSERT INTO order_items VALUES (100, 10, 1), (200, 20, 1)"};

    static final String DATA = """
            data:
              tenant-column: tenant_id
              tables:
                tenants: { tenant-column: id }
                order_items: { via: "order_id -> orders.id" }
            """;

    /** What a MySQL 5.0.96 server reports; the SQL hikkoshi sends is the same, the rules it applies are 5.0's. */
    static final ServerInfo MYSQL_50 = ServerInfo.of("5.0.96-log", Map.of("max_allowed_packet", "1048576",
            "character_set_server", "latin1", "collation_server", "latin1_swedish_ci", "log_bin", "OFF"));

    final SchemaPair pair;
    final TenantScope scope;
    final CopyEndpoint source;

    TriggerFixture(SchemaPair pair) throws SQLException {
        this.pair = pair;
        pair.source().execute(SHOP);
        pair.target().execute(java.util.Arrays.stream(SHOP).filter(s -> s.startsWith("CREATE")).toArray(String[]::new));
        DataConfig config = SandboxConfig.bind(pair, DATA);
        SitePair sites = SandboxConfig.sites(config);
        try (SiteDatabase s = SiteDatabase.open(sites.source(), 2); SiteDatabase t = SiteDatabase.open(sites.target(), 2)) {
            Schema targetSchema = t.inspector().inspect(t.schema());
            scope = new ScopeResolver(config, s.config(), s.inspector().inspect(s.schema()), Optional.of(targetSchema),
                    t.serverInfo()).resolve().orThrow();
        }
        source = new CopyEndpoint(dataSource(pair.source()), pair.name(), MYSQL_50, "site legacy (sandbox " + pair.name() + ")");
    }

    static MariaDbDataSource dataSource(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return ds;
    }

    TriggerCapture capture() {
        return new TriggerCapture(source, scope, dev.hikkoshi.data.copy.CharsetOverrides.NONE,
                new TriggerCapture.Options(100, 20, 300, true));
    }

    /** Collects what a capture hands out. */
    static class CollectingSink implements ChangeSink {
        final List<ChangeTransaction> transactions = new CopyOnWriteArrayList<>();
        final List<CaptureStop> stops = new CopyOnWriteArrayList<>();

        @Override
        public void accept(ChangeTransaction transaction) {
            transactions.add(transaction);
        }

        @Override
        public void stopped(CaptureStop reason) {
            stops.add(reason);
        }

        List<RowChange> changes() {
            return transactions.stream().flatMap(t -> t.changes().stream()).toList();
        }

        long lastId() {
            return transactions.isEmpty() ? 0
                    : ((CapturePosition.ChangeLog) transactions.get(transactions.size() - 1).end()).lastId();
        }

        /** Waits until {@code n} changes arrived (or the timeout passed); returns the changes. */
        List<RowChange> await(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (changes().size() < n && System.nanoTime() < deadline && stops.isEmpty()) {
                Thread.sleep(20);
            }
            return changes();
        }
    }
}
