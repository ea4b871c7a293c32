package dev.hikkoshi.router.proxy;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.UpstreamTarget;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashSet;
import java.util.Set;

/**
 * The retry rules of one {@link Exchange}: which upstream to try next and whether another try is allowed.
 * A request whose connection attempt failed never reached that upstream, so any method may go to another
 * one (up to {@code maxConnectAttempts} upstreams); a request whose pooled connection turned out to be
 * closed by the upstream may have been processed, so only an idempotent request without a body is sent
 * again (on a new connection, up to {@code maxStaleRetries} times).
 */
final class UpstreamAttempts {
    private final SiteUpstreams upstreams;
    private final int maxConnectAttempts;
    private final int maxStaleRetries;
    private UpstreamTarget current;
    private Set<UpstreamTarget> failed;
    private int connectAttempts;
    private int staleRetries;

    UpstreamAttempts(SiteUpstreams upstreams, ProxySettings settings) {
        this.upstreams = upstreams;
        this.maxConnectAttempts = settings.maxConnectAttempts();
        this.maxStaleRetries = settings.maxStaleRetries();
    }

    /** The next upstream of the site to try, or null when none is left (see {@link #anyFailed()}). */
    UpstreamTarget next(SiteId site) {
        var picked = upstreams.pick(site, failed == null ? Set.of() : failed);
        if (picked.isEmpty()) {
            return null;
        }
        current = picked.get();
        connectAttempts++;
        return current;
    }

    UpstreamTarget current() {
        return current;
    }

    /** Whether an upstream failed to connect: an empty pick then means 502, not 503. */
    boolean anyFailed() {
        return failed != null;
    }

    /** Whether the next connection must be new: after a stale pooled one, the pool is not trusted. */
    boolean pooledAllowed() {
        return staleRetries == 0;
    }

    /** Reports the current upstream's connect failure; true when another upstream may be tried. */
    boolean connectFailed() {
        upstreams.connectFailed(current);
        if (failed == null) {
            failed = new HashSet<>(4);
        }
        failed.add(current);
        return connectAttempts < maxConnectAttempts;
    }

    /** Whether a request that met a pooled connection closed by the upstream may be sent again. */
    boolean mayResendAfterStale(HttpMethod method, boolean bodyless) {
        if (!bodyless || !idempotent(method) || staleRetries >= maxStaleRetries) {
            return false;
        }
        staleRetries++;
        connectAttempts--;
        return true;
    }

    /** RFC 9110 section 9.2.2. */
    static boolean idempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.PUT || m == HttpMethod.DELETE
                || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE;
    }
}
