package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.schema.Column;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Judges the warnings of one statement that wrote rows ({@link InsertBatch}'s INSERT, {@link LoadDataBatch}'s or
 * {@link LoadDataStatements}' LOAD DATA). The target session is not strict, so a value the target would change is a warning, and any such warning
 * fails the chunk, as strict mode would have. Two are not changes: an ENUM's error value {@code ''} given by the
 * very row the warning names ("Data truncated for column 'kind' at row 7": legacy non-strict servers store it for
 * invalid values, and the copy keeps it), and, where the statement keeps existing rows by {@code IGNORE}, a
 * duplicate key. The server lists at most {@code max_error_count} warnings ({@link SessionPins} raises it); the
 * count of all of them ({@code SHOW COUNT(*) WARNINGS}) says whether the list is whole.
 */
final class WriteWarnings {
    private static final int DUPLICATE_KEY = 1062;
    private static final int DATA_TRUNCATED = 1265;
    private static final Pattern TRUNCATED = Pattern.compile("Data truncated for column '(.*)' at row (\\d+)");

    private final TableStatements statements;
    /** The positions of the ENUM columns among the statement's columns. */
    private final int[] enumColumns;
    /** Per column, the rows (numbered from 1 in the statement) that give an ENUM column {@code ''}; null if none. */
    private final BitSet[] emptyEnum;
    private int rows;
    /** ENUM error values noted: each may give one warning (two where an upsert writes the value twice). */
    private int expected;

    WriteWarnings(TableStatements statements) {
        this.statements = statements;
        List<Column> columns = statements.columns();
        this.enumColumns = IntStream.range(0, columns.size()).filter(i -> columns.get(i).dataType().equals("enum"))
                .toArray();
        this.emptyEnum = new BitSet[columns.size()];
    }

    /** Notes the statement's next row. */
    void row(byte[][] row) {
        rows++;
        for (int i : enumColumns) {
            if (isEmpty(row[i])) {
                if (emptyEnum[i] == null) {
                    emptyEnum[i] = new BitSet();
                }
                emptyEnum[i].set(rows);
                expected++;
            }
        }
    }

    /**
     * Whether the statement may take {@code row} and still have every warning its ENUM error values may give
     * listed (up to half of {@link SessionPins#MAX_ERROR_COUNT}, since an upsert may warn twice for one value):
     * else the rows held are to be sent first. Narrow rows of ENUM {@code ''} fit a 1 MB statement by the 80,000.
     */
    boolean roomFor(byte[][] row) {
        int more = 0;
        for (int i : enumColumns) {
            if (isEmpty(row[i])) {
                more++;
            }
        }
        return more == 0 || expected + more <= SessionPins.MAX_ERROR_COUNT / 2;
    }

    private static boolean isEmpty(byte[] value) {
        return value != null && value.length == 0;
    }

    /** What the statement's warnings came to: every one accepted, or more held than the server listed. */
    enum Verdict { ACCEPTED, NOT_ALL_LISTED }

    /**
     * Reads the warnings of the statement just run on {@code s} (and their count, on {@code target}); throws for the
     * first that changed a value. {@code duplicatesKept}: a duplicate key is a row left as the target has it.
     */
    Verdict judge(Statement s, Connection target, boolean duplicatesKept) throws SQLException {
        List<SQLWarning> listed = new ArrayList<>();
        for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
            listed.add(w);
        }
        for (SQLWarning w : listed) {
            if (!(duplicatesKept && w.getErrorCode() == DUPLICATE_KEY || emptyEnumValue(w))) {
                throw new SQLException("writing rows of table " + statements.table().name() + " changed a value: "
                        + w.getMessage() + " (warning " + w.getErrorCode() + ")", "22000", w.getErrorCode());
            }
        }
        // Every writing session lists up to 65,535 (SessionPins.target): an empty list is no warning, and the
        // count, a round trip more for each of the streams' small batches, is asked only when there are some.
        return !listed.isEmpty() && count(target) > listed.size() ? Verdict.NOT_ALL_LISTED : Verdict.ACCEPTED;
    }

    private boolean emptyEnumValue(SQLWarning w) {
        if (w.getErrorCode() != DATA_TRUNCATED || w.getMessage() == null) {
            return false;
        }
        Matcher m = TRUNCATED.matcher(w.getMessage());
        if (!m.find()) {
            return false;
        }
        int column = indexOf(m.group(1));
        long row = Long.parseLong(m.group(2));
        return column >= 0 && emptyEnum[column] != null && row <= Integer.MAX_VALUE && emptyEnum[column].get((int) row);
    }

    private int indexOf(String name) {
        for (int i : enumColumns) {
            // The server names the target's column, which matches the source's whatever its case.
            if (statements.columns().get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The statement's warnings in all, listed or not: {@code SHOW WARNINGS} and this clear none. */
    private static long count(Connection target) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SHOW COUNT(*) WARNINGS")) {
            return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
        }
    }
}
