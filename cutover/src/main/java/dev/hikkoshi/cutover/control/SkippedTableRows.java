package dev.hikkoshi.cutover.control;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.move.MoveData;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RollbackLoss.SkippedRows} of the controller's data side: for each table the move skips, the tenant's
 * rows in it on the site it moved to, counted by the data config's tenant column. hikkoshi never copies a skipped
 * table, so those rows were written there (by the application since the switch, or by someone else): a rollback
 * leaves them behind. A skipped table without that column cannot be attributed and is named as such. Answers are
 * kept {@link #FRESH} so that a dashboard polling {@code /status} costs the new site a few counts a minute.
 */
final class SkippedTableRows implements RollbackLoss.SkippedRows {
    static final Duration FRESH = Duration.ofSeconds(15);

    private record Answer(Instant at, List<String> lines) {
    }

    private final MoveData data;
    private final Optional<String> tenantColumn;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    SkippedTableRows(MoveData data, Optional<String> tenantColumn, Clock clock) {
        this.data = data;
        this.tenantColumn = tenantColumn;
        this.clock = clock;
    }

    @Override
    public List<String> of(TenantId tenant, SiteId from, SiteId to) {
        Instant now = clock.instant();
        String key = tenant + "/" + from + ">" + to;
        Answer cached = answers.get(key);
        if (cached != null && cached.at().plus(FRESH).isAfter(now)) {
            return cached.lines();
        }
        List<String> lines = count(tenant, from, to);
        answers.put(key, new Answer(now, lines));
        return lines;
    }

    private List<String> count(TenantId tenant, SiteId from, SiteId to) {
        List<String> skipped;
        try {
            skipped = data.skippedTables(from, to);
        } catch (RuntimeException e) {
            return List.of("skipped tables: the move's scope could not be read (" + e.getMessage() + ")");
        }
        if (skipped.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try {
            count(tenant, from, to, skipped, lines);
        } catch (SQLException e) {
            lines.add("skipped tables: rows on " + to + " could not be counted (" + SiteDatabase.driverMessage(e)
                    + ")");
        } catch (RuntimeException e) {
            // a status must answer even when the tenant or the new site cannot be read right now
            lines.add("skipped tables: rows on " + to + " could not be counted (" + e.getMessage() + ")");
        }
        return List.copyOf(lines);
    }

    private void count(TenantId tenant, SiteId from, SiteId to, List<String> skipped, List<String> lines)
            throws SQLException {
        SiteDatabase db = data.database(to);
        try (Connection c = db.dataSource().getConnection()) {
            Tenant t = data.tenant(tenant, from);
            for (String table : skipped) {
                if (tenantColumn.isEmpty() || !hasColumn(c, db.schema(), table, tenantColumn.get())) {
                    lines.add("skipped table " + table + ": no " + tenantColumn.orElse("tenant")
                            + " column, rows not attributable");
                    continue;
                }
                long rows = rows(c, db.schema(), table, tenantColumn.get(), t.databaseId());
                if (rows > 0) {
                    lines.add(String.format(Locale.ROOT, "skipped table %s: %,d row%s of %s on %s", table, rows,
                            rows == 1 ? "" : "s",
                            tenant, to));
                }
            }
        }
    }

    private static boolean hasColumn(Connection c, String schema, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long rows(Connection c, String schema, String table, String column, String tenantId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + SqlIdentifier.qualified(schema, table)
                + " WHERE " + SqlIdentifier.quote(column) + " = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
