package dev.hikkoshi.data.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.copy.CharsetOverrides;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class FidelityIT {
    /**
     * Puts the fixture on both sides. The target writes its TIMESTAMPs in another time zone (the same instants),
     * so that only a verifier pinning the session time zone finds them equal.
     */
    static void loadBothSides(SchemaPair pair) {
        LegacyFixture.load(pair.source(), "+09:00", "2024-01-01 09:00:00.123456", "1970-01-01 09:00:01");
        LegacyFixture.load(pair.target(), "-05:00", "2023-12-31 19:00:00.123456", "1969-12-31 19:00:01");
    }

    @Test
    void fixture_onTarget_holdsExpectedValuesAndVerifiesEqual(SchemaPair pair) throws Exception {
        loadBothSides(pair);

        assertThat(Sides.rows(pair.target(), LegacyFixture.CANONICAL_SELECT)).containsExactly(LegacyFixture.EXPECTED);
        Sides sides = new Sides(pair);
        VerifyReport whole = sides.verifier(2).verify(List.of(sides.whole(LegacyFixture.TABLE)));
        assertThat(whole.differences()).isEmpty();
        assertThat(whole.tables()).containsExactly(new TableReport("fidelity", 5, 5, 3, 0, List.of()));
        VerifyReport tenant = sides.verifier(1000).verify(List.of(sides.tenant(LegacyFixture.TABLE, "tenant_id", "7")));
        assertThat(tenant.tables()).containsExactly(new TableReport("fidelity", 4, 4, 1, 0, List.of()));
    }

    /**
     * The acceptance test of issue 3 point 5: hikkoshi's copy, checked by the server's own canonical text, then
     * verified; once written by multi-row INSERTs, once by LOAD DATA LOCAL (data.copy.write).
     */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void fixture_copiedByHikkoshi_holdsExpectedValuesAndVerifiesEqual(CopyWrite write, SchemaPair pair) throws Exception {
        LegacyFixture.load(pair.source(), "+09:00", "2024-01-01 09:00:00.123456", "1970-01-01 09:00:01");
        pair.target().execute(LegacyFixture.CREATE);
        Sides sides = new Sides(pair);
        TableToVerify table = sides.whole(LegacyFixture.TABLE);

        CopyResult copied = new CopyJob(VerifyRepairIT.endpoint(sides.source), VerifyRepairIT.endpoint(sides.target),
                List.of(new CopyTable(table.source(), table.target(), table.key(), TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withWrite(write), CharsetOverrides.NONE, CopyHooks.NONE).run();

        assertThat(copied.totalRows()).isEqualTo(5);
        assertThat(Sides.rows(pair.target(), LegacyFixture.CANONICAL_SELECT)).containsExactly(LegacyFixture.EXPECTED);
        VerifyReport report = sides.verifier(2).verify(List.of(table));
        assertThat(report.tables()).containsExactly(new TableReport("fidelity", 5, 5, 3, 0, List.of()));
    }

    /** A target may declare wider types: values are brought to one canonical form (fixed fraction digits, scale). */
    @Test
    void widerTargetTypes_holdingEqualValues_verifyEqual_andAChangeIsFound(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE w (id INT PRIMARY KEY, dt DATETIME, t TIME, amount DECIMAL(10,2),"
                        + " name VARCHAR(20) CHARACTER SET latin1)",
                "INSERT INTO w VALUES (1, '2024-05-06 07:08:09', '-12:00:01', 12.30, 'Zoë'), (2, NULL, NULL, -0.01, '')");
        pair.target().execute("CREATE TABLE w (id BIGINT PRIMARY KEY, dt DATETIME(6), t TIME(3), amount DECIMAL(14,4),"
                        + " name VARCHAR(40) CHARACTER SET utf8mb4)",
                "INSERT INTO w VALUES (1, '2024-05-06 07:08:09', '-12:00:01', 12.3, 'Zoë'), (2, NULL, NULL, -0.01, '')");
        Sides sides = new Sides(pair);
        Verifier verifier = sides.verifier(10);

        assertThat(verifier.verify(List.of(sides.whole("w"))).differences()).isEmpty();
        pair.target().execute("UPDATE w SET dt = '2024-05-06 07:08:09.000001', amount = 12.3001 WHERE id = 1");
        assertThat(verifier.verify(List.of(sides.whole("w"))).differences())
                .containsExactly(new RowDifference("w", RowDifference.Kind.CHANGED, RowKey.of("1"), List.of("dt", "amount")));
    }

    /** Each subtle change on the target is found and named by key and column; a JSON key reordering is no change. */
    @Test
    void subtleChanges_onTarget_areEachReportedByKeyAndColumn(SchemaPair pair) throws Exception {
        loadBothSides(pair);
        Sides sides = new Sides(pair);
        Verifier verifier = sides.verifier(1000);
        String json = "'{\"a\": [1, 2.5, \"日本\"], \"b\": null}'";
        List<Change> changes = List.of(
                new Change(2, "s, gen", "s = NULL", "s = ''"),                 // '' -> NULL (and the generated column)
                new Change(2, "vb", "vb = NULL", "vb = ''"),
                new Change(3, "d", "d = '0000-00-01'", "d = '0000-00-00'"),
                new Change(4, "dt6", "dt6 = '2024-02-29 23:59:59.999998'", "dt6 = '2024-02-29 23:59:59.999999'"),
                new Change(4, "ts", "ts = '2024-01-01 00:00:00.123457'", "ts = '2024-01-01 00:00:00.123456'"),
                new Change(4, "dec1", "dec1 = dec1 + 0.000000000000000000000000000001",
                        "dec1 = dec1 - 0.000000000000000000000000000001"),
                new Change(3, "f", "f = 0e0", "f = -0e0"),                     // -0.0 -> 0.0
                new Change(5, "g", "g = 4.9e-324 * 2", "g = 4.9e-324"),
                new Change(3, "b", "b = b'0111111111'", "b = b'1111111111'"),
                new Change(3, "mb", "mb = CONCAT(" + LegacyFixture.BIG_BLOB + ", X'00')", "mb = " + LegacyFixture.BIG_BLOB),
                new Change(3, "j", "j = '{\"a\": [1, 2.5, \"日本\"], \"b\": 0}'", "j = " + json),
                new Change(3, "e", "e = 'b'", "e = 'c'"),
                new Change(3, "u", "u = '日本語 🍤 emoji'", "u = '日本語 🍣 emoji'"),
                new Change(3, "lt", "lt = CONCAT(lt, ' ')", "lt = " + LegacyFixture.LONG_TEXT));
        for (Change change : changes) {
            pair.target().execute("SET sql_mode = ''", "SET time_zone = '+00:00'",
                    "UPDATE fidelity SET " + change.set() + " WHERE id = " + change.id());
            List<RowDifference> found = verifier.verify(List.of(sides.whole(LegacyFixture.TABLE))).differences();
            pair.target().execute("SET sql_mode = ''", "SET time_zone = '+00:00'",
                    "UPDATE fidelity SET " + change.revert() + " WHERE id = " + change.id());
            assertThat(found).as(change.set()).containsExactly(new RowDifference("fidelity",
                    RowDifference.Kind.CHANGED, RowKey.of(String.valueOf(change.id())), List.of(change.columns().split(", "))));
        }
        assertThat(verifier.verify(List.of(sides.whole(LegacyFixture.TABLE))).differences()).isEmpty();
    }

    private record Change(int id, String columns, String set, String revert) {
    }
}
