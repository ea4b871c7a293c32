package dev.hikkoshi.data.trigger;

import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.CopyEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What may be deleted from a change log, and the deleting: the position each drain's stream has durably passed
 * ({@link #acknowledge}), and for named consumers the same position kept on the source, so that no capture in any
 * process purges past a consumer that is not running. {@link TriggerCapture}'s drains call {@link #purge} between
 * reads; nothing is deleted that a subscription of this capture (closed unnamed ones included, until the capture
 * closes) or a recorded consumer has not passed, nor the newest row.
 */
final class ChangeLogPurge {
    private static final Logger log = LoggerFactory.getLogger(ChangeLogPurge.class);

    /** A drain's acknowledged position; {@code consumer} is null for an unnamed subscription. */
    private record Acknowledged(String consumer, AtomicLong id) {
    }

    private final CopyEndpoint source;
    private final ChangeLogTable changeLog;
    private final ChangeLogReader reader;
    private final Map<Object, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong purgedThrough = new AtomicLong();
    /** The drains' lowest acknowledgement, and the newest row handed out, when a purge last looked ({@link #due}). */
    private final AtomicLong considered = new AtomicLong();
    private final AtomicLong deliveredWhenConsidered = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    ChangeLogPurge(CopyEndpoint source, ChangeLogTable changeLog, ChangeLogReader reader) {
        this.source = source;
        this.changeLog = changeLog;
        this.reader = reader;
    }

    /**
     * Holds the purge back at {@code from} for {@code drain}; a named {@code consumer}'s position is also recorded (or
     * moved back) on the source, since rows after it must stay.
     */
    void track(Object drain, String consumer, long from) {
        if (consumer != null) {
            hold(consumer, from);
        }
        acknowledged.put(drain, new Acknowledged(consumer, new AtomicLong(from)));
        considered.set(0); // the drains changed: the next look may purge what the last one could not
    }

    /** The drain's stream has committed everything through {@code id}. */
    void acknowledge(Object drain, long id) {
        Acknowledged ack = acknowledged.get(drain);
        if (ack != null) {
            ack.id().accumulateAndGet(id, Math::max);
        }
    }

    /** Whether the drain's stream has not yet committed what it was handed, through {@code cursor}. */
    boolean behind(Object drain, long cursor) {
        Acknowledged ack = acknowledged.get(drain);
        return ack != null && ack.id().get() < cursor;
    }

    /**
     * Whether a purge could delete something: rows the drains passed are left, and since the last purge looked the
     * drains passed more, newer rows arrived (the newest row stays, so the one before it goes only once a newer
     * one exists), or the drains or consumers changed (a consumer that held the purge back may be gone). Not merely against {@link #purgedThrough}: that stays below the newest row, which every drain of
     * an idle source has passed, and the drains would purge every second for nothing.
     */
    boolean due() {
        long safe = safeToPurge();
        return safe > purgedThrough.get() && (safe > considered.get() || delivered.get() > deliveredWhenConsidered.get());
    }

    /** A drain handed out rows through {@code id}: a newer row lets a purge reach the row before it. */
    void delivered(long id) {
        delivered.accumulateAndGet(id, Math::max);
    }

    /**
     * A drain closed. A named one is dropped here (its position stays recorded on the source, brought up to its last
     * acknowledgement): held in memory until the capture closed, the first stream closed on a site held every later
     * purge of its log back for the rest of the process. An unnamed one keeps holding the purge until the capture
     * closes.
     */
    void release(Object drain) {
        Acknowledged ack = acknowledged.get(drain);
        if (ack == null || ack.consumer() == null) {
            return;
        }
        try (Connection c = source.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(recordAcknowledgement())) {
            c.setAutoCommit(true);
            ps.setLong(1, ack.id().get());
            ps.setString(2, ack.consumer());
            ps.executeUpdate();
        } catch (SQLException e) {
            // The recorded position is older, which only keeps more rows.
            log.debug("recording consumer {}'s last acknowledgement: {}", ack.consumer(), e.getMessage());
        }
        acknowledged.remove(drain);
        considered.set(0);
    }

    /** The highest change-log id deleted (0 if none). */
    long purgedThrough() {
        return purgedThrough.get();
    }

    /** Forgets every drain (the capture closed). */
    void clear() {
        acknowledged.clear();
    }

    /**
     * Writes the named acknowledgements to the source, then deletes through the lowest position every drain and
     * every recorded consumer has passed. Each call writes on the (legacy) source: callers space their calls.
     */
    void purge(Connection c) throws SQLException {
        long safe = safeToPurge();
        deliveredWhenConsidered.set(delivered.get());
        considered.accumulateAndGet(safe, Math::max);
        OptionalLong persisted = persistedSafePoint(c);
        if (persisted.isPresent()) {
            safe = Math.min(safe, persisted.getAsLong());
        }
        // Never the newest row: before MySQL 8.0 (and MariaDB 10.2.4) a restarted server sets an InnoDB table's
        // AUTO_INCREMENT to MAX(id) + 1, so an emptied change log would hand out ids again that every consumer had
        // passed, and the changes recorded under them would be skipped.
        safe = Math.min(safe, reader.newestId(c) - 1);
        if (safe > purgedThrough.get()) {
            long deleted = reader.purge(c, safe);
            purgedThrough.accumulateAndGet(safe, Math::max);
            log.debug("purged {} change-log rows through id {}", deleted, safe);
        }
    }

    /** Removes a named consumer's recorded position, so that it no longer holds the purge back. */
    void forget(String consumer) {
        acknowledged.values().removeIf(a -> consumer.equals(a.consumer()));
        considered.set(0);
        try (Connection c = source.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + changeLog.consumersQualifiedName() + " WHERE consumer = ?")) {
            c.setAutoCommit(true);
            ps.setString(1, consumer);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() != 1146 && e.getErrorCode() != 1049) { // no consumers table or schema: nothing to forget
                throw new DatabaseException("forgetting change-log consumer " + consumer, source.describe(), e);
            }
        }
    }

    /** The consumers recorded on the source, sorted (none when the log has no consumers table). */
    List<String> consumers() {
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT consumer FROM " + changeLog.consumersQualifiedName() + " ORDER BY consumer")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // no consumers table, or no hikkoshi schema
                return List.of();
            }
            throw new DatabaseException("listing the consumers of change log " + changeLog.qualifiedName(), source.describe(), e);
        }
    }

    private long safeToPurge() {
        return acknowledged.values().stream().mapToLong(a -> a.id().get()).min().orElse(0);
    }

    /**
     * Records {@code consumer} on the source at {@code from} (moved back if it was further): no capture in any
     * process purges past it until it is acknowledged further or forgotten.
     */
    void hold(String consumer, long from) {
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + changeLog.consumersQualifiedName()
                     + " (consumer, acked_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE acked_id = VALUES(acked_id)")) {
            c.setAutoCommit(true);
            s.execute(changeLog.createConsumersStatement()); // a change log installed before consumers were kept
            ps.setString(1, consumer);
            ps.setLong(2, from);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("registering change-log consumer " + consumer, source.describe(), e);
        }
    }

    /**
     * Writes the named acknowledgements to the source, then returns the lowest position any consumer of the change
     * log, in any process, has passed (empty when no consumer is recorded).
     */
    /** Moves a recorded consumer ({@code ?} 2) up to an acknowledgement ({@code ?} 1); never back, never re-adds it. */
    private String recordAcknowledgement() {
        return "UPDATE " + changeLog.consumersQualifiedName() + " SET acked_id = GREATEST(acked_id, ?) WHERE consumer = ?";
    }

    private OptionalLong persistedSafePoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(recordAcknowledgement())) {
            for (Acknowledged a : acknowledged.values()) {
                if (a.consumer() != null) {
                    ps.setLong(1, a.id().get());
                    ps.setString(2, a.consumer());
                    ps.executeUpdate();
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(acked_id) FROM " + changeLog.consumersQualifiedName())) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(min);
        }
    }
}
