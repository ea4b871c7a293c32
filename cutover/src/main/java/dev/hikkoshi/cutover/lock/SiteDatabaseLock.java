package dev.hikkoshi.cutover.lock;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named lock ({@code GET_LOCK}) on the new site's database, held on a dedicated connection for the controller's
 * lifetime, so that two controllers on different machines (with different state dirs) never run plans against
 * the same sites. Taken by {@code ControllerProcess}; a refusal names the connection (and its host) that holds it.
 *
 * <p>A named lock lives as long as its session: when the connection dies (a server restart, a network cut, a
 * {@code KILL}), the lock is gone and another controller may take it. So a watch checks every
 * {@code checkInterval} that this session still owns it ({@code IS_USED_LOCK(name) = CONNECTION_ID()}); when it
 * does not, it tells the {@link Listener} at once (the controller pauses its plan) and tries to take the lock
 * again on a fresh connection at each check, telling the listener when it has it again.
 */
public final class SiteDatabaseLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SiteDatabaseLock.class);
    private static final String PREFIX = "hikkoshi.controller.";
    /** MariaDB and MySQL 5.7+ refuse user lock names longer than this. */
    private static final int MAX_NAME = 64;
    private static final int QUERY_TIMEOUT_SECONDS = 5;

    /** Told when the lock is lost and when it is held again; called on the watch's thread. */
    public interface Listener {
        void lost(String reason);

        void regained();

        Listener NONE = new Listener() {
            @Override
            public void lost(String reason) {
            }

            @Override
            public void regained() {
            }
        };
    }

    private final SiteDatabase database;
    private final String name;
    private final Listener listener;
    private final ScheduledExecutorService watch;
    private Connection connection; // only the watch thread touches it after acquire (and close, after the watch)
    private volatile boolean held = true;

    private SiteDatabaseLock(SiteDatabase database, String name, Connection connection, Listener listener,
                             Duration checkInterval) {
        this.database = database;
        this.name = name;
        this.connection = connection;
        this.listener = listener;
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hikkoshi-db-lock");
            t.setDaemon(true);
            return t;
        });
        long ms = checkInterval.toMillis();
        watch.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock for {@code target}'s schema or refuses with a {@link UserException} naming who holds it.
     *
     * @param checkInterval how often the watch checks that the lock is still held
     */
    public static SiteDatabaseLock acquire(DatabaseConfig target, Duration checkInterval, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        String name = lockName(target.schema());
        SiteDatabase database = SiteDatabase.open(target, 1);
        try {
            Connection c = database.dataSource().getConnection();
            try {
                Optional<String> holder = tryLock(c, name);
                if (holder.isPresent()) {
                    throw new UserException("another controller holds the database lock " + name + " on "
                            + database.describe() + " (" + holder.get() + ")",
                            "two controllers must not run plans against the same sites: stop the other controller, "
                                    + "or point this one at other sites");
                }
            } catch (RuntimeException | SQLException e) {
                c.close();
                throw e;
            }
            log.info("holding the database lock {} on {}", name, database.describe());
            return new SiteDatabaseLock(database, name, c, listener, checkInterval);
        } catch (SQLException e) {
            database.close();
            throw new UserException("cannot take the database lock " + name + " on " + database.describe() + ": "
                    + SiteDatabase.driverMessage(e) + " (SQLSTATE " + e.getSQLState() + ")",
                    "the controller's database user needs to run GET_LOCK on that server", e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** {@code hikkoshi.controller.SCHEMA}; a schema too long for that is shortened and given a hash of its name. */
    public static String lockName(String schema) {
        String name = PREFIX + schema;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            String suffix = "." + HexFormat.of().formatHex(hash, 0, 8);
            return name.substring(0, MAX_NAME - suffix.length()) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String name() {
        return name;
    }

    /** Empty when the lock is taken; otherwise who holds it ("connection 42 from 10.0.2.5:51234"). */
    private static Optional<String> tryLock(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getInt(1) == 1 && !rs.wasNull()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(holder(c, name));
    }

    /** IS_USED_LOCK gives the holder's connection id; the process list (all of it only with PROCESS) its host. */
    private static String holder(Connection c, String name) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
                if (rs.wasNull()) {
                    return "released meanwhile: try again";
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? "connection " + id + " from " + rs.getString(1) : "connection " + id;
            }
        }
    }

    /** The watch: still ours? If not, say so once and try to take it again at each check. */
    private void check() {
        try {
            if (connection != null && owns(connection)) {
                if (!held) {
                    held = true;
                    log.warn("holding the database lock {} on {} again", name, database.describe());
                    listener.regained();
                }
                return;
            }
            lose("the lock is no longer held by this controller's session");
        } catch (SQLException e) {
            lose("its connection failed: " + SiteDatabase.driverMessage(e) + " (SQLSTATE " + e.getSQLState() + ")");
        } catch (RuntimeException e) {
            lose(e.toString());
        }
        retake();
    }

    private boolean owns(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void lose(String why) {
        closeConnection();
        if (held) {
            held = false;
            String reason = "lost the database lock " + name + " on " + database.describe() + ": " + why;
            log.error("{}; no move starts until it is held again", reason);
            listener.lost(reason);
        }
    }

    private void retake() {
        try {
            Connection c = database.dataSource().getConnection();
            Optional<String> holder;
            try {
                holder = tryLock(c, name);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            if (holder.isPresent()) {
                c.close();
                log.warn("the database lock {} on {} is held by {}: not taken again", name, database.describe(),
                        holder.get());
                return;
            }
            connection = c;
            held = true;
            log.warn("took the database lock {} on {} again", name, database.describe());
            listener.regained();
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot take the database lock {} on {} again yet: {}", name, database.describe(), e.toString());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(); // a broken connection is evicted by the pool, not handed out again
            } catch (SQLException e) {
                log.debug("closing the lock connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** Whether the watch last found the lock held. */
    public boolean held() {
        return held;
    }

    /** Stops the watch, releases the lock and closes its connection (a closed session releases it anyway). */
    @Override
    public void close() {
        watch.shutdownNow();
        try {
            if (!watch.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("the database lock's watch did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try (PreparedStatement s = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                s.setString(1, name);
                s.executeQuery().close();
            } catch (SQLException e) {
                log.debug("releasing {}: {}", name, e.toString());
            }
            closeConnection();
        }
        database.close();
    }
}
