package dev.hikkoshi.data.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlIdentifierTest {
    @Test
    void quote_doublesBackticksSoANameCannotEndTheIdentifier() {
        assertThat(SqlIdentifier.quote("orders")).isEqualTo("`orders`");
        assertThat(SqlIdentifier.quote("a`; DROP TABLE x; --")).isEqualTo("`a``; DROP TABLE x; --`");
        assertThat(SqlIdentifier.qualified("shop", "order items")).isEqualTo("`shop`.`order items`");
        assertThat(SqlIdentifier.list(List.of("a", "b`c"))).isEqualTo("`a`, `b``c`");
    }

    @Test
    void quote_emptyOrNul_isRefused() {
        assertThatThrownBy(() -> SqlIdentifier.quote("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlIdentifier.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverInfo_oldMysql_hasNoUtf8mb4NorRowImageNorGenerationExpressions() {
        ServerInfo mysql50 = ServerInfo.of("5.0.96-log", Map.of("log_bin", "OFF", "max_allowed_packet", "1048576"));
        assertThat(mysql50.flavour()).isEqualTo(ServerFlavour.MYSQL);
        assertThat(mysql50.supportsUtf8mb4()).isFalse();
        assertThat(mysql50.hasReferentialConstraintsTable()).isFalse();
        assertThat(mysql50.describesGeneratedColumns()).isFalse();
        assertThat(mysql50.binlogRowImage()).isEmpty();
        ServerInfo mysql553 = ServerInfo.of("5.5.3-m3", Map.of());
        assertThat(mysql553.supportsUtf8mb4()).isTrue();
        ServerInfo maria = ServerInfo.of("10.11.5-MariaDB-log", Map.of("log_bin", "ON", "binlog_format", "ROW"));
        assertThat(maria.flavour()).isEqualTo(ServerFlavour.MARIADB);
        assertThat(maria.rowBinlog()).isTrue();
        assertThat(maria.describesGeneratedColumns()).isTrue();
    }

    @Test
    void readActionsFromCreateTable_oldServer_parsesOnDeleteAndOnUpdate() {
        SchemaInspector.TableParts t = new SchemaInspector.TableParts("items", "InnoDB", java.util.Optional.empty(), 0);
        t.foreignKeys.put("fk_a", new SchemaInspector.ForeignKeyParts("shop", "orders"));
        t.foreignKeys.put("fk`b", new SchemaInspector.ForeignKeyParts("shop", "tags"));
        SchemaInspector.readActionsFromCreateTable("""
                CREATE TABLE `items` (
                  `order_id` int(11) NOT NULL,
                  CONSTRAINT `fk_a` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE ON UPDATE SET NULL,
                  CONSTRAINT `fk``b` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`)
                ) ENGINE=InnoDB""", t);
        assertThat(t.foreignKeys.get("fk_a").onDelete).isEqualTo(ReferentialAction.CASCADE);
        assertThat(t.foreignKeys.get("fk_a").onUpdate).isEqualTo(ReferentialAction.SET_NULL);
        assertThat(t.foreignKeys.get("fk`b").onDelete).isEqualTo(ReferentialAction.RESTRICT);
    }
}
