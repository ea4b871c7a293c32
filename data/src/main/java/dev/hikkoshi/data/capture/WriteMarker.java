package dev.hikkoshi.data.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The marker every hikkoshi write carries, so that a capture on the written server never takes it for a write
 * that bypassed the move: a row of {@code hikkoshi.write_marker} written in the same transaction (a binlog
 * tailer sees a change of that table in the transaction and sets {@link ChangeTransaction#ownWrite()}), and the
 * session variable {@code @hikkoshi_write} set to 1 on the writing connection (hikkoshi's triggers record it
 * with each change-log row). Written by the key sync (stream apply, reverse sync, verify --repair).
 */
public final class WriteMarker {
    /** hikkoshi's own schema on every server it writes to or reads changes from. */
    public static final String SCHEMA = OwnWriteMarker.SCHEMA;
    /** The marker table: one row per writer, its counter bumped in every transaction hikkoshi writes. */
    public static final String TABLE = OwnWriteMarker.TABLE;
    /** The session variable hikkoshi's triggers check: 1 on connections hikkoshi writes through. */
    public static final String SESSION_VARIABLE = "@hikkoshi_write";

    private WriteMarker() {
    }

    /** Creates the schema and table if missing (MySQL 5.0 syntax). */
    public static void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + SCHEMA + "`");
            s.execute("CREATE TABLE IF NOT EXISTS `" + SCHEMA + "`.`" + TABLE + "` (writer VARCHAR(190) NOT NULL"
                    + " PRIMARY KEY, writes BIGINT NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8");
        }
    }

    /** Sets the session variable on a connection hikkoshi writes through. */
    public static void session(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET " + SESSION_VARIABLE + " = 1");
        }
    }

    /** Writes the marker row in the connection's open transaction; {@code writer} names the stream or job. */
    public static void mark(Connection c, String writer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO `" + SCHEMA + "`.`" + TABLE
                + "` (writer, writes) VALUES (?, 1) ON DUPLICATE KEY UPDATE writes = writes + 1")) {
            ps.setString(1, writer);
            ps.executeUpdate();
        }
    }

    /** True for the marker table's (schema, table) as a capture reads them from an event. */
    public static boolean isMarker(String schema, String table) {
        return SCHEMA.equalsIgnoreCase(schema) && TABLE.equalsIgnoreCase(table);
    }
}
