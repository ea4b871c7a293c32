package dev.hikkoshi.app.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.HikkoshiCommand;
import dev.hikkoshi.sandbox.db.EmbeddedMariaDb;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hikkoshi data inspect} and {@code data verify --schema} end to end against the sandbox servers. */
@ExtendWith(FreshSchemaExtension.class)
public class DataCommandIT {
    @TempDir
    Path dir;

    static final String[] SHOP = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
            "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(10,2), KEY (tenant_id))",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL)",
            "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY)",
            "CREATE TABLE sessions (sid VARCHAR(64))",
            "INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex')",
            "INSERT INTO orders VALUES (10, 1, 1.00), (11, 1, 2.00), (20, 2, 3.00)",
            "INSERT INTO order_items VALUES (100, 10), (101, 11), (102, 11), (200, 20)",
            "ANALYZE TABLE tenants, orders, order_items, countries"};

    public record Run(int exitCode, String out, String err) {
    }

    /** Runs the hikkoshi command line in process and captures its exit code and both outputs. */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = HikkoshiCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

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
                + "    order_items: { via: \"order_id -> orders.id\" }\n"
                + "    countries: { shared: { writer: legacy } }\n"
                + "    sessions: { skip: true }\n");
        return file;
    }

    @Test
    void inspect_tenant_printsEachTablesClassKeyAndTheTenantsRowsWithWarnings(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        Run run = run("data", "inspect", "-c", config(pair).toString(), "acme");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        String[] lines = run.out().split("\n", 4);
        assertThat(lines[0]).startsWith("source: site legacy (127.0.0.1:" + pair.source().server().port() + "/" + pair.name()
                + " as root), MariaDB " + EmbeddedMariaDb.VERSION);
        assertThat(lines[1]).startsWith("target: site cloud (127.0.0.1:");
        assertThat(lines[2]).isEqualTo("tenant: acme (id 1)");
        assertThat(lines[3]).isEqualTo("""

                TABLE        CLASS                                        KEY             ROWS
                countries    shared, written on legacy                    PRIMARY (code)     0
                order_items  join path order_id -> orders.id (tenant_id)  PRIMARY (id)       3
                orders       tenant column tenant_id                      PRIMARY (id)       2
                tenants      tenant column id                             PRIMARY (id)       1
                sessions     skipped

                1 warning:
                  table `order_items` has no index starting with join column `order_id`: each move scans the whole table
                    fix: add one on the source: ALTER TABLE `order_items` ADD INDEX (`order_id`)
                """);
    }

    @Test
    void inspect_scopeErrors_printsTheScopeThenEveryErrorAndExits2(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        pair.source().execute("CREATE TABLE legacy_log (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id)) ENGINE=MyISAM",
                "CREATE TABLE audit (id INT NOT NULL PRIMARY KEY)");
        Run run = run("data", "inspect", "-c", config(pair).toString(), "--all");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("\nTABLE ").contains("\norders ");
        assertThat(run.err()).isEqualTo("""
                error: the tenant scope of schema %s has 2 problems:
                  table `audit` is not classified: it has no column `tenant_id` (data.tenant-column) and no entry in data.tables
                    fix: add data.tables.audit with tenant-column: COLUMN, via: "COLUMN -> TABLE.COLUMN", shared: {writer: SITE} or skip: true
                  table `legacy_log` uses the MyISAM engine, which has no row locks nor consistent snapshots: its rows cannot be copied consistently while the service writes them
                    fix: convert it on the source (ALTER TABLE `legacy_log` ENGINE=InnoDB), or leave it out with data.tables.legacy_log.skip: true
                hint: fix each problem above, then run 'hikkoshi data inspect' again (docs/data.md lists every check)
                """.formatted(pair.name()));
    }

    @Test
    void inspect_unknownTenant_isAUserError(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        Run run = run("data", "inspect", "-c", config(pair).toString(), "acmee");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: unknown tenant acmee\n"
                + "hint: name one of the tenants in the config's tenants section: acme, globex\n");
    }

    @Test
    void verifySchema_missingTargetTables_areReportedThenCreatedOnRequest(SchemaPair pair) throws IOException {
        pair.source().execute(SHOP);
        pair.target().execute("CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
                "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, total DECIMAL(8,2), KEY (tenant_id))");
        String file = config(pair).toString();
        String source = "site legacy (127.0.0.1:" + pair.source().server().port() + "/" + pair.name() + " as root)";
        String target = "site cloud (127.0.0.1:" + pair.target().server().port() + "/" + pair.name() + " as root)";

        Run first = run("data", "verify", "--schema", "-c", file);
        assertThat(first.exitCode()).isEqualTo(2);
        assertThat(first.err()).isEqualTo("""
                error: the schema check of %s against %s has 3 problems:
                  column `orders`.`total` is decimal(10,2) on the source but decimal(8,2) on the target, which cannot hold every value
                    fix: widen it on the target: ALTER TABLE `orders` MODIFY `total` decimal(10,2)
                  table `countries` does not exist on the target
                    fix: create it from the source's definition with 'hikkoshi data verify --schema --create-missing', or create it yourself
                  table `order_items` does not exist on the target
                    fix: create it from the source's definition with 'hikkoshi data verify --schema --create-missing', or create it yourself
                hint: fix each problem above, then run 'hikkoshi data inspect' again (docs/data.md lists every check)
                """.formatted(source, target));

        pair.target().execute("ALTER TABLE orders MODIFY total DECIMAL(12,2)");
        Run create = run("data", "verify", "--schema", "--create-missing", "-c", file);
        assertThat(create.err()).isEmpty();
        assertThat(create.exitCode()).isZero();
        assertThat(create.out()).isEqualTo("created on the target: countries, order_items\n"
                + "schemas compatible: 4 tables in scope exist on " + target + " (4 tables there) and can hold the source's values\n");

        assertThat(run("data", "verify", "--schema", "-c", file).exitCode()).isZero();
    }
}
