package dev.hikkoshi.cutover.move;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.DatabaseConfig;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.copy.CopySettings;
import dev.hikkoshi.data.stream.StreamRegistry;
import dev.hikkoshi.data.stream.StreamSettings;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two sites of the move tests' shape (legacy = the pair's source, cloud = its target, tenants t1 and t2, the
 * shop schema's scope), both capturing changes in {@code capture} mode, and the move's data access over them.
 */
final class DataSites implements AutoCloseable {
    static final SiteId LEGACY = StepsFixture.LEGACY;
    static final SiteId CLOUD = StepsFixture.CLOUD;

    final List<SiteDatabase> opened = new ArrayList<>();
    final MoveData data;

    DataSites(SchemaPair pair, String capture) {
        String yaml = "sites:\n"
                + "  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root, capture: " + capture + " } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root, capture: " + capture + " } }\n"
                + "tenants: { list: [ { name: t1, id: 1 }, { name: t2, id: 2 } ] }\n"
                + "data:\n  tenant-column: tenant_id\n  tables: { order_items: { via: \"order_id -> orders.id\" } }\n";
        ConfigDocument doc = ConfigDocument.parse(Path.of("data-sites-test.yaml"), yaml, Map.of());
        CommonConfig common = CommonConfig.bind(doc.root());
        DataConfig config = DataConfig.bind(doc.root(), common);
        doc.throwIfProblems();
        Map<SiteId, SiteDatabase> databases = new LinkedHashMap<>();
        for (DatabaseConfig db : config.databases().values()) {
            SiteDatabase site = SiteDatabase.open(db, 12); // as MoveSteps opens them
            opened.add(site);
            databases.put(db.site(), site);
        }
        data = new MoveData(common, config, databases, new StreamRegistry(), StreamSettings.defaults(),
                CopySettings.of(config.copy()));
    }

    @Override
    public void close() {
        data.close();
        opened.forEach(SiteDatabase::close);
    }
}
