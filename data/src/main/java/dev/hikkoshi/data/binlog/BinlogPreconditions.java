package dev.hikkoshi.data.binlog;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.CapturePosition;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.ServerFlavour;
import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a source server can be tailed, each failure a {@link UserException} naming the setting and the
 * fix: binary logging on, {@code binlog_format=ROW}, {@code binlog_row_image=FULL} where the server has it, the
 * replication privileges under that server's names, a server_id no registered replica uses, and binlogs still
 * covering a position. Variables are read fresh (not from the cached {@link ServerInfo}): an operator may fix a
 * setting and retry without restarting hikkoshi. Used by {@link BinlogTailer} and by preflight.
 */
public final class BinlogPreconditions {
    /** ER_OPTION_PREVENTS_STATEMENT, as a server started with --skip-grant-tables answers SHOW GRANTS. */
    private static final int SKIP_GRANT_TABLES = 1290;
    private final SiteDatabase db;

    public BinlogPreconditions(SiteDatabase db) {
        this.db = db;
    }

    /** log_bin, binlog_format, binlog_row_image and the privileges. */
    public void checkServer() {
        Map<String, String> v = variables();
        String capture = "sites." + db.config().site() + ".database.capture";
        if (!on(v.get("log_bin"))) {
            throw new UserException("binary logging is off on " + db.describe() + ": binlog capture needs log_bin=ON",
                    "start the server with log-bin (log_bin cannot be changed while it runs), or set " + capture
                            + " to triggers or differential");
        }
        String format = v.getOrDefault("binlog_format", "");
        if (!format.equalsIgnoreCase("ROW")) {
            throw new UserException("binlog_format is " + format + " on " + db.describe() + ": binlog capture needs ROW",
                    "SET GLOBAL binlog_format = 'ROW' and put binlog_format=ROW in the server's config (sessions already"
                            + " open keep their format), or set " + capture + " to triggers or differential");
        }
        String image = v.get("binlog_row_image");
        if (image != null && !image.equalsIgnoreCase("FULL")) {
            throw new UserException("binlog_row_image is " + image + " on " + db.describe() + ": binlog capture needs FULL",
                    "SET GLOBAL binlog_row_image = 'FULL' and put binlog_row_image=FULL in the server's config, or set "
                            + capture + " to triggers or differential");
        }
        checkPrivileges(capture);
    }

    /**
     * The global privileges binlog capture needs on this server: reading the binlog (REPLICATION SLAVE), reading
     * positions and the binlog list (REPLICATION CLIENT, called BINLOG MONITOR from MariaDB 10.5.2), and listing
     * registered replicas (REPLICATION MASTER ADMIN from MariaDB 10.5.2, REPLICATION SLAVE before).
     */
    static List<String> requiredPrivileges(ServerInfo server) {
        if (server.flavour() == ServerFlavour.MARIADB && server.atLeast(10, 5, 2)) {
            return List.of("REPLICATION SLAVE", "BINLOG MONITOR", "REPLICATION MASTER ADMIN");
        }
        return List.of("REPLICATION SLAVE", "REPLICATION CLIENT");
    }

