package dev.hikkoshi.data.verify;

import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One side of a verification: where its rows are ({@code dataSource}, {@code schema}), what server it is, and
 * how messages name it ({@code site legacy (10.0.1.20:3306/shop as migrator)}).
 *
 * <p>Every connection is pinned before use ({@link #open()}): connection charset utf8mb4 (utf8 before MySQL
 * 5.5.3), {@code time_zone='+00:00'} so TIMESTAMP values read the same on both sides, and {@code sql_mode=''}
 * so that no mode (PAD_CHAR_TO_FULL_LENGTH, NO_ZERO_DATE) changes how values print.
 */
public record VerifySide(DataSource dataSource, String schema, ServerInfo server, String description) {
    public VerifySide {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(description, "description");
    }

    /** A connection with the session pinned; the caller closes it. */
    public Connection open() throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET NAMES " + (server.supportsUtf8mb4() ? "utf8mb4" : "utf8")
                    + ", time_zone = '+00:00', sql_mode = ''");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
