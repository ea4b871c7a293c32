package dev.hikkoshi.data.scope;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;
import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.config.JoinHop;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Table;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One table in scope: its source definition, how its rows belong to tenants, the key that addresses its rows,
 * and its warnings. Copy and verification select one tenant's rows with {@link #tenantPredicate}.
 */
public record TableScope(Table table, TableClass tableClass, Index rowKey, List<ScopeProblem> warnings) {
    public TableScope {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(tableClass, "tableClass");
        Objects.requireNonNull(rowKey, "rowKey");
        warnings = List.copyOf(warnings);
    }

    public String name() {
        return table.name();
    }

    /** True when a move copies only one tenant's rows of this table (tenant column or join path). */
    public boolean perTenant() {
        return tableClass instanceof TableClass.TenantColumn || tableClass instanceof TableClass.JoinPath;
    }

    /**
     * An SQL condition, with exactly one {@code ?} for the tenant's database id, that is true for the rows of
     * this table (aliased {@code alias} in the caller's query) belonging to the tenant; empty when the table
     * is not per tenant (shared or whole-schema: all rows). Identifiers are quoted; the id is a parameter.
     * A join path becomes an {@code EXISTS} subquery (MySQL 5.0 runs it, and it never duplicates rows).
     */
    public Optional<String> tenantPredicate(String schema, String alias) {
        // Java 17 has no pattern switch over sealed types; shared and whole tables select every row.
        if (tableClass instanceof TableClass.TenantColumn tc) {
            return Optional.of(column(alias, tc.column()) + " = ?");
        }
        if (tableClass instanceof TableClass.JoinPath jp) {
            return Optional.of(joinPredicate(schema, alias, jp));
        }
        return Optional.empty();
    }

    private static String joinPredicate(String schema, String alias, TableClass.JoinPath jp) {
        List<JoinHop> hops = jp.hops();
        StringBuilder sql = new StringBuilder("EXISTS (SELECT 1 FROM ");
        for (int i = 0; i < hops.size(); i++) {
            JoinHop hop = hops.get(i);
            String hopAlias = "hk_j" + (i + 1);
            if (i == 0) {
                sql.append(qualified(schema, hop.referencedTable())).append(' ').append(quote(hopAlias));
            } else {
                sql.append(" JOIN ").append(qualified(schema, hop.referencedTable())).append(' ').append(quote(hopAlias))
                        .append(" ON ").append(column(hopAlias, hop.referencedColumn())).append(" = ")
                        .append(column("hk_j" + i, hop.column()));
            }
        }
        JoinHop first = hops.get(0);
        sql.append(" WHERE ").append(column("hk_j1", first.referencedColumn())).append(" = ")
                .append(column(alias, first.column()))
                .append(" AND ").append(column("hk_j" + hops.size(), jp.tenantColumn())).append(" = ?)");
        return sql.toString();
    }
}
