package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.route.UpstreamTarget;
import dev.hikkoshi.router.upstream.AcquireCallback;
import dev.hikkoshi.router.upstream.UpstreamConnection;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;

/**
 * The attempt half of an {@link Exchange}: picks an upstream of the routed site, asks the event loop's pool
 * for a connection to it, and when a connect fails or a pooled connection turns out stale decides with
 * {@link UpstreamAttempts} whether the request goes to another attempt or is answered 502/503 by the proxy.
 * Created by its exchange and called only from it and the pool, on the client channel's event loop.
 */
final class UpstreamAcquisition implements AcquireCallback {
    private final Exchange x;
    private boolean reused;
    private boolean headersRewritten;

    UpstreamAcquisition(Exchange exchange) {
        this.x = exchange;
    }

    /** Asks for a connection to the next upstream to try, or answers when none is left. */
    void pick() {
        UpstreamTarget target = x.attempts.next(x.route.site());
        if (target == null) {
            if (x.attempts.anyFailed()) {
                x.respondLocal(HttpResponseStatus.BAD_GATEWAY, "could not connect to an upstream of site "
                        + x.route.site(), null);
            } else {
                x.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream in site "
                        + x.route.site(), null);
            }
            return;
        }
        x.client.pool().acquire(target, x.attempts.pooledAllowed(), this);
    }

    @Override
    public void acquired(UpstreamConnection connection, boolean pooled) {
        if (x.phase != ExchangePhase.CONNECTING) {
            connection.giveBack();
            return;
        }
        x.moveTo(ExchangePhase.FORWARDING);
        UpstreamTarget target = x.attempts.current();
        x.upstream = connection;
        reused = pooled;
        x.reached = connection.authority();
        connection.attach(x, x.method);
        x.ctx.upstreams.started(target);
        x.upstreamStarted = true;
        x.upstreamStartNanos = System.nanoTime();
        x.lastActivityNanos = x.upstreamStartNanos;
        if (!headersRewritten) {
            headersRewritten = true;
            x.ctx.headers.request(x.request, x.route, x.client.peerAddress(), x.requestId, x.upgradeRequest,
                    target);
        }
        x.forwarder.send(connection);
    }

    @Override
    public void failed(AcquireFailure failure, Throwable cause) {
        if (x.phase != ExchangePhase.CONNECTING) {
            return;
        }
        switch (failure) {
            case CONNECT_FAILED -> {
                if (x.attempts.connectFailed()) {
                    pick();
                } else {
                    x.respondLocal(HttpResponseStatus.BAD_GATEWAY, "could not connect to an upstream of site "
                            + x.route.site(), null);
                }
            }
            case POOL_EXHAUSTED -> x.respondLocal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many requests waiting for " + x.attempts.current().authority(), Duration.ofSeconds(1));
        }
    }

    /**
     * The upstream closed before sending anything: when the connection came from the pool it was stale,
     * the request may not have been processed, and an idempotent one is sent again on a new connection.
     *
     * @return whether the request went to another attempt
     */
    boolean resendAfterStale(boolean gotUpstreamBytes) {
        if (!reused || gotUpstreamBytes || !x.attempts.mayResendAfterStale(x.method, x.bodyless)) {
            return false;
        }
        x.ctx.upstreams.finished(x.attempts.current());
        x.upstreamStarted = false;
        x.requestSent = false;
        if (x.requestComplete) {
            x.forwarder.resendEnd();
        }
        x.moveTo(ExchangePhase.CONNECTING);
        pick();
        return true;
    }
}
