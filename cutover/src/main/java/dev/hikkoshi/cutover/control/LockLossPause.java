package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.cutover.lock.SiteDatabaseLock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller does when its database lock ({@link SiteDatabaseLock}) is lost: pauses the plan with the
 * reason (journaled and audited, actor {@value #ACTOR}), refuses every {@code resume} and plan adoption while the
 * lock is missing, and resumes the plan by itself once the lock is held again, unless someone else paused it
 * meanwhile. Moves past SYNCED finish what they do (a frozen tenant must not be left hanging); nothing new
 * starts. Wired by {@code ControllerProcess}.
 */
final class LockLossPause implements SiteDatabaseLock.Listener {
    static final String ACTOR = "controller-lock";
    private static final Logger log = LoggerFactory.getLogger(LockLossPause.class);

    private final AtomicReference<ControllerOperations> operations = new AtomicReference<>();
    private volatile Optional<String> lost = Optional.empty();
    private volatile boolean pausedByUs;

    /** The audited operations, once the admin API is up; a loss before that is remembered and applied then. */
    void operations(ControllerOperations audited) {
        operations.set(audited);
        lost.ifPresent(this::pause);
    }

    /** Why nothing may start now: the lock is lost. */
    Optional<String> blocked() {
        return lost;
    }

    @Override
    public void lost(String reason) {
        lost = Optional.of(reason);
        if (operations.get() != null) {
            pause(reason);
        }
    }

    @Override
    public synchronized void regained() {
        lost = Optional.empty();
        ControllerOperations ops = operations.get();
        if (ops == null || !pausedByUs) {
            return;
        }
        pausedByUs = false;
        ControllerOperations.ControllerStatus status = ops.status();
        if (status.paused() && status.pauseReason().map(r -> r.startsWith("lost the database lock")).orElse(false)) {
            ops.resume(new ControllerOperations.Actor(ACTOR));
        }
    }

    private synchronized void pause(String reason) {
        try {
            operations.get().pause(new ControllerOperations.Actor(ACTOR), reason);
            pausedByUs = true;
        } catch (UserException alreadyPaused) {
            log.warn("{} (the plan was already paused: {})", reason, alreadyPaused.getMessage());
        }
    }
}
