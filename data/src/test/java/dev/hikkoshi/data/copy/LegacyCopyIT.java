package dev.hikkoshi.data.copy;

import static dev.hikkoshi.data.copy.CopyFixtures.endpoint;
import static dev.hikkoshi.data.copy.CopyFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.CopyWrite;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Copy from the legacy-like source (1 MB max_allowed_packet, latin1, sql_mode '') into a utf8mb4 target:
 * statements sized to the smaller packet, binary values byte for byte, latin1 text converted, a latin1
 * column holding cp932 bytes converted through its charset override, zero dates kept, generated columns
 * left to the target. Checked through the servers' own HEX() and CAST text, not hikkoshi's reader.
 */
@ExtendWith(FreshSchemaExtension.class)
@LegacyLikeSource
@Timeout(120)
class LegacyCopyIT {
    private static final String SOURCE_DDL = "CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, body BLOB,"
            + " note VARCHAR(100), sj VARCHAR(100), zd DATETIME, zdate DATE, bits BIT(8), f DOUBLE,"
            + " twice INT AS (id * 2) VIRTUAL) ENGINE=InnoDB DEFAULT CHARSET=latin1";
    private static final String TARGET_DDL = "CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, body BLOB,"
            + " note VARCHAR(100), sj VARCHAR(100), zd DATETIME, zdate DATE, bits BIT(8), f DOUBLE,"
            + " twice INT AS (id * 2) VIRTUAL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    /** Once written by multi-row INSERTs (statements sized to the source's packet), once by LOAD DATA LOCAL. */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void legacyCopy_sizesStatementsToThe1MbPacket_andKeepsEveryValue(CopyWrite write, SchemaPair pair) throws Exception {
        pair.source().execute(SOURCE_DDL);
        pair.target().execute(TARGET_DDL);
        Random random = new Random(7);
        List<String> blobs = new ArrayList<>();
        try (Connection c = pair.source().connect(); Statement s = c.createStatement()) {
            for (int id = 1; id <= 60; id++) {
                byte[] body = new byte[60_000 + id];
                random.nextBytes(body);
                blobs.add(HexFormat.of().withUpperCase().formatHex(body));
                // The statement text is 120 KB of hex: within the 1 MB packet.
                s.execute("INSERT INTO docs (id, body, note, sj, zd, zdate, bits, f) VALUES (" + id + ", X'"
                        + blobs.get(id - 1) + "', X'636166E9', X'93FA967B8CEA', '0000-00-00 00:00:00', '0000-00-00',"
                        + " b'10100101', -0.0)");
            }
            s.execute("INSERT INTO docs (id, body, note, sj, zd, zdate, bits, f) VALUES (61, '', '', NULL, NULL,"
                    + " '1999-12-31', NULL, 1.7976931348623157e308)");
        }
        long insertsBefore = status(pair.target(), "Com_insert");
        long loadsBefore = status(pair.target(), "Com_load");
        CharsetOverrides sjIsCp932 = (t, column) -> column.equals("sj") ? Optional.of("cp932") : Optional.empty();
        CopyResult result = new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "docs", TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withChunkRows(100, 100, 100).withWrite(write), sjIsCp932, CopyHooks.NONE).run();

        assertThat(result.totalRows()).isEqualTo(61);
        if (write == CopyWrite.INSERT) {
            // 3.6 MB of rows in one 100-row chunk: the target (64 MB packet) would take one statement, the
            // source's 1 MB packet bounds each to under 1 MB, hence at least four.
            assertThat(status(pair.target(), "Com_insert") - insertsBefore).isBetween(4L, 8L);
        } else {
            // One chunk, one LOAD DATA: the driver sends its rows in packets of 64 KB, whatever their size.
            assertThat(status(pair.target(), "Com_load") - loadsBefore).isEqualTo(1);
        }
        List<String> bodies = column(pair.target(), "HEX(body)");
        assertThat(bodies.subList(0, 60)).isEqualTo(blobs);
        assertThat(bodies.get(60)).isEqualTo("");
        String cafe = HexFormat.of().withUpperCase().formatHex("café".getBytes(StandardCharsets.UTF_8));
        String nihongo = HexFormat.of().withUpperCase().formatHex("日本語".getBytes(StandardCharsets.UTF_8));
        assertThat(column(pair.target(), "HEX(note)")).containsOnly(cafe, "").endsWith("");
        assertThat(column(pair.target(), "IFNULL(HEX(sj), 'NULL')").subList(0, 60)).containsOnly(nihongo);
        assertThat(column(pair.target(), "IFNULL(HEX(sj), 'NULL')").get(60)).isEqualTo("NULL");
        assertThat(column(pair.target(), "IFNULL(CAST(zd AS CHAR), 'NULL')").subList(0, 60))
                .containsOnly("0000-00-00 00:00:00");
        assertThat(column(pair.target(), "CAST(zdate AS CHAR)").get(0)).isEqualTo("0000-00-00");
        assertThat(column(pair.target(), "IFNULL(HEX(bits), 'NULL')").subList(0, 60)).containsOnly("A5");
        assertThat(column(pair.target(), "CAST(f AS CHAR)").get(60)).isEqualTo("1.7976931348623157e308");
        assertThat(column(pair.target(), "twice")).isEqualTo(column(pair.target(), "id * 2"));
    }

    /**
     * A row that fits the source's 1 MB packet but not an INSERT statement under it: the INSERT path fails with the
     * fix; LOAD DATA, whose rows travel in 64 KB packets, copies it.
     */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void rowLargerThanAStatementUnderThePacket_failsWithAClearError_orIsLoaded(CopyWrite write, SchemaPair pair)
            throws Exception {
        pair.source().execute("CREATE TABLE big (id INT NOT NULL PRIMARY KEY, body MEDIUMBLOB) ENGINE=InnoDB",
                "INSERT INTO big VALUES (1, REPEAT('a', 1040000))");
        pair.target().execute("CREATE TABLE big (id INT NOT NULL PRIMARY KEY, body MEDIUMBLOB) ENGINE=InnoDB");
        CopyJob job = new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "big", TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withWrite(write), CharsetOverrides.NONE, CopyHooks.NONE);

        if (write == CopyWrite.INSERT) {
            assertThatThrownBy(job::run).isInstanceOf(UserException.class)
                    .hasMessage("a row of table big needs about 1040037 bytes in an INSERT statement, more than the"
                            + " 1032192 bytes that max_allowed_packet of the source and the target allow")
                    .extracting(e -> ((UserException) e).hint())
                    .isEqualTo("raise max_allowed_packet on the target (and the source) above the largest row");
        } else {
            assertThat(job.run().totalRows()).isEqualTo(1);
            // The row's HEX() text would not fit the source's packet: its length and digest, by each server.
            String digest = "SELECT CONCAT(id, ':', LENGTH(body), ':', MD5(body)) FROM big";
            assertThat(firstValue(pair.target(), digest)).isEqualTo(firstValue(pair.source(), digest))
                    .startsWith("1:1040000:");
        }
    }

    private static String firstValue(SandboxSchema schema, String sql) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long status(SandboxSchema schema, String name) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private static List<String> column(SandboxSchema schema, String expression) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + expression + " FROM docs ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Both ways of writing (data.copy.write) judge the target's warnings alike. */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void enumErrorValue_isCopied_butAnyOtherChangedValueFailsTheCopy(CopyWrite write, SchemaPair pair) throws Exception {
        // sql_mode '' (the legacy server's; Connector/J adds strict mode to its sessions) stores '' (index 0) for an
        // invalid ENUM value.
        pair.source().execute("SET SESSION sql_mode = ''", "CREATE TABLE e (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b'), v VARCHAR(10))",
                "INSERT INTO e VALUES (1, 'a', 'short'), (2, 'zzz', 'short'), (3, 'b', 'longer one')");
        pair.target().execute("CREATE TABLE e (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b'), v VARCHAR(10))",
                "CREATE TABLE e2 (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b'), v VARCHAR(5))",
                "CREATE TABLE e3 (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b'), v VARCHAR(10))");
        CopySettings settings = CopySettings.defaults().withWrite(write);
        new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "e", TenantRows.ALL)), Optional.empty(), "*",
                settings, CharsetOverrides.NONE, CopyHooks.NONE).run();
        try (Connection c = pair.target().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(CONCAT(id, ':', kind + 0, ':', kind) ORDER BY id) FROM e")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1:1:a,2:0:,3:2:b");
        }

        // A narrower target column would truncate: the copy fails instead (strict mode's rule, kept).
        pair.source().execute("CREATE TABLE e2 (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b'), v VARCHAR(10))",
                "INSERT INTO e2 SELECT * FROM e");
        CopyJob narrow = new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "e2", TenantRows.ALL)), Optional.empty(), "*",
                settings, CharsetOverrides.NONE, CopyHooks.NONE);
        assertThatThrownBy(narrow::run).hasMessageContaining("writing rows of table e2 changed a value: Data truncated"
                + " for column 'v' at row 3 (warning 1265)");
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM e2")).isZero();

        // A value the target's ENUM lacks ('c', row 3) is a change, though another row (2) gives the same column ''.
        pair.source().execute("SET SESSION sql_mode = ''", "CREATE TABLE e3 (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b','c'), v VARCHAR(10))",
                "INSERT INTO e3 SELECT id, CAST(kind AS CHAR), v FROM e WHERE id < 3", "INSERT INTO e3 VALUES (3, 'c', 'x')");
        CopyJob lacking = new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "e3", TenantRows.ALL)), Optional.empty(), "*",
                settings, CharsetOverrides.NONE, CopyHooks.NONE);
        assertThatThrownBy(lacking::run).hasMessageContaining("writing rows of table e3 changed a value: Data truncated"
                + " for column 'kind' at row 3 (warning 1265)");
        assertThat(CopyFixtures.count(pair.target(), "SELECT COUNT(*) FROM e3")).isZero();
    }

    /**
     * 70,000 rows giving two ENUM columns their error value: 140,000 accepted warnings, more than a server lists
     * (65,535). Both ways of writing copy them: INSERT statements are cut before their ENUM warnings could fill the
     * list, and a LOAD DATA whose list overflowed is copied again that way.
     */
    @ParameterizedTest
    @EnumSource(value = CopyWrite.class, names = {"INSERT", "LOAD_DATA"})
    void moreEnumErrorValuesThanTheServerLists_areCopied(CopyWrite write, SchemaPair pair) throws Exception {
        // utf8mb4 on both sides: the values are written as plain '' (latin1 ones as CONVERT(_binary'' ...)), so that
        // the 70,000 rows fit one 1 MB statement unless the ENUM warnings cut it.
        String ddl = "CREATE TABLE ee (id INT NOT NULL PRIMARY KEY, a ENUM('x','y'), b ENUM('x','y'))"
                + " DEFAULT CHARSET=utf8mb4";
        pair.source().execute("SET SESSION sql_mode = ''", ddl, "INSERT INTO ee SELECT seq, '', '' FROM seq_1_to_70000");
        pair.target().execute(ddl);
        new CopyJob(endpoint(pair.source()), endpoint(pair.target()),
                List.of(table(pair.source(), pair.target(), "ee", TenantRows.ALL)), Optional.empty(), "*",
                CopySettings.defaults().withParallelism(1).withChunkRows(70_000, 70_000, 70_000).withWrite(write),
                CharsetOverrides.NONE, CopyHooks.NONE).run();

        assertThat(firstValue(pair.target(), "SELECT CONCAT(COUNT(*), ':', SUM(a + 0), ':', SUM(b + 0)) FROM ee"))
                .isEqualTo("70000:0:0");
    }
}
