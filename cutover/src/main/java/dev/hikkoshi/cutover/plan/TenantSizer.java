package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantRowCounter;
import dev.hikkoshi.data.scope.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes tenants for the plan: per table of the move's scope that holds per-tenant rows (tenant column or join path),
 * the tenant's rows by an exact {@code COUNT(*)} with the scope's own predicate, and bytes as those rows times the
 * table's {@code AVG_ROW_LENGTH} from information_schema.
 *
 * <p>Why exact counts: the plan refuses and orders tenants by size, and information_schema only estimates whole
 * tables, never one tenant's share. A count reads the tenant's index range (tenant-column tables) or joins
 * (via tables): for a 50 GB source that is minutes of index reads, once per plan, on the source only, without
 * locks. Bytes stay an estimate: InnoDB's average row length includes page overhead (a table of a few rows
 * reports 16 KB a row), so small tables look wider than they are; the throughput sample counts its bytes the same
 * way, so copy estimates stay consistent.
 */
final class TenantSizer {
    /** One tenant's size: rows per table of the scope (in scope order), total rows, and estimated bytes. */
    record TenantSize(Map<String, Long> rowsByTable, long rows, long bytes) {
        TenantSize {
            rowsByTable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowsByTable));
        }
    }

    private final SiteDatabase database;
    private final TenantScope scope;
    private final Map<String, Long> avgRowLength;

    TenantSizer(SiteDatabase database, TenantScope scope) {
        this.database = database;
        this.scope = scope;
        this.avgRowLength = avgRowLengths(database);
    }

    TenantSize size(Tenant tenant) {
        Map<String, Long> byTable = new LinkedHashMap<>();
        long rows = 0;
        long bytes = 0;
        for (TableScope table : scope.perTenantTables()) {
            long n = TenantRowCounter.count(database, table, tenant.databaseId());
            byTable.put(table.name(), n);
            rows += n;
            bytes += n * avgRowLength(table.name());
        }
        return new TenantSize(byTable, rows, bytes);
    }

    /** The table's average row length in bytes as the server estimates it (at least 1). */
    long avgRowLength(String table) {
        return Math.max(1, avgRowLength.getOrDefault(table, 1L));
    }

    private static Map<String, Long> avgRowLengths(SiteDatabase db) {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, db.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading the average row lengths of schema " + db.schema(), db.describe(), e);
        }
        return out;
    }
}
