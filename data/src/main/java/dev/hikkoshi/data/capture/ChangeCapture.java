package dev.hikkoshi.data.capture;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Reads changes from one source server: one per server, shared by every stream that reads from it (never
 * one replication connection per tenant). Implementations: the binlog tailer, the trigger change-log drain
 * and the checksum differential.
 */
public interface ChangeCapture extends AutoCloseable {
    /** The mode's name: {@code binlog}, {@code triggers} or {@code differential}. */
    String mode();

    /**
     * The source's position now: noted before a copy starts (so nothing committed after it is missed) and
     * at the final sync (drain up to here while the tenant is frozen).
     */
    CapturePosition currentPosition();

    /**
     * The source's position now, noted for {@code consumer}'s stream, which will start from it later (a move's
     * copy comes between, or its switch): a capture that deletes what its readers have passed (the trigger
     * capture's change log) keeps every change after it, for captures in any process, until that consumer's
     * stream checkpoints past it or the consumer is {@linkplain #forget forgotten}. Without this, another
     * tenant's stream draining the same change log could purge changes this one has not read yet.
     */
    default CapturePosition notePosition(String consumer) {
        return currentPosition();
    }

    /**
     * Hands the sink every transaction after {@code from} that touches one of {@code tables} (other tables'
     * changes are left out of the transactions it gets; transactions left empty are still delivered, so the
     * stream can checkpoint and see heartbeats).
     */
    Subscription subscribe(Set<String> tables, CapturePosition from, ChangeSink sink);

    /**
     * As {@link #subscribe(Set, CapturePosition, ChangeSink)}, for a named consumer (a stream's name). A capture
     * that keeps changes for its readers (the trigger capture's change log) records the consumer's progress on
     * the source, so that a capture in another process never purges what this consumer still needs.
     */
    default Subscription subscribe(String consumer, Set<String> tables, CapturePosition from, ChangeSink sink) {
        return subscribe(tables, from, sink);
    }

    /**
     * For a capture whose positions say nothing about the source's commit order (checksum passes): asks it to
     * start its next read now instead of after its idle pause, and returns the instant a delivered transaction's
     * commit time must be after to prove that everything committed before this call is applied (a read begun
     * after it, or a claim past it). Empty for captures whose
     * {@link #currentPosition()} is a point to drain to.
     */
    default Optional<Instant> readAfterNow() {
        return Optional.empty();
    }

    /** Forgets a named consumer for good (its stream was removed): what only it held back may now be purged. */
    default void forget(String consumer) {
    }

    /** Stops the capture and every subscription. */
    @Override
    void close();

    /** One sink's subscription; closing it never disturbs the others. */
    interface Subscription extends AutoCloseable {
        /**
         * The stream committed on the target and durably checkpointed everything up to {@code position}: the
         * capture may forget what lies at or before it (the trigger capture deletes drained change-log rows only
         * after every subscription passed them). Captures that keep nothing ignore it.
         */
        default void checkpointed(CapturePosition position) {
        }

        @Override
        void close();
    }
}
