package dev.hikkoshi.app.demo;

import dev.hikkoshi.sandbox.db.DatabasePair;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.ServerProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's two databases: two binlog-on sandbox MariaDB servers, one per site, each with an empty schema
 * {@value #SCHEMA} that {@code ShopSites} fills with the sandbox shop. Both keep a binlog because the engine's
 * forward and reverse change streams read it. Used by {@link DemoCommand}; closing it stops both servers and
 * removes their data directories.
 */
final class DemoDatabases implements AutoCloseable {
    static final String SCHEMA = "shop";

    private final DatabasePair pair;

    private DemoDatabases(DatabasePair pair) {
        this.pair = pair;
    }

    /** Starts both servers (at once) and creates the empty schema on both. */
    static DemoDatabases start() {
        DatabasePair pair = DatabasePair.start(ServerProfile.BINLOG_ROW);
        try {
            pair.source().execute("", "CREATE DATABASE " + SCHEMA + " CHARACTER SET utf8mb4");
            pair.target().execute("", "CREATE DATABASE " + SCHEMA + " CHARACTER SET utf8mb4");
            return new DemoDatabases(pair);
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    /** Keeps both servers' directories (data and binlogs) when they stop; returns legacy's and cloud's data directory. */
    List<java.nio.file.Path> keepDataOnClose() {
        return List.of(pair.source().keepDataOnClose(), pair.target().keepDataOnClose());
    }

    SandboxSchema legacy() {
        return new SandboxSchema(pair.source(), SCHEMA);
    }

    SandboxSchema cloud() {
        return new SandboxSchema(pair.target(), SCHEMA);
    }

    /** The config's tenant entries, {@code { name: shop-001, id: 1 }}, with the ids the legacy shop gave them. */
    String tenantEntries() {
        List<String> entries = new ArrayList<>();
        try (Connection c = legacy().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, slug FROM tenants ORDER BY id")) {
            while (rs.next()) {
                entries.add("{ name: " + rs.getString(2) + ", id: " + rs.getLong(1) + " }");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the demo shop's tenants on legacy", e);
        }
        return String.join(", ", entries);
    }

    @Override
    public void close() {
        pair.close();
    }
}
