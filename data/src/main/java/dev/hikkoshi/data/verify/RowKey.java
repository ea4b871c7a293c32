package dev.hikkoshi.data.verify;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The row key (primary key, or non-null unique key) values of one row, as text: the server's text for numbers,
 * strings and dates, {@code 0x}-prefixed hex for binary key columns. Verification reports differences by it
 * and binds it back into SQL to read or repair the row.
 */
public record RowKey(List<String> values) implements Comparable<RowKey> {
    private static final Comparator<String> VALUE_ORDER = RowKey::compareValues;
    /** Compiled once: sorting a pass's differences compares keys tens of thousands of times. */
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,65}(\\.\\d{1,30})?");

    public RowKey {
        values = List.copyOf(values);
    }

    public static RowKey of(String... values) {
        return new RowKey(List.of(values));
    }

    /** {@code (17)} or {@code (3, 'a''b')}: numbers bare, text quoted as in SQL, binary as 0x hex. */
    public String display() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            b.append(i == 0 ? "" : ", ");
            if (v.startsWith("0x") || isNumber(v)) {
                b.append(v);
            } else {
                b.append('\'').append(v.replace("'", "''")).append('\'');
            }
        }
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return display();
    }

    /** Numbers by value, the rest as text: reports list keys in the order a reader expects. */
    @Override
    public int compareTo(RowKey other) {
        for (int i = 0; i < Math.min(values.size(), other.values.size()); i++) {
            int c = VALUE_ORDER.compare(values.get(i), other.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(values.size(), other.values.size());
    }

    private static int compareValues(String a, String b) {
        if (isSmallInteger(a) && isSmallInteger(b)) {
            // Most keys: sorting a pass's thousands of differences made two BigDecimals per comparison.
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        if (isNumber(a) && isNumber(b)) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return a.compareTo(b);
    }

    /** An optional minus and 1 to 18 digits: fits a long. */
    private static boolean isSmallInteger(String v) {
        int start = v.startsWith("-") ? 1 : 0;
        if (v.length() == start || v.length() - start > 18) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String v) {
        return NUMBER.matcher(v).matches();
    }

    static RowKey requireSize(RowKey key, int size) {
        Objects.requireNonNull(key, "key");
        if (key.values.size() != size) {
            throw new IllegalArgumentException("key " + key + " has " + key.values.size() + " values, expected " + size);
        }
        return key;
    }
}
