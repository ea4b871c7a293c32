package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.ServerInfo;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One side of a copy: a connection source, the schema the tables live in, the server's settings (its
 * {@code max_allowed_packet} sizes the INSERT statements) and how messages name it (never with a password).
 */
public record CopyEndpoint(DataSource dataSource, String schema, ServerInfo server, String describe) {
    public CopyEndpoint {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(describe, "describe");
    }
}
