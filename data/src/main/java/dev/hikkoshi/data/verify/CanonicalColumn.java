package dev.hikkoshi.data.verify;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;

import dev.hikkoshi.data.schema.Column;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column as verification compares it: its {@link ColumnKind} and, for each side, the SQL that turns a
 * value into canonical text for the server's row hash ({@link #hashExpression}) and the SQL whose result Java
 * reads to compare typed values ({@link #valueExpression}). The canonical forms are listed in docs/data.md
 * (Verification); they are chosen so that equal values give equal bytes on any MySQL-compatible server from
 * 5.0 on, whatever the column's charset, fractional-second precision or DECIMAL scale on either side.
 */
public record CanonicalColumn(String name, ColumnKind kind, Side source, Side target) {
    private static final Pattern DECIMAL_SCALE = Pattern.compile("\\(\\s*\\d+\\s*,\\s*(\\d+)\\s*\\)");

    public CanonicalColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /**
     * How one side reads the column: the charset its text bytes really are in ({@code charsetOverride}, from
     * {@code charset-overrides}), whether the server knows utf8mb4 (MySQL 5.5.3+), the DECIMAL scale both
     * sides are brought to, whether the column is already in a UTF-8 charset (its bytes need no conversion),
     * and whether both sides declare the same type (then a temporal value's own text is already canonical).
     */
    public record Side(Optional<String> charsetOverride, boolean utf8mb4, int decimalScale, boolean castDecimal,
                       boolean unicodeColumn, boolean sameType) {
        public Side {
            Objects.requireNonNull(charsetOverride, "charsetOverride");
            // The name goes into SQL text (CONVERT ... USING name), so only a plain charset name is accepted.
            if (charsetOverride.isPresent() && !charsetOverride.get().matches("[A-Za-z0-9_]{1,32}")) {
                throw new IllegalArgumentException("not a charset name: " + charsetOverride.get());
            }
        }
    }

    /** Pairs a source column with the target's column of the same name. */
    public static CanonicalColumn of(Column source, Column target, Optional<String> sourceOverride,
                                     Optional<String> targetOverride, boolean sourceUtf8mb4, boolean targetUtf8mb4) {
        ColumnKind kind = ColumnKind.of(source);
        int scale = Math.max(scale(source), scale(target));
        boolean same = source.columnType().equalsIgnoreCase(target.columnType());
        boolean cast = kind == ColumnKind.DECIMAL && !same;
        return new CanonicalColumn(source.name(), kind, new Side(sourceOverride, sourceUtf8mb4, scale, cast, unicode(source), same),
                new Side(targetOverride, targetUtf8mb4, scale, cast, unicode(target), same));
    }

    private static boolean unicode(Column column) {
        return column.charset().map(cs -> cs.toLowerCase(Locale.ROOT).startsWith("utf8")).orElse(false);
    }

    private static int scale(Column column) {
        Matcher m = DECIMAL_SCALE.matcher(column.columnType());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The canonical text of the column's value in table alias {@code alias}, or NULL when the value is NULL
     * (the row hash adds a null map, so NULL and empty differ). Never called for kinds compared in Java.
     */
    public String hashExpression(Side side, String alias) {
        String c = column(alias, name);
        return switch (kind) {
            case INTEGER -> c;
            case DECIMAL -> decimal(side, c);
            // Field boundaries stay unambiguous through the row's length map (TableSql#rowHash).
            case TEXT -> hashedText(side, c);
            // Long values are hashed per column: CONCAT returns NULL beyond max_allowed_packet (1 MB on old servers).
            case LONG_TEXT -> "MD5(" + hashedText(side, c) + ")";
            case BINARY -> "HEX(" + c + ")";
            case BLOB -> "MD5(" + c + ")";
            case OTHER -> "MD5(CAST(" + c + " AS BINARY))";
            case BIT -> "CAST(" + c + " AS UNSIGNED)";
            // The server's own text is fixed by the declared type (fractional digits included): formatting costs
            // a third of the hash, so it is done only when the two sides declare different types.
            case DATE -> side.sameType() ? c : "DATE_FORMAT(" + c + ", '%Y-%m-%d')";
            case DATETIME -> side.sameType() ? c : "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')";
            case TIME -> side.sameType() ? c : "TIME_FORMAT(" + c + ", '%H:%i:%s.%f')";
            case YEAR -> "(" + c + " + 0)";
            case FLOATING, JSON -> throw new IllegalStateException("column " + name + " is compared in Java");
        };
    }

    /** What Java reads to compare the column's typed value (see {@code RowValues}). */
    public String valueExpression(Side side, String alias) {
        String c = column(alias, name);
        return switch (kind) {
            case INTEGER, BINARY, BLOB, JSON -> c;
            case DECIMAL -> decimal(side, c);
            case TEXT, LONG_TEXT -> text(side, c);
            case OTHER -> "CAST(" + c + " AS BINARY)";
            case BIT -> "CAST(" + c + " AS UNSIGNED)";
            case DATE -> "DATE_FORMAT(" + c + ", '%Y-%m-%d')";
            case DATETIME -> "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')";
            case TIME -> "TIME_FORMAT(" + c + ", '%H:%i:%s.%f')";
            case YEAR -> "(" + c + " + 0)";
            // Times 1e0 makes a FLOAT a DOUBLE printed in full (a FLOAT alone prints 6 digits); unlike + 0e0 it keeps -0.
            case FLOATING -> "(" + c + " * 1e0)";
        };
    }

    private static String decimal(Side side, String c) {
        return side.castDecimal() ? "CAST(" + c + " AS DECIMAL(65, " + side.decimalScale() + "))" : c;
    }

    /** Text for the hash: a UTF-8 column's bytes already are its utf8mb4 bytes, so only other charsets are converted. */
    static String hashedText(Side side, String c) {
        return side.unicodeColumn() && side.charsetOverride().isEmpty() ? c : text(side, c);
    }

    /**
     * Text in utf8mb4 (utf8 on servers without it). With an override the stored bytes are re-read in the charset
     * they really are in: latin1 columns of Japanese applications often hold UTF-8 or cp932 bytes.
     */
    static String text(Side side, String c) {
        String unicode = side.utf8mb4() ? "utf8mb4" : "utf8";
        if (side.charsetOverride().isEmpty()) {
            return "CONVERT(" + c + " USING " + unicode + ")";
        }
        String charset = side.charsetOverride().get().toLowerCase(Locale.ROOT);
        return switch (charset) {
            case "binary" -> "CAST(" + c + " AS BINARY)";
            case "utf8mb4", "utf8" -> "CONVERT(CAST(" + c + " AS BINARY) USING " + unicode + ")";
            default -> "CONVERT(CONVERT(CAST(" + c + " AS BINARY) USING " + charset + ") USING " + unicode + ")";
        };
    }
}
