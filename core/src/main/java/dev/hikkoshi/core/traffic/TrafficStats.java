package dev.hikkoshi.core.traffic;

import java.util.Objects;

/** Request and 5xx counts and a latency histogram for one tenant on one site over one window. Mergeable. */
public record TrafficStats(long requests, long serverErrors, LatencyHistogram latency) {
    public TrafficStats {
        Objects.requireNonNull(latency, "latency");
        if (requests < 0 || serverErrors < 0 || serverErrors > requests) {
            throw new IllegalArgumentException("invalid counts: requests=" + requests + " 5xx=" + serverErrors);
        }
    }

    public static TrafficStats empty() {
        return new TrafficStats(0, 0, LatencyHistogram.empty());
    }

    public TrafficStats merge(TrafficStats other) {
        return new TrafficStats(requests + other.requests, serverErrors + other.serverErrors,
                latency.merge(other.latency));
    }

    /** 5xx responses per request, 0 when there was no request. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) serverErrors / requests;
    }
}
