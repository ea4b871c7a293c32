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
 * How far a moved tenant's bypass-write watch has reported, kept on the new site in {@code hikkoshi.watch_position}
 * so that a restarted watch (the controller restarted during the bake) resumes after the writes it reported
 * instead of reading again from the position noted at the switch: those writes would be reported a second time,
 * paused the plan again after an operator had looked and resumed it, and raised a critical event per row anew.
 *
 * <p>A row belongs to one watch start: it holds the position that watch was started from, and is used only by a
 * watch started from the same one. A row left by an earlier attempt of the tenant's move (a crash before its
 * watch was forgotten) names an earlier noted position and is ignored.
 */
final class WatchPositions {
    static final String TABLE = "`" + WriteMarker.SCHEMA + "`.`watch_position`";

    private final DataSource newSite;
    private final String watch;
    private final CapturePosition startedFrom;

    WatchPositions(DataSource newSite, String watch, CapturePosition startedFrom) {
        this.newSite = newSite;
        this.watch = watch;
        this.startedFrom = startedFrom;
    }

    /** The position after the last transaction whose writes this watch reported, when it was started from here before. */
    Optional<CapturePosition> reportedThrough() throws SQLException {
        try (Connection c = newSite.getConnection()) {
            c.setAutoCommit(true);
            if (!StreamCheckpoints.exists(c, TABLE)) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + TABLE
                    + " WHERE watch = ? AND started_from = ?")) {
                ps.setString(1, watch);
                ps.setString(2, startedFrom.text());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(CapturePosition.parse(rs.getString(1))) : Optional.empty();
                }
            }
        }
    }

    /** Records that every bypassing write up to {@code position} has been reported (the listener has returned). */
    void reported(CapturePosition position) throws SQLException {
        try (Connection c = newSite.getConnection()) {
            c.setAutoCommit(true);
            install(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (watch, started_from, position,"
                    + " reported_at) VALUES (?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE"
                    + " started_from = VALUES(started_from), position = VALUES(position), reported_at = VALUES(reported_at)")) {
                ps.setString(1, watch);
                ps.setString(2, startedFrom.text());
                ps.setString(3, position.text());
                ps.executeUpdate();
            }
        }
    }

    /** Forgets the watch's position (the watch ended: the move was finalized or rolled back). */
    static void forget(DataSource newSite, String watch) throws SQLException {
        try (Connection c = newSite.getConnection()) {
            c.setAutoCommit(true);
            if (!StreamCheckpoints.exists(c, TABLE)) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE watch = ?")) {
                ps.setString(1, watch);
                ps.executeUpdate();
            }
        }
    }

    private static void install(Connection c) throws SQLException {
        if (StreamCheckpoints.exists(c, TABLE)) {
            return;
        }
        WriteMarker.install(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (watch VARCHAR(190) NOT NULL PRIMARY KEY,"
                    + " started_from VARCHAR(255) NOT NULL, position VARCHAR(255) NOT NULL, reported_at DATETIME NOT NULL)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8");
        }
    }
}
