package dev.hikkoshi.data.binlog;

import dev.hikkoshi.data.capture.CaptureStop;
import dev.hikkoshi.data.capture.ChangeSink;
import dev.hikkoshi.data.capture.ChangeTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A sink that records what a capture hands it, for tests; empty transactions are counted apart. */
final class RecordingSink implements ChangeSink {
    final BlockingQueue<ChangeTransaction> received = new LinkedBlockingQueue<>();
    final CompletableFuture<CaptureStop> stop = new CompletableFuture<>();

    @Override
    public void accept(ChangeTransaction transaction) {
        received.add(transaction);
    }

    @Override
    public void stopped(CaptureStop reason) {
        stop.complete(reason);
    }

    /** The next {@code n} transactions that carry changes, waiting up to 20 s for them. */
    List<ChangeTransaction> next(int n) throws InterruptedException {
        List<ChangeTransaction> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < n) {
            ChangeTransaction t = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " transactions: " + out
                        + (stop.isDone() ? ", stopped: " + stop.join().message() : ""));
            }
            if (!t.changes().isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    CaptureStop awaitStop() throws Exception {
        return stop.get(20, TimeUnit.SECONDS);
    }
}
