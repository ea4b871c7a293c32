package dev.hikkoshi.data.tenant;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig.TenantsConfig.FromTable;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenants listed in a table of the source database ({@code tenants.from-table}), read once into an
 * immutable snapshot. Names must be valid tenant names and unique, and ids unique; every offending row is
 * reported at once. Used by the data commands and the controller in place of {@link ListedTenants}.
 */
public final class TableTenants implements TenantDirectory {
    private final ListedTenants tenants;

    private TableTenants(ListedTenants tenants) {
        this.tenants = tenants;
    }

    /** Reads every row of the table named by {@code fromTable} in the database's schema. */
    public static TableTenants load(SiteDatabase database, FromTable fromTable) {
        String sql = "SELECT " + SqlIdentifier.quote(fromTable.idColumn()) + ", " + SqlIdentifier.quote(fromTable.nameColumn())
                + " FROM " + SqlIdentifier.qualified(database.schema(), fromTable.table())
                + " ORDER BY " + SqlIdentifier.quote(fromTable.idColumn());
        List<Tenant> found = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String id = rs.getString(1);
                String name = rs.getString(2);
                if (id == null || name == null || !TenantId.isValid(name)) {
                    bad.add("id " + id + " has name " + (name == null ? "NULL" : "'" + name + "'")
                            + (id == null ? " and a NULL id" : ""));
                } else if (names.putIfAbsent(name, id) != null) {
                    bad.add("name '" + name + "' is used by ids " + names.get(name) + " and " + id);
                } else if (ids.putIfAbsent(id, name) != null) {
                    bad.add("id " + id + " is used by names '" + ids.get(id) + "' and '" + name + "'");
                } else {
                    found.add(new Tenant(TenantId.of(name), id));
                }
            }
        } catch (SQLException e) {
            if ("42S02".equals(e.getSQLState()) || "42S22".equals(e.getSQLState())) {
                throw new UserException("tenants.from-table: " + SiteDatabase.driverMessage(e) + " in " + database.describe(),
                        "name an existing table and its id and name columns in tenants.from-table", e);
            }
            throw new DatabaseException("reading the tenants from table " + fromTable.table(), database.describe(), e);
        }
        if (!bad.isEmpty()) {
            throw new UserException("table " + SqlIdentifier.quote(fromTable.table()) + " of " + database.describe()
                    + " lists tenants hikkoshi cannot use: " + String.join("; ", bad),
                    "tenant names must be unique, 1 to 63 letters, digits, '_', '.' or '-' starting with a letter or"
                            + " digit, and ids unique; fix those rows or use tenants.list");
        }
        return new TableTenants(new ListedTenants(found));
    }

    @Override
    public List<Tenant> all() {
        return tenants.all();
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return tenants.find(id);
    }

    @Override
    public Optional<Tenant> findByDatabaseId(String databaseId) {
        return tenants.findByDatabaseId(databaseId);
    }
}
