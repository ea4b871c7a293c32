package dev.hikkoshi.router.upstream;

/**
 * The exchange currently using an {@link UpstreamConnection}; receives what the upstream sends. Called on
 * the connection's event loop, which is also the client connection's.
 */
public interface UpstreamListener {
    /**
     * A decoded object: {@code HttpResponse}, {@code HttpContent}, {@code LastHttpContent}, a raw
     * {@code ByteBuf} after a 101, or a {@code FramingFailure}. The listener owns (and must release) it.
     */
    void upstreamRead(Object message);

    /** The end of one read from the upstream: time to flush what was relayed to the client. */
    void upstreamReadComplete();

    /** The upstream connection's outbound buffer crossed a water mark. */
    void upstreamWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is null for an orderly close. */
    void upstreamClosed(Throwable cause);
}
