package dev.hikkoshi.app.demo;

import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.sandbox.db.DatabasePair;
import dev.hikkoshi.sandbox.db.EmbeddedMariaDb;
import dev.hikkoshi.sandbox.db.ServerProfile;
import java.util.List;

/**
 * The demo's two databases: a sandbox MariaDB standing in for the legacy site's old MySQL (no binlog, sql_mode
 * '', latin1 by default) and a binlog-on one for the cloud site, each with a schema {@value #SCHEMA}. The legacy
 * one gets a small multi-tenant shop: {@code tenants}, {@code orders} with a {@code tenant_id} and
 * {@code order_items} that reach their tenant through {@code order_id -> orders.id}, with Japanese text and
 * zero dates as old applications wrote them. Used by {@link DemoCommand}; closing it stops both servers and
 * removes their data directories.
 */
final class DemoDatabases implements AutoCloseable {
    static final String SCHEMA = "shop";
    static final int ORDERS_PER_TENANT = 500;
    static final int ITEMS_PER_ORDER = 3;

    private final DatabasePair pair;

    private DemoDatabases(DatabasePair pair) {
        this.pair = pair;
    }

    /** Starts both servers (at once), creates the schema on both and the sample rows of {@code tenants} on legacy. */
    static DemoDatabases start(List<TenantId> tenants) {
        DatabasePair pair = DatabasePair.start(ServerProfile.LEGACY_LIKE);
        try {
            pair.target().execute("", "CREATE DATABASE " + SCHEMA + " CHARACTER SET utf8mb4");
            pair.source().execute("", "CREATE DATABASE " + SCHEMA);
            pair.source().execute(SCHEMA, sampleShop(tenants));
            return new DemoDatabases(pair);
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    EmbeddedMariaDb legacy() {
        return pair.source();
    }

    EmbeddedMariaDb cloud() {
        return pair.target();
    }

    String url(EmbeddedMariaDb server) {
        return server.jdbcUrl(SCHEMA);
    }

    /**
     * The sample shop: the tables are utf8mb4 InnoDB on a latin1 server, as a legacy schema converted table by
     * table would be; tenant {@code i} (1-based, the order of {@code tenants}) has {@value #ORDERS_PER_TENANT}
     * orders of {@value #ITEMS_PER_ORDER} items; every tenth order has a zero date, as sql_mode '' allowed.
     */
    private static String[] sampleShop(List<TenantId> tenants) {
        StringBuilder tenantRows = new StringBuilder();
        for (int i = 0; i < tenants.size(); i++) {
            tenantRows.append(i == 0 ? "" : ", ").append("(").append(i + 1).append(", '").append(tenants.get(i))
                    .append("', '株式会社").append(tenants.get(i)).append("', '0000-00-00')");
        }
        int orders = ORDERS_PER_TENANT * tenants.size();
        return new String[] {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(63) NOT NULL, name VARCHAR(100) NOT NULL,"
                    + " closed_on DATE NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                    + " placed_at DATETIME NOT NULL, total DECIMAL(12,2) NOT NULL, note VARCHAR(200),"
                    + " KEY (tenant_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE order_items (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL,"
                    + " sku VARCHAR(20) NOT NULL, quantity INT NOT NULL, price DECIMAL(10,2) NOT NULL,"
                    + " KEY (order_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            "INSERT INTO tenants VALUES " + tenantRows,
            "SET SESSION max_recursive_iterations = 1000000",
            "INSERT INTO orders (id, tenant_id, placed_at, total, note) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL"
                    + " SELECT i + 1 FROM n WHERE i < " + orders + ") SELECT i, (i - 1) % " + tenants.size() + " + 1,"
                    + " IF(i % 10 = 0, '0000-00-00 00:00:00', TIMESTAMP '2015-04-01 09:00:00' + INTERVAL i HOUR),"
                    + " i * 1.25, IF(i % 7 = 0, NULL, CONCAT('ご注文 ', i, ' 番: お届けは午前中'))  FROM n",
            "INSERT INTO order_items (order_id, sku, quantity, price) SELECT o.id, CONCAT('SKU-', o.id, '-', k.k),"
                    + " k.k, o.total / " + ITEMS_PER_ORDER + " FROM orders o JOIN (SELECT 1 AS k UNION ALL SELECT 2"
                    + " UNION ALL SELECT 3) k ORDER BY o.id, k.k",
        };
    }

    @Override
    public void close() {
        pair.close();
    }
}
