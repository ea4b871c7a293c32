package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.ForeignKey;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes one tenant's rows of every per-tenant table from a site: what PLANNED does on the target before a
 * copy, so that a retried move keeps no row the source changed or deleted since an earlier attempt, and what
 * {@code hikkoshi data purge} does on the site a finalized tenant left. Shared and skipped tables are never
 * touched (they are not per-tenant), nor the tables the caller keeps. Children go first (deepest join path
 * first: a join-path row is found through its parent), in batches of {@value #BATCH_ROWS} rows, each in its own
 * transaction carrying hikkoshi's write marker so that a capture on that site never takes the removal for a
 * bypassing write.
 *
 * <p>Foreign keys: the deletes run with foreign key checks off (set here: a pooled connection may carry either
 * setting), so that no ON DELETE action reaches a row the removal does not delete, and the tenant's own rows go by
 * hikkoshi's statements (counted, in the binlog) whatever their order. A purge ({@code refuseReferrers}) first
 * counts, per foreign key of the site's schema into a removed table, the referring rows that are not removed with
 * the tenant's (another tenant's order of this tenant's customer, or a row of a table hikkoshi does not move):
 * removing would leave such a row pointing at nothing, where the server would have refused (RESTRICT) or changed
 * it (CASCADE, SET NULL), so any refuses the purge with the rows named and nothing deleted. The count is taken
 * once, without locks, before the deletes, and foreign keys from other schemas are not seen. PLANNED's clean-up of
 * a retried move's target skips it: the copy that follows puts the tenant's rows back, and with them what such a
 * row refers to.
 */
final class TenantRowsRemoval {
    private static final Logger log = LoggerFactory.getLogger(TenantRowsRemoval.class);
    private static final int BATCH_ROWS = 5_000;
    private static final int MAX_ATTEMPTS = 5;

    private TenantRowsRemoval() {
    }

    /** Deletes the rows of tenant {@code databaseId} on {@code site}; returns the rows deleted per table. */
    static Map<String, Long> remove(SiteDatabase site, TenantScope scope, String databaseId, String writer) {
        return remove(site, scope, databaseId, writer, Set.of(), "left by an earlier attempt", false);
    }

    /**
     * As above, leaving the tables named in {@code keep} alone; {@code why} says in messages which rows these
     * are ("left by an earlier attempt", "stale since the tenant left"); {@code refuseReferrers}: refuse when rows
     * that are not removed refer to removed ones (see the class note).
     */
    static Map<String, Long> remove(SiteDatabase site, TenantScope scope, String databaseId, String writer,
                                    Set<String> keep, String why, boolean refuseReferrers) {
        List<TableScope> pending = new ArrayList<>(scope.perTenantTables());
        pending.removeIf(t -> keep.contains(t.name()));
        pending.sort(Comparator.comparingInt(TenantRowsRemoval::depth).reversed());
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Connection c = site.dataSource().getConnection()) {
            WriteMarker.install(c);
            WriteMarker.session(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION foreign_key_checks = 0");
            }
            if (refuseReferrers) {
                refuseReferrers(c, site, pending, databaseId, why);
            }
            c.setAutoCommit(false);
            for (TableScope t : pending) {
                deleted.put(t.name(), delete(c, site.schema(), t, databaseId, writer));
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new DatabaseException("removing the rows of tenant id " + databaseId + " " + why, site.describe(), e);
        }
        long total = deleted.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            log.info("removed {} rows of tenant id {} from {} {}: {}", total, databaseId, site.describe(), why, deleted);
        }
        return deleted;
    }

    /** Refuses (see the class note) when rows that are not removed refer to removed ones by a foreign key. */
    private static void refuseReferrers(Connection c, SiteDatabase site, List<TableScope> removed, String databaseId,
                                        String why) throws SQLException {
        String schema = site.schema();
        Map<String, TableScope> byName = new LinkedHashMap<>();
        removed.forEach(t -> byName.put(t.name().toLowerCase(Locale.ROOT), t));
        List<String> reached = new ArrayList<>();
        for (Table child : site.inspector().inspect(schema).tables()) {
            for (ForeignKey fk : child.foreignKeys()) {
                TableScope parent = byName.get(fk.referencedTable().toLowerCase(Locale.ROOT));
                boolean sameSchema = fk.referencedSchema() == null || fk.referencedSchema().equalsIgnoreCase(schema);
                if (parent == null || !sameSchema) {
                    continue;
                }
                long rows = rowsReached(c, schema, child, fk, parent, byName.get(child.name().toLowerCase(Locale.ROOT)),
                        databaseId);
                if (rows > 0) {
                    reached.add(rows + " row" + (rows == 1 ? "" : "s") + " of " + child.name() + " (foreign key "
                            + fk.name() + " ON DELETE " + fk.onDelete().sql() + " to " + fk.referencedTable() + ")");
                }
            }
        }
        if (!reached.isEmpty()) {
            throw new UserException("cannot remove the rows of tenant id " + databaseId + " " + why + " from "
                    + site.describe() + ": rows that are not the tenant's refer to them by foreign keys: "
                    + String.join(", ", reached),
                    "nothing was removed; those rows are another tenant's or of a table hikkoshi does not move, and"
                            + " removing would leave them pointing at nothing: point them elsewhere or delete them"
                            + " yourself, then run again");
        }
    }

    /**
     * The rows of {@code child} whose {@code fk} refers to a row of the tenant's in {@code parent} and that are not
     * themselves removed with the tenant's ({@code childScope}: the child's removal, if it is removed at all).
     */
    private static long rowsReached(Connection c, String schema, Table child, ForeignKey fk, TableScope parent,
                                    TableScope childScope, String databaseId) throws SQLException {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < fk.columns().size(); i++) {
            on.add(SqlIdentifier.column("hk_c", fk.columns().get(i)) + " = "
                    + SqlIdentifier.column("hk_p", fk.referencedColumns().get(i)));
        }
        String sql = "SELECT COUNT(*) FROM " + SqlIdentifier.qualified(schema, child.name()) + " " + SqlIdentifier.quote("hk_c")
                + " JOIN " + SqlIdentifier.qualified(schema, parent.name()) + " " + SqlIdentifier.quote("hk_p")
                + " ON " + String.join(" AND ", on) + " WHERE " + parent.tenantPredicate(schema, "hk_p").orElseThrow()
                + (childScope == null ? "" : " AND (" + childScope.tenantPredicate(schema, "hk_c").orElseThrow()
                + ") IS NOT TRUE");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, databaseId);
            if (childScope != null) {
                ps.setString(2, databaseId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long delete(Connection c, String schema, TableScope t, String databaseId, String writer)
            throws SQLException {
        // Single-table DELETE (MySQL 5.0 has no alias there): the predicate names the table by its own name.
        String predicate = t.tenantPredicate(schema, t.name()).orElseThrow();
        String sql = "DELETE FROM " + SqlIdentifier.qualified(schema, t.name()) + " WHERE " + predicate
                + " LIMIT " + BATCH_ROWS;
        long total = 0;
        while (true) {
            int n = deleteBatch(c, sql, databaseId, writer, t);
            total += n;
            if (n < BATCH_ROWS) {
                return total;
            }
        }
    }

    /**
     * One batch in its own transaction, retried when the server picks it as a deadlock's victim or its lock wait
     * times out: the site is live (the application writes other tenants' rows there, the streams write theirs),
     * and a removal that gave up on the first deadlock left the move unable to start and paused the plan (seen in
     * bench/cutover.sh). The batch is a plain DELETE of the tenant's rows, so running it again is harmless.
     */
    private static int deleteBatch(Connection c, String sql, String databaseId, String writer, TableScope t)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, databaseId);
                    n = ps.executeUpdate();
                }
                WriteMarker.mark(c, writer);
                c.commit();
                return n;
            } catch (SQLException e) {
                boolean transientLock = DatabaseException.isTransientLock(e);
                if (!transientLock || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                c.rollback();
                log.warn("removing rows of tenant id {} from table {}: batch retried after {} (attempt {} of {})",
                        databaseId, t.name(), e.getMessage(), attempt, MAX_ATTEMPTS);
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static int depth(TableScope t) {
        return t.tableClass() instanceof TableClass.JoinPath jp ? jp.hops().size() : 0;
    }
}
