package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows waiting to be written to the target as one multi-row INSERT that hikkoshi builds itself, as text (driver
 * batch rewriting differs between drivers and versions). A statement is sent before it would exceed
 * {@code maxStatementBytes}; a single row that cannot fit is an error naming the table, never a truncation.
 *
 * <p>Why text built here rather than a prepared statement with a parameter per value: with the text protocol
 * MariaDB Connector/J parses the whole SQL for its thousands of {@code ?} and interpolates every value again;
 * with server-side prepared statements, every new row count is a new prepare. Building the VALUES here is what
 * mysqldump does, and it copies the chunk in one pass. Each value keeps the driver's own form, a binary string
 * {@code _binary'...'} with backslash escapes. A value whose bytes are ASCII or valid UTF-8 (numbers, dates,
 * most text) is written into the SQL text, which the driver sends as UTF-8, so the server receives the very
 * bytes read. Any other value (binary data, latin1 or cp932 bytes) cannot pass through a Java {@code String}:
 * it stays a {@code ?} parameter bound as bytes, which the driver escapes the same way (hex would double
 * its size). Backslash escapes rely on the target session's SQL mode, which {@link SessionPins} pins without
 * {@code NO_BACKSLASH_ESCAPES}; the driver reads the same mode to skip over the literals when it finds the
 * {@code ?}s.
 */
final class InsertBatch {
    /** The driver's {@code _binary ''} around a parameter and the separating comma. */
    private static final int PARAMETER_OVERHEAD = 11;
    /** Before hikkoshi built the text, a row's size was estimated as the driver sent it; the estimate stays. */
    private static final int VALUE_OVERHEAD = 14;

    private final TableStatements statements;
    private final long maxStatementBytes;
    private final String head;
    private final String tail;
    private final String[] valuePrefix;
    private final String[] valueSuffix;
    private final boolean[] enumColumn;
    private final StringBuilder sql;
    private final StringBuilder tuple = new StringBuilder(256);
    private final List<byte[]> tupleParameters = new ArrayList<>();
    private final List<byte[]> parameters = new ArrayList<>();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private long statementBytes;
    /** Per column, whether a row of the statement gives an ENUM column {@code ''} (see {@link #refuseWarnings}). */
    private final boolean[] emptyEnum;
    private int rows;
    private long written;

    InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing) {
        this.statements = statements;
        this.maxStatementBytes = maxStatementBytes;
        this.head = statements.insertHead();
        this.tail = switch (existing) {
            case KEEP -> statements.keepExistingTail();
            case FAIL -> "";
        };
        List<String> placeholders = statements.insertPlaceholders();
        List<Column> columns = statements.columns();
        int n = placeholders.size();
        this.valuePrefix = new String[n];
        this.valueSuffix = new String[n];
        this.enumColumn = new boolean[n];
        this.emptyEnum = new boolean[n];
        for (int i = 0; i < n; i++) {
            String p = placeholders.get(i);
            int q = p.indexOf('?');
            valuePrefix[i] = p.substring(0, q);
            valueSuffix[i] = p.substring(q + 1);
            enumColumn[i] = columns.get(i).dataType().equals("enum");
        }
        this.sql = new StringBuilder((int) Math.min(maxStatementBytes, 1 << 20));
    }

    /** Adds a row, first sending the rows held if the statement would grow too large. */
    void add(Connection target, byte[][] row) throws SQLException {
        long size = appendTuple(row);
        long headAndTail = head.length() + tail.length();
        if (headAndTail + size > maxStatementBytes) {
            throw new UserException("a row of table " + statements.table().name() + " needs about "
                    + Math.max(size, estimate(row)) + " bytes in an INSERT statement, more than the "
                    + maxStatementBytes + " bytes that max_allowed_packet of the source and the target allow",
                    "raise max_allowed_packet on the target (and the source) above the largest row");
        }
        if (rows > 0 && headAndTail + statementBytes + 1 + size > maxStatementBytes) {
            flush(target);
        }
        sql.append(rows == 0 ? head : ",").append(tuple);
        parameters.addAll(tupleParameters);
        statementBytes += size + 1;
        for (int i = 0; i < row.length; i++) {
            if (enumColumn[i] && row[i] != null && row[i].length == 0) {
                emptyEnum[i] = true;
            }
        }
        rows++;
    }

    /** Sends the rows held, if any, as one INSERT in the target's open transaction. */
    void flush(Connection target) throws SQLException {
        if (rows == 0) {
            return;
        }
        sql.append(tail);
        if (parameters.isEmpty()) {
            try (Statement s = target.createStatement()) {
                s.setEscapeProcessing(false); // values may hold '{': no JDBC escape syntax here
                s.executeUpdate(sql.toString());
                refuseWarnings(s.getWarnings());
            }
        } else {
            try (PreparedStatement ps = target.prepareStatement(sql.toString())) {
                ps.setEscapeProcessing(false);
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setBytes(i + 1, parameters.get(i));
                }
                ps.executeUpdate();
                refuseWarnings(ps.getWarnings());
            }
        }
        written += rows;
        rows = 0;
        sql.setLength(0);
        parameters.clear();
        statementBytes = 0;
        java.util.Arrays.fill(emptyEnum, false);
    }

    /** Writes the row's {@code (...)} into {@link #tuple} and its parameters; returns its size in bytes. */
    private long appendTuple(byte[][] row) {
        tuple.setLength(0);
        tupleParameters.clear();
        tuple.append('(');
        long size = 2;
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                tuple.append(',');
                size++;
            }
            tuple.append(valuePrefix[i]);
            long bytes = appendValue(tuple, row[i], utf8);
            if (bytes < 0) {
                tuple.append('?');
                tupleParameters.add(row[i]);
                bytes = escapedLength(row[i]) + PARAMETER_OVERHEAD;
            }
            tuple.append(valueSuffix[i]);
            size += bytes + valuePrefix[i].length() + valueSuffix[i].length();
        }
        tuple.append(')');
        return size;
    }

    /** The size estimate of a row used before hikkoshi built the text: each value as the driver escapes it. */
    private long estimate(byte[][] row) {
        long size = statements.insertTuple().length() + 2;
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

    /**
     * Appends a value as a binary string literal if its bytes are ASCII or valid UTF-8, returning the bytes
     * appended (as UTF-8); returns -1 and appends nothing for other bytes, which must be a parameter.
     */
    static long appendValue(StringBuilder out, byte[] value, CharsetDecoder utf8) {
        if (value == null) {
            out.append("NULL");
            return 4;
        }
        boolean ascii = true;
        for (byte b : value) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        CharSequence chars;
        if (ascii) {
            chars = null;
        } else {
            try {
                chars = utf8.reset().decode(ByteBuffer.wrap(value));
            } catch (CharacterCodingException e) {
                return -1;
            }
        }
        out.append("_binary'");
        long escapes = 0;
        int n = ascii ? value.length : chars.length();
        for (int i = 0; i < n; i++) {
            char c = ascii ? (char) value[i] : ((CharBuffer) chars).get(i);
            switch (c) {
                case 0 -> out.append("\\0");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case 0x1a -> out.append("\\Z");
                default -> {
                    out.append(c);
                    continue;
                }
            }
            escapes++;
        }
        out.append('\'');
        return value.length + escapes + 9;
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

    /** True when the warning names an ENUM column to which some row of the statement gives {@code ''}. */
    private boolean enumErrorValueIn(String message) {
        List<Column> columns = statements.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (emptyEnum[i] && message != null && message.contains("column '" + columns.get(i).name() + "'")) {
                return true;
            }
        }
        return false;
    }

    /** Rows sent so far. */
    long written() {
        return written;
    }
}
