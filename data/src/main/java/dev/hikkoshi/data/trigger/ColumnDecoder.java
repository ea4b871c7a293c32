package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.schema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a column's value, as the source server printed it, into the Java value a {@code RowChange} carries:
 * integers as {@link Long} (or {@link BigInteger} above its range), DECIMAL as {@link BigDecimal}, FLOAT and
 * DOUBLE as {@link Double}, text (ENUM and SET labels included) as a {@link String} decoded from the column's
 * charset (or its {@code charset-overrides} entry), binary strings and BLOBs as {@code byte[]}, BIT as
 * {@link Long}, and dates and times as the server's text, so that zero dates ({@code 0000-00-00}) survive.
 * Used by the trigger capture (bytes recorded by its triggers) and the differential capture (verification's
 * text keys).
 */
public final class ColumnDecoder {
    private ColumnDecoder() {
    }

    /** What Java type a column's values become. */
    enum Shape {
        INTEGER, DECIMAL, FLOATING, TEXT, BYTES, BIT, TEMPORAL
    }

    static Shape shape(Column column) {
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean" -> Shape.INTEGER;
            case "decimal", "numeric", "fixed", "dec" -> Shape.DECIMAL;
            case "float", "double", "real", "double precision" -> Shape.FLOATING;
            case "bit" -> Shape.BIT;
            case "date", "datetime", "timestamp", "time", "year" -> Shape.TEMPORAL;
            default -> column.textual() ? Shape.TEXT : Shape.BYTES;
        };
    }

    /**
     * A value from its stored bytes ({@code CAST(col AS BINARY)}): text in the column's own charset, numbers
     * and dates as ASCII text, BIT as its big-endian bytes. {@code null} stays {@code null}.
     */
    public static Object fromBytes(Column column, Optional<String> charsetOverride, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return switch (shape(column)) {
            case TEXT -> new String(bytes, javaCharset(charsetOverride.or(column::charset).orElse("utf8")));
            case BYTES -> bytes;
            case BIT -> new BigInteger(1, bytes).longValue();
            case INTEGER, DECIMAL, FLOATING, TEMPORAL -> fromText(column, new String(bytes, StandardCharsets.US_ASCII));
        };
    }

    /**
     * A value from the text verification reads keys as: Unicode text, {@code 0x}-prefixed hex for binary
     * columns, the server's text for the rest.
     */
    public static Object fromText(Column column, String text) {
        if (text == null) {
            return null;
        }
        return switch (shape(column)) {
            case INTEGER -> integer(text.trim());
            case DECIMAL -> new BigDecimal(text.trim());
            case FLOATING -> Double.parseDouble(text.trim());
            case BIT -> Long.parseLong(text.trim());
            case TEXT, TEMPORAL -> text;
            case BYTES -> text.startsWith("0x") ? HexFormat.of().parseHex(text.substring(2)) : text.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static Object integer(String text) {
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    /** Java's charset for a MySQL charset name; MySQL's latin1 is Windows-1252 and its sjis/cp932 Windows-31J. */
    static Charset javaCharset(String mysql) {
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "latin1" -> Charset.forName("windows-1252");
            case "cp932", "sjis" -> Charset.forName("windows-31j");
            case "ujis", "eucjpms" -> Charset.forName("EUC-JP");
            case "ascii" -> StandardCharsets.US_ASCII;
            case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
            case "binary" -> StandardCharsets.ISO_8859_1;
            default -> StandardCharsets.UTF_8;
        };
    }
}
