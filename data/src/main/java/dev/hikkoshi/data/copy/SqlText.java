package dev.hikkoshi.data.copy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SQL text being built as UTF-8 bytes, with the literal forms {@link InsertBatch} writes values in: an escaped
 * binary string {@code _binary'...'} for bytes that are well-formed UTF-8 (ASCII included), a bare number for
 * an integer or DECIMAL's digits, {@code NULL}. Values are copied into the array as they are, escapes aside,
 * and the text becomes a {@code String} once per statement: appending them character by character into a
 * {@code StringBuilder} was a third of the copy's own CPU, which competes with both servers for the same cores.
 * Reused from row to row and statement to statement; not thread-safe.
 */
final class SqlText {
    private static final byte[] NULL = "NULL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_QUOTE = "_binary'".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    SqlText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Bytes written so far. */
    int length() {
        return length;
    }

    void clear() {
        length = 0;
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

    void append(SqlText other) {
        append(other.bytes, 0, other.length);
    }

    private void grow(int more) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }

    /**
     * Appends an integer or DECIMAL value's text as a bare numeric literal if it is {@code -?digits(.digits)?}
     * (what the server prints for those types), or NULL; returns false and appends nothing otherwise. The
     * literal is exact: a DECIMAL literal keeps every digit (at most 65, as the type), an integer past the
     * 64-bit range would become a DECIMAL literal, never a DOUBLE.
     */
    boolean appendNumber(byte[] value) {
        if (value == null) {
            append(NULL);
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
        append(value, 0, n);
        return true;
    }

    /**
     * Appends a value as an escaped binary string literal if its bytes are well-formed UTF-8 (ASCII included),
     * or NULL; returns false and appends nothing for other bytes, which must be a parameter: they would not
     * survive the statement's trip through a Java {@code String}. Backslash escapes, as the driver writes them
     * (the target session's SQL mode has no {@code NO_BACKSLASH_ESCAPES}, see {@link SessionPins}).
     */
    boolean appendString(byte[] value) {
        return appendString(value, false);
    }

    /**
     * As {@link #appendString(byte[])}, as a plain string literal {@code '...'} (in the session's charset) when
     * {@code plain}; the caller knows that the column stores the bytes unchanged either way.
     */
    boolean appendString(byte[] value, boolean plain) {
        if (value == null) {
            append(NULL);
            return true;
        }
        if (!wellFormedUtf8(value)) {
            return false;
        }
        if (plain) {
            append((byte) '\'');
        } else {
            append(BINARY_QUOTE);
        }
        int from = 0;
        for (int i = 0; i < value.length; i++) {
            byte e = escape(value[i]);
            if (e != 0) {
                append(value, from, i - from);
                append((byte) '\\');
                append(e);
                from = i + 1;
            }
        }
        append(value, from, value.length - from);
        append((byte) '\'');
        return true;
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

    /** The text; exact, because every value in it is ASCII or checked UTF-8. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
