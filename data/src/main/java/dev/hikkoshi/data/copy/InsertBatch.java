package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows waiting to be written to the target as one multi-row INSERT that hikkoshi builds itself (driver batch
 * rewriting differs between drivers and versions). A statement is sent before it would exceed
 * {@code maxStatementBytes}, counted as the driver sends it: each value as {@code _binary '...'} with escaped
 * bytes (at most doubled). A single row that cannot fit is an error naming the table, never a truncation.
 */
final class InsertBatch {
    private static final int VALUE_OVERHEAD = 14;

    private final TableStatements statements;
    private final long maxStatementBytes;
    private final String tail;
    private final List<byte[][]> rows = new ArrayList<>();
    private final int headBytes;
    private final int tupleBytes;
    private long bytes;
    private long written;

    InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing) {
        this.statements = statements;
        this.maxStatementBytes = maxStatementBytes;
        this.tail = switch (existing) {
            case KEEP -> statements.keepExistingTail();
            case FAIL -> "";
        };
        this.headBytes = statements.insertHead().length() * 3 + tail.length() * 3;
        this.tupleBytes = statements.insertTuple().length() + 2;
    }

    /** Adds a row, first sending the rows held if the statement would grow too large. */
    void add(Connection target, byte[][] row) throws SQLException {
        long size = rowBytes(row);
        if (headBytes + size > maxStatementBytes) {
            throw new UserException("a row of table " + statements.table().name() + " needs about " + size
                    + " bytes in an INSERT statement, more than the " + maxStatementBytes
                    + " bytes that max_allowed_packet of the source and the target allow",
                    "raise max_allowed_packet on the target (and the source) above the largest row");
        }
        if (!rows.isEmpty() && headBytes + bytes + size > maxStatementBytes) {
            flush(target);
        }
        rows.add(row);
        bytes += size;
    }

    /** Sends the rows held, if any, as one INSERT in the target's open transaction. */
    void flush(Connection target) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder(headBytes + rows.size() * tupleBytes).append(statements.insertHead());
        String tuple = statements.insertTuple();
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append(tuple);
        }
        sql.append(tail);
        try (PreparedStatement ps = target.prepareStatement(sql.toString())) {
            int index = 1;
            for (byte[][] row : rows) {
                for (byte[] value : row) {
                    if (value == null) {
                        ps.setNull(index++, Types.BINARY);
                    } else {
                        ps.setBytes(index++, value);
                    }
                }
            }
            ps.executeUpdate();
            refuseWarnings(ps.getWarnings());
        }
        written += rows.size();
        rows.clear();
        bytes = 0;
    }

    /**
     * The target session is not in strict mode only so that an ENUM's error value {@code ''} (index 0, which
     * legacy non-strict servers store for invalid values) can be copied as it is: every other warning (a
     * truncated, clipped or invalid value) fails the chunk, as strict mode would have.
     */
    private void refuseWarnings(SQLWarning warning) throws SQLException {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            if (!(w.getErrorCode() == 1265 && enumErrorValueIn(w.getMessage()))) {
                throw new SQLException("writing rows of table " + statements.table().name() + " changed a value: "
                        + w.getMessage() + " (warning " + w.getErrorCode() + ")", "22000", w.getErrorCode());
            }
        }
    }

    /** True when the warning names an ENUM column to which some row of the batch gives {@code ''}. */
    private boolean enumErrorValueIn(String message) {
        List<dev.hikkoshi.data.schema.Column> columns = statements.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).dataType().equals("enum") && message != null
                    && message.contains("column '" + columns.get(i).name() + "'")) {
                for (byte[][] row : rows) {
                    if (row[i] != null && row[i].length == 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Rows sent so far. */
    long written() {
        return written;
    }

    private long rowBytes(byte[][] row) {
        long size = tupleBytes;
        for (byte[] value : row) {
            size += value == null ? 5 : escapedLength(value) + VALUE_OVERHEAD;
        }
        return size;
    }

    /** Bytes the driver's escaping may double: NUL, quotes, backslash, newline, carriage return, Ctrl-Z. */
    static long escapedLength(byte[] value) {
        long n = value.length;
        for (byte b : value) {
            if (b == 0 || b == '\'' || b == '"' || b == '\\' || b == '\n' || b == '\r' || b == 0x1a) {
                n++;
            }
        }
        return n;
    }
}
