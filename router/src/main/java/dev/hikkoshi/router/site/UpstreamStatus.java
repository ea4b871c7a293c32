package dev.hikkoshi.router.site;

import dev.hikkoshi.router.route.UpstreamTarget;

/**
 * A moment's view of one upstream, for the health gauges ({@code router.metrics}) and tests: whether the
 * active check finds it healthy, whether it is passively ejected, and its requests in flight.
 */
public record UpstreamStatus(UpstreamTarget target, boolean healthy, boolean ejected, int activeRequests) {
    /** In rotation: healthy and not ejected. */
    public boolean usable() {
        return healthy && !ejected;
    }
}
