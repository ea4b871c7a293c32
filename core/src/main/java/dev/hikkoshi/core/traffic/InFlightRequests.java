package dev.hikkoshi.core.traffic;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The requests a router has in flight now, per tenant. Implemented by a router in process and by a client of the
 * routers' admin endpoint ({@code GET /open-requests}); the plan reads it to find tenants whose long requests a
 * freeze would have to wait for.
 */
public interface InFlightRequests {
    /** Per tenant with any, its requests open for longer than {@code age}. */
    Map<TenantId, OpenRequests> longerThan(Duration age);

    /** Adds up what several routers answered. */
    static Map<TenantId, OpenRequests> merge(Iterable<Map<TenantId, OpenRequests>> answers) {
        Map<TenantId, OpenRequests> sum = new HashMap<>();
        answers.forEach(a -> a.forEach((tenant, open) -> sum.merge(tenant, open, OpenRequests::merge)));
        return Map.copyOf(sum);
    }
}
