package dev.hikkoshi.data.trigger;

import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.ServerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and removes what the trigger capture needs on a source: the {@code hikkoshi} schema, the change-log
 * table of the application schema ({@link ChangeLogTable}) and an AFTER INSERT, AFTER UPDATE and AFTER DELETE
 * trigger on every table in scope. Used by {@link TriggerCapture}, by finalize and by
 * {@code hikkoshi data uninstall}.
 *
 * <p>Before anything is created, the tables' existing triggers are read: a server before MySQL 5.7.2 / MariaDB
 * 10.2.3 holds one trigger per table, event and timing, so another AFTER trigger of the same event is reported
 * with the options, and nothing is installed. Creating triggers needs SUPER before MySQL 5.1.6 and the TRIGGER
 * privilege after; a refusal is reported with the grant to ask for. Install and uninstall are idempotent.
 */
public final class TriggerInstaller {
    private static final Logger log = LoggerFactory.getLogger(TriggerInstaller.class);

    /** A trigger found on the source's schema. */
    record ExistingTrigger(String name, String table, String timing, String event, String statement) {
    }

    private final CopyEndpoint source;
    private final ChangeLogTable changeLog;

    public TriggerInstaller(CopyEndpoint source) {
        this.source = Objects.requireNonNull(source, "source");
        this.changeLog = new ChangeLogTable(source.schema());
    }

    /** The change-log table, {@code hikkoshi.changes_<schema>}. */
    public String changeLogTable() {
        return WriteMarker.SCHEMA + "." + changeLog.name();
    }

    /** True when several triggers of one table, event and timing may coexist (MySQL 5.7.2, MariaDB 10.2.3). */
    static boolean allowsSeveralTriggers(ServerInfo server) {
        return switch (server.flavour()) {
            case MYSQL -> server.atLeast(5, 7, 2);
            case MARIADB -> server.atLeast(10, 2, 3);
        };
    }

