package dev.hikkoshi.data.stream;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;
import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rollback of a tenant could not carry back, checked at plan time (never first at rollback time): the
 * new site's capture must work for the reverse sync (binlog on, in ROW format, retained), and values the new
 * site can hold but the old site cannot (utf8mb4 text in a latin1 or utf8 column, fractional seconds the old
 * column or server drops, JSON on a server without it) are listed per column, with the tenant's rows that
 * already hold such a value. Used by {@code hikkoshi plan} and before starting a reverse sync.
 */
public final class ReversePreflight {
    private static final Pattern FSP = Pattern.compile("^(datetime|timestamp|time)\\((\\d)\\)");
    private static final Set<String> NARROW_TEXT = Set.of("latin1", "ascii", "utf8", "utf8mb3", "cp932", "sjis", "ujis",
            "eucjpms", "latin2", "cp1250", "cp1251", "cp1252", "ucs2");
    private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9_]+");
    private static final int SAMPLE_KEYS = 5;

    /**
     * @param blockers why a reverse sync cannot run at all (each with its fix)
     * @param losses   what a rollback would lose, one line per column
     */
    public record Report(List<String> blockers, List<String> losses) {
        public Report {
            blockers = List.copyOf(blockers);
            losses = List.copyOf(losses);
        }

        public boolean clean() {
            return blockers.isEmpty() && losses.isEmpty();
        }
    }

    private ReversePreflight() {
    }

    /**
     * Checks the reverse direction of a move of {@code tenantId}'s rows: {@code newSite} (its capture mode
     * {@code newCapture}) back to {@code oldSite}, for the tables of {@code scope} (as inspected on the old
     * site; the new site's definitions are {@code newSchema}'s).
     */
    public static Report check(CopyEndpoint newSite, Schema newSchema, CaptureMode newCapture, CopyEndpoint oldSite,
                               Schema oldSchema, TenantScope scope, String tenantId) {
        List<String> blockers = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        ServerInfo server = newSite.server();
        if (newCapture == CaptureMode.BINLOG) {
            if (!server.logBin()) {
                blockers.add("the binlog of " + newSite.describe() + " is off, so the reverse sync cannot read the"
                        + " tenant's writes there for a rollback; fix: turn it on with binlog_format=ROW (Aurora: set"
                        + " binlog_format in the cluster parameter group and reboot the writer)");
            } else if (!server.rowBinlog()) {
                blockers.add("the binlog of " + newSite.describe() + " is in " + server.binlogFormat().orElse("?")
                        + " format, but the reverse sync needs ROW; fix: SET GLOBAL binlog_format = 'ROW'"
                        + " (and in the server's configuration)");
            } else {
                retention(newSite).ifPresent(blockers::add);
            }
        }
        try (Connection c = newSite.dataSource().getConnection()) {
            for (TableScope t : scope.tables()) {
                Optional<Table> onNew = newSchema.table(t.name());
                Optional<Table> onOld = oldSchema.table(t.name());
                if (onNew.isEmpty() || onOld.isEmpty()) {
                    continue;
                }
                for (Column n : onNew.get().writableColumns()) {
                    Optional<Column> o = onOld.get().column(n.name());
                    String name = quote(t.name()) + "." + quote(n.name());
                    if (o.isEmpty()) {
                        losses.add("column " + name + " exists only on the new site: its values would not go back");
                        continue;
                    }
                    loss(n, o.get(), oldSite.server()).ifPresent(what -> losses.add(what.replace("%s", name)));
                    if (n.charset().map("utf8mb4"::equalsIgnoreCase).orElse(false) && o.get().charset()
                            .map(cs -> NARROW_TEXT.contains(cs.toLowerCase(Locale.ROOT))).orElse(false)) {
                        unstorable(c, newSite.schema(), t, n, o.get().charset().orElseThrow(), tenantId)
                                .ifPresent(losses::add);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("checking what a rollback would lose", newSite.describe(), e);
        }
        return new Report(blockers, losses);
    }

    /** The column-level loss of carrying {@code n}'s values into {@code o}, with %s for the column's name. */
    static Optional<String> loss(Column n, Column o, ServerInfo oldServer) {
        String newCs = n.charset().orElse("");
        String oldCs = o.charset().orElse("");
        if (newCs.equalsIgnoreCase("utf8mb4") && NARROW_TEXT.contains(oldCs.toLowerCase(Locale.ROOT))) {
            return Optional.of("column %s is utf8mb4 on the new site but " + oldCs + " on the old site: text outside "
                    + oldCs + " (such as emoji) written after the switch cannot go back");
        }
        if (n.dataType().equals("json") && !o.dataType().equals("json") && !oldServer.supportsJson()) {
            return Optional.of("column %s is JSON on the new site; the old site (" + oldServer.product()
                    + ") has no JSON type and keeps it as text without validation");
        }
        int newFsp = fsp(n.columnType());
        int oldFsp = oldServer.atLeast(5, 6, 4) || oldServer.flavour() == dev.hikkoshi.data.schema.ServerFlavour.MARIADB
                ? fsp(o.columnType()) : 0;
        if (newFsp > oldFsp) {
            return Optional.of("column %s keeps " + newFsp + " fractional second digits on the new site but " + oldFsp
                    + " on the old site (" + oldServer.product() + "): they are cut off by a rollback");
        }
        return Optional.empty();
    }

    private static int fsp(String columnType) {
        Matcher m = FSP.matcher(columnType.toLowerCase(Locale.ROOT));
        return m.find() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** The tenant's rows on the new site whose text the old column's charset cannot hold. */
    private static Optional<String> unstorable(Connection c, String schema, TableScope t, Column n, String oldCharset,
                                               String tenantId) throws SQLException {
        if (!CHARSET.matcher(oldCharset).matches()) {
            return Optional.empty();
        }
        Optional<String> predicate = t.tenantPredicate(schema, "r");
        String value = column("r", n.name());
        String changed = "BINARY CONVERT(CONVERT(" + value + " USING " + oldCharset + ") USING utf8mb4) <> BINARY " + value;
        String keyText = "CONCAT_WS(',', " + String.join(", ", t.rowKey().columns().stream()
                .map(k -> "CONCAT('" + k.replace("'", "''") + "=', " + column("r", k) + ")").toList()) + ")";
        String sql = "SELECT " + keyText + " FROM " + qualified(schema, t.name()) + " " + quote("r") + " WHERE "
                + predicate.map(p -> "(" + p + ") AND ").orElse("") + changed + " ORDER BY "
                + String.join(", ", t.rowKey().columns().stream().map(k -> column("r", k)).toList());
        List<String> keys = new ArrayList<>();
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (predicate.isPresent()) {
                ps.setString(1, tenantId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    if (keys.size() < SAMPLE_KEYS) {
                        keys.add(rs.getString(1));
                    }
                }
            }
        }
        if (rows == 0) {
            return Optional.empty();
        }
        return Optional.of(rows + " row" + (rows == 1 ? "" : "s") + " of the tenant in " + quote(t.name()) + "."
                + quote(n.name()) + (rows == 1 ? " already holds" : " already hold") + " text that " + oldCharset + " cannot store (" + String.join("; ", keys)
                + (rows > keys.size() ? "; ..." : "") + ")");
    }

    /** A blocker when the new site's binlog retention is under a day (0 means kept until purged by hand). */
    private static Optional<String> retention(CopyEndpoint site) {
        try (Connection c = site.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN"
                     + " ('binlog_expire_logs_seconds', 'expire_logs_days')")) {
            long seconds = 0;
            while (rs.next()) {
                double v = Double.parseDouble(rs.getString(2).trim());
                long s2 = rs.getString(1).equalsIgnoreCase("expire_logs_days") ? (long) (v * 86_400) : (long) v;
                seconds = seconds == 0 ? s2 : s2 == 0 ? seconds : Math.min(seconds, s2);
            }
            if (seconds > 0 && seconds < 86_400) {
                return Optional.of("the binlog of " + site.describe() + " is kept only " + seconds + " s, too short to"
                        + " roll back from; fix: SET GLOBAL binlog_expire_logs_seconds = 604800 (Aurora:"
                        + " CALL mysql.rds_set_configuration('binlog retention hours', 168))");
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new DatabaseException("reading binlog retention", site.describe(), e);
        }
    }
}
