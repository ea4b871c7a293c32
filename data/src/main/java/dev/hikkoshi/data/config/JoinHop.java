package dev.hikkoshi.data.config;

import java.util.Objects;

/**
 * One hop of a join path: {@code column} of the table reached so far equals {@code referencedColumn} of
 * {@code referencedTable}. {@code order_id -> orders.id} is one hop.
 */
public record JoinHop(String column, String referencedTable, String referencedColumn) {
    public JoinHop {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(referencedTable, "referencedTable");
        Objects.requireNonNull(referencedColumn, "referencedColumn");
    }

    @Override
    public String toString() {
        return column + " -> " + referencedTable + "." + referencedColumn;
    }
}
