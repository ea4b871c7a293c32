package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.routing.Placement;
import dev.hikkoshi.core.routing.RoutingTable;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.routing.RouterFleet;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.DatabaseException;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.ForeignKey;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.scope.TableScope;
import dev.hikkoshi.data.scope.TenantRowCounter;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.router.table.RoutingTableStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Captures the {@link Fingerprint} of the world now: placements from the controller's routing table in the state
 * directory ({@code STATE_DIR/controller/routing-table.json}; a tenant it does not list is on the first site with
 * a database), every site's schema as {@link TableShape}s, and the sizes of the tenants asked for, counted on the
 * site where each is placed. Used by {@code hikkoshi plan} and by the controller before it adopts a plan (it
 * passes its own open databases and tenant directory).
 *
 * <p>Sizes are exact {@code COUNT(*)}s per per-tenant table (tenant-column tables by their index, via-joined
 * tables through their join), like {@code hikkoshi data inspect TENANT}: estimates from information_schema are
 * per table, not per tenant, so they cannot tell one tenant's growth from another's.
 */
public final class FingerprintReader {
    private final CommonConfig common;
    private final SiteScopes scopes;
    private final TenantDirectory directory;
    private final Fingerprint.Tolerance tolerance;
    private final SiteId firstSite;

    /**
     * @param databases each site's open database (the caller owns them); {@code directory} the config's tenants
     */
    public FingerprintReader(CommonConfig common, DataConfig data, Function<SiteId, SiteDatabase> databases,
                             TenantDirectory directory, Fingerprint.Tolerance tolerance) {
        this(common, new SiteScopes(data, databases), directory, tolerance);
    }

    FingerprintReader(CommonConfig common, SiteScopes scopes, TenantDirectory directory,
                      Fingerprint.Tolerance tolerance) {
        this.common = common;
        this.scopes = scopes;
        this.directory = directory;
        this.tolerance = tolerance;
        this.firstSite = scopes.config().sites(Optional.empty(), Optional.empty()).source().site();
    }

    /** Where each tenant of the directory is placed now. */
    public Map<TenantId, SiteId> placements() {
        RoutingTable table = new RoutingTableStore(common.stateDir().resolve(RouterFleet.STATE_SUBDIR))
                .load(common.sites()).orElse(RoutingTable.empty());
        Map<TenantId, SiteId> out = new TreeMap<>();
        for (Tenant t : directory.all()) {
            out.put(t.id(), table.placement(t.id()).map(Placement::site).orElse(firstSite));
        }
        return out;
    }

    /** The fingerprint now, sizing {@code sized} tenants (the ones a plan moves) on the site where each is placed. */
    public Fingerprint read(Collection<TenantId> sized) {
        Map<TenantId, SiteId> placements = placements();
        Map<TenantId, Long> rows = new TreeMap<>();
        for (TenantId t : sized) {
            rows.put(t, rows(t, placements.getOrDefault(t, firstSite)));
        }
        return read(placements, rows);
    }

    /** The fingerprint with placements and sizes the planner already read, and the schemas read now. */
    Fingerprint read(Map<TenantId, SiteId> placements, Map<TenantId, Long> rows) {
        Map<SiteId, Map<String, TableShape>> schemas = new TreeMap<>();
        for (SiteId site : sitesWithDatabase()) {
            schemas.put(site, shapes(site));
        }
        return new Fingerprint(placements, schemas, rows, tolerance);
    }

    /** What changed since {@code assumed} was captured (see {@link Fingerprint#differences}). */
    public List<String> differences(Fingerprint assumed) {
        // Sizes are counted through the tenant scope, which a schema change can break (a column on one site only):
        // when placements or schemas differ already, those are the differences, and sizes are not read.
        List<String> shape = assumed.differences(read(placements(), assumed.tenantRows()));
        if (!shape.isEmpty()) {
            return shape;
        }
        return assumed.differences(read(assumed.tenantRows().keySet()));
    }

    /** The tenant's rows in the per-tenant tables of the scope read from {@code site}. */
    long rows(TenantId tenant, SiteId site) {
        SiteDatabase db = scopes.database(site);
        Tenant t = directory.find(tenant).orElseThrow(() -> new dev.hikkoshi.core.UserException(
                "unknown tenant " + tenant, "add it to the config's tenants section (or the tenants table)"));
        long total = 0;
        for (TableScope table : scope(site).perTenantTables()) {
            total += TenantRowCounter.count(db, table, t.databaseId());
        }
        return total;
    }

    private TenantScope scope(SiteId site) {
        SiteId other = sitesWithDatabase().stream().filter(s -> !s.equals(site)).findFirst().orElse(site);
        return scopes.report(site, other).orThrow();
    }

    private List<SiteId> sitesWithDatabase() {
        return List.copyOf(scopes.config().databases().keySet());
    }

    private Map<String, TableShape> shapes(SiteId site) {
        // Inspected afresh on every read (not the scopes' cached schema): a reader may be kept and asked again later.
        SiteDatabase db = scopes.database(site);
        Schema schema = db.inspector().inspect(db.schema());
        Map<String, Map<String, String>> defaults = defaults(db);
        Map<String, TableShape> out = new TreeMap<>();
        for (Table t : schema.tables()) {
            out.put(t.name(), shape(t, defaults.getOrDefault(t.name(), Map.of())));
        }
        return out;
    }

    static TableShape shape(Table t, Map<String, String> defaults) {
        List<String> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            StringBuilder line = new StringBuilder(c.name()).append(' ').append(c.columnType())
                    .append(c.nullable() ? " NULL" : " NOT NULL");
            String def = defaults.get(c.name());
            if (def != null) {
                line.append(" DEFAULT ").append(def);
            }
            c.collation().ifPresent(coll -> line.append(" COLLATE ").append(coll));
            if (c.autoIncrement()) {
                line.append(" AUTO_INCREMENT");
            }
            c.generationExpression().ifPresent(g -> line.append(" AS (").append(g).append(')'));
            columns.add(line.toString());
        }
        List<String> keys = new ArrayList<>();
        for (Index i : t.indexes()) {
            keys.add(i.name() + ' ' + (i.primary() ? "PRIMARY KEY" : i.unique() ? "UNIQUE" : "INDEX")
                    + " (" + String.join(",", i.columns()) + ")");
        }
        for (ForeignKey f : t.foreignKeys()) {
            keys.add(f.name() + " FOREIGN KEY (" + String.join(",", f.columns()) + ") REFERENCES "
                    + f.referencedTable() + " (" + String.join(",", f.referencedColumns()) + ") ON DELETE "
                    + f.onDelete() + " ON UPDATE " + f.onUpdate());
        }
        keys.sort(Comparator.naturalOrder());
        return new TableShape(columns, keys);
    }

    /**
     * Column defaults per table: {@code data.schema.Column} does not carry them (copy never needs them), but a
     * changed default changes what the application writes, so the fingerprint reads them here.
     */
    private static Map<String, Map<String, String>> defaults(SiteDatabase db) {
        Map<String, Map<String, String>> out = new HashMap<>();
        String sql = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND COLUMN_DEFAULT IS NOT NULL";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, db.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading the column defaults of schema " + db.schema(), db.describe(), e);
        }
        return out;
    }
}
