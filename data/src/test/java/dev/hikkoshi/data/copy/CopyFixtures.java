package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Test helpers: copy endpoints on sandbox schemas, copy tables from the inspected schemas, and the independent
 * comparison of both sides: every row read in full through plain JDBC as server-side {@code HEX()} text (NULL
 * spelled {@code N}), never through hikkoshi's reader.
 */
final class CopyFixtures {
    private CopyFixtures() {
    }

    static MariaDbDataSource dataSource(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return ds;
    }

    static CopyEndpoint endpoint(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = dataSource(schema);
        SchemaInspector inspector = new SchemaInspector(ds, schema.server().name());
        return new CopyEndpoint(ds, schema.name(), inspector.serverInfo(), "sandbox " + schema.server().name());
    }

    static Schema inspect(SandboxSchema schema) throws SQLException {
        return new SchemaInspector(dataSource(schema), schema.server().name()).inspect(schema.name());
    }

    /** A table copied with {@code rows} as its tenant selection, keyed by its row key. */
    static CopyTable table(SandboxSchema source, SandboxSchema target, String name, TenantRows rows) throws SQLException {
        Table s = inspect(source).table(name).orElseThrow();
        Table t = inspect(target).table(name).orElseThrow();
        return new CopyTable(s, t, s.rowKey().orElseThrow(), rows);
    }

    /** The tenant-column predicate D1's TableScope builds, for tables with a {@code tenant_id} column. */
    static TenantRows tenantColumn(String column) {
        return (schema, alias) -> Optional.of("`" + alias + "`.`" + column + "` = ?");
    }

    static CopyJob job(SandboxSchema source, SandboxSchema target, List<CopyTable> tables, Optional<String> tenantId,
                       CopySettings settings, CopyHooks hooks) throws SQLException {
        return new CopyJob(endpoint(source), endpoint(target), tables, tenantId, tenantId.orElse("*"), settings,
                CharsetOverrides.NONE, hooks);
    }

    /** Every row of {@code table} as HEX text per column, ordered by {@code orderBy}, optionally filtered. */
    static List<String> rows(SandboxSchema schema, String table, String orderBy, String where) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                    + schema.name() + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            String expr = columns.stream().map(col -> "IFNULL(HEX(`" + col + "`), 'N')").collect(Collectors.joining(", '|', "));
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT CONCAT(" + expr + ") FROM `" + table + "`"
                    + (where.isEmpty() ? "" : " WHERE " + where) + " ORDER BY " + orderBy)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static long count(SandboxSchema schema, String sql) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
