package dev.hikkoshi.data.capture;

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
        key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
        before = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(before));
        after = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(after));
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a change of table " + table + " without key values");
        }
    }
}
