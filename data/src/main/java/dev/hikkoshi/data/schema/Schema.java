package dev.hikkoshi.data.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The base tables of one database as {@link SchemaInspector} read them, in name order. The scope check,
 * copy and verification work from this snapshot, one per site.
 */
public record Schema(String name, List<Table> tables) {
    public Schema {
        Objects.requireNonNull(name, "name");
        tables = List.copyOf(tables);
    }

    /**
     * The table named {@code name}. Matching is exact first, then case-insensitive, because a server with
     * {@code lower_case_table_names} set folds names that the config may spell otherwise.
     */
    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .or(() -> tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst());
    }

    public List<String> tableNames() {
        return tables.stream().map(Table::name).toList();
    }
}
