package dev.hikkoshi.data.trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the change log in id order. Ids are handed out when a trigger fires, not when its transaction commits,
 * so a plain read could see id 11 committed while id 10 is still open, move past it, and lose it. Every read
 * here is therefore a locking read ({@code LOCK IN SHARE MODE}, autocommit): InnoDB makes it wait for an
 * uncommitted row in its range and then returns it if it committed or skips it if it rolled back, so no id
 * below the last one returned can still appear. The wait ends with the writer's transaction (or the server's
 * {@code innodb_lock_wait_timeout}, after which the caller retries); the locks last one statement.
 */
final class ChangeLogReader {
    /** One change-log row: values per recorded column, {@code null} for NULL; the value lists are empty when absent. */
    record Entry(long id, String table, TriggerEvent event, boolean ownWrite, List<String> columns,
                 List<byte[]> oldValues, List<byte[]> newValues, long changedUnix) {
        Entry {
            Objects.requireNonNull(table, "table");
        }
    }

    /** More distinct column lists than this (old installs, many tables) are parsed each time. */
    private static final int MAX_COLUMN_LISTS = 1_000;

    private final ChangeLogTable log;
    /** Parsed {@code column_names} by their text: every row of a table repeats its list (shared by drains). */
    private final Map<String, List<String>> columnLists = new ConcurrentHashMap<>();

    ChangeLogReader(ChangeLogTable log) {
        this.log = log;
    }

    /** Up to {@code limit} rows after {@code afterId}, in id order, each resolved (committed) for good. */
    List<Entry> read(Connection c, long afterId, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, table_name, kind, own_write, column_names, old_values,"
                + " new_values, changed_unix FROM " + log.qualifiedName() + " WHERE id > ? ORDER BY id LIMIT " + limit
                + " LOCK IN SHARE MODE")) {
            ps.setLong(1, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getString(2), TriggerEvent.ofKind(rs.getString(3)), rs.getInt(4) != 0,
                            columns(rs.getString(5)), tokens(rs.getString(6)), tokens(rs.getString(7)),
                            rs.getLong(8)));
                }
            }
        }
        return out;
    }

    private List<String> columns(String text) {
        List<String> known = columnLists.get(text);
        if (known != null) {
            return known;
        }
        List<String> parsed = TriggerSql.parseColumnNames(text);
        if (columnLists.size() < MAX_COLUMN_LISTS) {
            columnLists.put(text, parsed);
        }
        return parsed;
    }

    /** The source's clock in epoch milliseconds (whole seconds on MySQL 5.0, which has no fractional UNIX_TIMESTAMP). */
    long sourceClock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT UNIX_TIMESTAMP()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) * 1000;
        }
    }

    /** The last id of the log once every row before it is resolved (0 for an empty log): a safe position. */
    long resolvedMax(Connection c, long afterId) throws SQLException {
        long last = afterId;
        while (true) {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + log.qualifiedName()
                    + " WHERE id > ? ORDER BY id LIMIT 10000 LOCK IN SHARE MODE")) {
                ps.setLong(1, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        n++;
                    }
                }
            }
            if (n < 10_000) {
                return last;
            }
        }
    }

    /** The highest id in the log, committed or not (0 for an empty log). */
    long newestId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM " + log.qualifiedName());
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes the rows up to {@code throughId}, a thousand at a time so no statement holds many locks; returns how many. */
    long purge(Connection c, long throughId) throws SQLException {
        long deleted = 0;
        int n;
        do {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + log.qualifiedName()
                    + " WHERE id <= ? ORDER BY id LIMIT 1000")) {
                ps.setLong(1, throughId);
                n = ps.executeUpdate();
            }
            deleted += n;
        } while (n == 1000);
        return deleted;
    }

    /** {@code N} is NULL, anything else the hex of the value's bytes; an absent list (NULL column) is empty. */
    static List<byte[]> tokens(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split(",", -1)).map(t -> t.equals("N") ? null : HexFormat.of().parseHex(t))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
}
