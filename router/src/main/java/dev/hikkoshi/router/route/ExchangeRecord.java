package dev.hikkoshi.router.route;

import java.time.Instant;

/**
 * What one finished request/response exchange looked like; the access log line, the metrics and the traffic
 * window are all made from it. {@code upstream} is empty when no upstream was reached; {@code status} is the
 * status sent to the client.
 */
public record ExchangeRecord(Instant time, String requestId, String tenant, String site, String upstream,
                             String method, String path, int status, long bytesIn, long bytesOut,
                             long durationMicros, long upstreamMicros, long heldMicros) {
}
