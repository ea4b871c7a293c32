package dev.hikkoshi.data.copy;

import dev.hikkoshi.data.connect.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copy progress kept on the target in hikkoshi's own schema, table {@code hikkoshi.copy_range}: one row per
 * (job, table, range). A chunk's progress row is updated in the same transaction as the chunk's rows, so a
 * copy killed at any moment resumes exactly after the last committed chunk. The same write marks the
 * transaction as hikkoshi's own for change capture (a binlog transaction touching {@code hikkoshi.*}).
 * Used by {@link CopyJob}; {@code job} names what is copied ({@code shop/acme}, {@code shop/*}).
 */
public final class CopyCheckpoints {
    /** hikkoshi's own schema on a target server. */
    public static final String SCHEMA = "hikkoshi";
    private static final String TABLE = "`hikkoshi`.`copy_range`";

    private final String job;

    public CopyCheckpoints(String job) {
        this.job = job;
    }

    public String job() {
        return job;
    }

    /** Creates the schema and table if missing; utf8 names fit every server from MySQL 5.0. */
    static void install(Connection target) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + SCHEMA + "`");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "job VARCHAR(190) NOT NULL, table_name VARCHAR(64) NOT NULL, range_no INT NOT NULL,"
                    + " low_key DECIMAL(20,0) NULL, high_key DECIMAL(20,0) NULL, last_key BLOB NULL,"
                    + " rows_copied BIGINT NOT NULL DEFAULT 0, done TINYINT NOT NULL DEFAULT 0,"
                    + " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                    + " PRIMARY KEY (job, table_name, range_no)) ENGINE=InnoDB DEFAULT CHARSET=utf8");
        }
    }

    /** The ranges of {@code table} planned by an earlier run, in number order; empty if none. */
    List<KeyRange> load(Connection target, String table) throws SQLException {
        List<KeyRange> out = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT range_no, low_key, high_key, last_key, rows_copied,"
                + " done FROM " + TABLE + " WHERE job = ? AND table_name = ? ORDER BY range_no")) {
            ps.setString(1, job);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] last = rs.getBytes(4);
                    out.add(new KeyRange(table, rs.getInt(1), Optional.ofNullable(rs.getBigDecimal(2)).map(d -> d.toBigIntegerExact()),
                            Optional.ofNullable(rs.getBigDecimal(3)).map(d -> d.toBigIntegerExact()),
                            Optional.ofNullable(last).map(RowKey::decode), rs.getLong(5), rs.getInt(6) != 0));
                }
            }
        }
        return out;
    }

    /** Records a table's planned ranges, committed before any of them is copied. */
    void plan(Connection target, List<KeyRange> ranges) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + TABLE
                + " (job, table_name, range_no, low_key, high_key, rows_copied, done) VALUES (?, ?, ?, ?, ?, 0, 0)")) {
            for (KeyRange r : ranges) {
                ps.setString(1, job);
                ps.setString(2, r.table());
                ps.setInt(3, r.number());
                ps.setBigDecimal(4, r.low().map(java.math.BigDecimal::new).orElse(null));
                ps.setBigDecimal(5, r.high().map(java.math.BigDecimal::new).orElse(null));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Saves a range's progress; the caller commits it together with the chunk's rows. */
    void save(Connection target, KeyRange range) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("UPDATE " + TABLE
                + " SET last_key = ?, rows_copied = ?, done = ?, updated_at = CURRENT_TIMESTAMP"
                + " WHERE job = ? AND table_name = ? AND range_no = ?")) {
            ps.setBytes(1, range.lastKey().map(RowKey::encode).orElse(null));
            ps.setLong(2, range.rowsCopied());
            ps.setInt(3, range.done() ? 1 : 0);
            ps.setString(4, job);
            ps.setString(5, range.table());
            ps.setInt(6, range.number());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("copy checkpoint of " + job + " " + range.table() + " range "
                        + range.number() + " is missing (was hikkoshi.copy_range changed during the copy?)");
            }
        }
    }

    /** Forgets the job's progress, so that the next copy starts over (the rows already copied stay). */
    public void reset(javax.sql.DataSource target, String describe) {
        try (Connection c = target.getConnection()) {
            install(c);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE job = ?")) {
                ps.setString(1, job);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new DatabaseException("resetting copy progress of " + job, describe, e);
        }
    }
}
