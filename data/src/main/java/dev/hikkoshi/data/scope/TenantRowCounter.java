package dev.hikkoshi.data.scope;

import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Counts a tenant's rows of a table in scope with its {@link TableScope#tenantPredicate}: an exact
 * {@code COUNT(*)}, so it reads the tenant's rows (or the whole table, for shared and whole tables). Used by
 * {@code hikkoshi data inspect TENANT} and for progress totals.
 */
public final class TenantRowCounter {
    private TenantRowCounter() {
    }

    /** The rows of {@code table} in {@code database}'s schema that belong to {@code tenantDatabaseId}. */
    public static long count(SiteDatabase database, TableScope table, String tenantDatabaseId) {
        Optional<String> predicate = table.tenantPredicate(database.schema(), "t");
        String sql = "SELECT COUNT(*) FROM " + SqlIdentifier.qualified(database.schema(), table.name()) + " `t`"
                + predicate.map(p -> " WHERE " + p).orElse("");
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (predicate.isPresent()) {
                ps.setString(1, tenantDatabaseId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new DatabaseException("counting the rows of table " + table.name(), database.describe(), e);
        }
    }
}
