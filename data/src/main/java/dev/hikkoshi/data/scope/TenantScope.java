package dev.hikkoshi.data.scope;

import dev.hikkoshi.data.config.ScopeMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tables of a schema a move carries and how: built by {@link ScopeResolver} from the config and the
 * inspected schemas, free of errors (warnings are kept). Copy, verification and change capture work table by
 * table from it; {@code skipped} tables are never touched.
 */
public record TenantScope(String schema, ScopeMode mode, List<TableScope> tables, List<String> skipped) {
    public TenantScope {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(mode, "mode");
        tables = List.copyOf(tables);
        skipped = List.copyOf(skipped);
    }

    public Optional<TableScope> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Tables whose rows a tenant move copies (tenant column or join path). */
    public List<TableScope> perTenantTables() {
        return tables.stream().filter(TableScope::perTenant).toList();
    }

    /** Every warning of every table, in table order. */
    public List<ScopeProblem> warnings() {
        return tables.stream().flatMap(t -> t.warnings().stream()).toList();
    }

    /** The names of the tables in scope. */
    public List<String> tableNames() {
        return tables.stream().map(TableScope::name).toList();
    }
}
