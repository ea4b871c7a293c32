package dev.hikkoshi.data.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One range's multi-row INSERT of a fixed row count, prepared once on the server of its target connection and
 * executed with its values in the binary protocol ({@code COM_STMT_EXECUTE}): hikkoshi builds the statement
 * ({@code INSERT ... VALUES (?, ?), (?, ?) ... ON DUPLICATE KEY UPDATE k = k}, the same head, placeholders and
 * tail as {@link InsertBatch}'s text), the server parses it once, and each execution carries only the values,
 * each as its length and bytes. Used by {@link InsertBatch} for its full statements when {@link ChunkCopier}
 * gives it one; the chunk's last, partial statement stays text.
 *
 * <p>Values: the source's bytes, bound as binary strings (the driver's {@code setBytes}, type BLOB), which the
 * server stores as it stores a {@code _binary'...'} literal (text columns check the bytes are well-formed,
 * temporal, DECIMAL, BIT and ENUM columns read the text, {@code CONVERT(? USING real)} reinterprets them);
 * integer columns' digits as a 64-bit integer when they fit, as the text path writes a bare number.
 *
 * <p>The row count: none until the first text statement of the range that filled {@link
 * InsertBatch#PREFERRED_STATEMENT_BYTES} says how many rows make one ({@link #learn}), at most
 * {@value #MAX_PARAMETERS} values (a prepared statement's limit). A server-side statement needs MariaDB
 * Connector/J's own connection ({@code prepareInternal} with binary on, whatever the pool's URL says); any other
 * driver, or one that declines, leaves the batch on text. Not thread-safe: used by one thread at a time (the
 * range's sender, one statement in flight).
 */
final class PreparedInsert implements AutoCloseable {
    /** The most parameters one prepared statement may have (a 16-bit count in the protocol). */
    static final int MAX_PARAMETERS = 65_535;
    /** The execute packet's own bytes besides the values: header, statement id, flags, iterations, bound flag. */
    private static final int PACKET_OVERHEAD = 64;
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint");

    private final String head;
    private final String tuple;
    private final String tail;
    private final int columns;
    private final boolean[] integerColumn;
    private int rows;
    private boolean unusable;
    private PreparedStatement statement;

    /** {@code head} and {@code tail} as {@link InsertBatch} writes them; {@code tuple} as {@link TableStatements#insertTuple}. */
    PreparedInsert(TableStatements statements, String head, String tail) {
        this.head = head;
        this.tuple = statements.insertTuple();
        this.tail = tail;
        this.columns = statements.columnCount();
        this.integerColumn = new boolean[columns];
        List<String> placeholders = statements.insertPlaceholders();
        for (int i = 0; i < columns; i++) {
            integerColumn[i] = placeholders.get(i).equals("?")
                    && INTEGERS.contains(statements.columns().get(i).dataType());
        }
    }

    /** Rows per prepared statement; 0 until learnt (or when the driver cannot prepare), so everything goes as text. */
    int rows() {
        return unusable ? 0 : rows;
    }

    /**
     * Takes the row count of a text statement that reached the preferred size, once, and makes the statement
     * for {@code target}: only the driver's object (the server prepares it with its first execution), so the
     * caller may do this while the sender uses the connection.
     */
    void learn(Connection target, int statementRows) throws SQLException {
        if (rows == 0 && !unusable) {
            rows = Math.max(1, Math.min(statementRows, MAX_PARAMETERS / Math.max(1, columns)));
            statement = statement(target);
        }
    }

    /** The bytes a row's values take in an execute packet: a length and the bytes each (and 2 for its type). */
    static long packetBytes(byte[][] row) {
        long n = 0;
        for (byte[] v : row) {
            n += 2;
            if (v != null) {
                int len = v.length;
                n += len + (len < 251 ? 1 : len < 65_536 ? 3 : len < 16_777_216 ? 4 : 9);
            }
        }
        return n;
    }

    /** An execute packet's size for rows of {@code valueBytes} ({@link #packetBytes}) in all: values and null map. */
    long packetBytes(long valueBytes) {
        return PACKET_OVERHEAD + valueBytes + ((long) rows * columns + 7) / 8;
    }

    /**
     * Executes the statement with {@code batch}'s rows ({@link #rows()} of them; the server prepares it on
     * the first) and hands its warnings to {@code check}.
     */
    void execute(List<byte[][]> batch, WarningCheck check) throws SQLException {
        PreparedStatement ps = statement;
        if (ps == null || batch.size() != rows) {
            throw new IllegalStateException("a prepared INSERT of " + rows + " rows given " + batch.size());
        }
        int p = 1;
        for (byte[][] row : batch) {
            for (int i = 0; i < columns; i++) {
                byte[] v = row[i];
                if (v == null) {
                    ps.setNull(p++, Types.VARBINARY);
                } else if (integerColumn[i] && fitsLong(v)) {
                    ps.setLong(p++, Long.parseLong(new String(v, java.nio.charset.StandardCharsets.ISO_8859_1)));
                } else {
                    ps.setBytes(p++, v);
                }
            }
        }
        ps.executeUpdate();
        check.accept(ps.getWarnings());
    }

    /** What {@link InsertBatch} does with an execution's warnings (it refuses all but an ENUM's error value). */
    @FunctionalInterface
    interface WarningCheck {
        void accept(SQLWarning warnings) throws SQLException;
    }

    private PreparedStatement statement(Connection target) throws SQLException {
        if (!target.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            unusable = true;
            return null;
        }
        String sql = head + String.join(",", Collections.nCopies(rows, tuple)) + tail;
        PreparedStatement ps = target.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(sql,
                Statement.NO_GENERATED_KEYS, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, true);
        if (!(ps instanceof org.mariadb.jdbc.ServerPreparedStatement)) {
            // The driver fell back to its client-side statement, which would interpolate every value as text.
            ps.close();
            unusable = true;
            return null;
        }
        ps.setEscapeProcessing(false);
        statement = ps;
        return ps;
    }

    /** Digits (with a leading minus) of at most 18 of them: a value Long.parseLong takes without overflow. */
    private static boolean fitsLong(byte[] v) {
        int n = v.length;
        int i = n > 0 && v[0] == '-' ? 1 : 0;
        if (n == i || n - i > 18) {
            return false;
        }
        for (; i < n; i++) {
            if (v[i] < '0' || v[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Deallocates the statement on the server; the connection it was prepared on must still be open. */
    @Override
    public void close() throws SQLException {
        PreparedStatement ps = statement;
        statement = null;
        if (ps != null) {
            ps.close();
        }
    }
}
