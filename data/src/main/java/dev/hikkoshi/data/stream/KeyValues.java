package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the Java values a capture hands out ({@link dev.hikkoshi.data.capture.RowChange}) into the forms the
 * stream works with: a {@link RowKey} in the copy's byte form (numbers and dates as the server's text, text as
 * bytes in the column's charset), and normalized text for comparing tenant ids and parent keys ({@code 42},
 * {@code 42L} and {@code "42"} are one value).
 */
final class KeyValues {
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private KeyValues() {
    }

    /** The key of {@code table} from {@code values} (lower-case column names); empty if a key column is missing. */
    static Optional<RowKey> key(Table table, List<String> keyColumns, Map<String, Object> values) {
        return new KeyReader(table, keyColumns).key(values);
    }

    /**
     * Reads one table's keys from row images, with the key columns' lower-case names and charsets worked out
     * once: the stream reads two keys of every row change it judges.
     */
    static final class KeyReader {
        private final String[] names;
        private final Charset[] charsets;

        KeyReader(Table table, List<String> keyColumns) {
            this.names = new String[keyColumns.size()];
            this.charsets = new Charset[keyColumns.size()];
            for (int i = 0; i < names.length; i++) {
                Column column = table.column(keyColumns.get(i)).orElseThrow();
                names[i] = keyColumns.get(i).toLowerCase(Locale.ROOT);
                charsets[i] = javaCharset(column.charset().orElse("utf8mb4"));
            }
        }

        /**
         * Whether {@code b} holds the same non-null values of the key columns as {@code a}, so that it makes the
         * same key (an UPDATE's before image, which mostly has its key unchanged); false when either cannot tell.
         */
        boolean sameKey(Map<String, Object> a, Map<String, Object> b) {
            for (String name : names) {
                Object value = a.get(name);
                if (value == null || value instanceof byte[] || !value.equals(b.get(name))) {
                    return false;
                }
            }
            return true;
        }

        /** The key from {@code values} (lower-case column names); empty if a key column is missing or null. */
        Optional<RowKey> key(Map<String, Object> values) {
            List<byte[]> out = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                Object value = values.get(names[i]);
                if (value == null) {
                    return Optional.empty();
                }
                out.add(bytes(charsets[i], value));
            }
            return Optional.of(RowKey.ofBytes(out));
        }
    }

    private static byte[] bytes(Charset charset, Object value) {
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof String s) {
            return s.getBytes(charset);
        }
        return text(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** A non-text value as the server prints it. */
    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof LocalDateTime t) {
            return DATETIME.format(t);
        }
        if (value instanceof java.sql.Timestamp t) {
            return DATETIME.format(t.toLocalDateTime());
        }
        if (value instanceof LocalDate || value instanceof LocalTime || value instanceof java.sql.Date) {
            return value.toString();
        }
        return value.toString();
    }

    /** A value for comparisons: numbers without trailing zeros, text as is, bytes as hex; null stays null. */
    static String normalized(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            // What the BigDecimal below gives for an integer, without it: the stream normalizes every tenant id.
            return Long.toString(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                return d.signum() == 0 ? "0" : d.toPlainString();
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        if (value instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        if (value instanceof String s && DECIMAL.matcher(s).matches()) {
            return normalized(new BigDecimal(s));
        }
        return text(value);
    }

    /** Java's name for a MySQL charset; MySQL's latin1 is Windows-1252, its sjis/cp932 Windows-31J. */
    static Charset javaCharset(String mysql) {
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "latin1" -> Charset.forName("windows-1252");
            case "cp932", "sjis" -> Charset.forName("windows-31j");
            case "ujis", "eucjpms" -> Charset.forName("EUC-JP");
            case "ascii" -> StandardCharsets.US_ASCII;
            default -> StandardCharsets.UTF_8;
        };
    }
}
