package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Pins the session settings copy relies on, on every connection it takes from a pool (pooled connections may
 * carry another user's settings). Both sides: UTC time zone, so TIMESTAMP values travel unchanged, and
 * {@code character_set_results} binary, so values arrive as their stored bytes. Source: no SQL mode (reads
 * only) and READ COMMITTED, so a chunk's share locks cover only the rows read, not gaps the application
 * inserts into. Target: no {@code NO_ZERO_DATE} (zero dates are accepted) and not strict, so that an ENUM's
 * error value {@code ''} copies as it is, but {@link InsertBatch} fails on any other warning (truncated,
 * clipped or invalid values), as strict mode would; {@code NO_AUTO_VALUE_ON_ZERO} (a copied 0 stays 0);
 * and foreign key checks off because parents and children are copied in parallel.
 */
final class SessionPins {
    static final String TARGET_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    private SessionPins() {
    }

    static void source(Connection c, ServerInfo server) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '', time_zone = '+00:00', character_set_results = NULL");
            String subqueries = subqueryStrategies(server);
            if (!subqueries.isEmpty()) {
                s.execute("SET SESSION optimizer_switch = '" + subqueries + "'");
            }
        }
    }

    /**
     * A join-path table's chunk is {@code WHERE EXISTS (...) AND key > ? ORDER BY key LIMIT n}. Newer servers
     * turn the EXISTS into a semi-join driven from the tenant's parent rows and sort the whole tenant for each
     * chunk (a copy quadratic in the tenant's size); evaluated per row, as MySQL 5.0 always does, each chunk
     * reads forward along the key and stops at the limit.
     */
    static String subqueryStrategies(ServerInfo server) {
        return switch (server.flavour()) {
            case MARIADB -> server.atLeast(10, 0, 2) ? "semijoin=off,materialization=off,exists_to_in=off"
                    : server.atLeast(5, 3, 0) ? "semijoin=off,materialization=off" : "";
            case MYSQL -> server.atLeast(5, 6, 5) ? "semijoin=off,materialization=off" : "";
        };
    }

    static void target(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '" + TARGET_SQL_MODE + "', time_zone = '+00:00',"
                    + " character_set_results = NULL, foreign_key_checks = 0");
        }
    }
}
