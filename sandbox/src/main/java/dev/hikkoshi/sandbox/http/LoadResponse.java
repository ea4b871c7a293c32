package dev.hikkoshi.sandbox.http;

import dev.hikkoshi.core.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One request a {@link LoadGenerator} sent and what came back: the status and the site that served it
 * (its {@code X-Served-By} header), or why no response came.
 *
 * @param sequence  the order in which responses (or failures) arrived, across all clients, from 1
 * @param sentAt    when the request was sent
 * @param status    the response status, 0 when there was no response
 * @param servedBy  the {@code X-Served-By} header, empty when absent (a router's own error) or no response
 * @param failure   why there was no response (connection refused, reset, timeout), empty when one came
 */
public record LoadResponse(long sequence, int client, TenantId tenant, Instant sentAt, long latencyMicros,
                           int status, Optional<String> servedBy, Optional<String> failure) {
    public boolean failed() {
        return failure.isPresent();
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public Instant answeredAt() {
        return sentAt.plusNanos(latencyMicros * 1000);
    }
}
