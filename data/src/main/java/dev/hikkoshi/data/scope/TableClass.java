package dev.hikkoshi.data.scope;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.config.JoinHop;
import java.util.List;

/** How a table in scope belongs to tenants, resolved against the schema by {@link ScopeResolver}. */
public sealed interface TableClass {
    /** Rows of a tenant are those whose {@code column} holds the tenant's id. */
    record TenantColumn(String column) implements TableClass {
    }

    /**
     * Rows of a tenant are those that reach, through {@code hops}, a row of the last hop's table whose
     * {@code tenantColumn} holds the tenant's id.
     */
    record JoinPath(List<JoinHop> hops, String tenantColumn) implements TableClass {
        public JoinPath {
            hops = List.copyOf(hops);
        }
    }

    /** Reference data for every tenant, written only on {@code writer}; synced one way, not per tenant. */
    record Shared(SiteId writer) implements TableClass {
    }

    /** Whole-schema mode: every row is copied. */
    record WholeTable() implements TableClass {
    }
}
