package dev.hikkoshi.cutover.lock;

import dev.hikkoshi.data.config.DatabaseConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The two locks a controller holds for its lifetime: its state dir ({@link StateDirLock}), then the new site's
 * database ({@link SiteDatabaseLock}). Taken by {@code ControllerProcess} before anything else starts, released
 * when it closes, in the reverse order.
 */
public final class ControllerLocks implements AutoCloseable {
    /** How often the database lock is checked; a lost lock pauses the plan within about this long. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

    private final StateDirLock stateDir;
    private final SiteDatabaseLock database;

    private ControllerLocks(StateDirLock stateDir, SiteDatabaseLock database) {
        this.stateDir = stateDir;
        this.database = database;
    }

    /** Takes both, or neither: a refusal of the second releases the first. */
    public static ControllerLocks acquire(Path stateDir, DatabaseConfig target, SiteDatabaseLock.Listener listener) {
        StateDirLock dir = StateDirLock.acquire(stateDir);
        try {
            return new ControllerLocks(dir, SiteDatabaseLock.acquire(target, CHECK_INTERVAL, listener));
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    public SiteDatabaseLock database() {
        return database;
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            stateDir.close();
        }
    }
}
