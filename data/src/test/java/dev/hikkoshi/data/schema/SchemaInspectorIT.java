package dev.hikkoshi.data.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.sandbox.db.EmbeddedMariaDb;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mariadb.jdbc.MariaDbDataSource;

@ExtendWith(FreshSchemaExtension.class)
class SchemaInspectorIT {
    static SchemaInspector inspector(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return new SchemaInspector(ds, schema.server().name());
    }

    @Test
    void inspect_readsTablesColumnsKeysForeignKeysTriggersAndEngines(SchemaPair pair) throws SQLException {
        pair.source().execute(
                "CREATE TABLE tenants (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, slug VARCHAR(40) NOT NULL,"
                        + " UNIQUE KEY uk_slug (slug)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
                        + " note TEXT CHARACTER SET latin1 NULL, total DECIMAL(12,2) NOT NULL,"
                        + " total_x2 DECIMAL(13,2) AS (total * 2) VIRTUAL,"
                        + " KEY idx_tenant (tenant_id),"
                        + " CONSTRAINT fk_orders_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)"
                        + " ON DELETE CASCADE ON UPDATE NO ACTION) ENGINE=InnoDB",
                "CREATE TABLE order_tags (order_id BIGINT UNSIGNED NOT NULL, tag VARCHAR(20) NOT NULL,"
                        + " UNIQUE KEY uk_order_tag (order_id, tag)) ENGINE=InnoDB",
                "CREATE TABLE `weird ``name`` table` (code CHAR(2) NULL, UNIQUE KEY uk_code (code)) ENGINE=MyISAM",
                "CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW SET @x = NEW.id",
                "CREATE VIEW v_orders AS SELECT id FROM orders",
                "INSERT INTO tenants (slug) VALUES ('acme'), ('globex')");

        Schema schema = inspector(pair.source()).inspect(pair.name());

        assertThat(schema.tableNames()).containsExactly("order_tags", "orders", "tenants", "weird `name` table");
        Table tenants = schema.table("tenants").orElseThrow();
        assertThat(tenants.engine()).isEqualTo("InnoDB");
        assertThat(tenants.charset()).contains("utf8mb4");
        assertThat(tenants.collation()).contains("utf8mb4_bin");
        assertThat(tenants.columns()).extracting(Column::name).containsExactly("id", "slug");
        assertThat(tenants.column("ID").orElseThrow().autoIncrement()).isTrue();
        assertThat(tenants.indexes()).containsExactly(
                new Index("PRIMARY", true, true, List.of("id"), true),
                new Index("uk_slug", false, true, List.of("slug"), true));

        Table orders = schema.table("orders").orElseThrow();
        Column id = orders.column("id").orElseThrow();
        assertThat(id.dataType()).isEqualTo("bigint");
        assertThat(id.columnType()).isEqualTo("bigint(20) unsigned");
        assertThat(id.nullable()).isFalse();
        Column note = orders.column("note").orElseThrow();
        assertThat(note.nullable()).isTrue();
        assertThat(note.charset()).contains("latin1");
        assertThat(note.collation()).contains("latin1_swedish_ci");
        Column totalX2 = orders.column("total_x2").orElseThrow();
        assertThat(totalX2.generated()).isTrue();
        assertThat(totalX2.generationExpression()).contains("`total` * 2");
        assertThat(orders.writableColumns()).extracting(Column::name).containsExactly("id", "tenant_id", "note", "total");
        assertThat(orders.indexedBy("tenant_id")).isTrue();
        assertThat(orders.foreignKeys()).containsExactly(new ForeignKey("fk_orders_tenant", List.of("tenant_id"),
                pair.name(), "tenants", List.of("id"), ReferentialAction.CASCADE, ReferentialAction.NO_ACTION));
        assertThat(orders.triggers()).extracting(Trigger::name, Trigger::timing, Trigger::event)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders_ai", "AFTER", "INSERT"));
        assertThat(orders.rowKey().map(Index::name)).contains("PRIMARY");

        Table tags = schema.table("order_tags").orElseThrow();
        assertThat(tags.primaryKey()).isEmpty();
        assertThat(tags.rowKey().map(Index::name)).contains("uk_order_tag");

        Table weird = schema.table("weird `name` table").orElseThrow();
        assertThat(weird.engine()).isEqualTo("MyISAM");
        assertThat(weird.transactional()).isFalse();
        assertThat(weird.rowKey()).as("a unique key over a nullable column does not identify rows").isEmpty();
        assertThat(schema.table("v_orders")).isEmpty();
        assertThat(tenants.rowEstimate()).isBetween(0L, 10L);
    }

