package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

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
 * bytes read; where the target column stores the bytes in the session's own charset (utf8mb4) or the value
 * is temporal text, without the {@code _binary} introducer ({@link TableStatements#plainLiterals}). Any other
 * value (binary data, latin1 or cp932 bytes) cannot pass through a Java {@code String}: it stays a {@code ?} parameter bound as bytes, which the driver escapes the same way (hex would double
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
 * <p>The text is built as UTF-8 bytes ({@link SqlText}).
 *
 * <p>Sending: by default {@link #flush} sends a statement and waits for it. Given a {@code sender} thread
 * ({@link #sendingOn}), a full statement is handed to it and the caller goes on reading and building the next
 * one while the target executes it, as a loader reading from files keeps every connection busy; at most one
 * statement is in flight, and {@link #finish} waits for it. The target connection is used by one thread at a
 * time: the sender while a statement is in flight, the caller otherwise.
 */
final class InsertBatch implements RowBatch {
    /** Rows are sent once a statement reaches this size; a row larger than this goes alone. */
    static final int PREFERRED_STATEMENT_BYTES = 1 << 20;
    /** The driver's {@code _binary ''} around a parameter and the separating comma. */
    private static final int PARAMETER_OVERHEAD = 11;
    /** Before hikkoshi built the text, a row's size was estimated as the driver sent it; the estimate stays. */
    private static final int VALUE_OVERHEAD = 14;
    /** Types whose server text is digits, a sign and a decimal point: written as bare numeric literals. */
    private static final Set<String> EXACT_NUMBERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric");

    private final TableStatements statements;
    private final long maxStatementBytes;
    private final long preferredStatementBytes;
    private final byte[] head;
    private final byte[] tail;
    private final byte[][] valuePrefix;
    private final byte[][] valueSuffix;
    private final boolean[] numericColumn;
    /** Per column, whether a value may be a plain string literal ({@link TableStatements#plainLiterals}). */
    private final boolean[] plainColumn;
    /** The statement so far: head and the tuples of the rows held, as UTF-8. */
    private final SqlText sql;
    private final SqlText tuple = new SqlText(256);
    private final List<byte[]> tupleParameters = new ArrayList<>();
    private final List<byte[]> parameters = new ArrayList<>();
    /** What the parameters add to the statement's size once the driver has written them in. */
    private long parameterBytes;
    private long tupleParameterBytes;
    /** The warnings the statement being built may give (the rows with an ENUM error value). */
    private WriteWarnings warnings;
    private int rows;
    private ExecutorService sender;
    private final InFlightStatement inFlight;

    /** A batch of its own: the apply path's batches are small, so its buffer starts small and grows by doubling. */
    InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing) {
        this(statements, maxStatementBytes, existing, Optional.empty(), new SqlText(4096));
    }

    /**
     * {@code literalCharset}: the charset the target session reads string literals in (from
     * {@link SessionPins#target}); empty writes every string value as a binary string. {@code buffer} (from
     * {@link #statementBuffer}) holds the statement being built; a range's chunks reuse one, since a new
     * batch of a megabyte per chunk was a tenth of a copy's allocations. It is cleared here, and used only by
     * the thread that adds rows.
     */
    InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing,
                Optional<String> literalCharset, SqlText buffer) {
        this(statements, maxStatementBytes, existing, literalCharset, buffer, Optional.empty());
    }

    /** A batch that updates the rows the target has already ({@link ExistingRows#UPDATE}), spelled for {@code target}. */
    static InsertBatch upserting(TableStatements statements, long maxStatementBytes, ServerInfo target) {
        return new InsertBatch(statements, maxStatementBytes, ExistingRows.UPDATE, Optional.empty(), new SqlText(4096),
                Optional.of(target));
    }

    private InsertBatch(TableStatements statements, long maxStatementBytes, ExistingRows existing,
                        Optional<String> literalCharset, SqlText buffer, Optional<ServerInfo> target) {
        this.plainColumn = statements.plainLiterals(literalCharset);
        this.statements = statements;
        this.inFlight = new InFlightStatement("sending rows of table " + statements.table().name());
        this.maxStatementBytes = maxStatementBytes;
        this.head = bytes(statements.insertHead());
        this.tail = bytes(switch (existing) {
            case KEEP -> statements.keepExistingTail();
            case FAIL -> "";
            case UPDATE -> statements.updateExistingTail(target.map(TableStatements::takesRowAlias).orElse(false));
        });
        List<String> placeholders = statements.insertPlaceholders();
        List<Column> columns = statements.columns();
        int n = placeholders.size();
        this.valuePrefix = new byte[n][];
        this.valueSuffix = new byte[n][];
        this.numericColumn = new boolean[n];
        this.warnings = new WriteWarnings(statements);
        for (int i = 0; i < n; i++) {
            String p = placeholders.get(i);
            int q = p.indexOf('?');
            valuePrefix[i] = bytes(p.substring(0, q));
            valueSuffix[i] = bytes(p.substring(q + 1));
            numericColumn[i] = p.equals("?") && EXACT_NUMBERS.contains(columns.get(i).dataType());
        }
        this.preferredStatementBytes = Math.min(maxStatementBytes, PREFERRED_STATEMENT_BYTES);
        this.sql = buffer;
        sql.clear();
    }

    /** A buffer for the statements of batches of at most {@code maxStatementBytes}. */
    static SqlText statementBuffer(long maxStatementBytes) {
        long preferred = Math.min(maxStatementBytes, PREFERRED_STATEMENT_BYTES);
        // A statement passes the preferred size by at most one row: room for a usual one without growing.
        return new SqlText((int) (preferred + (preferred >> 3)));
    }

    /** Sends full statements on {@code sender} (one thread) while the caller builds the next; see the class note. */
    InsertBatch sendingOn(ExecutorService sender) {
        this.sender = sender;
        return this;
    }

    /** Adds a row, first sending the rows held if the statement would grow too large. */
    @Override
    public void add(Connection target, byte[][] row) throws SQLException {
        appendTuple(row);
        long size = tuple.length() + tupleParameterBytes;
        long headAndTail = head.length + tail.length;
        if (headAndTail + size > maxStatementBytes) {
            throw new UserException("a row of table " + statements.table().name() + " needs about "
                    + Math.max(size, estimate(row)) + " bytes in an INSERT statement, more than the "
                    + maxStatementBytes + " bytes that max_allowed_packet of the source and the target allow",
                    "raise max_allowed_packet on the target (and the source) above the largest row");
        }
        if (rows > 0 && (sql.length() + parameterBytes + 1 + size + tail.length > preferredStatementBytes
                || !warnings.roomFor(row))) {
            flush(target);
        }
        if (rows == 0) {
            sql.append(head);
        } else {
            sql.append((byte) ',');
        }
        sql.append(tuple);
        if (!tupleParameters.isEmpty()) {
            parameters.addAll(tupleParameters);
        }
        parameterBytes += tupleParameterBytes;
        warnings.row(row);
        rows++;
    }

    /**
     * Sends the rows held, if any, as one INSERT in the target's open transaction: at once, or handed to the
     * sender after the statement before it has completed.
     */
    void flush(Connection target) throws SQLException {
        if (rows == 0) {
            return;
        }
        sql.append(tail);
        String text = sql.toString();
        List<byte[]> values = parameters.isEmpty() ? List.of() : List.copyOf(parameters);
        WriteWarnings judged = warnings;
        int count = rows;
        rows = 0;
        sql.clear();
        parameters.clear();
        parameterBytes = 0;
        warnings = new WriteWarnings(statements);
        if (sender == null) {
            execute(target, text, values, judged);
            inFlight.ran(count);
            return;
        }
        inFlight.hand(sender, count, () -> execute(target, text, values, judged));
    }

    /** Sends what is held and waits until every statement has completed; throws the first failure. */
    @Override
    public void finish(Connection target) throws SQLException {
        flush(target);
        inFlight.await();
    }

    @Override
    public void abandon() {
        inFlight.abandon();
    }

    private void execute(Connection target, String text, List<byte[]> values, WriteWarnings judged) throws SQLException {
        if (values.isEmpty()) {
            try (Statement s = target.createStatement()) {
                s.setEscapeProcessing(false); // values may hold '{': no JDBC escape syntax here
                s.executeUpdate(text);
                refuseWarnings(judged, s, target);
            }
        } else {
            try (PreparedStatement ps = target.prepareStatement(text)) {
                ps.setEscapeProcessing(false);
                for (int i = 0; i < values.size(); i++) {
                    ps.setBytes(i + 1, values.get(i));
                }
                ps.executeUpdate();
                refuseWarnings(judged, ps, target);
            }
        }
    }

    /** Writes the row's {@code (...)} into {@link #tuple} and its parameters into {@link #tupleParameters}. */
    private void appendTuple(byte[][] row) {
        tuple.clear();
        tupleParameters.clear();
        tupleParameterBytes = 0;
        tuple.append((byte) '(');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                tuple.append((byte) ',');
            }
            tuple.append(valuePrefix[i]);
            if (!(numericColumn[i] && tuple.appendNumber(row[i])) && !tuple.appendString(row[i], plainColumn[i])) {
                tuple.append((byte) '?');
                tupleParameters.add(row[i]);
                tupleParameterBytes += SqlText.escapedLength(row[i]) + PARAMETER_OVERHEAD - 1;
            }
            tuple.append(valueSuffix[i]);
        }
        tuple.append((byte) ')');
    }

    /** The size estimate of a row used before hikkoshi built the text: each value as the driver escapes it. */
    private long estimate(byte[][] row) {
        long size = statements.insertTuple().length() + 2;
        for (byte[] value : row) {
            size += value == null ? 5 : SqlText.escapedLength(value) + VALUE_OVERHEAD;
        }
        return size;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Fails the chunk on any warning but an ENUM's error value (see {@link WriteWarnings}), and when the server
     * held more warnings than it listed. A statement is sent before its ENUM error values could fill the list
     * ({@link WriteWarnings#roomFor}), so a list that overflows holds a warning that is not one of them.
     */
    private void refuseWarnings(WriteWarnings judged, Statement s, Connection target) throws SQLException {
        if (judged.judge(s, target, false) == WriteWarnings.Verdict.NOT_ALL_LISTED) {
            throw new SQLException("writing rows of table " + statements.table().name() + " gave more warnings than"
                    + " the target lists (max_error_count): some may be changed values", "22000");
        }
    }

    /** Rows sent so far. */
    @Override
    public long written() {
        return inFlight.written();
    }
}
