package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.util.Objects;

/**
 * One tenant's move as {@code hikkoshi plan} sized it: the rows and bytes to copy (its per-tenant tables, via-joined
 * ones included; shared tables are not counted) and the estimates from the plan's {@link ThroughputSample}. The
 * freeze estimate is the final sync's plus the fixed cost of freezing and switching; it fitted {@code freeze.max}
 * when the plan was made, or the tenant would be a {@link RefusedTenant}.
 */
public record PlannedMove(TenantId tenant, long rows, long bytes, Duration copyEstimate, Duration finalSyncEstimate,
                          Duration freezeEstimate) {
    public PlannedMove {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(copyEstimate, "copyEstimate");
        Objects.requireNonNull(finalSyncEstimate, "finalSyncEstimate");
        Objects.requireNonNull(freezeEstimate, "freezeEstimate");
        if (rows < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative size for " + tenant + ": " + rows + " rows, " + bytes + " bytes");
        }
    }
}
