package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.copy.RowKey;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Table;
import java.math.BigDecimal;
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

/**
 * Turns the Java values a capture hands out ({@link dev.hikkoshi.data.capture.RowChange}) into the forms the
 * stream works with: a {@link RowKey} in the copy's byte form (numbers and dates as the server's text, text as
 * bytes in the column's charset), and normalized text for comparing tenant ids and parent keys ({@code 42},
 * {@code 42L} and {@code "42"} are one value).
 */
final class KeyValues {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private KeyValues() {
    }

    /** The key of {@code table} from {@code values} (lower-case column names); empty if a key column is missing. */
    static Optional<RowKey> key(Table table, List<String> keyColumns, Map<String, Object> values) {
        List<byte[]> out = new ArrayList<>();
        for (String name : keyColumns) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!values.containsKey(lower) || values.get(lower) == null) {
                return Optional.empty();
            }
            Column column = table.column(name).orElseThrow();
            out.add(bytes(column, values.get(lower)));
        }
        return Optional.of(RowKey.ofBytes(out));
    }

    private static byte[] bytes(Column column, Object value) {
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof String s) {
            return s.getBytes(javaCharset(column.charset().orElse("utf8mb4")));
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
        if (value instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
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
