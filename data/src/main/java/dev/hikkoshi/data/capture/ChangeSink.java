package dev.hikkoshi.data.capture;

import java.util.Map;
import java.util.Optional;

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

    /**
     * For a capture that can read one column of a change before decoding the rest (the trigger drain): the
     * lower-case column of {@code table} whose before and after values alone can show that a change is of no use
     * to this sink ({@link #ignores}), or empty, the default: every change is delivered. Called on the capture's
     * thread.
     */
    default Optional<String> decidingColumn(String table) {
        return Optional.empty();
    }

    /**
     * True when a change of {@code table} whose images hold (at least) its {@link #decidingColumn} cannot matter
     * to this sink; an absent image (INSERT's before, DELETE's after) is empty. The capture then leaves the change
     * out of its transaction, whose position still covers it. Called on the capture's thread.
     */
    default boolean ignores(String table, Map<String, Object> before, Map<String, Object> after) {
        return false;
    }
}
