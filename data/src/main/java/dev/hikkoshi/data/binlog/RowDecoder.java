package dev.hikkoshi.data.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import dev.hikkoshi.data.capture.RowImage;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Table;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Turns one binlog row image of a table into column values by the inspected schema: the binlog carries no
 * column names (unless {@code binlog_row_metadata=FULL}), so columns are matched by ordinal, and a column count
 * that differs from the inspected table means the schema changed under the stream. Values: integers as Long
 * (BigInteger for BIGINT UNSIGNED above Long.MAX_VALUE), DECIMAL as BigDecimal, FLOAT/DOUBLE as Float/Double,
 * text decoded by the column's charset (or its configured override), binary types and BIT as bytes, ENUM and
 * SET as their labels, JSON as text, temporal types as the server's text (zero dates included). Text, temporal
 * and DECIMAL values are decoded when the image is read ({@link DeferredCell}); the others at once.
 */
final class RowDecoder {
    private final String tableName;
    private final Table table;
    private final List<Column> columns;
    /*
     * Per-column facts, worked out once per table rather than per cell: a 10,000-row UPDATE decodes 20,000 images
     * (tailer thread only, like checkedTypes below).
     */
    private final RowImage.Columns imageColumns;
    private final RowImage.Columns keyColumns;
    private final String[] keyNames;
    private final Charset[] charsets;
    private final List<List<String>> labels;
    private final boolean[] unsigned;
    private final boolean[] enums;
    private final boolean[] sets;
    /** BINARY(n)'s n, 0 for every other type. */
    private final int[] binaryLengths;
    /** BIT(n)'s bytes, (n+7)/8 and at least 1. */
    private final int[] bitWidths;

