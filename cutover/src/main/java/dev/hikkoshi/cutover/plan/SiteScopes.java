package dev.hikkoshi.cutover.plan;

import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.scope.ScopeReport;
import dev.hikkoshi.data.scope.ScopeResolver;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The sites' databases and, per direction, the scope the data engine would move, resolved as
 * {@code MoveData} resolves it (the config's table rules against both inspected schemas); each schema is
 * inspected once. Shared by {@link FingerprintReader} and {@link Planner}.
 */
final class SiteScopes {
    private final DataConfig config;
    private final Function<SiteId, SiteDatabase> databases;
    private final Map<SiteId, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, ScopeReport> reports = new ConcurrentHashMap<>();

    SiteScopes(DataConfig config, Function<SiteId, SiteDatabase> databases) {
        this.config = Objects.requireNonNull(config, "config");
        this.databases = Objects.requireNonNull(databases, "databases");
    }

    DataConfig config() {
        return config;
    }

    SiteDatabase database(SiteId site) {
        return databases.apply(site);
    }

    Schema schema(SiteId site) {
        return schemas.computeIfAbsent(site, s -> {
            SiteDatabase db = database(s);
            return db.inspector().inspect(db.schema());
        });
    }

    /** The scope from {@code source} to {@code target} with its problems (errors are not thrown here). */
    ScopeReport report(SiteId source, SiteId target) {
        return reports.computeIfAbsent(source + ">" + target, k -> {
            SiteDatabase s = database(source);
            return new ScopeResolver(config, s.config(), schema(source), Optional.of(schema(target)),
                    database(target).serverInfo()).resolve();
        });
    }
}
