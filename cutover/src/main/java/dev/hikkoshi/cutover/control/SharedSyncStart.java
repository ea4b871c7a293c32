package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.cutover.move.SharedTableSync;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the shared-table sync with the controller, and again every {@code retry} while it cannot start: a
 * direction whose scope does not hold (the sites' schemas differ while an operator applies a migration to one site
 * first) must not keep the controller from starting, since the operator needs it to see and fix the rest. Until
 * the sync runs nothing of the shared tables is carried, which the log says at each new reason, and
 * {@code hikkoshi shared switch} refuses.
 */
final class SharedSyncStart implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedSyncStart.class);

    private final SharedTableSync sync;
    private final Duration retry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hikkoshi-shared-start");
        t.setDaemon(true);
        return t;
    });
    /** The last reason it could not start, said once per new reason. */
    private volatile Optional<String> problem = Optional.empty();

    SharedSyncStart(SharedTableSync sync, Duration retry) {
        this.sync = Objects.requireNonNull(sync, "sync");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** Tries now, on the caller's thread; on failure, again every {@code retry} until it starts. */
    SharedSyncStart begin() {
        if (!attempt()) {
            timer.scheduleWithFixedDelay(() -> {
                if (attempt()) {
                    timer.shutdown();
                }
            }, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private boolean attempt() {
        try {
            sync.start();
            if (problem.isPresent()) {
                log.info("shared-table sync started (it could not before: {})", problem.get());
            }
            problem = Optional.empty();
            return true;
        } catch (RuntimeException e) {
            // a user mistake (a scope that does not hold) keeps its hint: it is what the operator has to do
            String why = e instanceof UserException u ? e.getMessage() + " (hint: " + u.hint() + ")"
                    : String.valueOf(e.getMessage());
            if (!problem.equals(Optional.of(why))) {
                log.error("the shared tables are not synced between the sites: {}; trying again every {} s (the plan"
                        + " runs on)", why, retry.toSeconds(), e);
            }
            problem = Optional.of(why);
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
