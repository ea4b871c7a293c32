package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Pins the session settings copy relies on, on every connection it takes from a pool (pooled connections may
 * carry another user's settings). Both sides: UTC time zone, so TIMESTAMP values travel unchanged, and
 * {@code character_set_results} binary, so values arrive as their stored bytes. Source: no SQL mode (reads
 * only) and READ COMMITTED, so a chunk's share locks cover only the rows read, not gaps the application
 * inserts into. Target: no {@code NO_ZERO_DATE} (zero dates are accepted) and not strict, so that an ENUM's
 * error value {@code ''} copies as it is, but {@link InsertBatch} fails on any other warning (truncated,
 * clipped or invalid values), as strict mode would, with {@code max_error_count} at its most so that every
 * warning is listed; {@code NO_AUTO_VALUE_ON_ZERO} (a copied 0 stays 0); foreign key checks off because parents
 * and children are copied in parallel; a {@code net_read_timeout} that outlasts a source lock wait.
 *
 * <p>Target locks: READ COMMITTED where the binlog allows it, so that an UPDATE or DELETE by key that finds no row (the UPDATE before the
 * INSERT of a new row, a DELETE of a key already gone) locks no gap: under REPEATABLE READ every stream writing
 * new rows of its tenant locked the same gap at the top of a key (new ids are the highest) and their INSERTs
 * deadlocked each other (the demo's reverse streams into legacy: retries ran out and streams failed). And a
 * short lock wait ({@value #TARGET_LOCK_WAIT_SECONDS} s): a target write waits while the source rows it copies
 * are share-locked on the other server, so a wait that closes a cycle through the application's transactions on
 * both servers is one no server can see as a deadlock; with the server's default (50 s) the application's
 * requests waited on those share locks until their clients gave up. The copy and the streams retry 1205.
 */
final class SessionPins {
    static final String TARGET_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";
    static final int TARGET_LOCK_WAIT_SECONDS = 5;
    /** The most warnings a server lists; {@link WriteWarnings} compares the list with their count. */
    static final int MAX_ERROR_COUNT = 65_535;
    /**
     * How long the target waits for the next packet of a LOAD DATA LOCAL ({@link LoadDataBatch}), whose rows are
     * read from the source meanwhile: a share lock waited for on the source (50 s by the server's default) must
     * not end it (the server's own default is 30 s).
     */
    static final int NET_READ_TIMEOUT_SECONDS = 600;
    private static final int GLOBAL_ONLY_VARIABLE = 1238;
    private static final int UNKNOWN_VARIABLE = 1193;

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

    /** Pins a target session of {@code server} (whose binlog settings were read once, with its other facts). */
    static void target(Connection c, ServerInfo server) throws SQLException {
        // Settled before the first transaction: the isolation level applies from the next one.
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '" + TARGET_SQL_MODE + "', time_zone = '+00:00',"
                    + " character_set_results = NULL, foreign_key_checks = 0, max_error_count = " + MAX_ERROR_COUNT
                    + ", net_read_timeout = " + NET_READ_TIMEOUT_SECONDS);
            if (readCommittedIsLogged(server)) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            // Before MySQL 5.5 (built-in InnoDB) the lock wait is global only: such a target keeps the server's own.
            setWhereSessionScoped(s, "innodb_lock_wait_timeout = " + TARGET_LOCK_WAIT_SECONDS);
            // WriteWarnings reads which row an ENUM warning names from its English text. Before MySQL 5.5 the
            // language is the server's only: a non-English one refuses ENUM error values.
            setWhereSessionScoped(s, "lc_messages = 'en_US'");
        }
        c.setAutoCommit(false);
    }

    /** {@code SET SESSION assignment}, left as the server has it where the variable is global only or unknown. */
    private static void setWhereSessionScoped(Statement s, String assignment) throws SQLException {
        try {
            s.execute("SET SESSION " + assignment);
        } catch (SQLException e) {
            if (e.getErrorCode() != GLOBAL_ONLY_VARIABLE && e.getErrorCode() != UNKNOWN_VARIABLE) {
                throw e;
            }
        }
    }

    /**
     * The charset in which the server reads the session's string literals ({@code character_set_connection}),
     * if the client's text is sent in the same one (the driver sends UTF-8 and negotiates utf8mb4, or utf8 before
     * MySQL 5.5.3), for {@link InsertBatch}; {@code utf8} is named {@code utf8mb3}, as MariaDB 10.6 and later
     * name it in the schema. Only the bulk copy asks.
     */
    static Optional<String> literalCharset(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@character_set_client, @@character_set_connection")) {
            rs.next();
            String client = canonicalCharset(rs.getString(1));
            String connection = canonicalCharset(rs.getString(2));
            return client.equals(connection) ? Optional.of(connection) : Optional.empty();
        }
    }

    /** A charset's name for comparing: lower case, {@code utf8} as {@code utf8mb3}. */
    static String canonicalCharset(String name) {
        String lower = String.valueOf(name).toLowerCase(java.util.Locale.ROOT);
        return lower.equals("utf8") ? "utf8mb3" : lower;
    }

    /**
     * Whether a READ COMMITTED session may write here: with binlog_format STATEMENT, InnoDB refuses its writes
     * (error 1598), and a server without binlog_format (MySQL 5.0) logs statements only; those stay in
     * REPEATABLE READ. Off, ROW and MIXED allow it.
     */
    private static boolean readCommittedIsLogged(ServerInfo server) {
        return server.binlogFormat().map(f -> !server.logBin() || !"STATEMENT".equalsIgnoreCase(f)).orElse(false);
    }
}
