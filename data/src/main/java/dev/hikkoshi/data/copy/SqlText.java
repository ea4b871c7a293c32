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
 *
 * <p>It also notes whether every byte so far is ASCII (numbers, dates and most text are): such text becomes its
 * {@code String} by a plain copy, where decoding it as UTF-8 first scans it for bytes above 0x7f, a pass over
 * every statement's megabyte that the driver makes once more when it encodes the {@code String} to send it.
 */
final class SqlText {
    private static final byte[] NULL = "NULL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_QUOTE = "_binary'".getBytes(StandardCharsets.US_ASCII);
    /**
     * Per ASCII byte, the letter after the backslash that escapes it, or 0 if it goes as it is: NUL, quotes,
     * backslash, newline, carriage return and Ctrl-Z, the bytes the driver escapes.
     */
    private static final byte[] ESCAPES = new byte[128];

    static {
        ESCAPES[0] = '0';
        ESCAPES['\''] = '\'';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES[0x1a] = 'Z';
    }

    private byte[] bytes;
    private int length;
    /** True while every byte written since the last {@link #clear} is below 0x80. */
    private boolean ascii = true;

    SqlText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Bytes written so far. */
    int length() {
        return length;
    }

    void clear() {
        length = 0;
        ascii = true;
    }

    /** Whether every byte written since the last {@link #clear} is ASCII. */
    boolean ascii() {
        return ascii;
    }

    void append(byte b) {
        if (length == bytes.length) {
            grow(1);
        }
        ascii &= b >= 0;
        bytes[length++] = b;
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    void append(byte[] b, int from, int count) {
        if (length + count > bytes.length) {
            grow(count);
        }
        if (ascii) {
            for (int i = from, end = from + count; i < end; i++) {
                if (b[i] < 0) {
                    ascii = false;
                    break;
                }
            }
        }
        System.arraycopy(b, from, bytes, length, count);
        length += count;
    }

    void append(SqlText other) {
        if (length + other.length > bytes.length) {
            grow(other.length);
        }
        System.arraycopy(other.bytes, 0, bytes, length, other.length);
        length += other.length;
        ascii &= other.ascii;
    }

    private void ensureRoom(int more) {
        if (length + more > bytes.length) {
            grow(more);
        }
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
        // Checked while copied straight into the array (kept only if it passes), as appendString does.
        ensureRoom(n);
        byte[] out = bytes;
        int at = length;
        int i = 0;
        if (n > 0 && value[0] == '-') {
            out[at++] = '-';
            i = 1;
        }
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
            out[at++] = b;
        }
        if (digits == 0) {
            return false;
        }
        length = at;
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
        int n = value.length;
        // One pass that checks and escapes, writing straight into the array, room made first for the worst case
        // (every byte escaped): a check pass, then an escape pass with a switch per byte, were a tenth of the
        // copy's own CPU. Nothing is kept unless the whole value is well-formed.
        ensureRoom(BINARY_QUOTE.length + 2 * n + 1);
        byte[] out = bytes;
        int at = length;
        if (plain) {
            out[at++] = '\'';
        } else {
            System.arraycopy(BINARY_QUOTE, 0, out, at, BINARY_QUOTE.length);
            at += BINARY_QUOTE.length;
        }
        int i = 0;
        boolean multiByte = false;
        while (i < n) {
            byte b = value[i];
            if (b >= 0) {
                byte e = ESCAPES[b];
                if (e != 0) {
                    out[at++] = '\\';
                    b = e;
                }
                out[at++] = b;
                i++;
            } else {
                int end = utf8SequenceEnd(value, i);
                if (end < 0) {
                    return false;
                }
                multiByte = true;
                while (i < end) {
                    out[at++] = value[i++];
                }
            }
        }
        out[at++] = '\'';
        length = at;
        ascii &= !multiByte;
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
        return b >= 0 ? ESCAPES[b] : 0;
    }

    /**
     * Whether {@code value} is well-formed UTF-8 as the Unicode standard defines it (table 3-7: no overlong
     * forms, no surrogates, nothing past U+10FFFF), exactly the bytes Java decodes and encodes back unchanged.
     */
    static boolean wellFormedUtf8(byte[] value) {
        int n = value.length;
        int i = 0;
        while (i < n) {
            if (value[i] >= 0) {
                i++;
            } else if ((i = utf8SequenceEnd(value, i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the multi-byte sequence starting at {@code i} (a byte above 0x7f) ends, or -1 if it is not
     * well-formed: a lead byte from 0xc2 to 0xf4, then 1 to 3 continuation bytes within the ranges of table 3-7.
     */
    private static int utf8SequenceEnd(byte[] value, int i) {
        int b = value[i] & 0xff;
        if (b < 0xc2 || b > 0xf4) {
            return -1;
        }
        int length = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        if (i + length > value.length) {
            return -1;
        }
        int second = value[i + 1] & 0xff;
        int low = b == 0xe0 ? 0xa0 : b == 0xf0 ? 0x90 : 0x80;
        int high = b == 0xed ? 0x9f : b == 0xf4 ? 0x8f : 0xbf;
        if (second < low || second > high) {
            return -1;
        }
        for (int k = 2; k < length; k++) {
            if ((value[i + k] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return i + length;
    }

    /** The text; exact, because every value in it is ASCII or checked UTF-8. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
