package dev.hikkoshi.data.capture;

/**
 * Receives a capture's transactions in the source's commit order, on the capture's thread. Blocking in
 * {@link #accept} is how a slow stream pushes back on its capture.
 */
public interface ChangeSink {
    void accept(ChangeTransaction transaction) throws InterruptedException;

    /** The capture stopped; no transaction follows. */
    void stopped(CaptureStop reason);

    /**
     * True when the sink's owner reports every transaction it has durably applied through
     * {@link ChangeCapture.Subscription#checkpointed} (a stream does, after its target commit), so a capture may
     * wait for that report; false (the default) for a sink that never reports.
     */
    default boolean reportsCheckpoints() {
        return false;
    }
}
