package dev.hikkoshi.data.copy;

import java.util.Optional;

/**
 * Which rows of a table belong to the tenant being copied: an SQL condition with exactly one {@code ?} for
 * the tenant's database id, over the table aliased {@code alias}; empty to copy every row (whole-schema mode,
 * shared tables). The scope's {@code TableScope::tenantPredicate} is one; {@link #ALL} selects every row.
 */
@FunctionalInterface
public interface TenantRows {
    /** Every row of the table. */
    TenantRows ALL = (schema, alias) -> Optional.empty();

    Optional<String> tenantPredicate(String schema, String alias);
}
