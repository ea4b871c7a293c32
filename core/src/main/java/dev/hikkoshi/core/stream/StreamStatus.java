package dev.hikkoshi.core.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one change stream, as the watch module and the cutover engine read it.
 *
 * @param mode           how changes are captured: {@code binlog}, {@code triggers} or {@code differential}
 * @param position       the last position applied and checkpointed, in the mode's own notation
 * @param lagSeconds     how far the target is behind the source, measured by the heartbeat row (so a stream
 *                       that stopped applying while the source keeps changing shows rising lag)
 * @param lagEvents      changes captured but not yet applied
 * @param heartbeatAge   time since the last heartbeat written on the source was seen applied on the target
 * @param dirtyRows      rows changed since they were last verified (the final verification's work)
 * @param appliedChanges row changes applied since the stream started
 * @param reverse        whether this stream carries changes back to the old site (a rollback's safety net)
 * @param problem        why the stream is {@link StreamState#STOPPED} or {@link StreamState#FAILED}
 */
public record StreamStatus(StreamId id, String mode, StreamState state, String position, double lagSeconds,
                           long lagEvents, Duration heartbeatAge, long dirtyRows, long appliedChanges,
                           boolean reverse, Optional<String> problem, Instant updatedAt) {
    public StreamStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(heartbeatAge, "heartbeatAge");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A failed reverse stream means a rollback could no longer carry every write back: critical. */
    public boolean critical() {
        return reverse && state == StreamState.FAILED;
    }
}
