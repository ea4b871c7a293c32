package dev.hikkoshi.data.verify;

import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One side's rows of a chunk as narrowing sees them: each row's key and 64-bit hash, read by {@link TableVerifier}
 * from {@link TableSql#rowHashes}, and the keys whose rows differ between two sides ({@link #differing}).
 *
 * <p>Why two forms: narrowing reads every row of a differing chunk from both servers, and a catch-up after
 * scattered changes has nearly every chunk differing, so this is per-row work over the whole tenant. A table
 * keyed by one integer column (most tables) keeps keys and hashes in {@code long} arrays and compares the two
 * sides by a merge ({@link Numbered}); building a {@code HashMap<RowKey, String>} per side cost the JVM about
 * 1.5 microseconds a row (0.6 s of CPU for a 200,000-row tenant, on the two cores the servers share). Other keys
 * go by {@link RowKey} ({@link Keyed}).
 */
sealed interface RowHashes {
    /** Reads the rows of {@code rs} (key columns first, then the row hash as 16 hex digits). */
    static RowHashes read(ResultSet rs, TableSql sql) throws SQLException {
        return sql.numberKey() ? Numbered.read(rs, sql) : Keyed.read(rs, sql, new HashMap<>());
    }

    /** Rows read. */
    int size();

    /** The keys present on one side only, or whose hashes differ. */
    static Set<RowKey> differing(RowHashes source, RowHashes target) {
        if (source instanceof Numbered s && target instanceof Numbered t) {
            return s.differing(t);
        }
        Map<RowKey, Long> s = source.byKey();
        Map<RowKey, Long> t = target.byKey();
        Set<RowKey> out = new LinkedHashSet<>();
        s.forEach((key, hash) -> {
            if (!hash.equals(t.get(key))) {
                out.add(key);
            }
        });
        t.keySet().stream().filter(key -> !s.containsKey(key)).forEach(out::add);
        return out;
    }

    /** The rows by key. */
    Map<RowKey, Long> byKey();

    /** The first 64 bits of an MD5 in hex, as the server's LEFT(MD5(...), 16) prints them. */
    static long hex64(byte[] digits) {
        if (digits == null) {
            // MD5 of CONCAT_WS with a constant separator is never NULL; kept apart from every real hash anyway.
            return 0L;
        }
        long v = 0;
        for (byte b : digits) {
            int d = Character.digit(b, 16);
            if (d < 0) {
                throw new IllegalArgumentException("not a hex row hash: " + new String(digits, java.nio.charset.StandardCharsets.US_ASCII));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Rows keyed by one integer column, in key order (sorted here if the server returned another). */
    final class Numbered implements RowHashes {
        private long[] keys;
        private long[] hashes;
        private int size;

        private Numbered(int capacity) {
            keys = new long[capacity];
            hashes = new long[capacity];
        }

        /**
         * Reads keys with {@code getLong}; a key beyond a long (a BIGINT UNSIGNED from 2^63) turns the rest of
         * the reading, and the rows read so far, into the {@link Keyed} form.
         */
        static RowHashes read(ResultSet rs, TableSql sql) throws SQLException {
            Numbered out = new Numbered(256);
            int hashColumn = sql.keySize() + 1;
            while (rs.next()) {
                long key;
                try {
                    key = rs.getLong(1);
                } catch (SQLDataException tooLarge) {
                    Map<RowKey, Long> rows = out.byKey();
                    rows.put(sql.readKey(rs), hex64(rs.getBytes(hashColumn)));
                    return Keyed.read(rs, sql, rows);
                }
                out.add(key, hex64(rs.getBytes(hashColumn)));
            }
            out.sort();
            return out;
        }

        /** For tests: rows of the given keys and hashes. */
        static Numbered of(long[] keys, long[] hashes) {
            Numbered out = new Numbered(Math.max(1, keys.length));
            for (int i = 0; i < keys.length; i++) {
                out.add(keys[i], hashes[i]);
            }
            out.sort();
            return out;
        }

        private void add(long key, long hash) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            keys[size] = key;
            hashes[size] = hash;
            size++;
        }

        /** A key read twice would make the merge skip rows, so it is refused (a row key is unique). */
        private void sort() {
            boolean sorted = true;
            for (int i = 1; i < size && sorted; i++) {
                sorted = keys[i - 1] < keys[i];
            }
            if (sorted) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
            long[] k = new long[size];
            long[] h = new long[size];
            for (int i = 0; i < size; i++) {
                k[i] = keys[order[i]];
                h[i] = hashes[order[i]];
                if (i > 0 && k[i] == k[i - 1]) {
                    throw new IllegalStateException("row key " + k[i] + " was read twice in one chunk");
                }
            }
            keys = k;
            hashes = h;
        }

        @Override
        public int size() {
            return size;
        }

        private Set<RowKey> differing(Numbered target) {
            Set<RowKey> out = new LinkedHashSet<>();
            int i = 0;
            int j = 0;
            while (i < size || j < target.size) {
                if (j == target.size || (i < size && keys[i] < target.keys[j])) {
                    out.add(key(keys[i++]));
                } else if (i == size || target.keys[j] < keys[i]) {
                    out.add(key(target.keys[j++]));
                } else {
                    if (hashes[i] != target.hashes[j]) {
                        out.add(key(keys[i]));
                    }
                    i++;
                    j++;
                }
            }
            return out;
        }

        /** The server's text of an integer (no ZEROFILL: {@link TableSql#numberKey} leaves those out). */
        private static RowKey key(long value) {
            return new RowKey(List.of(Long.toString(value)));
        }

        @Override
        public Map<RowKey, Long> byKey() {
            Map<RowKey, Long> out = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                out.put(key(keys[i]), hashes[i]);
            }
            return out;
        }
    }

    /** Rows of any other key, by {@link RowKey}. */
    final class Keyed implements RowHashes {
        private final Map<RowKey, Long> rows;

        Keyed(Map<RowKey, Long> rows) {
            this.rows = rows;
        }

        static Keyed read(ResultSet rs, TableSql sql, Map<RowKey, Long> rows) throws SQLException {
            int hashColumn = sql.keySize() + 1;
            while (rs.next()) {
                rows.put(sql.readKey(rs), hex64(rs.getBytes(hashColumn)));
            }
            return new Keyed(rows);
        }

        @Override
        public int size() {
            return rows.size();
        }

        @Override
        public Map<RowKey, Long> byKey() {
            return rows;
        }
    }
}
