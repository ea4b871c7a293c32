package dev.hikkoshi.data.config;

import java.util.Objects;

/** A column named {@code table.column} in the config, such as a key of {@code charset-overrides}. */
public record ColumnRef(String table, String column) {
    public ColumnRef {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
