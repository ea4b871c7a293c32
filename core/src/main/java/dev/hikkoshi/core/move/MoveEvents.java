package dev.hikkoshi.core.move;

import java.util.List;
import java.util.function.Consumer;

/**
 * Every move's current status and the stream of its transitions and verdicts: published by the cutover
 * engine, read by the watch module, the audit log and the dashboard (in process, or through the controller's
 * admin API).
 */
public interface MoveEvents {
    /** Every move known to the controller, in plan order. */
    List<MoveStatus> moves();

    /**
     * Calls {@code listener} with every event published from now on, on the publisher's thread: listeners must
     * be quick and must not throw. Closing the returned handle stops the calls.
     */
    AutoCloseable subscribe(Consumer<MoveEvent> listener);
}
