package dev.hikkoshi.data.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.UserException;
import dev.hikkoshi.core.config.CommonConfig.TenantsConfig.FromTable;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.data.SandboxConfig;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.SitePair;
import dev.hikkoshi.data.connect.SiteDatabase;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.SqlIdentifier;
import dev.hikkoshi.data.tenant.TableTenants;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scope check, table creation and tenants table on schemas of real servers. */
@ExtendWith(FreshSchemaExtension.class)
class ScopeIT {
    static final String[] SHOP = {
            "CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))",
            "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id),"
                    + " FOREIGN KEY (tenant_id) REFERENCES tenants (id))",
            "CREATE TABLE order_items (id BIGINT NOT NULL PRIMARY KEY, order_id BIGINT NOT NULL, KEY (order_id),"
                    + " FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE)",
            "CREATE TABLE item_notes (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT NOT NULL, body TEXT CHARACTER SET latin1,"
                    + " KEY (item_id))",
            "CREATE TABLE countries (code CHAR(2) NOT NULL PRIMARY KEY)",
            "CREATE TABLE sessions (sid VARCHAR(64), data BLOB)",
            "INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex')",
            "INSERT INTO orders VALUES (10, 1), (11, 1), (20, 2)",
            "INSERT INTO order_items VALUES (100, 10), (101, 11), (200, 20)",
            "INSERT INTO item_notes VALUES (1000, 100, 'a'), (1001, 101, 'b'), (2000, 200, 'c')"};

    static final String DATA = """
            data:
              tenant-column: tenant_id
              tables:
                tenants: { tenant-column: id }
                order_items: { via: "order_id -> orders.id" }
                item_notes: { via: "item_id -> order_items.id, order_id -> orders.id" }
                countries: { shared: { writer: legacy } }
                sessions: { skip: true }
            """;

    static ScopeReport resolve(DataConfig config, SiteDatabase source, SiteDatabase target) {
        Schema targetSchema = target.inspector().inspect(target.schema());
        return new ScopeResolver(config, source.config(), source.inspector().inspect(source.schema()),
                Optional.of(targetSchema), target.serverInfo()).resolve();
    }

