package dev.hikkoshi.app.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.app.cli.data.DataCommandIT.Run;
import dev.hikkoshi.cutover.plan.Plan;
import dev.hikkoshi.cutover.plan.PlanFile;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi plan -c FILE -o PLAN} end to end against the sandbox servers: the printed summary (waves, sizes,
 * estimates from the given throughput, skipped and refused tenants, preflight) and the plan file it writes; and
 * its user errors.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class PlanCommandIT {
    private static final String[] SHOP = {
        "CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id)) ENGINE=InnoDB",
        "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, note VARCHAR(40) NULL,"
                + " KEY (tenant_id)) ENGINE=InnoDB",
        "CREATE TABLE order_items (order_id INT NOT NULL, line INT NOT NULL, PRIMARY KEY (order_id, line)) ENGINE=InnoDB"};

    @TempDir
    Path dir;

    private Path config(SchemaPair pair) throws Exception {
        pair.source().execute(SHOP);
        pair.target().execute(SHOP);
        // t1: 5 customers, 20 orders, 40 items (65 rows); t2: 3, 10, 20 (33); t3: 1, 2, 4 (7).
        int[][] sizes = {{5, 20}, {3, 10}, {1, 2}};
        for (int t = 1; t <= 3; t++) {
            for (int c = 1; c <= sizes[t - 1][0]; c++) {
                pair.source().execute("INSERT INTO customers VALUES (" + (t * 1000 + c) + ", " + t + ")");
            }
            for (int o = 1; o <= sizes[t - 1][1]; o++) {
                int id = t * 1000 + o;
                pair.source().execute("INSERT INTO orders VALUES (" + id + ", " + t + ", 'seed')",
                        "INSERT INTO order_items VALUES (" + id + ", 1), (" + id + ", 2)");
            }
        }
        pair.source().execute("ANALYZE TABLE customers, orders, order_items");
        Path state = dir.resolve("state");
        Files.createDirectories(state.resolve("controller"));
        Files.writeString(state.resolve("controller").resolve("routing-table.json"),
                "{\"version\": 3, \"placements\": {\"t3\": {\"site\": \"cloud\", \"frozen\": false}}}");
        Path file = dir.resolve("hikkoshi.yaml");
        Files.writeString(file, """
                sites:
                  legacy: { database: { url: "%s", user: root, capture: differential } }
                  cloud: { database: { url: "%s", user: root } }
                tenants:
                  list: [ { name: t1, id: 1 }, { name: t2, id: 2 }, { name: t3, id: 3 } ]
                state-dir: "%s"
                data:
                  tenant-column: tenant_id
                  tables: { order_items: { via: "order_id -> orders.id" } }
                plan:
                  waves: [ { name: pilot, tenants: [t1], gate: approval }, { name: rest, tenants: "*" } ]
                  rollback-line: { error-rate: 2%%, p99: 800ms }
                  freeze: { max: 1s }
                """.formatted(pair.source().jdbcUrl(), pair.target().jdbcUrl(), state));
        return file;
    }

    @Test
    void plan_printsTheSummary_andWritesThePlanFile(SchemaPair pair) throws Exception {
        Path config = config(pair);
        Path out = dir.resolve("plan.json");
        Run run = DataCommandIT.run("plan", "-c", config.toString(), "-o", out.toString(),
                "--throughput-sample", "50,1000000000");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        Plan plan = PlanFile.read(out);
        String id = plan.id().substring(0, 12);
        Map<String, Long> avg = avgRowLengths(pair.source());
        String t2Bytes = kilobytes(3 * avg.get("customers") + 10 * avg.get("orders") + 20 * avg.get("order_items"));
        String summary = run.out().substring(0, run.out().indexOf("preflight legacy -> cloud:\n"));
        assertThat(summary).isEqualTo("""
                plan %s: legacy -> cloud, 2 waves, 1 tenant to move (33 rows, %s), freeze.max 1.0 s
                throughput: 50 rows/s, 953.7 MB/s (given)
                rollback line: error-rate 2%%, relative 2x, p99 800ms, window 1m, min-requests 50, bake 10m, \
                inconclusive: 3 extensions, then wait-for-approval
                wave pilot (gate: approval): no tenants to move
                wave rest (gate: auto): 1 tenant, 33 rows, %s, copy 660 ms in all
                  t2: 33 rows, %s, copy 660 ms, final sync 660 ms, freeze 860 ms
                skipped (no move needed):
                  t3 (wave rest): already on cloud
                refused (left out of the waves):
                  t1 (wave pilot): estimated freeze 1.5 s exceeds freeze.max 1.0 s: differential capture checksums \
                all 65 rows of the tenant inside the freeze
                """.formatted(id, t2Bytes, t2Bytes, t2Bytes));
        assertThat(run.out()).contains("""
                preflight legacy -> cloud:
                  ok      scope: 3 tables (3 per tenant)
                  ok      differential capture on site legacy""")
                .contains("\npreflight cloud -> legacy:\n  ok      scope: 3 tables (3 per tenant)\n")
                .contains("\n  warning long-lived requests that could keep a freeze from draining: not checked (the config"
                        + " names no router admin API: controller.routers, or router.admin for the embedded router); a"
                        + " freeze that cannot drain within its timeout aborts the move\n")
                .endsWith("\nplan written to " + out + " (id " + id + ")\n");
        assertThat(plan.tenants()).extracting(Object::toString).containsExactly("t2");
    }

    @Test
    void plan_aBadSample_andAMissingDirectory_areUserErrors(SchemaPair pair) throws Exception {
        Path config = config(pair);
        Run badSample = DataCommandIT.run("plan", "-c", config.toString(), "-o", dir.resolve("p.json").toString(),
                "--throughput-sample", "fast");
        assertThat(badSample.exitCode()).isEqualTo(2);
        assertThat(badSample.err()).isEqualTo("error: --throughput-sample fast is not ROWS_PER_S,BYTES_PER_S\n"
                + "hint: give two positive numbers, such as --throughput-sample 5000,2000000\n");

        Path nowhere = dir.resolve("missing/plan.json");
        Run noDir = DataCommandIT.run("plan", "-c", config.toString(), "-o", nowhere.toString(),
                "--throughput-sample", "50,1000");
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).isEqualTo("error: cannot write plan file " + nowhere + ": directory "
                + nowhere.getParent() + " does not exist\n"
                + "hint: create the directory, or give -o a path in an existing one\n");
    }

    private static String kilobytes(long bytes) {
        return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }

    private static Map<String, Long> avgRowLengths(SandboxSchema schema) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, schema.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Math.max(1, rs.getLong(2)));
                }
            }
        }
        return out;
    }
}
