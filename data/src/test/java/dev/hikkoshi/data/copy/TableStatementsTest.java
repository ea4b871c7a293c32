package dev.hikkoshi.data.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.Table;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableStatementsTest {
    private static Column text(String name, int ordinal, String charset, String collation) {
        return new Column(name, ordinal, "varchar", "varchar(20)", false, Optional.of(charset), Optional.of(collation),
                Optional.empty(), false);
    }

    private static Column number(String name, int ordinal) {
        return new Column(name, ordinal, "int", "int(11)", false, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    private static Column generated(String name, int ordinal) {
        return new Column(name, ordinal, "int", "int(11)", true, Optional.empty(), Optional.empty(), Optional.of("a + 1"), false);
    }

    private static Table table(String name, List<Column> columns, List<String> key) {
        return new Table(name, "InnoDB", Optional.empty(), Optional.empty(), columns,
                List.of(new Index("PRIMARY", true, true, key, true)), List.of(), List.of(), 0);
    }

    private static final Table SOURCE = table("we`ird", List.of(text("re`gion", 1, "latin1", "latin1_swedish_ci"),
            number("n", 2), text("note", 3, "latin1", "latin1_swedish_ci"), generated("g", 4)), List.of("re`gion", "n"));
    private static final Table TARGET = table("we`ird", List.of(text("re`gion", 1, "utf8mb4", "utf8mb4_bin"),
            number("n", 2), text("note", 3, "utf8mb4", "utf8mb4_general_ci"), generated("g", 4)), List.of("re`gion", "n"));

    private static TableStatements statements(Map<String, String> overrides) {
        CopyTable t = new CopyTable(SOURCE, TARGET, SOURCE.rowKey().orElseThrow(), CopyFixtures.tenantColumn("n"));
        return new TableStatements(t, "src`db", "tgt", overrides);
    }

    @Test
    void selectAndInsert_quoteEveryIdentifier_skipGeneratedColumns_andConvertCharsets() {
        TableStatements st = statements(Map.of("note", "cp932"));
        assertThat(st.selectList()).isEqualTo("`r`.`re``gion`, CONCAT(`r`.`n`), `r`.`note`");
        assertThat(st.sourceTable()).isEqualTo("`src``db`.`we``ird` `r`");
        assertThat(st.insertHead()).isEqualTo("INSERT INTO `tgt`.`we``ird` (`re``gion`, `n`, `note`) VALUES ");
        assertThat(st.insertTuple()).isEqualTo("(CONVERT(? USING latin1), ?, CONVERT(? USING cp932))");
        assertThat(st.keepExistingTail()).isEqualTo(" ON DUPLICATE KEY UPDATE `re``gion` = `re``gion`");
        assertThat(st.tenantPredicate()).contains("`r`.`n` = ?");
    }

    @Test
    void updateExistingTail_setsEveryWrittenColumnButTheKeys_byVALUES_orByTheRowAliasThatMySql8Wants() {
        TableStatements st = statements(Map.of());
        assertThat(st.updateExistingTail(false)).isEqualTo(" ON DUPLICATE KEY UPDATE `note` = VALUES(`note`)");
        assertThat(st.updateExistingTail(true)).isEqualTo(" AS `hk_new` ON DUPLICATE KEY UPDATE `note` = `hk_new`.`note`");
        assertThat(TableStatements.takesRowAlias(ServerInfo.of("8.0.19", Map.of()))).isTrue();
        assertThat(TableStatements.takesRowAlias(ServerInfo.of("8.0.18-log", Map.of()))).isFalse();
        assertThat(TableStatements.takesRowAlias(ServerInfo.of("5.7.44", Map.of()))).isFalse();
        assertThat(TableStatements.takesRowAlias(ServerInfo.of("11.4.5-MariaDB-log", Map.of()))).isFalse();
    }

    @Test
    void targetTableByKey_forcesTheTargetIndexOfTheRowKeysColumns() {
        assertThat(statements(Map.of()).targetTableByKey()).isEqualTo("`tgt`.`we``ird` `r` FORCE INDEX (PRIMARY)");
    }

    @Test
    void afterPredicate_compositeKey_comparesTextInTheColumnsCollation_andUsesTheFirstColumnForTheRange() {
        TableStatements st = statements(Map.of());
        String region = "CONVERT(? USING latin1) COLLATE latin1_swedish_ci";
        assertThat(st.afterPredicate(false)).isEqualTo("`r`.`re``gion` >= " + region + " AND ((`r`.`re``gion` > "
                + region + ") OR (`r`.`re``gion` = " + region + " AND `r`.`n` > ?))");
        assertThat(st.keyEquals(true)).isEqualTo("(`r`.`re``gion` = CONVERT(CONVERT(? USING latin1) USING utf8mb4)"
                + " COLLATE utf8mb4_bin AND `r`.`n` = ?)");
    }

    @Test
    void plainLiterals_onlyWhereTheTargetStoresTheBytesInTheSessionsCharset_orForTemporalText() {
        Column when = new Column("at", 5, "datetime", "datetime", false, Optional.empty(), Optional.empty(),
                Optional.empty(), false);
        Column blob = new Column("data", 6, "varbinary", "varbinary(20)", true, Optional.empty(), Optional.empty(),
                Optional.empty(), false);
        Table source = table("t", List.of(text("a", 1, "utf8mb4", "utf8mb4_bin"), text("b", 2, "latin1",
                "latin1_swedish_ci"), text("c", 3, "utf8mb4", "utf8mb4_bin"), number("n", 4), when, blob),
                List.of("n"));
        Table target = table("t", List.of(text("a", 1, "utf8mb4", "utf8mb4_general_ci"), text("b", 2, "utf8mb4",
                "utf8mb4_bin"), text("c", 3, "utf8mb4", "utf8mb4_bin"), number("n", 4), when, blob), List.of("n"));
        // c holds cp932 bytes: converted on the target, so its value must stay a binary string.
        TableStatements st = new TableStatements(new CopyTable(source, target, source.rowKey().orElseThrow(),
                TenantRows.ALL), "s", "t", Map.of("c", "cp932"));
        assertThat(st.plainLiterals(Optional.of("utf8mb4"))).containsExactly(true, false, false, false, true, false);
        assertThat(st.plainLiterals(Optional.of("utf8mb3"))).containsExactly(false, false, false, false, true, false);
        assertThat(st.plainLiterals(Optional.empty())).containsExactly(false, false, false, false, false, false);
    }

    @Test
    void enumKey_isAUserError() {
        Column kind = new Column("kind", 1, "enum", "enum('a','b')", false, Optional.of("utf8mb4"),
                Optional.of("utf8mb4_general_ci"), Optional.empty(), false);
        Table t = table("things", List.of(kind), List.of("kind"));
        assertThatThrownBy(() -> new TableStatements(new CopyTable(t, t, t.rowKey().orElseThrow(), TenantRows.ALL),
                "a", "b", Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("table things is keyed by ENUM column kind, which hikkoshi cannot page through in key order");
    }

    @Test
    void rowKey_encodesAndDecodesLosslessly() {
        RowKey key = RowKey.of("日本", 42L, new byte[] {0, -1, 39});
        assertThat(RowKey.decode(key.encode())).isEqualTo(key);
        assertThat(key.value(0)).isEqualTo("日本".getBytes(StandardCharsets.UTF_8));
        assertThat(RowKey.decode(new byte[0]).size()).isZero();
    }

    @Test
    void appendString_asciiAndUtf8AreEscapedBinaryStrings_otherBytesAreParameters_nullIsNull() {
        assertThat(literal("it's \\ \"x\"\n\r".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("_binary'it\\'s \\\\ \\\"x\\\"\\n\\r'");
        assertThat(literal(new byte[] {0, 26, 65})).isEqualTo("_binary'\\0\\ZA'");
        assertThat(literal("日本'".getBytes(StandardCharsets.UTF_8))).isEqualTo("_binary'日本\\''");
        assertThat(literal(new byte[0])).isEqualTo("_binary''");
        assertThat(literal(null)).isEqualTo("NULL");
        SqlText out = new SqlText(4);
        assertThat(out.appendString(new byte[] {(byte) 0xFF, 0, 39})).isFalse();
        assertThat(out.appendString("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(out.length()).isZero();
        assertThat(out.appendString("日'".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(out.length()).isEqualTo(3 + 1 + 1 + 9);
    }

    @Test
    void wellFormedUtf8_acceptsExactlyWhatJavaDecodesAndEncodesBackUnchanged() {
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 200_000; n++) {
            byte[] value = new byte[1 + random.nextInt(5)];
            random.nextBytes(value);
            if (random.nextBoolean()) {
                value[0] = (byte) (0xc0 + random.nextInt(0x40)); // a lead byte more often than by chance
            }
            boolean roundTrips;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value));
                roundTrips = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                roundTrips = false;
            }
            assertThat(SqlText.wellFormedUtf8(value)).as(java.util.HexFormat.of().formatHex(value)).isEqualTo(roundTrips);
        }
        assertThat(SqlText.wellFormedUtf8("😀 日本 é".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(SqlText.wellFormedUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isFalse(); // a surrogate
        assertThat(SqlText.wellFormedUtf8(new byte[] {(byte) 0xc0, (byte) 0xaf})).isFalse(); // overlong '/'
    }

    @Test
    void appendNumber_plainDigitsAreBareLiterals_anythingElseIsLeftToAppendString() {
        assertThat(number("-12345678901234567890.000001")).isEqualTo("-12345678901234567890.000001");
        assertThat(number("0")).isEqualTo("0");
        assertThat(number(null)).isEqualTo("NULL");
        for (String other : new String[] {"", "-", "1.", ".5", "1.2.3", "1e5", "0x1", "1 ", "--1", "1-"}) {
            assertThat(number(other)).as(other).isNull();
        }
    }

    @Test
    void toString_ofAsciiTextIsCopied_anyMultiByteValueOrHeadMakesItDecodedAsUtf8() {
        SqlText tuple = new SqlText(4);
        SqlText statement = new SqlText(4);
        statement.append("INSERT INTO t VALUES ".getBytes(StandardCharsets.US_ASCII));
        tuple.appendNumber("-1.5".getBytes(StandardCharsets.US_ASCII));
        tuple.appendString("it's".getBytes(StandardCharsets.US_ASCII), true);
        statement.append(tuple);
        assertThat(statement.ascii()).isTrue();
        assertThat(statement.toString()).isEqualTo("INSERT INTO t VALUES -1.5'it\\'s'");
        tuple.clear();
        tuple.appendString("日本 é 😀".getBytes(StandardCharsets.UTF_8), true);
        assertThat(tuple.ascii()).isFalse();
        statement.append((byte) ',');
        statement.append(tuple);
        assertThat(statement.ascii()).isFalse();
        assertThat(statement.toString()).isEqualTo("INSERT INTO t VALUES -1.5'it\\'s','日本 é 😀'");
        statement.clear();
        assertThat(statement.ascii()).isTrue();
        statement.append("INSERT INTO `日本` VALUES ".getBytes(StandardCharsets.UTF_8));
        assertThat(statement.ascii()).isFalse();
        assertThat(statement.toString()).isEqualTo("INSERT INTO `日本` VALUES ");
        assertThat(tuple.appendString(new byte[] {'a', (byte) 0xc3}, true)).isFalse(); // cut short: not kept
        statement.clear();
        statement.append((byte) 'x');
        assertThat(statement.ascii()).isTrue();
    }

    @Test
    void escapedLength_countsTheBytesTheDriverEscapes() {
        assertThat(SqlText.escapedLength("it's \\ \"x\"\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(11 + 5);
        assertThat(SqlText.escapedLength(new byte[] {0, 26, 65})).isEqualTo(5);
    }

    private static String literal(byte[] value) {
        SqlText out = new SqlText(1);
        assertThat(out.appendString(value)).isTrue();
        return out.toString();
    }

    private static String number(String text) {
        SqlText out = new SqlText(1);
        if (!out.appendNumber(text == null ? null : text.getBytes(StandardCharsets.US_ASCII))) {
            assertThat(out.length()).isZero();
            return null;
        }
        return out.toString();
    }
}
