package dev.hikkoshi.core.stream;

import java.util.List;
import java.util.Optional;

/**
 * The state of every change stream, for the watch module (lag and heartbeat alerts) and the cutover engine
 * (when a tenant may freeze, whether a rollback is still possible). Implemented by the data engine in process
 * and, later, by a client of the controller's admin API.
 */
public interface StreamProgress {
    /** Every stream known, in a stable order. */
    List<StreamStatus> streams();

    default Optional<StreamStatus> stream(StreamId id) {
        return streams().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
