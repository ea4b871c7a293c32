package dev.hikkoshi.cutover.move;

import dev.hikkoshi.data.capture.WriteMarker;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.scope.TableClass;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
final class TenantRowsRemoval {
    private static final Logger log = LoggerFactory.getLogger(TenantRowsRemoval.class);
    private static final int BATCH_ROWS = 5_000;
    private static final int ROW_IS_REFERENCED = 1451;
    private static final int MAX_ATTEMPTS = 5;

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
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Connection c = site.dataSource().getConnection()) {
            WriteMarker.install(c);
            WriteMarker.session(c);
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
