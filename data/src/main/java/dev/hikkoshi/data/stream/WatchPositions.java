package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.WriteMarker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How far a bypass-write watch has read, kept in {@code hikkoshi.watch_position} on a site other than the one it
 * watches (its own writes there would be transactions the watch reads), so that a restarted watch (the controller
 * restarted) resumes there. A moved tenant's watch would otherwise read again from the position noted at the
 * switch and report the same writes a second time: the plan paused again after an operator had looked and resumed
 * it, and a critical event per row anew. The shared tables' watch would otherwise start from the present and miss
 * the writes made while the controller was down.
 *
 * <p>A row belongs to one generation of the watch, a text its caller chooses (a moved tenant's: the position noted
 * at the switch; the shared tables': the writer they are watched against), and is used only by a watch of the same
 * generation. A row left by an earlier one (a crash before it was forgotten) is ignored.
 */
public final class WatchPositions {
    static final String TABLE = "`" + WriteMarker.SCHEMA + "`.`watch_position`";
    private static final int SAVE_TIMEOUT_SECONDS = 5;

    private final DataSource store;
    private final String watch;
    private final String generation;
    /** Whether the table is known to exist: saves after the first skip the check. */
    private volatile boolean installed;

    /** The position of {@code watch} of {@code generation}, kept on the site of {@code store}. */
    public WatchPositions(DataSource store, String watch, String generation) {
        this.store = store;
        this.watch = watch;
        this.generation = generation;
    }

    /** Where a watch of this generation read up to before (its reports all made), if one did. */
    public Optional<CapturePosition> resumeFrom() throws SQLException {
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(true);
            install(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + TABLE
                    + " WHERE watch = ? AND generation = ?")) {
                ps.setString(1, watch);
                ps.setString(2, generation);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(CapturePosition.parse(rs.getString(1))) : Optional.empty();
                }
            }
        }
    }

    /** Records that the watch has read up to {@code position}, every bypassing write before it reported. */
    void save(CapturePosition position) throws SQLException {
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(true);
            install(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (watch, generation, position,"
                    + " saved_at) VALUES (?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE"
                    + " generation = VALUES(generation), position = VALUES(position), saved_at = VALUES(saved_at)")) {
                ps.setString(1, watch);
                ps.setString(2, generation);
                ps.setString(3, position.text());
                // On the capture's thread, which feeds every stream of its server: never wait long for a lock.
                ps.setQueryTimeout(SAVE_TIMEOUT_SECONDS);
                ps.executeUpdate();
            }
        }
    }

    /** Forgets the watch's position: it ended for good (a move finalized or rolled back, a writer switched). */
    public void forget() throws SQLException {
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(true);
            if (!present(c)) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE watch = ?")) {
                ps.setString(1, watch);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Creates the table unless it exists, found by a read of {@code information_schema} rather than of the table:
     * the driver logs a missing table's error as a warning on every watch's first start, and a CREATE ... IF NOT
     * EXISTS issued on every start would be a DDL in the site's binlog each time, which every stream reading that
     * site parses for the tables it carries.
     */
    private void install(Connection c) throws SQLException {
        if (installed) {
            return;
        }
        if (!present(c)) {
            WriteMarker.install(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (watch VARCHAR(190) NOT NULL PRIMARY KEY,"
                        + " generation VARCHAR(255) NOT NULL, position VARCHAR(255) NOT NULL, saved_at DATETIME NOT NULL)"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8");
            }
        }
        installed = true;
    }

    private static boolean present(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, WriteMarker.SCHEMA);
            ps.setString(2, "watch_position");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }
}
