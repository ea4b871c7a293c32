package dev.hikkoshi.data.copy;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a copy gentle with a live source: workers wait here before each chunk while the operator paused the
 * copy ({@link #pause()}) or the source is overloaded (its {@code Threads_running} above the threshold, set
 * by {@link CopyJob}'s load monitor), and after each chunk sleep as long as the rows-per-second cap needs.
 * Shared by the workers of one {@link CopyJob}; the operator's pause and resume come from any thread.
 */
public final class CopyThrottle {
    private final OptionalLong maxRowsPerSecond;
    private boolean paused;
    private boolean overloaded;
    private long nextFreeNanos;

    CopyThrottle(OptionalLong maxRowsPerSecond) {
        this.maxRowsPerSecond = maxRowsPerSecond;
    }

    /** Stops workers from starting new chunks; chunks in flight finish (and release their locks). */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public synchronized boolean paused() {
        return paused || overloaded;
    }

    synchronized boolean overloaded() {
        return overloaded;
    }

    synchronized void overloaded(boolean value) {
        overloaded = value;
        if (!value) {
            notifyAll();
        }
    }

    /** Blocks while paused or overloaded. */
    synchronized void awaitTurn() throws InterruptedException {
        while (paused || overloaded) {
            wait();
        }
    }

    /** Accounts for {@code rows} just copied and sleeps so that the average stays under the cap. */
    void charge(long rows) throws InterruptedException {
        if (maxRowsPerSecond.isEmpty() || rows == 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNanos = Math.max(nextFreeNanos, now) + rows * 1_000_000_000L / maxRowsPerSecond.getAsLong();
            waitNanos = nextFreeNanos - now;
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
