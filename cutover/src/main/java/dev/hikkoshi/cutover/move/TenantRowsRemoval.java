package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.ForeignKey;
import dev.hikkoshi.data.schema.ReferentialAction;
import dev.hikkoshi.data.schema.Schema;
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
 * touched (they are not per-tenant), nor the tables the caller keeps. Children
 * go first (deepest join path first; a table whose delete a foreign key refuses is retried after the others),
 * in batches of {@value #BATCH_ROWS} rows, each in its own transaction carrying hikkoshi's write marker so that
 * a capture on that site never takes the removal for a bypassing write.
 *
 * <p>Foreign keys: checks are on for the removal's session (a pooled connection may carry a copy's setting), so
 * that a RESTRICT from a row that is not removed refuses the delete instead of leaving that row dangling. Before
 * anything is deleted, a foreign key whose ON DELETE CASCADE, SET NULL or SET DEFAULT would carry the deletes into
 * rows that are not the tenant's (another tenant's row referring to one of the tenant's, or a row of a table
 * hikkoshi does not move) stops the removal with the rows counted: hikkoshi never changes another tenant's rows.
 */
final class TenantRowsRemoval {
    private static final Logger log = LoggerFactory.getLogger(TenantRowsRemoval.class);
    private static final int BATCH_ROWS = 5_000;
    private static final int ROW_IS_REFERENCED = 1451;
    private static final int MAX_ATTEMPTS = 5;
    /** The ON DELETE actions that change the referring rows. */
    private static final Set<ReferentialAction> CHANGES_CHILDREN = Set.of(ReferentialAction.CASCADE,
            ReferentialAction.SET_NULL, ReferentialAction.SET_DEFAULT);

    private TenantRowsRemoval() {
    }

    /** Deletes the rows of tenant {@code databaseId} on {@code site}; returns the rows deleted per table. */
    static Map<String, Long> remove(SiteDatabase site, TenantScope scope, String databaseId, String writer) {
        return remove(site, scope, databaseId, writer, Set.of(), "left by an earlier attempt");
    }

    /**
     * As above, leaving the tables named in {@code keep} alone; {@code why} says in messages which rows these
     * are ("left by an earlier attempt", "stale since the tenant left").
     */
    static Map<String, Long> remove(SiteDatabase site, TenantScope scope, String databaseId, String writer,
                                    Set<String> keep, String why) {
        List<TableScope> pending = new ArrayList<>(scope.perTenantTables());
        pending.removeIf(t -> keep.contains(t.name()));
        pending.sort(Comparator.comparingInt(TenantRowsRemoval::depth).reversed());
        Schema onSite = site.inspector().inspect(site.schema());
        pending = referringFirst(pending, onSite);
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Connection c = site.dataSource().getConnection()) {
            WriteMarker.install(c);
            WriteMarker.session(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION foreign_key_checks = 1");
            }
            refuseCascadesBeyond(c, site, onSite, pending, databaseId, why);
            c.setAutoCommit(false);
            // Each round deletes what no remaining table's rows still reference; a round with no progress is a cycle.
            for (int round = 0; !pending.isEmpty(); round++) {
                List<TableScope> refused = new ArrayList<>();
                SQLException last = null;
                for (TableScope t : pending) {
                    try {
                        deleted.merge(t.name(), delete(c, site.schema(), t, databaseId, writer), Long::sum);
                    } catch (SQLException e) {
                        c.rollback();
                        if (e.getErrorCode() != ROW_IS_REFERENCED) {
                            throw e;
                        }
                        refused.add(t);
                        last = e;
                    }
                }
                if (refused.size() == pending.size() || round > scope.perTenantTables().size()) {
                    throw last;
                }
                pending = refused;
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

    /** Refuses (see the class note) when a cascading foreign key would reach rows that are not removed. */
    private static void refuseCascadesBeyond(Connection c, SiteDatabase site, Schema onSite, List<TableScope> removed,
                                             String databaseId, String why) throws SQLException {
        String schema = site.schema();
        Map<String, TableScope> byName = new LinkedHashMap<>();
        removed.forEach(t -> byName.put(t.name().toLowerCase(Locale.ROOT), t));
        List<String> reached = new ArrayList<>();
        for (Table child : onSite.tables()) {
            for (ForeignKey fk : child.foreignKeys()) {
                TableScope parent = byName.get(fk.referencedTable().toLowerCase(Locale.ROOT));
                boolean sameSchema = fk.referencedSchema() == null || fk.referencedSchema().equalsIgnoreCase(schema);
                if (parent == null || !sameSchema || !CHANGES_CHILDREN.contains(fk.onDelete())) {
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
                    + site.describe() + ": foreign keys would carry the deletes into rows that are not the tenant's: "
                    + String.join(", ", reached),
                    "nothing was removed; those rows refer to the tenant's rows from another tenant or from a table"
                            + " hikkoshi does not move, and hikkoshi never changes them: point them elsewhere or delete"
                            + " them yourself, then run again");
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

    /**
     * {@code tables} (deepest join path first) reordered so that a table comes after every table of the list that
     * refers to it by a foreign key of the site's schema: the tenant's referring rows are then deleted by their own
     * statements (counted, and in the binlog) rather than by a cascade. Tables in a cycle keep their order; a
     * RESTRICT among them is retried by the caller's rounds.
     */
    static List<TableScope> referringFirst(List<TableScope> tables, Schema onSite) {
        Map<String, TableScope> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name().toLowerCase(Locale.ROOT), t));
        Map<TableScope, Set<TableScope>> referredBy = new LinkedHashMap<>();
        tables.forEach(t -> referredBy.put(t, new java.util.HashSet<>()));
        for (Table child : onSite.tables()) {
            TableScope from = byName.get(child.name().toLowerCase(Locale.ROOT));
            for (ForeignKey fk : child.foreignKeys()) {
                TableScope to = byName.get(fk.referencedTable().toLowerCase(Locale.ROOT));
                if (from != null && to != null && from != to) {
                    referredBy.get(to).add(from);
                }
            }
        }
        List<TableScope> out = new ArrayList<>();
        List<TableScope> left = new ArrayList<>(tables);
        while (!left.isEmpty()) {
            List<TableScope> free = left.stream().filter(t -> out.containsAll(referredBy.get(t))).toList();
            List<TableScope> next = free.isEmpty() ? left : free;
            out.addAll(next);
            left.removeAll(next);
        }
        return out;
    }

    private static int depth(TableScope t) {
        return t.tableClass() instanceof TableClass.JoinPath jp ? jp.hops().size() : 0;
    }
}
