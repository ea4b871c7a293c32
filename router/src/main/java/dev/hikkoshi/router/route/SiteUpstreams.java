package dev.hikkoshi.router.route;

import dev.hikkoshi.core.routing.SiteId;
import java.util.Optional;
import java.util.Set;

/**
 * Picks an upstream of a site by its balancing rule among the healthy, non-ejected ones, and takes the
 * proxy's feedback for passive ejection and least-connections. Empty means the site has no usable upstream:
 * the proxy answers 503.
 */
public interface SiteUpstreams {
    Optional<UpstreamTarget> pick(SiteId site, Set<UpstreamTarget> exclude);

    /** A request started being sent to this upstream (least-connections counts it until {@link #finished}). */
    void started(UpstreamTarget upstream);

    void finished(UpstreamTarget upstream);

    /** A connection attempt failed or timed out. */
    void connectFailed(UpstreamTarget upstream);

    /** The upstream answered with this status (5xx bursts eject it). */
    void responded(UpstreamTarget upstream, int status);
}
