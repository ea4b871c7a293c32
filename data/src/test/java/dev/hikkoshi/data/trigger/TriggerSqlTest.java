package dev.hikkoshi.data.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

class TriggerSqlTest {
    static Column col(String name, String type, Optional<String> charset) {
        return new Column(name, 1, type, type, true, charset, charset.map(c -> c + "_general_ci"), Optional.empty(), false);
    }

    static final Table ORDERS = new Table("orders", "InnoDB", Optional.of("latin1"), Optional.of("latin1_swedish_ci"),
            List.of(col("id", "bigint", Optional.empty()), col("tenant_id", "int", Optional.empty()),
                    col("seen", "timestamp", Optional.empty())),
            List.of(new Index("PRIMARY", true, true, List.of("id"), true)), List.of(), List.of(), 0);

    @Test
    void createStatement_isOneMySql50Statement_recordingKeyAndTenantColumnsAsHex() {
        CapturedTable table = new CapturedTable(ORDERS, List.of("id"), List.of("id", "tenant_id"));

        assertThat(TriggerSql.create("shop", new ChangeLogTable("shop"), table, TriggerEvent.UPDATE)).isEqualTo(
                "CREATE TRIGGER `shop`.`hk_au_orders` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW INSERT INTO"
                        + " `hikkoshi`.`changes_shop` (table_name, kind, own_write, column_names, old_values, new_values,"
                        + " changed_unix) VALUES ('orders', 'U', IF(IFNULL(@hikkoshi_write, 0) = 0, 0, 1), 'id,tenant_id',"
                        + " CONCAT_WS(',', IF(OLD.`id` IS NULL, 'N', HEX(CAST(OLD.`id` AS BINARY))), IF(OLD.`tenant_id` IS NULL,"
                        + " 'N', HEX(CAST(OLD.`tenant_id` AS BINARY)))), CONCAT_WS(',', IF(NEW.`id` IS NULL, 'N',"
                        + " HEX(CAST(NEW.`id` AS BINARY))), IF(NEW.`tenant_id` IS NULL, 'N', HEX(CAST(NEW.`tenant_id` AS"
                        + " BINARY)))), UNIX_TIMESTAMP())");
    }

    @Test
    void timestampColumns_areRecordedInUtc_andZeroKeptAsIs() {
        CapturedTable table = new CapturedTable(ORDERS, List.of("id"), List.of("seen"));
        assertThat(TriggerSql.create("shop", new ChangeLogTable("shop"), table, TriggerEvent.INSERT))
                .contains("IF(NEW.`seen` IS NULL, 'N', HEX(CAST(IF(NEW.`seen` = 0, NEW.`seen`, CONVERT_TZ(NEW.`seen`,"
                        + " @@session.time_zone, '+00:00')) AS BINARY)))")
                .contains(", NULL, CONCAT_WS(");
    }

    @Test
    void names_over64Characters_areCutWithAHash_andColumnNamesRoundTrip() {
        String longTable = "t".repeat(70);
        String name = ChangeLogTable.triggerName(TriggerEvent.DELETE, longTable);
        assertThat(name).hasSize(64).startsWith("hk_ad_ttt").isNotEqualTo(ChangeLogTable.triggerName(TriggerEvent.DELETE, longTable + "x"));
        assertThat(new ChangeLogTable("shop").name()).isEqualTo("changes_shop");
        List<String> odd = List.of("a,b", "100%", "plain");
        assertThat(TriggerSql.parseColumnNames(TriggerSql.columnNames(odd))).isEqualTo(odd);
        assertThat(TriggerSql.literal("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
    }

    @Test
    void decoder_turnsStoredBytesIntoTypedValues() {
        assertThat(ColumnDecoder.fromBytes(col("n", "bigint", Optional.empty()), Optional.empty(), "18446744073709551615".getBytes()))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(ColumnDecoder.fromBytes(col("n", "int", Optional.empty()), Optional.empty(), "-7".getBytes())).isEqualTo(-7L);
        assertThat(ColumnDecoder.fromBytes(col("d", "decimal", Optional.empty()), Optional.empty(), "1.50".getBytes()))
                .isEqualTo(new BigDecimal("1.50"));
        assertThat(ColumnDecoder.fromBytes(col("s", "varchar", Optional.of("latin1")), Optional.empty(), new byte[] {'c', 'a', 'f', (byte) 0xE9}))
                .isEqualTo("café");
        assertThat(ColumnDecoder.fromBytes(col("s", "varchar", Optional.of("latin1")), Optional.of("cp932"),
                new byte[] {(byte) 0x93, (byte) 0xFA})).isEqualTo("日");
        assertThat(ColumnDecoder.fromBytes(col("d", "date", Optional.empty()), Optional.empty(), "0000-00-00".getBytes()))
                .isEqualTo("0000-00-00");
        assertThat(ColumnDecoder.fromBytes(col("b", "bit", Optional.empty()), Optional.empty(), new byte[] {1, 2})).isEqualTo(258L);
        assertThat(ColumnDecoder.fromText(col("k", "varbinary", Optional.empty()), "0x00FF")).isEqualTo(new byte[] {0, (byte) 0xFF});
        assertThat(ColumnDecoder.fromBytes(col("n", "int", Optional.empty()), Optional.empty(), null)).isNull();
    }

    @Test
    void refusedCreate_onMySql50_asksForSuper_andOnNewerServersForTrigger() throws SQLException {
        SQLException denied = new SQLSyntaxErrorException("TRIGGER command denied to user 'app'@'localhost' for table `shop`.`orders`",
                "42000", 1142);
        ServerInfo mysql50 = ServerInfo.of("5.0.96-log", Map.of());
        ServerInfo mysql57 = ServerInfo.of("5.7.44-log", Map.of());
        CopyEndpoint old = new CopyEndpoint(new MariaDbDataSource("jdbc:mariadb://127.0.0.1:1/shop"), "shop", mysql50,
                "site legacy (10.0.1.20:3306/shop as app)");
        RuntimeException e = new TriggerInstaller(old).refusal(denied);
        assertThat(e).isInstanceOf(UserException.class).hasMessage("cannot create hikkoshi's capture triggers on site legacy"
                + " (10.0.1.20:3306/shop as app): TRIGGER command denied to user 'app'@'localhost' for table `shop`.`orders`"
                + " (SQLSTATE 42000)");
        assertThat(((UserException) e).hint()).isEqualTo("MySQL before 5.1.6 needs the SUPER privilege to create triggers:"
                + " GRANT SUPER ON *.* TO the user, and CREATE, INSERT, SELECT, DELETE, DROP on `hikkoshi`.*; or set capture:"
                + " differential for this site, which needs no capture privileges");
        CopyEndpoint newer = new CopyEndpoint(old.dataSource(), "shop", mysql57, old.describe());
        assertThat(((UserException) new TriggerInstaller(newer).refusal(denied)).hint()).isEqualTo("grant the TRIGGER privilege"
                + " on the schema: GRANT TRIGGER ON `shop`.* TO the user, and CREATE, INSERT, SELECT, DELETE, DROP on"
                + " `hikkoshi`.*; or set capture: differential for this site, which needs no capture privileges");
        assertThat(TriggerInstaller.allowsSeveralTriggers(mysql50)).isFalse();
        assertThat(TriggerInstaller.allowsSeveralTriggers(mysql57)).isTrue();
    }
}
