package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mariadb.jdbc.MariaDbDataSource;

/** Test wiring: verification sides and tables over a sandbox {@link SchemaPair}, and raw reads for assertions. */
final class Sides {
    final VerifySide source;
    final VerifySide target;
    final Schema sourceSchema;
    final Schema targetSchema;

    Sides(SchemaPair pair) throws SQLException {
        source = side(pair.source());
        target = side(pair.target());
        sourceSchema = inspector(pair.source()).inspect(pair.name());
        targetSchema = inspector(pair.target()).inspect(pair.name());
    }

    static SchemaInspector inspector(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return new SchemaInspector(ds, schema.server().name());
    }

    static VerifySide side(SandboxSchema schema) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser(schema.server().user());
        return new VerifySide(ds, schema.name(), new SchemaInspector(ds, schema.server().name()).serverInfo(),
                "sandbox " + schema.server().name());
    }

    /** Every row of the table. */
    TableToVerify whole(String table) {
        Table s = sourceSchema.table(table).orElseThrow();
        return new TableToVerify(s, targetSchema.table(table).orElseThrow(), s.rowKey().orElseThrow(), TenantRows.ALL,
                Optional.empty(), Map.of(), Map.of());
    }

    /** One tenant's rows, by a tenant column. */
    TableToVerify tenant(String table, String column, String tenantId) {
        Table s = sourceSchema.table(table).orElseThrow();
        TenantRows rows = (schema, alias) -> Optional.of("`" + alias + "`.`" + column + "` = ?");
        return new TableToVerify(s, targetSchema.table(table).orElseThrow(), s.rowKey().orElseThrow(), rows,
                Optional.of(tenantId), Map.of(), Map.of());
    }

    Verifier verifier(int chunkRows) {
        return new Verifier(source, target, new Verifier.Options(chunkRows, 2));
    }

    /** The rows of a query as text, columns joined by {@code |}: assertions read the server's own canonical text. */
    static List<String> rows(SandboxSchema schema, String sql) throws SQLException {
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
}
