package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;

/** One broken promise found by {@link RoutingInvariant} or {@link AckedWritesCheck}, in words a test failure shows. */
public record Violation(TenantId tenant, String description) {
    @Override
    public String toString() {
        return tenant + ": " + description;
    }
}