    @Test
    void serverInfo_binlogSource_readsVersionFlavourAndBinlogSettings(SchemaPair pair) throws SQLException {
        ServerInfo info = inspector(pair.source()).serverInfo();
        assertThat(info.flavour()).isEqualTo(ServerFlavour.MARIADB);
        String[] version = EmbeddedMariaDb.VERSION.split("\\.");
        assertThat(info.major()).isEqualTo(Integer.parseInt(version[0]));
        assertThat(info.minor()).isEqualTo(Integer.parseInt(version[1]));
        assertThat(info.rowBinlog()).isTrue();
        assertThat(info.binlogRowImage()).contains("FULL");
        assertThat(info.serverId()).isEqualTo(101);
        assertThat(info.maxAllowedPacketBytes()).isEqualTo(64L << 20);
        assertThat(info.supportsUtf8mb4()).isTrue();
        assertThat(info.describe()).startsWith("MariaDB " + EmbeddedMariaDb.VERSION).contains("binlog ROW/FULL, server_id 101");
    }

    @Test
    void inspect_asMysql50_usesOnlyOldInformationSchemaAndShowCreateTable(SchemaPair pair) throws SQLException {
        pair.source().execute(
                "CREATE TABLE parents (id INT NOT NULL PRIMARY KEY)",
                "CREATE TABLE children (id INT NOT NULL PRIMARY KEY, parent_id INT NULL, doubled INT AS (id * 2) VIRTUAL,"
                        + " CONSTRAINT fk_odd FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE SET NULL,"
                        + " CONSTRAINT fk_plain FOREIGN KEY (id) REFERENCES parents (id))");
        MariaDbDataSource ds = new MariaDbDataSource(pair.source().jdbcUrl());
        ds.setUser("root");
        ServerInfo mysql50 = ServerInfo.of("5.0.96-log", java.util.Map.of());
        Table children = new SchemaInspector(ds, "as MySQL 5.0", mysql50).inspect(pair.name()).table("children").orElseThrow();

        assertThat(children.foreignKeys()).extracting(ForeignKey::name, ForeignKey::onDelete, ForeignKey::onUpdate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fk_odd", ReferentialAction.SET_NULL, ReferentialAction.RESTRICT),
                        org.assertj.core.groups.Tuple.tuple("fk_plain", ReferentialAction.RESTRICT, ReferentialAction.RESTRICT));
        // Without GENERATION_EXPRESSION the column is still known to be generated, so it is never written.
        assertThat(children.column("doubled").orElseThrow().generated()).isTrue();
        assertThat(children.writableColumns()).extracting(Column::name).containsExactly("id", "parent_id");
    }

    @Test
    @LegacyLikeSource
    void serverInfo_legacyLikeSource_hasNoBinlogAndASmallPacket(SchemaPair pair) throws SQLException {
        ServerInfo info = inspector(pair.source()).serverInfo();
        assertThat(info.logBin()).isFalse();
        assertThat(info.rowBinlog()).isFalse();
        assertThat(info.maxAllowedPacketBytes()).isEqualTo(1L << 20);
        assertThat(info.characterSetServer()).isEqualTo("latin1");
        assertThat(info.sqlMode()).isEmpty();
        pair.source().execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))");
        Table t = inspector(pair.source()).inspect(pair.name()).table("t").orElseThrow();
        assertThat(t.charset()).isEqualTo(Optional.of("latin1"));
        assertThat(t.column("name").orElseThrow().charset()).contains("latin1");
    }
}
