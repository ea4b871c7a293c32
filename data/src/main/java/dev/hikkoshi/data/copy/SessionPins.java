package dev.hikkoshi.data.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Pins the session settings copy relies on, on every connection it takes from a pool (pooled connections may
 * carry another user's settings). Both sides: UTC time zone, so TIMESTAMP values travel unchanged, and
 * {@code character_set_results} binary, so values arrive as their stored bytes. Source: no SQL mode (reads
 * only) and READ COMMITTED, so a chunk's share locks cover only the rows read, not gaps the application
 * inserts into. Target: strict mode without {@code NO_ZERO_DATE} (zero dates are accepted, truncation is an
 * error), {@code NO_AUTO_VALUE_ON_ZERO} (a copied 0 stays 0), and foreign key checks off because parents and
 * children are copied in parallel.
 */
final class SessionPins {
    static final String TARGET_SQL_MODE = "STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    private SessionPins() {
    }

    static void source(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '', time_zone = '+00:00', character_set_results = NULL");
        }
    }

    static void target(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '" + TARGET_SQL_MODE + "', time_zone = '+00:00',"
                    + " character_set_results = NULL, foreign_key_checks = 0");
        }
    }
}
