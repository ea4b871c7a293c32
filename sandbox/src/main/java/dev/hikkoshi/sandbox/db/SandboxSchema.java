package dev.hikkoshi.sandbox.db;

import java.sql.Connection;
import java.sql.SQLException;

/** One schema (database) on a sandbox server: what a test writes its tables and rows into. */
public record SandboxSchema(EmbeddedMariaDb server, String name) {
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs statements in order in this schema. */
    public void execute(String... statements) {
        server.execute(name, statements);
    }
}
