package dev.hikkoshi.sandbox.shop;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One request a {@link ShopWorkload} sent through the router, and what came back: the record the invariant checks
 * ({@link RoutingInvariant}, {@link AckedWritesCheck}) read.
 *
 * @param orderId    the order written (for a create: the id the answer gave), empty for a read or a failed create
 * @param servedBy   the site that answered ({@code X-Served-By}), empty when no site did (no answer, or the
 *                   router's own error)
 * @param startedAt  when the client started the request (before connecting, if it had to)
 * @param answeredAt when the answer (or the failure) arrived
 * @param status     the HTTP status, 0 when no answer came
 * @param failure    for a request that was not acknowledged (no answer, or not 2xx): why, with the first line of
 *                   the answer's body; empty for an acknowledged one
 */
public record ShopExchange(TenantId tenant, ShopOperation operation, OptionalLong orderId, Optional<String> servedBy,
                           Instant startedAt, Instant answeredAt, int status, Optional<String> failure) {
    public ShopExchange {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(failure, "failure");
    }

    /** Whether the shop acknowledged the request (a 2xx answer). */
    public boolean acknowledged() {
        return failure.isEmpty();
    }

    /** A write the shop acknowledged: what the final site must hold. */
    public boolean acknowledgedWrite() {
        return acknowledged() && operation.write();
    }

    @Override
    public String toString() {
        return operation.getClass().getSimpleName() + orderId.stream().mapToObj(id -> " " + id).findFirst().orElse("")
                + " of " + tenant + " started " + startedAt + ", answered " + answeredAt + " by "
                + servedBy.orElse("no site") + " (" + (status == 0 ? "no answer" : status)
                + failure.map(f -> ": " + f).orElse("") + ")";
    }
}
