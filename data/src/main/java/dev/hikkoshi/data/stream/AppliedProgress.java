package dev.hikkoshi.data.stream;

import dev.hikkoshi.core.stream.StreamState;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.ChangeTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How far a {@link TenantStream} has got: the position and source commit time of the last batch applied, the
 * commit time of the first transaction received (the lag's base until one is applied), the changes applied, and
 * the monitor on which callers wait for a condition on these. The apply thread records what it applied, the
 * capture's thread what it received first; any thread reads them (atomics only, so that a status never blocks).
 */
final class AppliedProgress {
    private final AtomicReference<CapturePosition> position = new AtomicReference<>();
    private final AtomicReference<Instant> lastCommittedAt = new AtomicReference<>();
    private final AtomicReference<Instant> firstReceivedAt = new AtomicReference<>();
    private final AtomicReference<Instant> lastAppliedAt = new AtomicReference<>(Instant.now());
    private final AtomicLong appliedChanges = new AtomicLong();
    /** Notified after each applied batch and when the stream ends. */
    private final Object monitor = new Object();
    /** The source's clock minus this machine's, read at the stream's start. */
    private final Duration clockOffset;

    AppliedProgress(Duration clockOffset) {
        this.clockOffset = clockOffset;
    }

    /** Where the stream starts: its checkpoint's position, changes and commit time, or the position noted. */
    void startAt(CapturePosition start, long changes, Optional<Instant> committedAt) {
        position.set(start);
        appliedChanges.set(changes);
        committedAt.ifPresent(lastCommittedAt::set);
    }

    /** A transaction reached the stream's queue (only the first one counts). */
    void received(ChangeTransaction transaction) {
        firstReceivedAt.compareAndSet(null, transaction.committedAt());
    }

    /** A batch ending with {@code last} and holding {@code changes} changes is committed on the target. */
    void applied(ChangeTransaction last, long changes) {
        appliedChanges.addAndGet(changes);
        position.set(last.end());
        lastCommittedAt.set(last.committedAt());
        lastAppliedAt.set(Instant.now());
        wake();
    }

    /** The position applied, null before the stream has started. */
    CapturePosition position() {
        return position.get();
    }

    /** The source commit time of the last transaction applied, null before one is. */
    Instant lastCommittedAt() {
        return lastCommittedAt.get();
    }

    Instant lastAppliedAt() {
        return lastAppliedAt.get();
    }

    long appliedChanges() {
        return appliedChanges.get();
    }

    /**
     * The source's clock now minus the commit time of the last transaction applied (the heartbeat keeps that
     * recent on an idle source); before any is applied, minus the first one received, so that a stream that never
     * applied shows its lag rising, not zero.
     */
    double lagSeconds() {
        Instant applied = Optional.ofNullable(lastCommittedAt.get()).orElseGet(firstReceivedAt::get);
        if (applied == null) {
            return 0;
        }
        Instant sourceNow = Instant.now().plus(clockOffset);
        return Math.max(0, Duration.between(applied, sourceNow).toMillis() / 1000.0);
    }

    /** Tells waiters to look again. */
    void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * Waits until {@code done}, checked again after each applied batch; false at {@code deadline} (a
     * {@link System#nanoTime} value) or once {@code state} says the stream has ended.
     */
    boolean await(long deadline, BooleanSupplier done, Supplier<StreamState> state) throws InterruptedException {
        synchronized (monitor) {
            while (true) {
                StreamState s = state.get();
                if (s == StreamState.FAILED || s == StreamState.STOPPED || s == StreamState.CLOSED) {
                    return false;
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Woken by every applied batch and by the stream's end; the bound only guards a missed state change.
                monitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
            }
        }
    }
}