    /** {@code charsetOverride} gives the configured real charset of a column, if any (table, column). */
    RowDecoder(String tableName, Table table, BiFunction<String, String, Optional<String>> charsetOverride) {
        this.tableName = tableName;
        this.table = table;
        this.columns = table.columns();
        int n = columns.size();
        this.imageColumns = new RowImage.Columns(columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        this.keyNames = table.rowKey().map(Index::columns).orElseGet(() -> columns.stream().map(Column::name).toList())
                .stream().map(k -> k.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        this.keyColumns = new RowImage.Columns(List.of(keyNames));
        this.charsets = new Charset[n];
        this.labels = new ArrayList<>();
        this.unsigned = new boolean[n];
        this.enums = new boolean[n];
        this.sets = new boolean[n];
        this.binaryLengths = new int[n];
        this.bitWidths = new int[n];
        for (int i = 0; i < n; i++) {
            Column c = columns.get(i);
            Optional<String> charset = charsetOverride.apply(table.name(), c.name()).or(c::charset);
            charsets[i] = charset.filter(cs -> !cs.equalsIgnoreCase("binary")).map(RowDecoder::javaCharset).orElse(null);
            enums[i] = c.dataType().equals("enum");
            sets[i] = c.dataType().equals("set");
            labels.add(enums[i] || sets[i] ? labels(c.columnType()) : List.of());
            unsigned[i] = c.columnType().toLowerCase(Locale.ROOT).contains("unsigned");
            binaryLengths[i] = c.dataType().equals("binary") ? declaredLength(c.columnType()) : 0;
            bitWidths[i] = Math.max(1, (declaredLength(c.columnType()) + 7) / 8);
        }
    }

    /** The number of columns the inspected table has; a table map with another count is a schema change. */
    int columnCount() {
        return columns.size();
    }

    /**
     * Why the table map's column types do not fit the inspected table (another column count, or a column whose
     * binlog type is not of its inspected type's family), or empty when they fit.
     */
    Optional<String> mismatch(byte[] types) {
        // Every row of a rows event carries its table map's one array: check it once (tailer thread only).
        if (types == checkedTypes) {
            return checkedMismatch;
        }
        Optional<String> mismatch = check(types);
        checkedTypes = types;
        checkedMismatch = mismatch;
        checkedColumnTypes = columnTypes(types);
        return mismatch;
    }

    private Optional<String> check(byte[] types) {
        if (types.length != columns.size()) {
            return Optional.of("row images with " + types.length + " columns, the inspected table has " + columns.size());
        }
        for (int i = 0; i < types.length; i++) {
            ColumnType type = ColumnType.byCode(types[i] & 0xFF);
            Set<ColumnType> allowed = FAMILIES.get(columns.get(i).dataType());
            if (type != null && allowed != null && !allowed.contains(type)) {
                return Optional.of("column " + columns.get(i).name() + " is " + type + " in the binlog, "
                        + columns.get(i).dataType() + " in the inspected table");
            }
        }
        return Optional.empty();
    }

    private byte[] checkedTypes;
    private Optional<String> checkedMismatch = Optional.empty();
    private ColumnType[] checkedColumnTypes;

    private static ColumnType[] columnTypes(byte[] types) {
        ColumnType[] out = new ColumnType[types.length];
        for (int i = 0; i < types.length; i++) {
            out[i] = ColumnType.byCode(types[i] & 0xFF);
        }
        return out;
    }

    /** The binlog column types each inspected data type may arrive as (table map types, before real-type fixes). */
    private static final Map<String, Set<ColumnType>> FAMILIES = families();

    private static Map<String, Set<ColumnType>> families() {
        Map<String, Set<ColumnType>> f = new java.util.HashMap<>();
        f.put("tinyint", EnumSet.of(ColumnType.TINY));
        f.put("smallint", EnumSet.of(ColumnType.SHORT));
        f.put("mediumint", EnumSet.of(ColumnType.INT24));
        f.put("int", EnumSet.of(ColumnType.LONG));
        f.put("bigint", EnumSet.of(ColumnType.LONGLONG));
        f.put("float", EnumSet.of(ColumnType.FLOAT));
        f.put("double", EnumSet.of(ColumnType.DOUBLE));
        f.put("decimal", EnumSet.of(ColumnType.NEWDECIMAL, ColumnType.DECIMAL));
        f.put("date", EnumSet.of(ColumnType.DATE, ColumnType.NEWDATE));
        f.put("datetime", EnumSet.of(ColumnType.DATETIME, ColumnType.DATETIME_V2));
        f.put("timestamp", EnumSet.of(ColumnType.TIMESTAMP, ColumnType.TIMESTAMP_V2));
        f.put("time", EnumSet.of(ColumnType.TIME, ColumnType.TIME_V2));
        f.put("year", EnumSet.of(ColumnType.YEAR));
        f.put("bit", EnumSet.of(ColumnType.BIT));
        Set<ColumnType> fixed = EnumSet.of(ColumnType.STRING, ColumnType.ENUM, ColumnType.SET);
        for (String t : List.of("char", "binary", "enum", "set")) {
            f.put(t, fixed);
        }
        for (String t : List.of("varchar", "varbinary")) {
            f.put(t, EnumSet.of(ColumnType.VARCHAR, ColumnType.VAR_STRING));
        }
        for (String t : List.of("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob")) {
            f.put(t, EnumSet.of(ColumnType.BLOB, ColumnType.TINY_BLOB, ColumnType.MEDIUM_BLOB, ColumnType.LONG_BLOB, ColumnType.JSON));
        }
        f.put("json", EnumSet.of(ColumnType.JSON, ColumnType.BLOB));
        return Map.copyOf(f);
    }

    String tableName() {
        return tableName;
    }

    Table table() {
        return table;
    }

    /** The row's values by lower-case column name. {@code types} are the table map's column types. */
    RowImage decode(Serializable[] cells, BitSet included, byte[] types) throws DecodeException {
        ColumnType[] cellTypes = types == checkedTypes ? checkedColumnTypes : columnTypes(types);
        int n = columns.size();
        Object[] values = new Object[n];
        int cell = 0;
        for (int i = 0; i < n; i++) {
            if (!included.get(i)) {
                throw new DecodeException("the row image of table " + tableName + " lacks column " + columns.get(i).name()
                        + " (binlog_row_image is not FULL for the session that wrote it)");
            }
            Serializable raw = cells[cell++];
            values[i] = raw == null ? null : value(i, cellTypes[i], raw);
        }
        return new RowImage(imageColumns, values);
    }

    /** The row key's values, in key order. */
    RowImage key(Map<String, Object> row) {
        Object[] values = new Object[keyNames.length];
        for (int k = 0; k < keyNames.length; k++) {
            values[k] = row.get(keyNames[k]);
        }
        return new RowImage(keyColumns, values);
    }

    private Object value(int index, ColumnType type, Serializable raw) throws DecodeException {
        if (raw instanceof DeferredCell cell) {
            return cell; // temporal text and DECIMAL, decoded when read
        }
        if (raw instanceof Integer i) {
            if (enums[index]) {
                return label(index, i);
            }
            return unsigned[index] ? Long.valueOf(unsignedInt(type, i)) : Long.valueOf(i);
        }
        if (raw instanceof Long l) {
            if (sets[index]) {
                return setLabels(index, l);
            }
            return unsigned[index] && l < 0 ? new BigInteger(Long.toUnsignedString(l)) : l;
        }
        if (raw instanceof BitSet bits) {
            return bitBytes(bits, bitWidths[index]);
        }
        if (raw instanceof byte[] bytes) {
            return bytes(index, type, bytes);
        }
        return raw; // BigDecimal, Float, Double
    }

    private Object bytes(int index, ColumnType type, byte[] bytes) throws DecodeException {
        if (type == ColumnType.JSON) {
            try {
                return JsonBinary.parseAsString(bytes);
            } catch (IOException | RuntimeException e) {
                throw new DecodeException("cannot decode the JSON value of " + tableName + "." + columns.get(index).name()
                        + ": " + e.getMessage());
            }
        }
        if (charsets[index] != null) {
            return new DeferredCell.Text(bytes, charsets[index]);
        }
        // The binlog drops BINARY(n)'s trailing 0x00 padding; the server returns the padded value.
        if (binaryLengths[index] > bytes.length) {
            return Arrays.copyOf(bytes, binaryLengths[index]);
        }
        return bytes;
    }

    private static long unsignedInt(ColumnType type, int v) {
        return switch (type) {
            case TINY -> v & 0xFFL;
            case SHORT -> v & 0xFFFFL;
            case INT24 -> v & 0xFFFFFFL;
            default -> Integer.toUnsignedLong(v);
        };
    }

    /** BIT(n) as big-endian bytes, (n+7)/8 of them, as JDBC drivers return it. */
    private static byte[] bitBytes(BitSet bits, int width) {
        byte[] out = new byte[width];
        for (int i = bits.nextSetBit(0); i >= 0 && i < width * 8; i = bits.nextSetBit(i + 1)) {
            out[width - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
        return out;
    }

    /** ENUM index 0 is the error value '' that non-strict servers store for an invalid value. */
    private String label(int index, int i) throws DecodeException {
        List<String> l = labels.get(index);
        if (i == 0) {
            return "";
        }
        if (i > l.size()) {
            throw new DecodeException("ENUM index " + i + " of " + tableName + "." + columns.get(index).name()
                    + " is beyond its " + l.size() + " labels: the column was altered");
        }
        return l.get(i - 1);
    }

    private String setLabels(int index, long mask) throws DecodeException {
        List<String> l = labels.get(index);
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                if (bit >= l.size()) {
                    throw new DecodeException("SET bit " + bit + " of " + tableName + "." + columns.get(index).name()
                            + " is beyond its " + l.size() + " members: the column was altered");
                }
                out.add(l.get(bit));
            }
        }
        return String.join(",", out);
    }

    /** The labels of {@code enum('a','it''s')} or {@code set(...)}, quotes undone. */
    static List<String> labels(String columnType) {
        List<String> out = new ArrayList<>();
        int open = columnType.indexOf('(');
        StringBuilder current = null;
        for (int i = open + 1; i < columnType.length(); i++) {
            char ch = columnType.charAt(i);
            if (current == null) {
                if (ch == '\'') {
                    current = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                current.append('\'');
                i++;
            } else if (ch == '\'') {
                out.add(current.toString());
                current = null;
            } else if (ch == '\\' && i + 1 < columnType.length()) {
                current.append(columnType.charAt(++i));
            } else {
                current.append(ch);
            }
        }
        return out;
    }

    private static int declaredLength(String columnType) {
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(columnType.substring(open + 1, close).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Java's charset for a MySQL charset name: MySQL's latin1 is Windows-1252, its cp932/sjis Windows-31J. */
    static Charset javaCharset(String mysql) {
        return switch (mysql.toLowerCase(Locale.ROOT)) {
            case "utf8", "utf8mb3", "utf8mb4" -> StandardCharsets.UTF_8;
            case "latin1" -> Charset.forName("windows-1252");
            case "ascii" -> StandardCharsets.US_ASCII;
            case "cp932", "sjis" -> Charset.forName("windows-31j");
            case "ujis", "eucjpms" -> Charset.forName("EUC-JP");
            case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
            case "utf16le" -> StandardCharsets.UTF_16LE;
            case "utf32" -> Charset.forName("UTF-32BE");
            case "latin2" -> Charset.forName("ISO-8859-2");
            case "greek" -> Charset.forName("ISO-8859-7");
            case "hebrew" -> Charset.forName("ISO-8859-8");
            case "cp1250" -> Charset.forName("windows-1250");
            case "cp1251" -> Charset.forName("windows-1251");
            case "cp1256" -> Charset.forName("windows-1256");
            case "cp1257" -> Charset.forName("windows-1257");
            case "koi8r" -> Charset.forName("KOI8-R");
            case "koi8u" -> Charset.forName("KOI8-U");
            case "gbk" -> Charset.forName("GBK");
            case "gb2312" -> Charset.forName("GB2312");
            case "big5" -> Charset.forName("Big5");
            case "euckr" -> Charset.forName("EUC-KR");
            case "tis620" -> Charset.forName("TIS-620");
            default -> throw new IllegalArgumentException("charset " + mysql + " is not known to hikkoshi's binlog decoder");
        };
    }

    /** A row that cannot be decoded by the inspected schema: the stream must stop. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message);
        }
    }
}
