package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Objects;

/**
 * A tenant its wave would have moved but the plan leaves out, with the reason in words (its estimated freeze does
 * not fit {@code plan.freeze.max}). Listed by {@code hikkoshi plan}; {@code apply} does not move it.
 */
public record RefusedTenant(TenantId tenant, String wave, String reason) {
    public RefusedTenant {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(reason, "reason");
    }
}
