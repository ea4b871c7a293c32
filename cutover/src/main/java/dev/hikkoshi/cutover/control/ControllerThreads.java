package dev.hikkoshi.cutover.control;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Controller}'s threads: one walks the plan's waves; a fixed pool of {@code parallel-moves} runs a
 * wave's moves; a separate pool runs moves aside (resumed moves, rollbacks and finalizes of moves no wave runs),
 * so they never wait for a wave's slot. A failure of the walk or of work aside goes to one owner
 * ({@code onFailure}) rather than vanishing in a future nobody reads.
 */
final class ControllerThreads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerThreads.class);

    /** Work that may be interrupted. */
    @FunctionalInterface
    interface Task {
        void run() throws InterruptedException;
    }

    private final ExecutorService planThread = Executors.newSingleThreadExecutor(named("plan"));
    private final ExecutorService waveThreads;
    private final ExecutorService asideThreads = Executors.newCachedThreadPool(named("move-aside"));
    private final Consumer<RuntimeException> onFailure;

    ControllerThreads(int parallelMoves, Consumer<RuntimeException> onFailure) {
        this.waveThreads = Executors.newFixedThreadPool(parallelMoves, named("move"));
        this.onFailure = onFailure;
    }

    /** Starts walking the plan; the future is done when the walk ends. */
    Future<?> walk(Task walk) {
        return planThread.submit(guarded(walk));
    }

    /** Runs one of a wave's moves on a wave slot; the walk waits for its future. */
    Future<?> move(Callable<?> move) {
        return waveThreads.submit(move);
    }

    /** Runs work off the waves' slots. */
    void aside(Task task) {
        asideThreads.submit(guarded(task));
    }

    private Runnable guarded(Task task) {
        return () -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        };
    }

    @Override
    public void close() {
        List<ExecutorService> all = List.of(planThread, waveThreads, asideThreads);
        all.forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService e : all) {
                if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("controller threads did not stop within 10 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "hikkoshi-" + prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
