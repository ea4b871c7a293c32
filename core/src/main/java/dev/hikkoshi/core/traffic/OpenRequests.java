package dev.hikkoshi.core.traffic;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's requests open at a router right now for longer than some age: how many, and the oldest (its age and
 * description: request id, method, path). What {@code hikkoshi plan} reads to flag tenants whose long-lived
 * requests (WebSockets, server-sent events, long polls) would keep a freeze from draining. Mergeable across routers.
 */
public record OpenRequests(int count, Duration oldest, String oldestRequest) {
    public OpenRequests {
        Objects.requireNonNull(oldest, "oldest");
        Objects.requireNonNull(oldestRequest, "oldestRequest");
        if (count < 1) {
            throw new IllegalArgumentException("open requests are at least one, was " + count);
        }
    }

    public OpenRequests merge(OpenRequests other) {
        OpenRequests older = other.oldest.compareTo(oldest) > 0 ? other : this;
        return new OpenRequests(count + other.count, older.oldest, older.oldestRequest);
    }
}
