package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.capture.WriteMarker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The heartbeat row a stream's owner writes on the source ({@code hikkoshi.heartbeat}, one row per stream)
 * every interval, marked as hikkoshi's own write. Each beat is a source transaction that the capture delivers
 * (empty of in-scope changes) in commit order, so a stream that applies it has applied everything committed
 * before it: the source commit time of the last transaction applied, saved with the checkpoint on the target,
 * is the lag that keeps rising when a stream stops applying while the source keeps changing.
 */
final class Heartbeat {
    static final String TABLE = "`" + WriteMarker.SCHEMA + "`.`heartbeat`";

    private Heartbeat() {
    }

    /**
     * Creates the heartbeat table (and the marker's) unless it exists. Checked first because a CREATE ... IF NOT
     * EXISTS is still a DDL statement the server logs and syncs: a reverse stream starts inside the freeze.
     */
    static void install(Connection source) throws SQLException {
        if (StreamCheckpoints.exists(source, TABLE)) {
            return;
        }
        WriteMarker.install(source);
        try (Statement s = source.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (stream VARCHAR(190) NOT NULL PRIMARY KEY,"
                    + " beat BIGINT NOT NULL, written_at DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8");
        }
    }

    /** Writes one beat; returns the source's clock at the beat (UTC, whole seconds, as binlog timestamps). */
    static Instant beat(DataSource source, String stream) throws SQLException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                WriteMarker.session(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (stream, beat, written_at)"
                        + " VALUES (?, 1, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE beat = beat + 1,"
                        + " written_at = VALUES(written_at)")) {
                    ps.setString(1, stream);
                    ps.executeUpdate();
                }
                WriteMarker.mark(c, "heartbeat:" + stream);
                Instant at;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP()")) {
                    rs.next();
                    at = Instant.ofEpochSecond(rs.getLong(1));
                }
                c.commit();
                return at;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The source's clock now, UTC. */
    static Instant sourceNow(DataSource source) throws SQLException {
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP()")) {
            rs.next();
            return Instant.ofEpochSecond(rs.getLong(1));
        }
    }
}
