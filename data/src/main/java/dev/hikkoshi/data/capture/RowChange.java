package dev.hikkoshi.data.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row changed on the source. Column values are given by column name (lower case), as Java values decoded
 * by the inspected column types (strings decoded by the column's charset, zero dates kept as text, ENUM/SET
 * as their labels). The binlog gives every column; the trigger change log gives the key columns and the
 * columns that decide the tenant (tenant or join column); differential sync gives the key columns only.
 * Streams never write these values: they mark the key dirty and re-read the row from the source under a
 * share lock, so applying is idempotent and replaying an older position is harmless.
 *
 * @param before the row before the change (empty for INSERT and for DIFFERS)
 * @param after  the row after the change (empty for DELETE and for DIFFERS)
 * @param key    the key columns' values after the change (before it, for DELETE)
 */
public record RowChange(String table, ChangeKind kind, Map<String, Object> key, Map<String, Object> before,
                        Map<String, Object> after) {
    public RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        key = frozen(key);
        before = frozen(before);
        after = frozen(after);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a change of table " + table + " without key values");
        }
    }

    /** This change as a subscriber names its table; the images are immutable and shared, not copied. */
    public RowChange named(String name) {
        return new RowChange(name, kind, key, before, after);
    }

    /**
     * An unmodifiable map of {@code image}'s entries in its order. A {@link RowImage} is immutable already and
     * kept as it is (the binlog tailer makes 20,000 of them for a 10,000-row UPDATE, and names each change once
     * per subscriber); any other map is copied, so that a caller's later change cannot reach the stream.
     */
    private static Map<String, Object> frozen(Map<String, Object> image) {
        if (image instanceof RowImage) {
            return image;
        }
        if (image.isEmpty()) {
            return Collections.emptyMap();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(image));
    }
}
