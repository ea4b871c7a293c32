package dev.hikkoshi.data.schema;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One base table of a {@link Schema}: engine, default charset and collation, columns in ordinal order, indexes
 * (the primary key first), foreign keys, triggers and the server's row estimate
 * ({@code information_schema.TABLES.TABLE_ROWS}: exact for MyISAM, a guess for InnoDB).
 */
public record Table(String name, String engine, Optional<String> charset, Optional<String> collation,
                    List<Column> columns, List<Index> indexes, List<ForeignKey> foreignKeys, List<Trigger> triggers,
                    long rowEstimate) {
    public Table {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        triggers = List.copyOf(triggers);
    }

    /** The column named {@code name}; MySQL column names are case-insensitive. */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<Index> primaryKey() {
        return indexes.stream().filter(Index::primary).findFirst();
    }

    /**
     * The key copy and verification address rows by: the primary key, else the first unique index whose
     * columns are all NOT NULL (InnoDB's own choice for the clustered index too).
     */
    public Optional<Index> rowKey() {
        return primaryKey().or(() -> indexes.stream().filter(Index::identifiesRows).findFirst());
    }

    /** True when some index starts with {@code column}, so that {@code column = ?} does not scan the table. */
    public boolean indexedBy(String column) {
        return indexes.stream().anyMatch(i -> i.startsWith(column));
    }

    /** Columns hikkoshi writes: every column except generated ones. */
    public List<Column> writableColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }

    /** MyISAM and other engines without transactions have no row locks nor consistent snapshots. */
    public boolean transactional() {
        String e = engine.toLowerCase(Locale.ROOT);
        return e.equals("innodb") || e.equals("xtradb") || e.equals("tokudb") || e.equals("rocksdb");
    }
}
