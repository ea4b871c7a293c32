package dev.hikkoshi.router.admin;

import dev.hikkoshi.core.config.DurationText;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.core.traffic.InFlightRequests;
import dev.hikkoshi.core.traffic.OpenRequests;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@link InFlightRequests} read from a router's admin API ({@code GET /open-requests}): how {@code hikkoshi plan}
 * sees the long requests of each router; answers of several routers add up with {@link InFlightRequests#merge}.
 */
public final class HttpInFlightRequests implements InFlightRequests {
    private final AdminClient client;

    /** The same arguments as {@link HttpRouterControl}. */
    public HttpInFlightRequests(URI adminUrl, String token, Duration timeout) {
        this.client = new AdminClient(adminUrl, token, timeout);
    }

    @Override
    public Map<TenantId, OpenRequests> longerThan(Duration age) {
        return client.get("/open-requests" + (age.isZero() ? "" : "?longer-than=" + DurationText.format(age)),
                "open requests", AdminJson::openRequests);
    }

    @Override
    public String toString() {
        return "HttpInFlightRequests[" + client.base() + "]";
    }
}
