package dev.hikkoshi.data.schema;

import java.util.List;
import java.util.Objects;

/**
 * An index of a {@link Table} with its columns in key order. {@code nonNull} says every column is NOT NULL,
 * which a unique index needs to identify rows (a unique index allows several NULL rows). Copy chunks and
 * verification address rows by the table's {@link Table#rowKey() row key}.
 */
public record Index(String name, boolean primary, boolean unique, List<String> columns, boolean nonNull) {
    public Index {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /** A primary key, or a unique index over NOT NULL columns: identifies each row. */
    public boolean identifiesRows() {
        return primary || (unique && nonNull);
    }

    /** True when {@code column} is this index's first column, so that equality lookups on it use the index. */
    public boolean startsWith(String column) {
        return !columns.isEmpty() && columns.get(0).equalsIgnoreCase(column);
    }
}
