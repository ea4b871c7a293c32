package dev.hikkoshi.router.route;

/** Receives every finished exchange; called on the event loop, so it must be quick and never block. */
public interface ExchangeObserver {
    void completed(ExchangeRecord exchange);
}
