package dev.hikkoshi.data.connect;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.core.tenant.ListedTenants;
import dev.hikkoshi.core.tenant.Tenant;
import dev.hikkoshi.core.tenant.TenantDirectory;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.ScopeReport;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.tenant.TableTenants;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a data command works with: the bound config, open pools to the source and the target database, and
 * the tenant directory. Built from a config file by the {@code hikkoshi data} commands (and later the
 * controller); closing it closes both pools.
 */
public final class DataContext implements AutoCloseable {
    private final CommonConfig common;
    private final DataConfig config;
    private final SiteDatabase source;
    private final SiteDatabase target;

    private DataContext(CommonConfig common, DataConfig config, SiteDatabase source, SiteDatabase target) {
        this.common = common;
        this.config = config;
        this.source = source;
        this.target = target;
    }

    /**
     * Binds the config (throwing every problem at once), then connects to the source and the target: the sites
     * given, or the first two sites with a database. {@code maxConnections} bounds each pool.
     */
    public static DataContext open(ConfigDocument document, Optional<SiteId> from, Optional<SiteId> to, int maxConnections) {
        CommonConfig common = CommonConfig.bind(document.root());
        DataConfig config = DataConfig.bind(document.root(), common);
        document.throwIfProblems();
        SitePair sites = config.sites(from, to);
        SiteDatabase source = SiteDatabase.open(sites.source(), maxConnections);
        try {
            return new DataContext(common, config, source, SiteDatabase.open(sites.target(), maxConnections));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    public CommonConfig common() {
        return common;
    }

    public DataConfig config() {
        return config;
    }

    public SiteDatabase source() {
        return source;
    }

    public SiteDatabase target() {
        return target;
    }

    /** The target's schema, or an empty one when the target server has no schema of that name yet. */
    public Schema targetSchema() {
        return target.inspector().inspect(target.schema());
    }

    /** Inspects both sides and checks the scope; the report holds every problem. */
    public ScopeReport inspectScope() {
        Schema sourceSchema = source.inspector().inspect(source.schema());
        return new ScopeResolver(config, source.config(), sourceSchema, Optional.of(targetSchema()),
                target.serverInfo()).resolve();
    }

    /** The tenants: {@code tenants.list}, or read from the source's {@code tenants.from-table}. */
    public TenantDirectory tenants() {
        return common.tenants().fromTable()
                .<TenantDirectory>map(t -> TableTenants.load(source, t))
                .orElseGet(() -> new ListedTenants(common.tenants().list()));
    }

    /** The tenant named {@code name}, or a user error listing the known ones. */
    public Tenant tenant(String name) {
        TenantDirectory tenants = tenants();
        Optional<Tenant> found = TenantId.isValid(name) ? tenants.find(TenantId.of(name)) : Optional.empty();
        return found.orElseThrow(() -> new UserException("unknown tenant " + name,
                "name one of the tenants in the config's tenants section: " + tenants.all().stream().limit(20)
                        .map(t -> t.id().value()).collect(Collectors.joining(", "))
                        + (tenants.all().size() > 20 ? ", ..." : "")));
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            source.close();
        }
    }
}
