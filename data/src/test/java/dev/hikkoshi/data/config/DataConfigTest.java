package dev.hikkoshi.data.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.routing.SiteId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataConfigTest {
    private static DataConfig bind(String yaml) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), yaml, Map.of("LEGACY_PW", "s3cret"));
        CommonConfig common = CommonConfig.bind(doc.root());
        DataConfig data = DataConfig.bind(doc.root(), common);
        doc.throwIfProblems();
        return data;
    }

    @Test
    void bind_fullExample_readsTablesAndDatabases() {
        DataConfig c = bind("""
                sites:
                  legacy:
                    database: { url: "jdbc:mysql://10.0.1.20/shop?useUnicode=true", user: migrator,
                                password-env: LEGACY_PW, capture: triggers,
                                charset-overrides: { orders.note: cp932 } }
                  cloud:
                    database: { url: "jdbc:mariadb://aurora.example:3307/shop", user: migrator, capture: binlog,
                                tls: { mode: verify-ca, ca-file: /etc/ca.pem } }
                tenants: { from-table: { table: tenants, id: id, name: slug } }
                data:
                  tenant-column: tenant_id
                  tables:
                    tenants: { tenant-column: id }
                    order_items: { via: "order_id -> orders.id" }
                    item_notes: { via: "item_id->order_items.id, order_id -> orders.id" }
                    countries: { shared: { writer: legacy } }
                    sessions: { skip: true }
                    orders: { target-triggers: may-fire }
                """);
        assertThat(c.mode()).isEqualTo(ScopeMode.TENANT);
        assertThat(c.tenantColumn()).contains("tenant_id");
        assertThat(c.table("tenants").flatMap(TableConfig::rule)).contains(new TableRule.TenantColumn("id"));
        assertThat(c.table("item_notes").flatMap(TableConfig::rule)).contains(new TableRule.Via(List.of(
                new JoinHop("item_id", "order_items", "id"), new JoinHop("order_id", "orders", "id"))));
        assertThat(c.table("countries").flatMap(TableConfig::rule)).contains(new TableRule.Shared(SiteId.of("legacy")));
        assertThat(c.table("sessions").flatMap(TableConfig::rule)).contains(new TableRule.Skip());
        assertThat(c.table("orders").orElseThrow().rule()).isEmpty();
        assertThat(c.table("Sessions").flatMap(TableConfig::rule)).contains(new TableRule.Skip());
        assertThat(c.table("orders").orElseThrow().targetTriggers()).isEqualTo(TargetTriggers.MAY_FIRE);

        DatabaseConfig legacy = c.databases().get(SiteId.of("legacy"));
        assertThat(legacy.url().address()).isEqualTo("10.0.1.20:3306");
        assertThat(legacy.schema()).isEqualTo("shop");
        assertThat(legacy.url().driverUrl(Map.of("sslMode", "disable")))
                .isEqualTo("jdbc:mariadb://10.0.1.20:3306/shop?useUnicode=true&sslMode=disable");
        assertThat(legacy.password().orElseThrow().value()).isEqualTo("s3cret");
        assertThat(legacy.toString()).doesNotContain("s3cret");
        assertThat(legacy.capture()).isEqualTo(CaptureMode.TRIGGERS);
        assertThat(legacy.charsetOverride("ORDERS", "note")).contains("cp932");
        DatabaseConfig cloud = c.databases().get(SiteId.of("cloud"));
        assertThat(cloud.tls()).isEqualTo(new TlsConfig(TlsMode.VERIFY_CA, Optional.of(Path.of("/etc/ca.pem"))));
        assertThat(cloud.describe()).isEqualTo("site cloud (aurora.example:3307/shop as migrator)");

        SitePair pair = c.sites(Optional.empty(), Optional.empty());
        assertThat(pair.source().site()).isEqualTo(SiteId.of("legacy"));
        assertThat(pair.target().site()).isEqualTo(SiteId.of("cloud"));
        SitePair back = c.sites(Optional.of(SiteId.of("cloud")), Optional.empty());
        assertThat(back.target().site()).isEqualTo(SiteId.of("legacy"));
    }

    @Test
    void bind_manyMistakes_reportsEveryOneAndNeverAPassword() {
        assertThatThrownBy(() -> bind("""
                sites:
                  legacy:
                    database: { url: "jdbc:postgresql://db/shop?password=hunter2", password-env: NOPE, capture: dump,
                                charset-overrides: { note: cp932, orders.note: klingon } }
                  cloud:
                    database: { url: "jdbc:mariadb://db/shop", user: m, tls: { mode: trust, ca-file: ca.pem } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                data:
                  mode: sharded
                  tables:
                    a: { via: "order_id => orders.id" }
                    b: { tenant-column: t, skip: true }
                    c: { shared: { writer: moon } }
                    d: { target-trigers: may-fire }
                    e: skip
                  copy: { chunk: 10 }
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 14 problems:
                          data.mode: sharded (expected: one of tenant, whole-schema)
                          data.tables.a.via: order_id => orders.id (expected: a join path such as "order_id -> orders.id"; several hops separated by ", " as in "item_id -> order_items.id, order_id -> orders.id")
                          data.tables.b: {"tenant-column":"t","skip":true} (expected: exactly one of tenant-column, via, shared or skip)
                          data.tables.c.shared.writer: moon (expected: a site defined under sites: legacy, cloud)
                          data.tables.d.target-trigers: unknown key (expected: one of tenant-column, via, shared, skip, target-triggers)
                          data.tables.e: skip (expected: a map with one of tenant-column, via, shared: {writer: SITE} or skip: true)
                          data.copy.chunk: unknown key (expected: one of parallelism, chunk-time, max-lock-time, max-rows-per-second, pause-above-threads-running, write)
                          sites.legacy.database.url: jdbc:postgresql://db/shop?password=*** (expected: jdbc:mariadb://HOST[:PORT]/SCHEMA or jdbc:mysql://HOST[:PORT]/SCHEMA, no user or password in it)
                          sites.legacy.database.user: (missing) (expected: the user hikkoshi connects as, such as migrator)
                          sites.legacy.database.password-env: NOPE (expected: the name of an environment variable that is set and not empty)
                          sites.legacy.database.capture: dump (expected: one of binlog, triggers, differential)
                          sites.legacy.database.charset-overrides.note: note (expected: a key of the form table.column, such as orders.note)
                          sites.legacy.database.charset-overrides.orders.note: klingon (expected: one of binary, cp932, eucjpms, latin1, sjis, ujis, utf8, utf8mb4)
                        """.strip() + "\n  sites.cloud.database.tls.ca-file: ca.pem (expected: no ca-file with mode trust (a CA is checked only by verify-ca and verify-full))")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void differential_pacesTheSourceSitesPassesWithDefaultsWhenAbsent() {
        DataConfig config = bind("""
                sites:
                  legacy: { database: { url: "jdbc:mariadb://db/shop", user: m, capture: differential,
                                        differential: { pass-interval: 5s, minimum-pause: 250ms } } }
                  cloud: { database: { url: "jdbc:mariadb://db2/shop", user: m } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                data: { tenant-column: tenant_id }
                """);
        assertThat(config.databases().get(SiteId.of("legacy")).differential())
                .isEqualTo(new DifferentialPace(Duration.ofSeconds(5), Duration.ofMillis(250)));
        assertThat(config.databases().get(SiteId.of("cloud")).differential()).isEqualTo(DifferentialPace.defaults());
        assertThat(DifferentialPace.defaults()).isEqualTo(new DifferentialPace(Duration.ofSeconds(1), Duration.ofMillis(100)));
    }

    @Test
    void differential_aMinimumPauseLongerThanThePassIntervalIsAProblem() {
        assertThatThrownBy(() -> bind("""
                sites:
                  legacy: { database: { url: "jdbc:mariadb://db/shop", user: m,
                                        differential: { pass-interval: 500ms, minimum-pause: 2s, every: 1s } } }
                  cloud: { database: { url: "jdbc:mariadb://db2/shop", user: m, differential: 3s } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                data: { tenant-column: tenant_id }
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 3 problems:
                          sites.legacy.database.differential.every: unknown key (expected: one of pass-interval, minimum-pause)
                          sites.legacy.database.differential.minimum-pause: 2s (expected: a duration at most pass-interval (500ms))
                          sites.cloud.database.differential: 3s (expected: a map of differential capture settings: pass-interval, minimum-pause)""");
    }

    @Test
    void serverId_isOptionalAndMustBeAnUnsigned32BitNumber() {
        String yaml = """
                sites:
                  legacy: { database: { url: "jdbc:mariadb://db/shop", user: m, server-id: 4000000001 } }
                  cloud: { database: { url: "jdbc:mariadb://db2/shop", user: m } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                data: { tenant-column: tenant_id }
                """;
        DataConfig config = bind(yaml);
        assertThat(config.databases().get(SiteId.of("legacy")).serverId()).hasValue(4_000_000_001L);
        assertThat(config.databases().get(SiteId.of("cloud")).serverId()).isEmpty();
        assertThatThrownBy(() -> bind(yaml.replace("4000000001", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config test.yaml has 1 problem:\n"
                        + "  sites.legacy.database.server-id: 0 (expected: an integer from 1 to 4294967295)");
    }

    @Test
    void databaseUrl_passwordParameters_areMaskedWhereverShown() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:mariadb://db:3306/shop?user=m&password=hunter2&trustStorePassword=x")
                .orElseThrow();
        assertThat(url.toString()).isEqualTo("jdbc:mariadb://db:3306/shop?user=m&password=***&trustStorePassword=***");
        assertThat(DatabaseUrl.redact("Access denied (url jdbc:mariadb://db/shop?Password=hunter2&x=1)"))
                .isEqualTo("Access denied (url jdbc:mariadb://db/shop?Password=***&x=1)");
        assertThat(DatabaseUrl.parse("jdbc:mariadb://user:pw@db/shop")).isEmpty();
        assertThat(DatabaseUrl.parse("jdbc:mariadb://[::1]:3307/shop").orElseThrow().address()).isEqualTo("[::1]:3307");
    }

    @Test
    void sites_lessThanTwoDatabases_isAUserErrorWithTheFix() {
        DataConfig c = bind("""
                sites:
                  legacy: { database: { url: "jdbc:mariadb://db/shop", user: m } }
                  cloud: { upstreams: [http://127.0.0.1:1] }
                tenants: { list: [ { name: acme, id: 1 } ] }
                data: { tenant-column: tenant_id }
                """);
        assertThatThrownBy(() -> c.sites(Optional.empty(), Optional.empty()))
                .isInstanceOf(UserException.class)
                .hasMessage("the data engine needs two sites with a database; the config has legacy only")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("add sites.NAME.database with url, user and password-env for the source and the target site");
        assertThatThrownBy(() -> c.sites(Optional.of(SiteId.of("legacy")), Optional.of(SiteId.of("cloud"))))
                .hasMessage("site cloud has no database in the config");
    }
}
