package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.verify.RowDifference.Kind;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class VerifyRepairIT {
    /** 3,000 orders; tenant = id % 3 + 1, so tenant 1 owns the ids divisible by 3. */
    static void orders(SandboxSchema schema) {
        schema.execute("SET max_recursive_iterations = 100000", "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
                        + " total DECIMAL(12,2) NOT NULL, note VARCHAR(100) NULL, rate DOUBLE NULL, KEY idx_tenant (tenant_id))",
                "INSERT INTO orders WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        + " SELECT i, i % 3 + 1, i * 1.25, CONCAT('order ', i, ' 注文'), i / 7 FROM n");
    }

    static CopyEndpoint endpoint(VerifySide side) {
        return new CopyEndpoint(side.dataSource(), side.schema(), side.server(), side.description());
    }

    @Test
    void plantedRows_areReportedByKey_andRepairFixesExactlyThose(SchemaPair pair) throws Exception {
        orders(pair.source());
        orders(pair.target());
        pair.target().execute(
                "UPDATE orders SET note = 'tampered' WHERE id = 15",          // tenant 1: changed
                "DELETE FROM orders WHERE id = 18",                           // tenant 1: missing
                "INSERT INTO orders VALUES (5001, 1, 1.00, 'stray', NULL)",   // tenant 1: extra
                "UPDATE orders SET total = 0 WHERE id = 16");                 // tenant 2: not this tenant's business
        Sides sides = new Sides(pair);
        Verifier verifier = sides.verifier(400);
        TableToVerify tenant1 = sides.tenant("orders", "tenant_id", "1");

        VerifyReport report = verifier.verify(List.of(tenant1));

        assertThat(report.differences()).containsExactly(
                new RowDifference("orders", Kind.CHANGED, RowKey.of("15"), List.of("note")),
                new RowDifference("orders", Kind.MISSING, RowKey.of("18"), List.of()),
                new RowDifference("orders", Kind.EXTRA, RowKey.of("5001"), List.of()));
        assertThat(report.differences()).extracting(RowDifference::describe).containsExactly(
                "changed orders (15): column note", "missing orders (18)", "extra orders (5001)");
        TableReport table = report.tables().get(0);
        assertThat(table.sourceRows()).isEqualTo(1000);
        assertThat(table.targetRows()).isEqualTo(1000);
        assertThat(table.chunks()).isEqualTo(3);
        assertThat(table.describe()).isEqualTo("orders: 1,000 rows on the source, 1,000 on the target, 3 chunks, 3 differences");

        List<String> before = Sides.rows(pair.target(), "SELECT id, total, note FROM orders WHERE id NOT IN (15, 18, 5001) ORDER BY id");
        RowRepairer.Result repaired = new RowRepairer(verifier, endpoint(sides.source), endpoint(sides.target))
                .repair(List.of(tenant1), report);

        assertThat(repaired.keysRepaired()).isEqualTo(3);
        assertThat(repaired.rowsCopied()).isEqualTo(Map.of("orders", 2L));
        assertThat(repaired.remaining()).isEmpty();
        assertThat(Sides.rows(pair.target(), "SELECT id, tenant_id, total, note FROM orders WHERE id IN (15, 18, 5001) ORDER BY id"))
                .containsExactly("15|1|18.75|order 15 注文", "18|1|22.50|order 18 注文");
        assertThat(Sides.rows(pair.target(), "SELECT id, total, note FROM orders WHERE id NOT IN (15, 18, 5001) ORDER BY id"))
                .as("no other row touched, the other tenant's tampered row included").isEqualTo(before);
        assertThat(verifier.verify(List.of(tenant1)).equal()).isTrue();
        assertThat(verifier.verify(List.of(sides.whole("orders"))).differences())
                .containsExactly(new RowDifference("orders", Kind.CHANGED, RowKey.of("16"), List.of("total")));
    }

    /**
     * Two rows of one chunk changed by the same bits at the same place (here their notes swapped, 'xa' <-> 'xb'):
     * a linear row hash such as CRC32 changes by the same amount for both, and the chunk's XOR stays equal. The
     * bench's change of 1% of a million rows hid 46 rows from pt-table-sync's CRC32 chunks this way.
     */
    @Test
    void rowsChangedByTheSameBitsInOneChunk_areStillFound(SchemaPair pair) throws Exception {
        String create = "CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, note VARCHAR(10) NOT NULL)";
        pair.source().execute(create, "INSERT INTO notes VALUES (1, 'xa'), (2, 'xb'), (3, 'xc')");
        pair.target().execute(create, "INSERT INTO notes VALUES (1, 'xb'), (2, 'xa'), (3, 'xc')");
        Sides sides = new Sides(pair);

        VerifyReport report = sides.verifier(400).verify(List.of(sides.whole("notes")));

        assertThat(report.differences()).containsExactly(
                new RowDifference("notes", Kind.CHANGED, RowKey.of("1"), List.of("note")),
                new RowDifference("notes", Kind.CHANGED, RowKey.of("2"), List.of("note")));
    }

    @Test
    void compositeTextKeys_acrossManyChunks_areNarrowedToTheirRows(SchemaPair pair) throws Exception {
        String create = "CREATE TABLE tags (code VARCHAR(20) NOT NULL, seq INT NOT NULL, label VARCHAR(40) NOT NULL,"
                + " weight FLOAT NULL, PRIMARY KEY (code, seq))";
        String fill = "INSERT INTO tags WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                + " SELECT ELT(i % 5 + 1, 'alpha', 'beta', '日本', 'o''brien', 'zeta'), i, CONCAT('label ', i), i / 3 FROM n";
        pair.source().execute(create, fill);
        pair.target().execute(create, fill,
                "UPDATE tags SET weight = -weight WHERE code = '日本' AND seq = 2",
                "DELETE FROM tags WHERE code = 'o''brien' AND seq = 3",
                "INSERT INTO tags VALUES ('日本', 1000, 'stray', NULL)");
        Sides sides = new Sides(pair);
        Verifier verifier = sides.verifier(7);

        VerifyReport report = verifier.verify(List.of(sides.whole("tags")));

        assertThat(report.tables().get(0).chunks()).isEqualTo(43);
        assertThat(report.differences()).extracting(RowDifference::describe).containsExactly(
                "missing tags ('o''brien', 3)", "changed tags ('日本', 2): column weight", "extra tags ('日本', 1000)");
        RowRepairer.Result repaired = new RowRepairer(verifier, endpoint(sides.source), endpoint(sides.target))
                .repair(List.of(sides.whole("tags")), report);
        assertThat(repaired.remaining()).isEmpty();
        assertThat(verifier.verify(List.of(sides.whole("tags"))).equal()).isTrue();
    }

    @Test
    void separatorMovingBetweenTextValues_isStillAChange(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE s (id INT PRIMARY KEY, x VARCHAR(10), y VARCHAR(10))",
                "INSERT INTO s VALUES (1, 'a#', 'b')");
        pair.target().execute("CREATE TABLE s (id INT PRIMARY KEY, x VARCHAR(10), y VARCHAR(10))",
                "INSERT INTO s VALUES (1, 'a', '#b')");
        Sides sides = new Sides(pair);

        assertThat(sides.verifier(10).verify(List.of(sides.whole("s"))).differences())
                .containsExactly(new RowDifference("s", Kind.CHANGED, RowKey.of("1"), List.of("x", "y")));
    }

    /**
     * Narrowing reads a one-column integer key as a long: a BIGINT UNSIGNED key from 2^63 does not fit one and is read
     * as text from there on, and a ZEROFILL key keeps the server's zero-padded text; either way the same rows, and
     * only they, are reported in every chunk (every chunk differs, so most go straight to the row hashes).
     */
    @Test
    void integerKeysBeyondALong_andZerofillKeys_areNarrowedToTheirRows(SchemaPair pair) throws Exception {
        String big = "CREATE TABLE big (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, v INT NOT NULL)";
        String bigRows = "INSERT INTO big WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
                + " SELECT CAST(9223372036854775788 AS UNSIGNED) + i, i FROM n";
        String padded = "CREATE TABLE padded (id INT(5) UNSIGNED ZEROFILL NOT NULL PRIMARY KEY, v INT NOT NULL)";
        String paddedRows = "INSERT INTO padded WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
                + " SELECT i, i FROM n";
        pair.source().execute(big, bigRows, padded, paddedRows);
        pair.target().execute(big, bigRows, padded, paddedRows,
                "UPDATE big SET v = -v WHERE id IN (9223372036854775789, 9223372036854775800, 9223372036854775807,"
                        + " 9223372036854775808, 9223372036854775820)",
                "DELETE FROM big WHERE id = 9223372036854775810",
                "UPDATE padded SET v = -v WHERE id IN (1, 12, 25, 38)");
        Sides sides = new Sides(pair);

        VerifyReport report = sides.verifier(10).verify(List.of(sides.whole("big"), sides.whole("padded")));

        assertThat(report.differences()).extracting(RowDifference::describe).containsExactly(
                "changed big (9223372036854775789): column v", "changed big (9223372036854775800): column v",
                "changed big (9223372036854775807): column v", "changed big (9223372036854775808): column v",
                "missing big (9223372036854775810)", "changed big (9223372036854775820): column v",
                "changed padded (00001): column v", "changed padded (00012): column v",
                "changed padded (00025): column v", "changed padded (00038): column v");
    }

    @Test
    void columnMissingOnTarget_isAUserError(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)");
        pair.target().execute("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
        Sides sides = new Sides(pair);

        assertThatThrownBy(() -> sides.verifier(10).verify(List.of(sides.whole("t"))))
                .isInstanceOf(UserException.class)
                .hasMessage("table t: column b is missing on the target, so its values cannot be verified")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("add the column on the target (hikkoshi data verify --schema lists every difference)");
    }
}
