package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
 *
 * <p>Integer and DECIMAL values (read as the server's text, see {@link TableStatements#selectList}) are written
 * as bare numeric literals when their text is plain digits: the server then stores a number it parsed once,
 * rather than converting a binary string, which cost the target about a tenth more CPU per row in a 200,000-row
 * load. Any other text in such a column keeps the escaped string form.
 *
 * <p>Statement size: rows are grouped into statements of about {@link #PREFERRED_STATEMENT_BYTES}, the size
 * mysqldump and mydumper use; {@code maxStatementBytes} (from max_allowed_packet) only bounds a single large
 * row. Statements of 16 MB cost the target half again as much CPU per row as 1 MB ones (the parser's item
 * lists and the server's packet buffers grow with the statement), and hold the chunk's reader idle longer.
 *
 * <p>The text is built as UTF-8 bytes, copied value by value (escapes aside), and made a {@code String} once
 * per statement: the copy's own CPU competes with both servers for the same cores, and appending a row
 * character by character into a {@code StringBuilder} was a third of it.
 */
final class InsertBatch {
    /** Rows are sent once a statement reaches this size; a row larger than this goes alone. */
    static final int PREFERRED_STATEMENT_BYTES = 1 << 20;
    /** The driver's {@code _binary ''} around a parameter and the separating comma. */
    private static final int PARAMETER_OVERHEAD = 11;
    /** Before hikkoshi built the text, a row's size was estimated as the driver sent it; the estimate stays. */
    private static final int VALUE_OVERHEAD = 14;
    /** Types whose server text is digits, a sign and a decimal point: written as bare numeric literals. */
    private static final Set<String> EXACT_NUMBERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric");
    private static final byte[] NULL = bytes("NULL");
    private static final byte[] BINARY_QUOTE = bytes("_binary'");

    private final TableStatements statements;
    private final long maxStatementBytes;
    private final long preferredStatementBytes;
    private final byte[] head;
    private final byte[] tail;
    private final byte[][] valuePrefix;
    private final byte[][] valueSuffix;
    private final boolean[] enumColumn;
    private final boolean[] numericColumn;
    /** The statement so far: head and the tuples of the rows held, as UTF-8. */
    private final SqlBytes sql;
    private final SqlBytes tuple = new SqlBytes(256);
    private final List<byte[]> tupleParameters = new ArrayList<>();
    private final List<byte[]> parameters = new ArrayList<>();
    /** What the parameters add to the statement's size once the driver has written them in. */
    private long parameterBytes;
    private long tupleParameterBytes;
    /** Per column, whether a row of the statement gives an ENUM column {@code ''} (see {@link #refuseWarnings}). */
    private final boolean[] emptyEnum;
    private int rows;
    private long written;

    InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing) {
        this.statements = statements;
        this.maxStatementBytes = maxStatementBytes;
        this.head = bytes(statements.insertHead());
        this.tail = bytes(switch (existing) {
            case KEEP -> statements.keepExistingTail();
            case FAIL -> "";
        });
        List<String> placeholders = statements.insertPlaceholders();
        List<Column> columns = statements.columns();
        int n = placeholders.size();
        this.valuePrefix = new byte[n][];
        this.valueSuffix = new byte[n][];
        this.enumColumn = new boolean[n];
        this.numericColumn = new boolean[n];
        this.emptyEnum = new boolean[n];
        for (int i = 0; i < n; i++) {
            String p = placeholders.get(i);
            int q = p.indexOf('?');
            valuePrefix[i] = bytes(p.substring(0, q));
            valueSuffix[i] = bytes(p.substring(q + 1));
            enumColumn[i] = columns.get(i).dataType().equals("enum");
            numericColumn[i] = p.equals("?") && EXACT_NUMBERS.contains(columns.get(i).dataType());
        }
        this.preferredStatementBytes = Math.min(maxStatementBytes, PREFERRED_STATEMENT_BYTES);
        // A statement passes the preferred size by at most one row: room for a usual one without growing.
        this.sql = new SqlBytes((int) (preferredStatementBytes + (preferredStatementBytes >> 3)));
    }

    /** Adds a row, first sending the rows held if the statement would grow too large. */
    void add(Connection target, byte[][] row) throws SQLException {
        appendTuple(row);
        long size = tuple.length + tupleParameterBytes;
        long headAndTail = head.length + tail.length;
        if (headAndTail + size > maxStatementBytes) {
            throw new UserException("a row of table " + statements.table().name() + " needs about "
                    + Math.max(size, estimate(row)) + " bytes in an INSERT statement, more than the "
                    + maxStatementBytes + " bytes that max_allowed_packet of the source and the target allow",
                    "raise max_allowed_packet on the target (and the source) above the largest row");
        }
        if (rows > 0 && sql.length + parameterBytes + 1 + size + tail.length > preferredStatementBytes) {
            flush(target);
        }
        if (rows == 0) {
            sql.append(head);
        } else {
            sql.append((byte) ',');
        }
        sql.append(tuple.bytes, 0, tuple.length);
        parameters.addAll(tupleParameters);
        parameterBytes += tupleParameterBytes;
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
        // Every value in the text is ASCII or checked UTF-8 (see appendValue): decoding it is exact.
        String text = new String(sql.bytes, 0, sql.length, StandardCharsets.UTF_8);
        if (parameters.isEmpty()) {
            try (Statement s = target.createStatement()) {
                s.setEscapeProcessing(false); // values may hold '{': no JDBC escape syntax here
                s.executeUpdate(text);
                refuseWarnings(s.getWarnings());
            }
        } else {
            try (PreparedStatement ps = target.prepareStatement(text)) {
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
        sql.length = 0;
        parameters.clear();
        parameterBytes = 0;
        Arrays.fill(emptyEnum, false);
    }

    /** Writes the row's {@code (...)} into {@link #tuple} and its parameters into {@link #tupleParameters}. */
    private void appendTuple(byte[][] row) {
        tuple.length = 0;
        tupleParameters.clear();
        tupleParameterBytes = 0;
        tuple.append((byte) '(');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                tuple.append((byte) ',');
            }
            tuple.append(valuePrefix[i]);
            if (!(numericColumn[i] && appendNumber(tuple, row[i])) && !appendValue(tuple, row[i])) {
                tuple.append((byte) '?');
                tupleParameters.add(row[i]);
                tupleParameterBytes += escapedLength(row[i]) + PARAMETER_OVERHEAD - 1;
            }
            tuple.append(valueSuffix[i]);
        }
        tuple.append((byte) ')');
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
            if (escape(b) != 0) {
                n++;
            }
        }
        return n;
    }

    /** The letter after the backslash that escapes {@code b}, or 0 if {@code b} goes as it is. */
    private static byte escape(byte b) {
        return switch (b) {
            case 0 -> '0';
            case '\'' -> '\'';
            case '"' -> '"';
            case '\\' -> '\\';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case 0x1a -> 'Z';
            default -> 0;
        };
    }

    /**
     * Appends an integer or DECIMAL value's text as a bare numeric literal if it is {@code -?digits(.digits)?}
     * (what the server prints for those types), or NULL; returns false and appends nothing otherwise. The
     * literal is exact: a DECIMAL literal keeps every digit (at most 65, as the type), an integer past the
     * 64-bit range would become a DECIMAL literal, never a DOUBLE.
     */
    static boolean appendNumber(SqlBytes out, byte[] value) {
        if (value == null) {
            out.append(NULL);
            return true;
        }
        int n = value.length;
        int i = n > 0 && value[0] == '-' ? 1 : 0;
        int digits = 0;
        boolean point = false;
        for (; i < n; i++) {
            byte b = value[i];
            if (b >= '0' && b <= '9') {
                digits++;
            } else if (b == '.' && !point && digits > 0 && i < n - 1) {
                point = true;
            } else {
                return false;
            }
        }
        if (digits == 0) {
            return false;
        }
        out.append(value, 0, n);
        return true;
    }

    /**
     * Appends a value as an escaped binary string literal if its bytes are well-formed UTF-8 (ASCII included),
     * or NULL; returns false and appends nothing for other bytes, which must be a parameter: they would not
     * survive the statement's trip through a Java {@code String}.
     */
    static boolean appendValue(SqlBytes out, byte[] value) {
        if (value == null) {
            out.append(NULL);
            return true;
        }
        if (!wellFormedUtf8(value)) {
            return false;
        }
        out.append(BINARY_QUOTE);
        int from = 0;
        for (int i = 0; i < value.length; i++) {
            byte e = escape(value[i]);
            if (e != 0) {
                out.append(value, from, i - from);
                out.append((byte) '\\');
                out.append(e);
                from = i + 1;
            }
        }
        out.append(value, from, value.length - from);
        out.append((byte) '\'');
        return true;
    }

    /**
     * Whether {@code value} is well-formed UTF-8 as the Unicode standard defines it (table 3-7: no overlong
     * forms, no surrogates, nothing past U+10FFFF), exactly the bytes Java decodes and encodes back unchanged.
     */
    static boolean wellFormedUtf8(byte[] value) {
        int n = value.length;
        int i = 0;
        while (i < n) {
            int b = value[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xff;
            if (b < 0xc2 || b > 0xf4) {
                return false;
            }
            int length = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
            if (i + length > n) {
                return false;
            }
            int second = value[i + 1] & 0xff;
            int low = b == 0xe0 ? 0xa0 : b == 0xf0 ? 0x90 : 0x80;
            int high = b == 0xed ? 0x9f : b == 0xf4 ? 0x8f : 0xbf;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                if ((value[i + k] & 0xc0) != 0x80) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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

    /** A growable byte array that SQL text is written into; reused from row to row and statement to statement. */
    static final class SqlBytes {
        byte[] bytes;
        int length;

        SqlBytes(int capacity) {
            bytes = new byte[capacity];
        }

        void append(byte b) {
            if (length == bytes.length) {
                grow(1);
            }
            bytes[length++] = b;
        }

        void append(byte[] b) {
            append(b, 0, b.length);
        }

        void append(byte[] b, int from, int count) {
            if (length + count > bytes.length) {
                grow(count);
            }
            System.arraycopy(b, from, bytes, length, count);
            length += count;
        }

        private void grow(int more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }
}
