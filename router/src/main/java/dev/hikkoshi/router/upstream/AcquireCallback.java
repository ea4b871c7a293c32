package dev.hikkoshi.router.upstream;

/** Told, on the pool's event loop, how a {@link UpstreamPool#acquire} ended. */
public interface AcquireCallback {
    /** @param reused true when the connection came from the pool (it may turn out to be closed already) */
    void acquired(UpstreamConnection connection, boolean reused);

    void failed(AcquireFailure failure, Throwable cause);

    /** Why no connection was given. */
    enum AcquireFailure {
        /** The TCP connect failed or timed out: the request never reached this upstream. */
        CONNECT_FAILED,
        /** Every connection of the upstream is busy and too many requests already wait. */
        POOL_EXHAUSTED
    }
}
