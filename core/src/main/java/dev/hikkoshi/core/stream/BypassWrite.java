package dev.hikkoshi.core.stream;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A write that hikkoshi did not make, found on a site that must not receive the tenant's writes any more
 * (the split-brain alarm of the design), or on the non-writer side of a shared table. The cutover engine
 * publishes it through its move events as CRITICAL and pauses the plan.
 *
 * @param tenant     the moved tenant whose row was written; empty for a shared table
 * @param primaryKey the row's key as text ({@code id=42} or {@code order_id=7,line=2})
 * @param where      where it was seen: binlog file:pos, change-log id or checksum pass
 */
public record BypassWrite(Optional<TenantId> tenant, SiteId site, String table, String primaryKey, String where,
                          Instant seenAt) {
    public BypassWrite {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(seenAt, "seenAt");
    }
}
