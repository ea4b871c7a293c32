package dev.hikkoshi.data.verify;

import java.util.List;
import java.util.Objects;

/**
 * One row that differs between the source and the target, named by its key: {@code CHANGED} (on both sides
 * with different values; {@code columns} names them), {@code MISSING} (on the source only) or {@code EXTRA}
 * (on the target only). Never carries row values: reports and logs must not leak row contents.
 */
public record RowDifference(String table, Kind kind, RowKey key, List<String> columns) implements Comparable<RowDifference> {
    /** How a row differs. */
    public enum Kind {
        CHANGED, MISSING, EXTRA
    }

    public RowDifference {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        columns = List.copyOf(columns);
    }

    /** {@code changed orders (17): columns note, total}, {@code missing orders (18)}. */
    public String describe() {
        String base = kind.name().toLowerCase(java.util.Locale.ROOT) + " " + table + " " + key.display();
        return kind == Kind.CHANGED ? base + ": column" + (columns.size() == 1 ? " " : "s ") + String.join(", ", columns) : base;
    }

    @Override
    public int compareTo(RowDifference other) {
        int c = table.compareTo(other.table);
        return c != 0 ? c : key.compareTo(other.key);
    }
}
