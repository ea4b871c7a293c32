package dev.hikkoshi.data.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.data.verify.LegacyFixture;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bulk copy's prepared multi-row INSERTs ({@link PreparedInsert}), forced to a few rows per statement so that
 * small fixtures go through them: every legacy value (issue 3 point 5) lands as the server's canonical text says
 * it should, a latin1 column's UTF-8 and cp932 bytes are converted through their overrides, rows already on the
 * target are left as they are, and the statements really ran prepared (the session's {@code Com_stmt_execute}).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class PreparedInsertIT {
    @Test
    void legacyFixture_copiedThroughPreparedStatements_holdsExpectedValues(SchemaPair pair) throws Exception {
        LegacyFixture.load(pair.source(), "+09:00", "2024-01-01 09:00:00.123456", "1970-01-01 09:00:01");
        pair.target().execute(LegacyFixture.CREATE);

        // 5 rows, 2 to a statement: two prepared executions (one of them with an ENUM's error value ''), one text row.
        assertThat(copy(pair, LegacyFixture.TABLE, Map.of(), 2)).isEqualTo(2);

        assertThat(canonicalRows(pair.target(), LegacyFixture.CANONICAL_SELECT)).containsExactly(LegacyFixture.EXPECTED);
    }

    @Test
    @LegacyLikeSource
    void latin1Bytes_withOverrides_areConvertedByThePreparedStatement(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) CHARACTER SET latin1,"
                        + " utf8_note VARCHAR(40) CHARACTER SET latin1, sjis_note TEXT CHARACTER SET latin1) DEFAULT CHARSET=latin1",
                "INSERT INTO notes VALUES (1, 'café Müller', X'E697A5E69CACE8AA9E', X'93FA967B8CEA'),"
                        + " (2, 'plain', X'E38193E38293', X'82B182F1'), (3, NULL, '', NULL)");
        pair.target().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, name VARCHAR(40), utf8_note VARCHAR(40),"
                + " sjis_note TEXT) DEFAULT CHARSET=utf8mb4");

        assertThat(copy(pair, "notes", Map.of("utf8_note", "utf8mb4", "sjis_note", "cp932"), 2)).isEqualTo(1);

        assertThat(canonicalRows(pair.target(), "SELECT id, HEX(name), HEX(utf8_note), HEX(sjis_note) FROM notes ORDER BY id"))
                .containsExactly("1|" + hex("café Müller") + "|" + hex("日本語") + "|" + hex("日本語"),
                        "2|" + hex("plain") + "|" + hex("こん") + "|" + hex("こん"),
                        "3|null||null");
    }

    @Test
    void rowsAlreadyOnTheTarget_areLeftAsTheyAre(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                "INSERT INTO t SELECT seq, CONCAT('source ', seq) FROM seq_1_to_10");
        pair.target().execute("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                "INSERT INTO t VALUES (2, 'stream 2'), (7, 'stream 7')");

        // 10 rows, 3 to a statement: rows 1 to 9 in three prepared executions, row 10 as text.
        assertThat(copy(pair, "t", Map.of(), 3)).isEqualTo(3);

        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            expected.add(id + "|" + (id == 2 || id == 7 ? "stream " : "source ") + id);
        }
        assertThat(canonicalRows(pair.target(), "SELECT id, v FROM t ORDER BY id")).isEqualTo(expected);
    }

    /**
     * Copies every row of {@code table} as a range's chunk does (pinned sessions, the chunk's select list, an
     * {@link InsertBatch} keeping existing rows), with full statements of {@code rowsPerStatement} rows prepared;
     * returns how many statements the target session executed prepared.
     */
    private static long copy(SchemaPair pair, String table, Map<String, String> overrides, int rowsPerStatement)
            throws SQLException {
        CopyEndpoint source = CopyFixtures.endpoint(pair.source());
        CopyEndpoint target = CopyFixtures.endpoint(pair.target());
        TableStatements st = new TableStatements(CopyFixtures.table(pair.source(), pair.target(), table, TenantRows.ALL),
                pair.source().name(), pair.target().name(), overrides);
        long maxStatement = Math.min(source.server().maxAllowedPacketBytes(), target.server().maxAllowedPacketBytes())
                - 16_384;
        try (Connection src = pair.source().connect(); Connection tgt = pair.target().connect();
             PreparedInsert prepared = new PreparedInsert(st, st.insertHead(), st.keepExistingTail())) {
            SessionPins.source(src, source.server());
            SessionPins.target(tgt, target.server());
            long before = executedPrepared(tgt);
            prepared.learn(tgt, rowsPerStatement);
            InsertBatch batch = new InsertBatch(st, maxStatement, ExistingRows.KEEP, SessionPins.literalCharset(tgt),
                    InsertBatch.statementBuffer(maxStatement)).preparing(prepared);
            try (Statement s = src.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + st.selectList() + " FROM " + st.sourceTable()
                         + " ORDER BY " + st.orderBy())) {
                while (rs.next()) {
                    batch.add(tgt, st.row(rs));
                }
            }
            batch.finish(tgt);
            tgt.commit();
            src.commit();
            return executedPrepared(tgt) - before;
        }
    }

    private static long executedPrepared(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Com_stmt_execute'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** Rows as the server prints them, columns joined by {@code |} (NULL as {@code null}), read by plain JDBC. */
    private static List<String> canonicalRows(SandboxSchema schema, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            s.execute("SET NAMES utf8mb4, time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        b.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    out.add(b.toString());
                }
            }
        }
        return out;
    }

    private static String hex(String text) {
        return HexFormat.of().withUpperCase().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
