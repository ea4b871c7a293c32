package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.routing.SiteId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as a {@link RecordingBackend} saw it arrive: which site served it, on which connection, and the
 * headers a router is responsible for (the forwarded tenant, {@code X-Forwarded-*}, {@code Via}, {@code Host}).
 *
 * @param exchangeId         unique per backend: the site name and a counter ({@code legacy-17}); also sent back
 *                           in the {@code X-Backend-Exchange} response header
 * @param connectionId       the backend's number for the TCP connection (shows keep-alive and pooling)
 * @param uri                the request target as received (path and query)
 * @param path               the path without the query
 * @param tenant             the value of {@code X-Hikkoshi-Tenant}, if any
 * @param forwarded          the {@code X-Forwarded-*}, {@code Via} and {@code Host} headers, names in lower case
 *                           (repeated headers joined with ", ")
 * @param declaredBodyBytes  the request's Content-Length, or -1 when it has none (chunked or no body)
 */
public record BackendRequest(SiteId site, String exchangeId, long connectionId, String method, String uri,
                             String path, Optional<String> tenant, Map<String, String> forwarded,
                             long declaredBodyBytes) {
    public BackendRequest {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(tenant, "tenant");
        forwarded = Map.copyOf(forwarded);
    }

    /** A forwarded header by its lower-case name ({@code x-forwarded-for}), if the request carried it. */
    public Optional<String> forwarded(String lowerCaseName) {
        return Optional.ofNullable(forwarded.get(lowerCaseName));
    }
}
