package dev.hikkoshi.data.copy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link CopyJob} of one tenant, or of every row in scope, from the checked tenant scope and the
 * two sites' databases. A tenant's copy carries its per-tenant tables (tenant column, join path) selected by
 * the scope's predicates; shared tables are synced one way on their own and not copied with a tenant. Used by
 * {@code hikkoshi data copy} and the cutover engine.
 */
public final class ScopeCopy {
    private ScopeCopy() {
    }

    /** A site's database as a copy endpoint. */
    public static CopyEndpoint endpoint(SiteDatabase database) {
        return new CopyEndpoint(database.dataSource(), database.schema(), database.serverInfo(), database.describe());
    }

    /** Copies {@code tenant}'s rows of every per-tenant table. */
    public static CopyJob tenant(TenantScope scope, Schema targetSchema, SiteDatabase source, SiteDatabase target,
                                 Tenant tenant, CopySettings settings, CopyHooks hooks) {
        List<CopyTable> tables = new ArrayList<>();
        for (TableScope t : scope.perTenantTables()) {
            tables.add(new CopyTable(t.table(), targetTable(targetSchema, t, target), t.rowKey(), t::tenantPredicate));
        }
        return new CopyJob(endpoint(source), endpoint(target), tables, Optional.of(tenant.databaseId()),
                tenant.id().value(), settings, source.config()::charsetOverride, hooks);
    }

    /** Copies every row of every table in scope (whole-schema mode, or {@code --all}). */
    public static CopyJob all(TenantScope scope, Schema targetSchema, SiteDatabase source, SiteDatabase target,
                              CopySettings settings, CopyHooks hooks) {
        List<CopyTable> tables = new ArrayList<>();
        for (TableScope t : scope.tables()) {
            tables.add(new CopyTable(t.table(), targetTable(targetSchema, t, target), t.rowKey(), TenantRows.ALL));
        }
        return new CopyJob(endpoint(source), endpoint(target), tables, Optional.empty(), "*", settings,
                source.config()::charsetOverride, hooks);
    }

    private static Table targetTable(Schema targetSchema, TableScope t, SiteDatabase target) {
        return targetSchema.table(t.name()).orElseThrow(() -> new UserException("table " + t.name()
                + " is missing on " + target.describe(),
                "create it with 'hikkoshi data verify --schema --create-missing -c FILE', then copy again"));
    }
}
