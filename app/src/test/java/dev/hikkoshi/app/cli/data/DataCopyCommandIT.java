package dev.hikkoshi.app.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hikkoshi data copy} end to end against the sandbox servers, with the shop fixture of {@link DataCommandIT}. */
@ExtendWith(FreshSchemaExtension.class)
class DataCopyCommandIT {
    @TempDir
    Path dir;

    private static final String[] TARGET_TABLES = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
            "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2), KEY (tenant_id))",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL)",
            "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY)"};

    private String config(SchemaPair pair) throws Exception {
        DataCommandIT shop = new DataCommandIT();
        shop.dir = dir;
        return shop.config(pair).toString();
    }

    @Test
    void copyTenant_copiesItsRowsOfEveryPerTenantTable_andNothingElse(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.source().execute("INSERT INTO countries VALUES ('JP')");
        pair.target().execute(TARGET_TABLES);
        pair.target().execute("INSERT INTO tenants VALUES (3, 'initech')", "INSERT INTO orders VALUES (30, 3, 9.00)");
        String target = "site cloud (127.0.0.1:" + pair.target().server().port() + "/" + pair.name() + " as root)";

        DataCommandIT.Run run = DataCommandIT.run("data", "copy", "-c", config(pair), "acme");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("copied 6 rows of tenant acme from site legacy (127.0.0.1:")
                .contains(" to " + target + " in ").endsWith("; 6 rows in all with earlier runs\n");
        assertThat(rows(pair.target(), "SELECT id, slug FROM tenants ORDER BY id")).containsExactly("1 acme", "3 initech");
        assertThat(rows(pair.target(), "SELECT id, tenant_id FROM orders ORDER BY id")).containsExactly("10 1", "11 1", "30 3");
        assertThat(rows(pair.target(), "SELECT id, order_id FROM order_items ORDER BY id"))
                .containsExactly("100 10", "101 11", "102 11");
        assertThat(rows(pair.target(), "SELECT code FROM countries")).isEmpty(); // shared: not copied with a tenant

        DataCommandIT.Run again = DataCommandIT.run("data", "copy", "-c", config(pair), "acme");
        assertThat(again.out()).startsWith("copied 0 rows of tenant acme").endsWith("; 6 rows in all with earlier runs\n");
        DataCommandIT.Run restarted = DataCommandIT.run("data", "copy", "--restart", "-c", config(pair), "acme");
        assertThat(restarted.out()).startsWith("copied 6 rows of tenant acme"); // rewritten as no-ops over the same rows
        assertThat(rows(pair.target(), "SELECT COUNT(*) FROM orders")).containsExactly("3");
    }

    @Test
    void copyAll_copiesEveryRowInScope(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.source().execute("INSERT INTO countries VALUES ('JP'), ('FR')");
        pair.target().execute(TARGET_TABLES);
        DataCommandIT.Run run = DataCommandIT.run("data", "copy", "-c", config(pair), "--all");
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("copied 11 rows of every tenant from site legacy");
        assertThat(rows(pair.target(), "SELECT code FROM countries ORDER BY code")).containsExactly("FR", "JP");
    }

    @Test
    void copy_withoutTenant_orWithBoth_orWithAMissingTable_isAOneLineUserError(SchemaPair pair) throws Exception {
        pair.source().execute(DataCommandIT.SHOP);
        pair.target().execute(TARGET_TABLES[0], TARGET_TABLES[1], TARGET_TABLES[3]);
        String file = config(pair);
        String hint = "hint: run 'hikkoshi data copy -c FILE acme' for one tenant, or 'hikkoshi data copy -c FILE --all'"
                + " for every row\n";

        DataCommandIT.Run none = DataCommandIT.run("data", "copy", "-c", file);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("error: data copy needs a TENANT or --all\n" + hint);
        DataCommandIT.Run both = DataCommandIT.run("data", "copy", "-c", file, "acme", "--all");
        assertThat(both.err()).isEqualTo("error: give either a TENANT or --all, not both\n" + hint);
        DataCommandIT.Run unknown = DataCommandIT.run("data", "copy", "-c", file, "acmee");
        assertThat(unknown.err()).isEqualTo("error: unknown tenant acmee\n"
                + "hint: name one of the tenants in the config's tenants section: acme, globex\n");
        DataCommandIT.Run missing = DataCommandIT.run("data", "copy", "-c", file, "acme");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: table order_items is missing on site cloud (127.0.0.1:"
                + pair.target().server().port() + "/" + pair.name() + " as root)\n"
                + "hint: create it with 'hikkoshi data verify --schema --create-missing -c FILE', then copy again\n");
    }

    static List<String> rows(SandboxSchema schema, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    line.append(i == 1 ? "" : " ").append(rs.getString(i));
                }
                out.add(line.toString());
            }
        }
        return out;
    }
}
