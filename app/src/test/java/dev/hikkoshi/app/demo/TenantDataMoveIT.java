package dev.hikkoshi.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.connect.DataContext;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class TenantDataMoveIT {
    @TempDir
    Path dir;

    @Test
    void run_copiesOnlyTheTenantsRows_verifiesThemEqual_andReportsTheFigures(SchemaPair pair) throws Exception {
        pair.source().execute("SET max_recursive_iterations = 100000",
                "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL)",
                "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2),"
                        + " note VARCHAR(40), KEY (tenant_id))",
                "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL, KEY (order_id))",
                "INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex'), (3, 'initech')",
                "INSERT INTO orders WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        + " SELECT i, i % 3 + 1, i * 1.5, CONCAT('注文 ', i) FROM n",
                "INSERT INTO order_items SELECT id * 10, id FROM orders UNION ALL SELECT id * 10 + 1, id FROM orders");
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, "sites:\n"
                + "  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root } }\n"
                + "tenants: { list: [{name: acme, id: 2}, {name: globex, id: 1}, {name: initech, id: 3}] }\n"
                + "data:\n"
                + "  tenant-column: tenant_id\n"
                + "  tables: { tenants: { tenant-column: id }, order_items: { via: \"order_id -> orders.id\" } }\n");

        TenantDataMove.Figures figures;
        try (DataContext data = DataContext.open(ConfigDocument.read(file), Optional.of(SiteId.of("legacy")),
                Optional.of(SiteId.of("cloud")), 8)) {
            figures = TenantDataMove.run(data, data.tenant("acme"));
        }

        assertThat(figures.tables()).extracting(TenantDataMove.TableFigures::table)
                .containsExactlyInAnyOrder("tenants", "orders", "order_items");
        assertThat(figures.tables()).filteredOn(t -> t.table().equals("order_items")).singleElement()
                .isEqualTo(new TenantDataMove.TableFigures("order_items", 2000, 2000, 2000, 0, 2000));
        assertThat(figures.rowsCopied()).isEqualTo(3001);
        assertThat(figures.rowsVerified()).isEqualTo(3001);
        assertThat(figures.targetTotal()).isEqualTo(3001);
        assertThat(figures.differences()).isZero();
        assertThat(figures.describe()).startsWith("tenant acme: copied 3,001 rows of 3 tables in ").endsWith(" s: equal");
        // An independent count on the target: only acme's rows (tenant id 2) arrived.
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM orders WHERE tenant_id <> 2)"
                     + " + (SELECT COUNT(*) FROM tenants WHERE id <> 2)"
                     + " + (SELECT COUNT(*) FROM order_items WHERE order_id % 3 <> 1), (SELECT COUNT(*) FROM orders)")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getLong(2)).isEqualTo(1000);
        }
    }
}
