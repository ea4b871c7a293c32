package dev.hikkoshi.core.tenant;

import java.util.Objects;

/**
 * One tenant: the name routers and operators use, and the value of its tenant column in the database
 * (kept as text: MySQL compares it with integer and string key columns alike).
 */
public record Tenant(TenantId id, String databaseId) {
    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(databaseId, "databaseId");
    }
}
