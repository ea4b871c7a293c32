package dev.hikkoshi.core.tenant;

import java.util.List;
import java.util.Optional;

/**
 * Maps tenant names to their database ids, so that the router and the data engine speak of the same
 * tenant. Built from {@code tenants.list} in the config ({@link ListedTenants}) or, by the data engine,
 * from a table of the source database.
 */
public interface TenantDirectory {
    /** Every tenant, ordered by name. */
    List<Tenant> all();

    Optional<Tenant> find(TenantId id);

    Optional<Tenant> findByDatabaseId(String databaseId);
}
