package dev.hikkoshi.data.schema;

import java.util.List;
import java.util.Objects;

/**
 * A foreign key of a {@link Table}: its columns reference {@code referencedColumns} of
 * {@code referencedTable} (in {@code referencedSchema}), with its ON DELETE and ON UPDATE actions. Copy order
 * and join paths read it.
 */
public record ForeignKey(String name, List<String> columns, String referencedSchema, String referencedTable,
                         List<String> referencedColumns, ReferentialAction onDelete, ReferentialAction onUpdate) {
    public ForeignKey {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
        Objects.requireNonNull(referencedTable, "referencedTable");
        Objects.requireNonNull(onDelete, "onDelete");
        Objects.requireNonNull(onUpdate, "onUpdate");
    }
}
