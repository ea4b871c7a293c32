package dev.hikkoshi.sandbox.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshSchemaExtension.class)
class SandboxServersIT {
    private static Map<String, String> variables(SandboxSchema schema, String... names) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL." + name)) {
                    rs.next();
                    out.put(name, rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void binlogPair_sourceAndTarget_haveRowBinlogAndDistinctServerIds(SchemaPair pair) throws SQLException {
        assertThat(variables(pair.source(), "log_bin", "binlog_format", "binlog_row_image", "server_id", "version"))
                .containsEntry("log_bin", "1").containsEntry("binlog_format", "ROW")
                .containsEntry("binlog_row_image", "FULL").containsEntry("server_id", "101")
                .hasEntrySatisfying("version", v -> assertThat(v).startsWith("11.4."));
        assertThat(variables(pair.target(), "log_bin", "server_id")).containsEntry("log_bin", "1")
                .containsEntry("server_id", "102");
        assertThat(pair.source().server().port()).isNotEqualTo(pair.target().server().port());
    }

    @Test
    void freshSchema_isEmptyAndWritableOnBothServers(SchemaPair pair) throws SQLException {
        assertThat(pair.name()).startsWith("hk_").contains("freshschema");
        pair.source().execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        pair.target().execute("CREATE TABLE t (id INT PRIMARY KEY)");
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @LegacyLikeSource
    void legacyLikeSource_hasNoBinlogNoStrictModeLatin1AndASmallPacket(SchemaPair pair) throws SQLException {
        assertThat(variables(pair.source(), "log_bin", "sql_mode", "character_set_server", "max_allowed_packet"))
                .containsEntry("log_bin", "0").containsEntry("sql_mode", "")
                .containsEntry("character_set_server", "latin1").containsEntry("max_allowed_packet", "1048576");
        pair.source().execute("CREATE TABLE legacy_log (id INT PRIMARY KEY, d DATE) ENGINE=MyISAM",
                "INSERT INTO legacy_log VALUES (1, '0000-00-00')");
        try (Connection c = pair.source().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                     + " AND TABLE_NAME = 'legacy_log'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("MyISAM");
        }
    }
}
