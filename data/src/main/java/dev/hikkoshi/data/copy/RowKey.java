package dev.hikkoshi.data.copy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The values of a row's key columns as the source server sends them with {@code character_set_results}
 * binary: text keys are their raw bytes in the column's charset, numbers and dates their server text. Copy
 * checkpoints store the last key of each range this way ({@link #encode}), and repair passes keys of rows to
 * re-copy ({@link #of} turns Java values into this form).
 */
public final class RowKey {
    /*
     * An array taken over by the constructor, never changed, and the hash worked out once: a stream makes a key
     * of every change it judges and of every source row it reads back, and hashes each into several sets (a
     * 2,400-key batch of bench/sync.sh). Made with a stream pipeline and two list copies per key, and hashed
     * anew each time, that was a visible part of the stream's first batch, run by the interpreter.
     */
    private final byte[][] values;
    private final int hash;

    private RowKey(byte[][] values) {
        this.values = values;
        int h = 1;
        for (byte[] v : values) {
            h = 31 * h + Arrays.hashCode(v);
        }
        this.hash = h;
    }

    /** A key from the raw column values, in key column order; none may be null. */
    public static RowKey ofBytes(List<byte[]> values) {
        byte[][] copy = new byte[values.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = Objects.requireNonNull(values.get(i), "a key value is null").clone();
        }
        return new RowKey(copy);
    }

    /**
     * A key from Java values in key column order: {@code byte[]} is taken as the raw bytes, a {@link String}
     * is encoded in UTF-8 (right for utf8/utf8mb4 and ASCII keys), anything else (numbers, dates) by its
     * {@code toString()}, which matches the server's text for integers and {@code BigDecimal}.
     */
    public static RowKey of(Object... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            Object v = Objects.requireNonNull(values[i], "a key value is null");
            out[i] = v instanceof byte[] b ? b.clone() : v.toString().getBytes(StandardCharsets.UTF_8);
        }
        return new RowKey(out);
    }

    public int size() {
        return values.length;
    }

    /** The raw value of the {@code i}-th key column (a copy). */
    public byte[] value(int i) {
        return values[i].clone();
    }

    byte[] rawValue(int i) {
        return values[i];
    }

    /** Length-prefixed values, for the checkpoint table. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] v : values) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    public static RowKey decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        List<byte[]> out = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] v = new byte[in.getInt()];
            in.get(v);
            out.add(v);
        }
        return new RowKey(out.toArray(byte[][]::new));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowKey other) || other.hash != hash || other.values.length != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Arrays.equals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** For debugging only: key values are identifiers, not row contents, but still shown as text lengths. */
    @Override
    public String toString() {
        return "RowKey(" + values.length + " columns)";
    }
}