    /**
     * Creates the change log and the triggers of {@code tables}; triggers already installed with the same
     * statement are kept, ours with another statement (the scope changed) are replaced.
     */
    void install(List<CapturedTable> tables) {
        try (Connection c = source.dataSource().getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // The trigger keeps the creating session's sql_mode and charset: '' and utf8, as 5.0 knows them.
                s.execute("SET SESSION sql_mode = '', NAMES utf8");
            }
            List<ExistingTrigger> existing = existing(c);
            refuseConflicts(tables, existing);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + quote(WriteMarker.SCHEMA));
                s.execute(changeLog.createStatement());
                s.execute(changeLog.createConsumersStatement());
                int created = 0;
                for (CapturedTable table : tables) {
                    for (TriggerEvent event : TriggerEvent.values()) {
                        created += createTrigger(s, existing, table, event) ? 1 : 0;
                    }
                }
                log.info("trigger capture on {}: change log {}, {} trigger(s) created, {} kept", source.describe(),
                        changeLogTable(), created, tables.size() * 3 - created);
            }
        } catch (SQLException e) {
            throw refusal(e);
        }
    }

    private boolean createTrigger(Statement s, List<ExistingTrigger> existing, CapturedTable table, TriggerEvent event)
            throws SQLException {
        String name = ChangeLogTable.triggerName(event, table.name());
        String sql = TriggerSql.create(source.schema(), changeLog, table, event);
        for (ExistingTrigger t : existing) {
            if (t.name().equalsIgnoreCase(name)) {
                if (sql.endsWith(t.statement())) {
                    return false;
                }
                log.warn("replacing trigger {} on table {}: the tables in scope or their keys changed", name, table.name());
                s.execute("DROP TRIGGER " + qualified(source.schema(), name));
            }
        }
        s.execute(sql);
        return true;
    }

    private void refuseConflicts(List<CapturedTable> tables, List<ExistingTrigger> existing) {
        refuseNamesInUse(tables, existing);
        List<String> taken = new ArrayList<>();
        for (CapturedTable table : tables) {
            for (ExistingTrigger t : existing) {
                if (t.table().equalsIgnoreCase(table.name()) && !ours(t)) {
                    if (allowsSeveralTriggers(source.server())) {
                        log.warn("table {} has trigger {} ({} {}); hikkoshi's triggers fire beside it", table.name(),
                                t.name(), t.timing(), t.event());
                    } else if (t.timing().equalsIgnoreCase("AFTER")) {
                        taken.add(table.name() + " AFTER " + t.event().toUpperCase(Locale.ROOT) + " (" + t.name() + ")");
                    }
                }
            }
        }
        if (!taken.isEmpty()) {
            throw new UserException("cannot install hikkoshi's capture triggers on " + source.describe() + ": "
                    + source.server().product() + " allows one trigger per table, event and timing, and "
                    + (taken.size() == 1 ? "this one is" : "these are") + " taken: " + String.join(", ", taken),
                    "choose one: set capture: differential for this site (no triggers needed); or turn "
                            + (taken.size() == 1 ? "that trigger" : "those triggers") + " into BEFORE triggers, or drop "
                            + (taken.size() == 1 ? "it" : "them") + " while the move runs; or upgrade to MySQL 5.7.2 or"
                            + " MariaDB 10.2.3, where triggers of one event can coexist");
        }
    }

    /**
     * A trigger of the application's that has the name one of hikkoshi's needs: {@link #createTrigger} replaces a
     * trigger of that name, which must never be one hikkoshi did not write.
     */
    private void refuseNamesInUse(List<CapturedTable> tables, List<ExistingTrigger> existing) {
        List<String> inUse = new ArrayList<>();
        for (CapturedTable table : tables) {
            for (TriggerEvent event : TriggerEvent.values()) {
                String name = ChangeLogTable.triggerName(event, table.name());
                existing.stream().filter(t -> t.name().equalsIgnoreCase(name) && !ours(t)).forEach(t -> inUse.add(
                        t.name() + " (" + t.timing().toUpperCase(Locale.ROOT) + " " + t.event().toUpperCase(Locale.ROOT)
                                + " on " + t.table() + ")"));
            }
        }
        if (!inUse.isEmpty()) {
            throw new UserException("cannot install hikkoshi's capture triggers on " + source.describe() + ": "
                    + (inUse.size() == 1 ? "a trigger that is not hikkoshi's has the name" : "triggers that are not"
                    + " hikkoshi's have the names") + " its capture needs: " + String.join(", ", inUse),
                    "nothing was installed or dropped; re-create " + (inUse.size() == 1 ? "that trigger" : "those triggers")
                            + " under another name (DROP TRIGGER, then CREATE TRIGGER with the same body), or set"
                            + " capture: differential for this site");
        }
    }

    /** Ours: named {@code hk_a?_...} and writing into this schema's change log. */
    private boolean ours(ExistingTrigger t) {
        return t.name().startsWith(ChangeLogTable.TRIGGER_PREFIX) && t.statement().contains(changeLog.qualifiedName());
    }

    private List<ExistingTrigger> existing(Connection c) throws SQLException {
        List<ExistingTrigger> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,"
                + " EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?")) {
            ps.setString(1, source.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExistingTrigger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** The names of the triggers hikkoshi installed on the schema, sorted. */
    public List<String> installedTriggers() {
        try (Connection c = source.dataSource().getConnection()) {
            return existing(c).stream().filter(this::ours).map(ExistingTrigger::name).sorted().toList();
        } catch (SQLException e) {
            throw new DatabaseException("listing hikkoshi's triggers", source.describe(), e);
        }
    }

    /**
     * Drops every trigger hikkoshi installed on the schema and its change log, then the {@code hikkoshi}
     * schema if nothing else is left in it. Idempotent; returns how many objects it dropped.
     */
    public int uninstall() {
        int dropped = 0;
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (ExistingTrigger t : existing(c)) {
                if (ours(t)) {
                    s.execute("DROP TRIGGER " + qualified(source.schema(), t.name()));
                    dropped++;
                }
            }
            if (tableExists(c, changeLog.name())) {
                s.execute("DROP TABLE IF EXISTS " + changeLog.qualifiedName());
                dropped++;
            }
            if (tableExists(c, changeLog.consumersName())) {
                s.execute("DROP TABLE IF EXISTS " + changeLog.consumersQualifiedName());
                dropped++;
            }
            if (schemaEmpty(c)) {
                s.execute("DROP DATABASE IF EXISTS " + quote(WriteMarker.SCHEMA));
            }
        } catch (SQLException e) {
            throw new DatabaseException("removing hikkoshi's capture triggers and change log " + changeLogTable(),
                    source.describe(), e);
        }
        log.info("trigger capture uninstalled from {}: {} object(s) dropped", source.describe(), dropped);
        return dropped;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, WriteMarker.SCHEMA);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean schemaEmpty(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?),"
                        + " (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)")) {
            ps.setString(1, WriteMarker.SCHEMA);
            ps.setString(2, WriteMarker.SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0 && rs.getInt(2) == 0;
            }
        }
    }

    /**
     * A refused CREATE (privileges) as the user's to fix; anything else as an infrastructure failure. (The
     * sandbox servers run without grant tables, so this mapping is tested on the server's error codes.)
     */
    RuntimeException refusal(SQLException e) {
        String hint = switch (e.getErrorCode()) {
            case 1227, 1142, 1044 -> (source.server().flavour() == dev.hikkoshi.data.schema.ServerFlavour.MYSQL
                    && !source.server().atLeast(5, 1, 6)
                    ? "MySQL before 5.1.6 needs the SUPER privilege to create triggers: GRANT SUPER ON *.* TO the user"
                    : "grant the TRIGGER privilege on the schema: GRANT TRIGGER ON " + quote(source.schema()) + ".* TO the user")
                    + ", and CREATE, INSERT, SELECT, DELETE, DROP on " + quote(WriteMarker.SCHEMA)
                    + ".*; or set capture: differential for this site, which needs no capture privileges";
            case 1419 -> "with binary logging on, creating triggers needs SUPER or log_bin_trust_function_creators=1;"
                    + " or set capture: differential for this site";
            default -> null;
        };
        if (hint == null) {
            return new DatabaseException("installing the capture triggers", source.describe(), e);
        }
        return new UserException("cannot create hikkoshi's capture triggers on " + source.describe() + ": "
                + SiteDatabase.driverMessage(e) + " (SQLSTATE " + e.getSQLState() + ")", hint, e);
    }
}