    static List<Long> ids(SiteDatabase db, TableScope table, String tenantId) throws SQLException {
        String sql = "SELECT `t`.`id` FROM " + SqlIdentifier.qualified(db.schema(), table.name()) + " `t` WHERE "
                + table.tenantPredicate(db.schema(), "t").orElseThrow() + " ORDER BY `t`.`id`";
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    @Test
    void tenantPredicates_onRealRows_selectExactlyOneTenantsRows(SchemaPair pair) throws SQLException {
        pair.source().execute(SHOP);
        DataConfig config = SandboxConfig.bind(pair, DATA);
        SitePair sites = SandboxConfig.sites(config);
        try (SiteDatabase source = SiteDatabase.open(sites.source(), 2);
             SiteDatabase target = SiteDatabase.open(sites.target(), 2)) {
            TenantScope scope = resolve(config, source, target).orThrow();
            assertThat(ids(source, scope.table("tenants").orElseThrow(), "1")).containsExactly(1L);
            assertThat(ids(source, scope.table("orders").orElseThrow(), "1")).containsExactly(10L, 11L);
            assertThat(ids(source, scope.table("order_items").orElseThrow(), "1")).containsExactly(100L, 101L);
            assertThat(ids(source, scope.table("item_notes").orElseThrow(), "1")).containsExactly(1000L, 1001L);
            assertThat(ids(source, scope.table("item_notes").orElseThrow(), "2")).containsExactly(2000L);
            assertThat(scope.skipped()).containsExactly("sessions");
        }
    }

    @Test
    void createMissing_buildsTargetTablesFromTheSourceAndConvertsOverriddenColumns(SchemaPair pair) throws SQLException {
        pair.source().execute(SHOP);
        pair.target().execute("CREATE TABLE tenants (id INT NOT NULL PRIMARY KEY, slug VARCHAR(40) NOT NULL, UNIQUE KEY (slug))");
        // The source's item_notes.body is declared to hold cp932 bytes in its latin1 column.
        DataConfig config = SandboxConfig.bind(pair, ", charset-overrides: { item_notes.body: cp932 }", DATA);
        SitePair sites = SandboxConfig.sites(config);
        try (SiteDatabase source = SiteDatabase.open(sites.source(), 2);
             SiteDatabase target = SiteDatabase.open(sites.target(), 2)) {
            TenantScope scope = resolve(config, source, target).orThrow();
            List<String> missing = TargetTableCreator.missing(scope.tables().stream().map(TableScope::table).toList(),
                    target.inspector().inspect(target.schema())).stream().map(t -> t.name()).toList();
            assertThat(missing).containsExactly("countries", "item_notes", "order_items", "orders");

            List<String> created = new TargetTableCreator(source, target).create(
                    TargetTableCreator.missing(scope.tables().stream().map(TableScope::table).toList(),
                            target.inspector().inspect(target.schema())));

            assertThat(created).containsExactlyElementsOf(missing);
            Schema after = target.inspector().inspect(target.schema());
            assertThat(after.tableNames()).containsExactly("countries", "item_notes", "order_items", "orders", "tenants");
            assertThat(after.table("item_notes").orElseThrow().column("body").orElseThrow().charset()).contains("utf8mb4");
            assertThat(after.table("order_items").orElseThrow().foreignKeys()).hasSize(1);
            assertThat(target.inspector().showCreateTable(target.schema(), "orders")).doesNotContain("AUTO_INCREMENT=");
            assertThat(resolve(config, source, target).errors()).isEmpty();
        }
    }

    @Test
    void inspect_realProblemTables_areReportedWithTheirMessages(SchemaPair pair) {
        pair.source().execute(SHOP);
        pair.source().execute(
                "CREATE TABLE order_tags (order_id BIGINT NOT NULL, tag VARCHAR(20) NOT NULL, tenant_id INT NOT NULL,"
                        + " KEY (tenant_id))",
                "CREATE TABLE legacy_log (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id)) ENGINE=MyISAM");
        pair.target().execute(
                "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, KEY (tenant_id))",
                "CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW SET @hk_seen = NEW.id");
        DataConfig config = SandboxConfig.bind(pair, DATA);
        SitePair sites = SandboxConfig.sites(config);
        try (SiteDatabase source = SiteDatabase.open(sites.source(), 2);
             SiteDatabase target = SiteDatabase.open(sites.target(), 2)) {
            assertThat(resolve(config, source, target).errors()).extracting(ScopeProblem::message).containsExactly(
                    "table `legacy_log` uses the MyISAM engine, which has no row locks nor consistent snapshots: its rows"
                            + " cannot be copied consistently while the service writes them",
                    "table `order_tags` has neither a primary key nor a non-null unique key, so its rows cannot be told"
                            + " apart (the usual cause: a join table without an id column)",
                    "target table `orders` has triggers (orders_bi) that would fire on every row hikkoshi writes there");
        }
    }

    @Test
    void tableTenants_readsNamesAndIdsAndRefusesUnusableRows(SchemaPair pair) {
        pair.source().execute(SHOP);
        DataConfig config = SandboxConfig.bind(pair, DATA);
        SitePair sites = SandboxConfig.sites(config);
        FromTable fromTable = new FromTable("tenants", "id", "slug");
        try (SiteDatabase source = SiteDatabase.open(sites.source(), 2)) {
            TableTenants tenants = TableTenants.load(source, fromTable);
            assertThat(tenants.all()).extracting(t -> t.id().value(), t -> t.databaseId()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("acme", "1"), org.assertj.core.groups.Tuple.tuple("globex", "2"));
            assertThat(tenants.findByDatabaseId("2").map(t -> t.id())).contains(TenantId.of("globex"));

            pair.source().execute("INSERT INTO tenants VALUES (3, 'bad name'), (4, '')");
            assertThatThrownBy(() -> TableTenants.load(source, fromTable))
                    .isInstanceOf(UserException.class)
                    .hasMessage("table `tenants` of " + source.describe() + " lists tenants hikkoshi cannot use:"
                            + " id 3 has name 'bad name'; id 4 has name ''");
            assertThatThrownBy(() -> TableTenants.load(source, new FromTable("tenant", "id", "slug")))
                    .isInstanceOf(UserException.class)
                    .hasMessage("tenants.from-table: Table '" + pair.name() + ".tenant' doesn't exist in " + source.describe());
        }
    }

    @Test
    void open_unknownSchema_isAUserErrorNamingTheSiteAndTheFix(SchemaPair pair) {
        DataConfig config = SandboxConfig.bind(pair, DATA);
        SitePair sites = SandboxConfig.sites(config);
        var wrong = new dev.hikkoshi.data.config.DatabaseConfig(sites.target().site(),
                dev.hikkoshi.data.config.DatabaseUrl.parse(pair.target().jdbcUrl() + "_nope?password=hunter2").orElseThrow(),
                "root", Optional.empty(), sites.target().capture(), sites.target().tls(), java.util.Map.of());
        assertThatThrownBy(() -> SiteDatabase.open(wrong, 1))
                .isInstanceOf(UserException.class)
                .hasMessage("cannot connect to the database of site cloud (127.0.0.1:" + pair.target().server().port() + "/"
                        + pair.name() + "_nope as root): Unknown database '" + pair.name() + "_nope' (SQLSTATE 42000)")
                .extracting(e -> ((UserException) e).hint())
                .isEqualTo("create the schema " + pair.name() + "_nope on that server, or fix the schema in sites.cloud.database.url");
    }
}
