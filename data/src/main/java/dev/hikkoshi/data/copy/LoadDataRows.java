package dev.hikkoshi.data.copy;

import java.util.Arrays;

/**
 * Rows in LOAD DATA's default text format, as bytes: fields separated by a tab, rows ended by a newline, NULL
 * as {@code \N}, and a backslash before each backslash, tab, newline and NUL byte in a value (NUL as
 * {@code \0}), so that every value's bytes come back exactly, whatever they are. Built into one growing array,
 * handed over in blocks ({@link #take}); not thread-safe.
 */
final class LoadDataRows {
    private static final byte[] NULL = {'\\', 'N'};
    /** Per byte value, the letter that follows the backslash escaping it, or 0 if it goes as it is. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        ESCAPES['\\'] = '\\';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES[0] = '0';
    }

    private byte[] bytes;
    private int length;

    LoadDataRows(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    /** Bytes held. */
    int length() {
        return length;
    }

    /** Appends one row's line. */
    void append(byte[][] row) {
        if (row.length == 0) {
            throw new IllegalArgumentException("a row without columns");
        }
        for (int i = 0; i < row.length; i++) {
            byte[] value = row[i];
            int worst = (value == null ? 2 : 2 * value.length) + 1;
            if (length + worst > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + worst));
            }
            if (value == null) {
                bytes[length++] = NULL[0];
                bytes[length++] = NULL[1];
            } else {
                appendEscaped(value);
            }
            bytes[length++] = i == row.length - 1 ? (byte) '\n' : (byte) '\t';
        }
    }

    private void appendEscaped(byte[] value) {
        byte[] out = bytes;
        int at = length;
        for (byte b : value) {
            byte e = ESCAPES[b & 0xff];
            if (e != 0) {
                out[at++] = '\\';
                out[at++] = e;
            } else {
                out[at++] = b;
            }
        }
        length = at;
    }

    /** Empties this, keeping its array. */
    void clear() {
        length = 0;
    }

    /** The bytes held, as a new array, and empties this. */
    byte[] take() {
        byte[] out = Arrays.copyOf(bytes, length);
        length = 0;
        return out;
    }
}
