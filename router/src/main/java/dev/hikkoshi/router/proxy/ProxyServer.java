package dev.hikkoshi.router.proxy;

import dev.hikkoshi.router.route.ExchangeObserver;
import dev.hikkoshi.router.route.RequestRouter;
import dev.hikkoshi.router.route.SiteUpstreams;
import dev.hikkoshi.router.route.TenantGate;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The router's client-facing HTTP/1.1 listener: accepts connections, validates each request's framing, asks
 * the {@link RequestRouter} and the {@link TenantGate} where and when it goes, and streams it to an upstream
 * picked from {@link SiteUpstreams}; every finished exchange goes to the {@link ExchangeObserver} (and to the
 * access log when {@link ProxySettings#accessLog()}). The router assembly creates one and drives its life:
 * {@link #start()}, then on SIGTERM {@link #stopAccepting()}, {@link #awaitInFlight(Instant)}, {@link #close()}.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxySettings settings;
    private final RequestRouter router;
    private final TenantGate gate;
    private final SiteUpstreams upstreams;
    private final ExchangeObserver observer;

    public ProxyServer(ProxySettings settings, RequestRouter router, TenantGate gate, SiteUpstreams upstreams,
                       ExchangeObserver observer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = Objects.requireNonNull(router, "router");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Binds the listen address and starts serving; returns once bound.
     *
     * @throws dev.hikkoshi.core.UserException when the address cannot be bound (in use, not local)
     */
    public void start() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** The address actually bound (the port is known here when the settings asked for port 0). */
    public InetSocketAddress boundAddress() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Closes the listening socket; open connections keep being served until their current exchange ends. */
    public void stopAccepting() {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Waits until no exchange is in flight or the deadline passes.
     *
     * @return true when everything finished, false when the deadline passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitInFlight(Instant deadline) throws InterruptedException {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Closes every connection, both sides, and stops the event loops; idempotent. */
    @Override
    public void close() {
    }
}
