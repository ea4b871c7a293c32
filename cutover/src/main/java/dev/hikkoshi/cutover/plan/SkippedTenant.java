package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.tenant.TenantId;
import java.util.Objects;

/**
 * A tenant its wave names that needs no move: already placed on the target site, or DONE (or FINALIZED) in the
 * controller's journal. Listed by {@code hikkoshi plan} so that a re-plan after a partial run says why a tenant
 * is missing from the waves.
 */
public record SkippedTenant(TenantId tenant, String wave, String reason) {
    public SkippedTenant {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(wave, "wave");
        Objects.requireNonNull(reason, "reason");
    }
}