    /** The global privileges in {@code SHOW GRANTS} lines ({@code GRANT a, b ON *.* TO ...}); roles are not followed. */
    static Set<String> globalPrivileges(List<String> grants) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : grants) {
            String upper = line.toUpperCase(Locale.ROOT);
            int on = upper.indexOf(" ON *.* TO ");
            if (!upper.startsWith("GRANT ") || on < 0) {
                continue;
            }
            for (String p : upper.substring(6, on).split(",")) {
                out.add(p.trim().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    private void checkPrivileges(String capture) {
        List<String> grants = new ArrayList<>();
        String account;
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                rs.next();
                account = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == SKIP_GRANT_TABLES) {
                // A server started with --skip-grant-tables enforces no privilege at all: nothing can be missing.
                return;
            }
            throw new DatabaseException("reading the grants of the current user", db.describe(), e);
        }
        missingPrivileges(account, grants, db.serverInfo(), db.describe(), capture).ifPresent(e -> {
            throw e;
        });
    }

    /** The error for an account whose {@code SHOW GRANTS} lack a privilege binlog capture needs on {@code server}. */
    static Optional<UserException> missingPrivileges(String account, List<String> grants, ServerInfo server,
                                                     String describe, String captureKey) {
        Set<String> have = globalPrivileges(grants);
        if (have.contains("ALL PRIVILEGES") || have.contains("ALL")) {
            return Optional.empty();
        }
        List<String> missing = requiredPrivileges(server).stream().filter(p -> !have.contains(p)).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        int at = account.lastIndexOf('@');
        String quoted = at < 0 ? "'" + account + "'" : "'" + account.substring(0, at) + "'@'" + account.substring(at + 1) + "'";
        return Optional.of(new UserException("user " + quoted + " on " + describe + " lacks " + String.join(", ", missing)
                + ": binlog capture needs " + (missing.size() == 1 ? "it" : "them"),
                "GRANT " + String.join(", ", missing) + " ON *.* TO " + quoted + ", or set " + captureKey
                        + " to triggers or differential"));
    }

    /**
     * Refuses a server_id that the source itself or a replica registered on it uses ({@code SHOW SLAVE HOSTS}):
     * a second binlog reader with a replica's id makes the source drop that replica's connection, silently.
     */
    public void checkServerId(long serverId) {
        String key = "sites." + db.config().site() + ".database.server-id";
        long own = Long.parseLong(variables().getOrDefault("server_id", "0"));
        if (own == serverId) {
            throw new UserException("server-id " + serverId + " is the server_id of " + db.describe()
                    + " itself: the binlog tailer needs an id no server or replica uses",
                    "set " + key + " to a number that no server or replica of this replication topology uses");
        }
        for (Map.Entry<Long, String> replica : registeredReplicas().entrySet()) {
            if (replica.getKey() == serverId) {
                throw new UserException("server-id " + serverId + " is used by a replica registered on " + db.describe()
                        + " (" + replica.getValue() + "): reading the binlog with it would disconnect that replica",
                        "set " + key + " to a number no replica uses (SHOW SLAVE HOSTS on the source lists them)");
            }
        }
    }

    /** Registered replicas: server_id to {@code host:port}. */
    Map<Long, String> registeredReplicas() {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
            while (rs.next()) {
                out.put(rs.getLong("Server_id"), rs.getString("Host") + ":" + rs.getString("Port"));
            }
        } catch (SQLException e) {
            throw new DatabaseException("listing the registered replicas (SHOW SLAVE HOSTS)", db.describe(), e);
        }
        return out;
    }

    /** The binlog files the server still has, oldest first. */
    List<String> binaryLogs() {
        List<String> files = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new DatabaseException("listing the binlog files (SHOW BINARY LOGS)", db.describe(), e);
        }
        return files;
    }

    /** Refuses a position the server's binlogs no longer (or do not yet) cover. */
    public void checkRetention(CapturePosition position) {
        List<String> files = binaryLogs();
        String hint = "the position fell out of the source's binlog retention (expire_logs_days or"
                + " binlog_expire_logs_seconds): raise the retention, then copy the tenant again";
        String range = files.isEmpty() ? "none" : files.get(0) + " to " + files.get(files.size() - 1);
        if (position instanceof CapturePosition.BinlogFile f) {
            if (!files.contains(f.file())) {
                boolean purged = !files.isEmpty() && FileOrder.sequence(f.file()) < FileOrder.sequence(files.get(0));
                throw new UserException("binlog file " + f.file() + " of position " + f.text()
                        + (purged ? " was purged from " : " is not among the binlogs of ") + db.describe()
                        + " (it has " + range + ")", purged ? hint : "check the position: it was not taken on this server");
            }
        } else if (position instanceof CapturePosition.Gtid g) {
            if (files.isEmpty()) {
                throw new UserException("position " + g.text() + " is not covered by " + db.describe()
                        + ": it has no binlog files", hint);
            }
            List<GtidState.Gtid> lost = GtidState.parse(g.gtidSet()).behind(gtidAt(files.get(0), 4));
            if (!lost.isEmpty()) {
                throw new UserException("position " + g.text() + " is no longer covered by the binlogs of "
                        + db.describe() + ": the oldest, " + files.get(0) + ", starts after "
                        + String.join(",", lost.stream().map(GtidState.Gtid::toString).toList()), hint);
            }
        } else {
            throw new IllegalArgumentException("not a binlog position: " + position.text());
        }
    }

    /** MariaDB's GTID position at a binlog coordinate ({@code BINLOG_GTID_POS}). */
    GtidState gtidAt(String file, long position) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, position);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return GtidState.parse(Optional.ofNullable(rs.getString(1)).orElse(""));
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading the GTID position at " + file + ":" + position, db.describe(), e);
        }
    }

    /** The end of the current binlog ({@code SHOW MASTER STATUS}; {@code SHOW BINARY LOG STATUS} on MySQL 8.2+). */
    CapturePosition.BinlogFile filePosition() {
        ServerInfo server = db.serverInfo();
        boolean newMysql = server.flavour() == ServerFlavour.MYSQL && server.atLeast(8, 2, 0);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(newMysql ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new UserException("binary logging is off on " + db.describe() + ": binlog capture needs log_bin=ON",
                        "start the server with log-bin (log_bin cannot be changed while it runs), or set sites."
                                + db.config().site() + ".database.capture to triggers or differential");
            }
            return new CapturePosition.BinlogFile(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new DatabaseException("reading the binlog position", db.describe(), e);
        }
    }

    Map<String, String> variables() {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN"
                     + " ('log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'gtid_binlog_pos')")) {
            while (rs.next()) {
                out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading the binlog settings", db.describe(), e);
        }
        return out;
    }

    private static boolean on(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1"));
    }
}
