package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.schema.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * How a key column's value is compared in SQL so that {@code col > value} agrees with {@code ORDER BY col}:
 * numbers as numbers (a string would be compared as a double and lose precision above 2^53), text in the
 * column's own charset and collation, binary strings byte by byte, temporal values as the server's text.
 */
enum KeyKind {
    NUMBER, FLOATING, TEXT, BINARY, TEMPORAL;

    private static final Set<String> NUMBERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric");
    private static final Set<String> FLOATS = Set.of("float", "double", "real");
    private static final Set<String> TEMPORALS = Set.of("date", "datetime", "timestamp", "time", "year");

    static KeyKind of(String table, Column column) {
        String type = column.dataType();
        if (type.equals("enum") || type.equals("set")) {
            // ORDER BY sorts ENUM by index but comparison with a string compares text: keyset pages would skip rows.
            throw new UserException("table " + table + " is keyed by " + type.toUpperCase(java.util.Locale.ROOT)
                    + " column " + column.name() + ", which hikkoshi cannot page through in key order",
                    "add a primary key or a non-null unique key on non-ENUM columns to table " + table);
        }
        if (NUMBERS.contains(type)) {
            return NUMBER;
        }
        if (FLOATS.contains(type)) {
            return FLOATING;
        }
        if (TEMPORALS.contains(type)) {
            return TEMPORAL;
        }
        return column.textual() ? TEXT : BINARY;
    }

    /**
     * The SQL for a bound value compared with {@code column}, the value's bytes being in {@code bytesCharset}:
     * text is converted into the column's charset and compared in its collation (an explicit COLLATE, so
     * that it never mixes collations).
     */
    String placeholder(Column column, String bytesCharset) {
        return switch (this) {
            case NUMBER, FLOATING, BINARY, TEMPORAL -> "?";
            case TEXT -> {
                String charset = TableStatements.charsetName(column.charset().orElseThrow());
                String value = bytesCharset.equalsIgnoreCase(charset) ? "CONVERT(? USING " + charset + ")"
                        : "CONVERT(CONVERT(? USING " + TableStatements.charsetName(bytesCharset) + ") USING " + charset + ")";
                yield value + " COLLATE " + TableStatements.charsetName(column.collation().orElseThrow());
            }
        };
    }

    void bind(PreparedStatement ps, int index, byte[] value) throws SQLException {
        switch (this) {
            case NUMBER -> ps.setBigDecimal(index, new BigDecimal(new String(value, StandardCharsets.US_ASCII).trim()));
            case FLOATING -> ps.setDouble(index, Double.parseDouble(new String(value, StandardCharsets.US_ASCII).trim()));
            case TEMPORAL -> ps.setString(index, new String(value, StandardCharsets.US_ASCII));
            case TEXT, BINARY -> ps.setBytes(index, value);
        }
    }
}
