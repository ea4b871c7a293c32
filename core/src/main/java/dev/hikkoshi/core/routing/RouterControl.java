package dev.hikkoshi.core.routing;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Duration;

/**
 * How the controller drives one router: in process for {@code hikkoshi run}, or over the router's admin API.
 * Every method blocks until the router has answered; a failure is an exception naming the router.
 */
public interface RouterControl {
    /** A name for messages and logs: "in-process" or the admin URL. */
    String name();

    /**
     * Applies a whole routing table if its version is newer than the router's; returns the version the
     * router holds afterwards (higher than {@code table.version()} if the router already had a newer one).
     */
    long push(RoutingTable table);

    /** The version of the table the router is currently routing with. */
    long appliedVersion();

    /**
     * The whole table the router is currently routing with (the admin API's {@code GET /table}, and what a
     * controller compares before a move).
     */
    RoutingTable table();

    /**
     * Holds the tenant's new requests and waits until none of its requests is still in flight to its current
     * site. Returns only after the drain happened; otherwise throws {@link FreezeFailedException} naming the
     * requests still open (the tenant stays frozen: the caller decides to release or retry).
     */
    FreezeReport freeze(TenantId tenant, Duration drainTimeout);

    /** Sends the held requests, in arrival order, to the tenant's site as placed now, and stops holding. */
    void release(TenantId tenant);

    /** What a completed freeze drained. */
    record FreezeReport(TenantId tenant, long tableVersion, int drainedRequests, Duration drainTime) {
    }
}
