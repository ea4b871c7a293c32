package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.copy.RowKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream's dirty set: the keys of the rows it changed since a verification last found them equal, by table, so
 * that the final verification costs time in proportion to recent changes. Each key carries the number of the
 * applied batch that last changed it. A verification runs beside the stream (the background checks before the
 * freeze): it reads a {@link Snapshot}, compares those rows, then clears the equal ones, and a row the stream
 * changed again in between must stay dirty. With keys alone it would not: the second change finds the key already
 * in the set, and the clearing then drops a change nobody compared. With numbers, a key is cleared only if its
 * number is still the one the snapshot saw ({@link ConcurrentHashMap#remove(Object, Object)}).
 */
public final class DirtyKeys {
    private final AtomicLong batches = new AtomicLong();
    private final Map<String, Map<RowKey, Long>> byTable = new ConcurrentHashMap<>();

    /** The keys of one applied batch, by table name; called after the batch committed on the target. */
    void changed(Map<String, ? extends Collection<RowKey>> keysByTable) {
        long batch = batches.incrementAndGet();
        keysByTable.forEach((table, keys) -> {
            Map<RowKey, Long> dirty = byTable.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
            keys.forEach(k -> dirty.put(k, batch));
        });
    }

    /** The dirty keys now, with the batch each was last changed in. */
    public Snapshot snapshot() {
        Map<String, Map<RowKey, Long>> copy = new LinkedHashMap<>();
        byTable.forEach((table, keys) -> {
            if (!keys.isEmpty()) {
                copy.put(table, Map.copyOf(keys));
            }
        });
        return new Snapshot(copy);
    }

    /**
     * Clears the keys of {@code table} that a verification of {@code seen} found equal, unless the stream changed
     * them again since {@code seen} was taken.
     */
    public void verified(Snapshot seen, String table, Collection<RowKey> equal) {
        Map<RowKey, Long> dirty = byTable.get(table);
        Map<RowKey, Long> versions = seen.versions.getOrDefault(table, Map.of());
        if (dirty == null) {
            return;
        }
        for (RowKey key : equal) {
            Long batch = versions.get(key);
            if (batch != null) {
                dirty.remove(key, batch);
            }
        }
    }

    /** How many rows are dirty. */
    public long rows() {
        return byTable.values().stream().mapToLong(Map::size).sum();
    }

    /** The dirty keys at one moment, as {@link #snapshot} took them. */
    public static final class Snapshot {
        private final Map<String, Map<RowKey, Long>> versions;

        private Snapshot(Map<String, Map<RowKey, Long>> versions) {
            this.versions = versions;
        }

        /** The keys by table: what the verification compares. */
        public Map<String, Set<RowKey>> keys() {
            Map<String, Set<RowKey>> out = new LinkedHashMap<>();
            versions.forEach((table, keys) -> out.put(table, Set.copyOf(keys.keySet())));
            return out;
        }

        /** How many rows the snapshot holds. */
        public long rows() {
            return versions.values().stream().mapToLong(Map::size).sum();
        }
    }
}
