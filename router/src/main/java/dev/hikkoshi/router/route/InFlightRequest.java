package dev.hikkoshi.router.route;

/**
 * A request of a tenant that is on its way to (or being answered by) a site. The proxy creates it when the
 * request is admitted and calls {@link #finish()} exactly once when the exchange with the upstream is over
 * (complete response sent, or failed). A freeze waits for every such request of the tenant to finish; a
 * long one (WebSocket, server-sent events) is ended after a grace period with {@link #forceClose()}.
 */
public interface InFlightRequest {
    /** For messages naming open requests: request id, method, path and age. */
    String describe();

    /** Closes the client and upstream connections of this request; {@link #finish()} follows. */
    void forceClose();

    /** Marks the exchange as over; idempotent. */
    void finish();
}
