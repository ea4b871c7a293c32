package dev.hikkoshi.data.stream;

import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.capture.WriteMarker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stream's progress kept on its target in {@code hikkoshi.stream_checkpoint}: the capture position after the
 * last transaction applied, written in the same target transaction as that batch's rows (so a stream killed at
 * any moment restarts from exactly what the target holds), with the source commit time of that transaction
 * (the lag the target shows, read by {@code hikkoshi data status} from another process) and whether the stream
 * was stopped by a schema change. Times are UTC.
 */
public final class StreamCheckpoints {
    static final String TABLE = "`" + WriteMarker.SCHEMA + "`.`stream_checkpoint`";
    private static final int NO_SUCH_TABLE = 1146;
    private static final int NO_SUCH_DATABASE = 1049;

    /** One stream's row. */
    public record Checkpoint(String stream, CapturePosition position, Optional<Instant> sourceCommittedAt,
                             Instant appliedAt, long appliedChanges, Optional<String> stoppedBy) {
        /**
         * Before when every source commit is applied, as precisely as the checkpoint knows: a differential
         * position's claim (to the millisecond), else the whole second stored in {@code source_committed_at}.
         */
        public Optional<Instant> coveredBefore() {
            if (position instanceof CapturePosition.DifferentialPass p && p.coveredBefore().isPresent()) {
                return p.coveredBefore();
            }
            return sourceCommittedAt;
        }
    }

    private StreamCheckpoints() {
    }

    /** Creates the checkpoint table (and the marker's) unless it exists; see {@link Heartbeat#install}. */
    static void install(Connection target) throws SQLException {
        if (exists(target, TABLE)) {
            return;
        }
        WriteMarker.install(target);
        try (Statement s = target.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (stream VARCHAR(190) NOT NULL PRIMARY KEY,"
                    + " position VARCHAR(255) NOT NULL, source_committed_at DATETIME NULL, applied_at DATETIME NOT NULL,"
                    + " applied_changes BIGINT NOT NULL DEFAULT 0, stopped_by VARCHAR(500) NULL)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8");
        }
    }

    /** Whether {@code qualifiedTable} exists: a read of no rows, without a DDL statement. */
    static boolean exists(Connection c, String qualifiedTable) throws SQLException {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM " + qualifiedTable
                + " LIMIT 0")) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE || e.getErrorCode() == NO_SUCH_DATABASE) {
                return false;
            }
            throw e;
        }
    }

    static Optional<Checkpoint> load(Connection target, String stream) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(select() + " WHERE stream = ?")) {
            ps.setString(1, stream);
            List<Checkpoint> found = read(ps);
            return found.stream().findFirst();
        }
    }

    /** Every stream checkpointed on this target, by name. */
    public static List<Checkpoint> all(Connection target) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(select() + " ORDER BY stream")) {
            return read(ps);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // no such table / schema: nothing streamed yet
                return List.of();
            }
            throw e;
        }
    }

    private static String select() {
        return "SELECT stream, position, source_committed_at, applied_at, applied_changes, stopped_by FROM " + TABLE;
    }

    private static List<Checkpoint> read(PreparedStatement ps) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Checkpoint(rs.getString(1), CapturePosition.parse(rs.getString(2)),
                        Optional.ofNullable(rs.getString(3)).map(StreamCheckpoints::instant), instant(rs.getString(4)),
                        rs.getLong(5), Optional.ofNullable(rs.getString(6))));
            }
        }
        return out;
    }

    /**
     * Notes where a stream will start before its copy runs: saves {@code position} as the stream's checkpoint
     * unless it already has one. Returns the checkpoint the stream will start from.
     */
    public static Checkpoint note(javax.sql.DataSource target, String stream, CapturePosition position) throws SQLException {
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(true);
            install(c);
            Optional<Checkpoint> existing = load(c, stream);
            if (existing.isPresent()) {
                return existing.get();
            }
            save(c, stream, position, null, 0);
            return load(c, stream).orElseThrow();
        }
    }

    /** Saves the position in the caller's open target transaction. */
    static void save(Connection target, String stream, CapturePosition position, Instant sourceCommittedAt,
                     long appliedChanges) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + TABLE + " (stream, position,"
                + " source_committed_at, applied_at, applied_changes) VALUES (?, ?, ?, UTC_TIMESTAMP(), ?)"
                + " ON DUPLICATE KEY UPDATE position = VALUES(position), source_committed_at = VALUES(source_committed_at),"
                + " applied_at = VALUES(applied_at), applied_changes = VALUES(applied_changes), stopped_by = NULL")) {
            ps.setString(1, stream);
            ps.setString(2, position.text());
            // Whole seconds, rounded down: the column has none, and a server that rounds (MySQL 5.6.4 and later,
            // Aurora) would store a time later than commits the stream has not applied.
            ps.setString(3, sourceCommittedAt == null ? null : text(sourceCommittedAt.truncatedTo(ChronoUnit.SECONDS)));
            ps.setLong(4, appliedChanges);
            ps.executeUpdate();
        }
    }

    /** Records why a stream stopped (a DDL): {@code hikkoshi data resume} looks for these. */
    static void stopped(Connection target, String stream, String why) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("UPDATE " + TABLE + " SET stopped_by = ? WHERE stream = ?")) {
            ps.setString(1, why.length() > 500 ? why.substring(0, 500) : why);
            ps.setString(2, stream);
            ps.executeUpdate();
        }
    }

    /** Clears a stream's stop ({@code hikkoshi data resume}, once both schemas match again). */
    public static void release(Connection target, String stream) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("UPDATE " + TABLE + " SET stopped_by = NULL WHERE stream = ?")) {
            ps.setString(1, stream);
            ps.executeUpdate();
        }
    }

    /** Forgets a stream (uninstall). */
    public static void forget(Connection target, String stream) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("DELETE FROM " + TABLE + " WHERE stream = ?")) {
            ps.setString(1, stream);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() != 1146 && e.getErrorCode() != 1049) {
                throw e;
            }
        }
    }

    private static String text(Instant t) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC)).toString();
    }

    private static Instant instant(String text) {
        return Timestamp.valueOf(text).toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
