package dev.hikkoshi.data.verify;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.data.config.ColumnRef;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.copy.TenantRows;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the tenant scope into the tables to verify: for one tenant, its rows of every per-tenant table
 * (selected by the scope's own predicate, on each side with that side's schema name); for every row
 * ({@code --all}), every table in scope. Used by {@code hikkoshi data verify} and the demo.
 */
public final class VerifyTables {
    private VerifyTables() {
    }

    /** One tenant's rows of every per-tenant table. */
    public static List<TableToVerify> forTenant(TenantScope scope, Schema target, Tenant tenant,
                                                DatabaseConfig sourceDb, DatabaseConfig targetDb) {
        List<TableToVerify> out = new ArrayList<>();
        for (TableScope table : scope.perTenantTables()) {
            out.add(new TableToVerify(table.table(), targetTable(target, table), table.rowKey(), table::tenantPredicate,
                    Optional.of(tenant.databaseId()), overrides(sourceDb, table.name()), overrides(targetDb, table.name())));
        }
        return out;
    }

    /** Every row of every table in scope. */
    public static List<TableToVerify> allRows(TenantScope scope, Schema target, DatabaseConfig sourceDb,
                                              DatabaseConfig targetDb) {
        List<TableToVerify> out = new ArrayList<>();
        for (TableScope table : scope.tables()) {
            out.add(new TableToVerify(table.table(), targetTable(target, table), table.rowKey(), TenantRows.ALL,
                    Optional.empty(), overrides(sourceDb, table.name()), overrides(targetDb, table.name())));
        }
        return out;
    }

    private static Table targetTable(Schema target, TableScope table) {
        return target.table(table.name()).orElseThrow(() -> new UserException(
                "table " + table.name() + " is missing on the target (schema " + target.name() + "), so it cannot be verified",
                "copy the tenant first (hikkoshi data copy), or create the table on the target"));
    }

    /** The {@code charset-overrides} of one table, by column name. */
    static Map<String, String> overrides(DatabaseConfig db, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<ColumnRef, String> e : db.charsetOverrides().entrySet()) {
            if (e.getKey().table().equalsIgnoreCase(table)) {
                out.put(e.getKey().column(), e.getValue());
            }
        }
        return out;
    }
}
