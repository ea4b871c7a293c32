package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.count;
import static dev.hikkoshi.data.copy.CopyFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A copy killed with SIGKILL (a child JVM, {@link CopyChild}) at each named point of a chunk, and once at a
 * seeded random moment, then restarted, ends with the target equal to the source: no row missing, none twice.
 * Equality is checked by reading both sides in full through plain JDBC ({@code HEX()} of every column).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(240)
class CopyCrashIT {
    /**
     * Once written by multi-row INSERTs, once by LOAD DATA LOCAL (data.copy.write): {@code orders}, whose id is
     * AUTO_INCREMENT, in statements of about 2 MB (nine rows in ten carry a 3 KB memo, which makes chunks of 800
     * rows two statements, so a crash may fall between them), {@code codes} in one statement a chunk.
     */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void copyKilledAtEachPoint_andRestarted_endsEqual_withoutGapsOrDuplicates(CopyWrite write, SchemaPair pair)
            throws Exception {
        String orders = "CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL,"
                + " note VARCHAR(60), memo VARCHAR(3000), amount DECIMAL(10,2), created DATETIME) ENGINE=InnoDB"
                + " DEFAULT CHARSET=utf8mb4";
        String codes = "CREATE TABLE codes (k1 VARCHAR(10) NOT NULL, k2 INT NOT NULL, v VARBINARY(16),"
                + " PRIMARY KEY (k1, k2)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        pair.source().execute(orders, codes);
        pair.target().execute(orders, codes);
        for (int batch = 0; batch < 4; batch++) {
            StringBuilder sql = new StringBuilder("INSERT INTO orders (id, tenant_id, note, amount, created) VALUES ");
            for (int i = 1; i <= 5_000; i++) {
                int id = batch * 5_000 + i;
                sql.append(i == 1 ? "" : ",").append('(').append(id).append(',').append(id % 50).append(",'n")
                        .append(id).append(" ✓',").append(id).append(".5,'2023-05-0").append(1 + id % 9).append(" 12:00:00')");
            }
            pair.source().execute(sql.toString());
        }
        pair.source().execute("UPDATE orders SET memo = REPEAT(CHAR(97 + id % 26), 3000) WHERE id % 10 <> 3");
        StringBuilder sql = new StringBuilder("INSERT INTO codes VALUES ");
        for (int i = 0; i < 3_000; i++) {
            sql.append(i == 0 ? "" : ",").append("('k").append(i % 37).append("',").append(i).append(",X'")
                    .append(String.format("%04X", i)).append("')");
        }
        pair.source().execute(sql.toString());

        List<String> crashes = List.of("AFTER_INSERT:3", "BEFORE_TARGET_COMMIT:5", "AFTER_TARGET_COMMIT:4",
                "AFTER_INSERT:11", "random");
        Random random = new Random(42);
        for (String crash : crashes) {
            Process child = start(pair, crash.equals("random") ? null : crash, write);
            if (crash.equals("random")) {
                Thread.sleep(300 + random.nextInt(700));
            } else {
                awaitLine(child, "CRASH-POINT-REACHED");
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        long beforeLastRun = count(pair.target(), "SELECT COUNT(*) FROM orders");
        assertThat(beforeLastRun).isLessThan(20_000); // the crashes really interrupted the copy
        Process last = start(pair, null, write);
        List<String> out = awaitLine(last, "COPY-DONE");
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).isZero();
        assertThat(out.get(out.size() - 1)).isEqualTo("COPY-DONE 23000");

        assertThat(count(pair.target(), "SELECT COUNT(*) FROM orders")).isEqualTo(20_000);
        assertThat(count(pair.target(), "SELECT COUNT(DISTINCT id) FROM orders")).isEqualTo(20_000);
        assertThat(rows(pair.target(), "orders", "id", "")).isEqualTo(rows(pair.source(), "orders", "id", ""));
        assertThat(rows(pair.target(), "codes", "k1, k2", "")).hasSize(3_000)
                .isEqualTo(rows(pair.source(), "codes", "k1, k2", ""));
    }

    private static Process start(SchemaPair pair, String crash, CopyWrite write) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-Dcopy.write=" + write.name(),
                CopyChild.class.getName(), pair.source().server().jdbcUrl(""), pair.target().server().jdbcUrl(""),
                pair.name()));
        if (crash != null) {
            command.add(crash);
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's output until a line starts with {@code prefix}; fails if the child exits first. */
    private static List<String> awaitLine(Process child, String prefix) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
        throw new AssertionError("child exited before " + prefix + ":\n" + String.join("\n", lines));
    }
}
