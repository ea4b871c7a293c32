package dev.hikkoshi.data.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.data.config.CaptureMode;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.copy.CopyEndpoint;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SchemaInspector;
import dev.hikkoshi.data.scope.ScopeResolver;
import dev.hikkoshi.data.scope.TenantScope;
import dev.hikkoshi.sandbox.db.EmbeddedMariaDb;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.LegacyLikeSource;
import dev.hikkoshi.sandbox.db.SandboxSchema;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The reverse sync's preflight, run before any rollback: what the old site cannot store (an emoji written on
 * the new site into a column the old site keeps as latin1, fractional seconds) and whether the new site's
 * binlog can feed the reverse sync at all, each with its exact message.
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(60)
class ReversePreflightIT {
    @Test
    void emojiOnTheNewSite_inAColumnTheOldSiteKeepsAsLatin1_isReportedBeforeAnyRollback(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
                + " body VARCHAR(50) CHARACTER SET latin1 NULL, at DATETIME NULL) ENGINE=InnoDB");
        pair.target().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL,"
                        + " body VARCHAR(50) CHARACTER SET utf8mb4 NULL, at DATETIME(6) NULL) ENGINE=InnoDB",
                "INSERT INTO notes VALUES (1, 1, 'plain', NULL), (2, 1, 'cat 🐱', NULL), (3, 2, 'other 🐱', NULL),"
                        + " (4, 1, 'café', NULL)");
        TenantScope scope = scope(pair);

        ReversePreflight.Report report = ReversePreflight.check(endpoint(pair.target(), "site cloud"),
                inspect(pair.target()), CaptureMode.BINLOG, endpoint(pair.source(), "site legacy"), inspect(pair.source()),
                scope, "1");

        assertThat(report.blockers()).isEmpty();
        assertThat(report.losses()).containsExactly(
                "column `notes`.`body` is utf8mb4 on the new site but latin1 on the old site: text outside latin1 (such"
                        + " as emoji) written after the switch cannot go back",
                "1 row of the tenant in `notes`.`body` already holds text that latin1 cannot store (id=2)",
                "column `notes`.`at` keeps 6 fractional second digits on the new site but 0 on the old site"
                        + " (MariaDB " + EmbeddedMariaDb.VERSION + "): they are cut off by a rollback");
    }

    @Test
    @LegacyLikeSource
    void newSiteWithItsBinlogOff_isABlocker_withItsFix(SchemaPair pair) throws Exception {
        pair.source().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL) ENGINE=InnoDB");
        pair.target().execute("CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL) ENGINE=InnoDB");
        TenantScope scope = scope(pair);

        // The legacy-like server has no binlog: as the new site of a move, no reverse sync could read it.
        ReversePreflight.Report report = ReversePreflight.check(endpoint(pair.source(), "site cloud"),
                inspect(pair.source()), CaptureMode.BINLOG, endpoint(pair.target(), "site legacy"), inspect(pair.target()),
                scope, "1");

        assertThat(report.blockers()).containsExactly("the binlog of site cloud is off, so the reverse sync cannot read"
                + " the tenant's writes there for a rollback; fix: turn it on with binlog_format=ROW (Aurora: set"
                + " binlog_format in the cluster parameter group and reboot the writer)");
        assertThat(report.losses()).isEmpty();
    }

    private static TenantScope scope(SchemaPair pair) throws Exception {
        String yaml = "sites:\n  legacy: { database: { url: \"" + pair.source().jdbcUrl() + "\", user: root } }\n"
                + "  cloud: { database: { url: \"" + pair.target().jdbcUrl() + "\", user: root } }\n"
                + "tenants: { list: [ {name: t1, id: 1} ] }\ndata: { tenant-column: tenant_id }\n";
        ConfigDocument doc = ConfigDocument.parse(Path.of("preflight.yaml"), yaml, Map.of());
        DataConfig config = DataConfig.bind(doc.root(), CommonConfig.bind(doc.root()));
        doc.throwIfProblems();
        return new ScopeResolver(config, config.sites(Optional.empty(), Optional.empty()).source(), inspect(pair.source()),
                Optional.of(inspect(pair.target())), new SchemaInspector(ds(pair.target()), "target").serverInfo())
                .resolve().orThrow();
    }

    private static MariaDbDataSource ds(SandboxSchema schema) throws Exception {
        MariaDbDataSource ds = new MariaDbDataSource(schema.jdbcUrl());
        ds.setUser("root");
        return ds;
    }

    private static Schema inspect(SandboxSchema schema) throws Exception {
        return new SchemaInspector(ds(schema), schema.server().name()).inspect(schema.name());
    }

    private static CopyEndpoint endpoint(SandboxSchema schema, String describe) throws Exception {
        MariaDbDataSource ds = ds(schema);
        return new CopyEndpoint(ds, schema.name(), new SchemaInspector(ds, describe).serverInfo(), describe);
    }
}
