package dev.hikkoshi.cutover.plan;

import static dev.hikkoshi.data.schema.SqlIdentifier.column;
import static dev.hikkoshi.data.schema.SqlIdentifier.qualified;
import static dev.hikkoshi.data.schema.SqlIdentifier.quote;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopyCheckpoints;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.copy.CopyHooks;
import dev.hikkoshi.data.copy.CopyJob;
import dev.hikkoshi.data.copy.CopyResult;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.copy.CopyTable;
import dev.hikkoshi.data.copy.ScopeCopy;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the copy throughput between the real servers over the real link: copies up to {@link #MAX_ROWS} real
 * rows of one tenant's largest table (one with a single integer row key, present on the target) through the data
 * engine's own copy ({@link CopyJob}: chunked reads with share locks, multi-row inserts, checkpoints) into a table
 * of a scratch schema on the target, and divides by the time it took. The scratch schema and the copy's
 * checkpoint are removed afterwards, also when the copy fails. Used by {@link Planner} unless a sample is given.
 *
 * <p>The rate includes the copy's fixed costs (planning key ranges, connections), so a small sample understates it
 * and the estimates err long, the safe side for a freeze budget.
 */
final class ThroughputProbe {
    private static final Logger log = LoggerFactory.getLogger(ThroughputProbe.class);
    /** At most this many rows are copied: a few seconds at worst on a slow link. */
    static final int MAX_ROWS = 10_000;
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    private final SiteDatabase source;
    private final SiteDatabase target;
    private final TenantScope scope;
    private final Schema targetSchema;
    private final CopySettings settings;

    ThroughputProbe(SiteDatabase source, SiteDatabase target, TenantScope scope, Schema targetSchema,
                    CopySettings settings) {
        this.source = source;
        this.target = target;
        this.scope = scope;
        this.targetSchema = targetSchema;
        this.settings = settings;
    }

    /** Samples with {@code tenant}'s rows ({@code size}: its rows per table; {@code sizer}: row lengths). */
    ThroughputSample measure(Tenant tenant, TenantSizer.TenantSize size, TenantSizer sizer) throws InterruptedException {
        Optional<TableScope> choice = scope.perTenantTables().stream()
                .filter(t -> size.rowsByTable().getOrDefault(t.name(), 0L) > 0)
                .filter(t -> targetSchema.table(t.name()).isPresent())
                .filter(ThroughputProbe::integerKey)
                .max(Comparator.comparingLong(t -> size.rowsByTable().get(t.name())));
        if (choice.isEmpty()) {
            throw new UserException("cannot measure the copy throughput: tenant " + tenant.id() + " has no rows in a"
                    + " table with a single integer key that exists on " + target.describe(),
                    "create the target's tables (hikkoshi data verify --schema --create-missing), or give a sample with"
                            + " --throughput-sample ROWS_PER_S,BYTES_PER_S");
        }
        TableScope table = choice.get();
        String key = table.rowKey().columns().get(0);
        long wanted = Math.min(MAX_ROWS, size.rowsByTable().get(table.name()));
        long bound = keyBound(table, key, tenant, wanted);
        String scratch = "hikkoshi_plan_sample_" + ProcessHandle.current().pid();
        CopyEndpoint scratchEndpoint = new CopyEndpoint(target.dataSource(), scratch, target.serverInfo(),
                target.describe() + " (scratch schema " + scratch + ")");
        Table targetTable = targetSchema.table(table.name()).orElseThrow();
        CopyTable copyTable = new CopyTable(table.table(), targetTable, table.rowKey(),
                (schema, alias) -> Optional.of("(" + table.tenantPredicate(schema, alias).orElseThrow() + ") AND "
                        + column(alias, key) + " <= " + bound));
        CopyJob job = new CopyJob(ScopeCopy.endpoint(source), scratchEndpoint, List.of(copyTable),
                Optional.of(tenant.databaseId()), "plan-sample-" + tenant.id(), settings.withParallelism(1),
                source.config()::charsetOverride, CopyHooks.NONE);
        try {
            createScratch(scratch, table.name());
            CopyResult result = job.run();
            double seconds = Math.max(result.elapsed().toNanos(), 1) / 1e9;
            long rows = result.totalRows();
            if (rows == 0) {
                throw new IllegalStateException("the throughput sample copied no rows of " + table.name() + " of tenant "
                        + tenant.id() + " although " + wanted + " were counted");
            }
            long bytes = rows * sizer.avgRowLength(table.name());
            log.info("throughput sample: {} rows ({} bytes) of {}.{} copied to {} in {} ms", rows, bytes, tenant.id(),
                    table.name(), target.describe(), result.elapsed().toMillis());
            return new ThroughputSample(rows / seconds, bytes / seconds, rows, true);
        } finally {
            dropScratch(scratch, job.checkpoints());
        }
    }

    private static boolean integerKey(TableScope t) {
        List<String> columns = t.rowKey().columns();
        return columns.size() == 1 && t.table().column(columns.get(0)).map(Column::dataType)
                .filter(INTEGER_TYPES::contains).isPresent();
    }

    /**
     * The key of the tenant's {@code wanted}-th row in key order: the sample copies the rows up to it. The
     * application may have deleted rows since they were counted: then the sample takes every row there is.
     */
    private long keyBound(TableScope table, String key, Tenant tenant, long wanted) {
        String from = " FROM " + qualified(source.schema(), table.name()) + " `t` WHERE "
                + table.tenantPredicate(source.schema(), "t").orElseThrow();
        try (Connection c = source.dataSource().getConnection()) {
            Optional<Long> bound = firstKey(c, "SELECT " + column("t", key) + from + " ORDER BY " + column("t", key)
                    + " LIMIT 1 OFFSET " + (wanted - 1), tenant);
            if (bound.isEmpty()) {
                bound = firstKey(c, "SELECT MAX(" + column("t", key) + ")" + from, tenant);
            }
            return bound.orElseThrow(() -> new UserException("tenant " + tenant.id() + " has no rows in "
                    + table.name() + " any more (deleted while the plan ran)", "run the plan again"));
        } catch (SQLException e) {
            throw new DatabaseException("choosing the throughput sample's rows of " + table.name(), source.describe(), e);
        }
    }

    private static Optional<Long> firstKey(Connection c, String sql, Tenant tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant.databaseId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long value = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(value);
            }
        }
    }

    private void createScratch(String scratch, String table) {
        try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + quote(scratch));
            s.execute("DROP TABLE IF EXISTS " + qualified(scratch, table));
            // LIKE copies columns and indexes but no foreign keys or triggers: the sample stands alone.
            s.execute("CREATE TABLE " + qualified(scratch, table) + " LIKE " + qualified(target.schema(), table));
        } catch (SQLException e) {
            throw new DatabaseException("creating the throughput sample's scratch table " + scratch + "." + table,
                    target.describe(), e);
        }
    }

    private void dropScratch(String scratch, CopyCheckpoints checkpoints) {
        try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(scratch));
        } catch (SQLException e) {
            log.warn("could not drop the throughput sample's scratch schema {} on {}: {} (drop it by hand)", scratch,
                    target.describe(), e.getMessage());
        }
        try {
            checkpoints.reset(target.dataSource(), target.describe());
        } catch (RuntimeException e) {
            log.warn("could not remove the throughput sample's copy checkpoint {} on {}: {}", checkpoints.job(),
                    target.describe(), e.getMessage());
        }
    }

}
