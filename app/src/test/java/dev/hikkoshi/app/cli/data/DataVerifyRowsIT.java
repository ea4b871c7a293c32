package dev.hikkoshi.app.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hikkoshi data verify -c FILE [TENANT | --all] [--repair]} end to end against the sandbox servers. */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class DataVerifyRowsIT {
    @TempDir
    Path dir;

    static final String[] SHOP = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
            "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2), note TEXT,"
                    + " KEY (tenant_id))",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL, qty INT NOT NULL, KEY (order_id))",
            "INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex')",
            "INSERT INTO orders VALUES (10, 1, 1.00, 'first'), (11, 1, 2.00, NULL), (12, 1, 3.00, ''), (20, 2, 3.00, 'x')",
            "INSERT INTO order_items VALUES (100, 10, 1), (101, 11, 2), (102, 11, 3), (200, 20, 4)"};

    Path config(SchemaPair pair) throws IOException {
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, "sites:\n"
                + "  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root, capture: differential } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root } }\n"
                + "tenants: { from-table: { table: tenants, id: id, name: slug } }\n"
                + "data:\n"
                + "  tenant-column: tenant_id\n"
                + "  tables:\n"
                + "    tenants: { tenant-column: id }\n"
                + "    order_items: { via: \"order_id -> orders.id\" }\n");
        return file;
    }

    @Test
    void verify_tenant_reportsPlantedRowsByKey_repairFixesThem_andOtherTenantsStayUntouched(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        pair.target().execute(SHOP);
        pair.target().execute("UPDATE orders SET note = 'first!' WHERE id = 10", "DELETE FROM order_items WHERE id = 102",
                "INSERT INTO order_items VALUES (103, 12, 9)", "UPDATE orders SET total = 0 WHERE id = 20");
        String file = config(pair).toString();
        String header = "verifying tenant acme (id 1): site legacy (127.0.0.1:" + pair.source().server().port() + "/"
                + pair.name() + " as root) -> site cloud (127.0.0.1:" + pair.target().server().port() + "/" + pair.name()
                + " as root)\n";

        DataCommandIT.Run found = DataCommandIT.run("data", "verify", "-c", file, "acme");

        assertThat(found.err()).isEmpty();
        assertThat(found.exitCode()).isEqualTo(3);
        assertThat(found.out()).startsWith(header + """
                order_items: 3 rows on the source, 3 on the target, 1 chunk, 2 differences
                  missing order_items (102)
                  extra order_items (103)
                orders: 3 rows on the source, 3 on the target, 1 chunk, 1 difference
                  changed orders (10): column note
                tenants: 1 row on the source, 1 on the target, 1 chunk, equal
                3 differences in 3 tables (7 rows on the source, 7 on the target) in """)
                .endsWith(" s\nhint: run again with --repair to re-copy exactly these rows\n");

        DataCommandIT.Run repaired = DataCommandIT.run("data", "verify", "-c", file, "acme", "--repair");

        assertThat(repaired.exitCode()).isZero();
        assertThat(repaired.out()).contains("3 differences in 3 tables").endsWith("""
                 s
                repaired 3 rows: 2 copied from the source, the rest deleted from the target
                re-checked those rows: all equal now
                """);
        DataCommandIT.Run again = DataCommandIT.run("data", "verify", "-c", file, "acme");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("\nno differences in 3 tables (7 rows on the source, 7 on the target) in ");
        DataCommandIT.Run all = DataCommandIT.run("data", "verify", "-c", file, "--all");
        assertThat(all.exitCode()).as("globex's tampered order is not acme's to repair").isEqualTo(3);
        assertThat(all.out()).contains("orders: 4 rows on the source, 4 on the target, 1 chunk, 1 difference\n"
                + "  changed orders (20): column total\n").contains("\n1 difference in 3 tables (10 rows on the source");
    }

    @Test
    void verify_table_checksAndRepairsThatTableAlone(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        pair.target().execute(SHOP);
        pair.target().execute("UPDATE tenants SET slug = 'acme!' WHERE id = 1", "UPDATE orders SET total = 0 WHERE id = 20");
        String file = config(pair).toString();

        DataCommandIT.Run repaired = DataCommandIT.run("data", "verify", "-c", file, "--all", "--table", "TENANTS", "--repair");

        assertThat(repaired.err()).isEmpty();
        assertThat(repaired.exitCode()).isZero();
        assertThat(repaired.out()).contains("\ntenants: 2 rows on the source, 2 on the target, 1 chunk, 1 difference\n"
                + "  changed tenants (1): column slug\n").doesNotContain("orders")
                .endsWith("repaired 1 row: 1 copied from the source, the rest deleted from the target\n"
                        + "re-checked those rows: all equal now\n");
        try (java.sql.Connection c = pair.target().connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT total FROM orders WHERE id = 20")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("a table not named is neither verified nor repaired").isEqualTo("0.00");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        DataCommandIT.Run unknown = DataCommandIT.run("data", "verify", "-c", file, "acme", "--table", "tenants",
                "--table", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: --table nope: not among tenant acme's tables (the per-tenant tables"
                + " in scope)\nhint: give one of order_items, orders, tenants; a shared table is verified with --all\n");
    }

    @Test
    void verify_withoutSubject_orWithBoth_isAUserError(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        String file = config(pair).toString();

        DataCommandIT.Run none = DataCommandIT.run("data", "verify", "-c", file);
        DataCommandIT.Run both = DataCommandIT.run("data", "verify", "-c", file, "acme", "--all");
        DataCommandIT.Run schemaAndRepair = DataCommandIT.run("data", "verify", "-c", file, "--schema", "--repair");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("error: data verify needs a TENANT, --all or --schema\n"
                + "hint: run 'hikkoshi data verify -c FILE acme' for one tenant's rows, with --all for every row,"
                + " or with --schema to compare the schemas\n");
        assertThat(both.err()).startsWith("error: give either a TENANT or --all, not both\n");
        assertThat(schemaAndRepair.err()).isEqualTo("error: --schema compares schemas only: it takes no TENANT, --all, --table or --repair\n"
                + "hint: run 'hikkoshi data verify -c FILE --schema', then 'hikkoshi data verify -c FILE TENANT' for the rows\n");
    }
}
