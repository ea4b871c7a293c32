package dev.hikkoshi.data.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.core.config.CommonConfig;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.routing.SiteId;
import dev.hikkoshi.data.config.DataConfig;
import dev.hikkoshi.data.config.JoinHop;
import dev.hikkoshi.data.schema.Column;
import dev.hikkoshi.data.schema.Index;
import dev.hikkoshi.data.schema.Schema;
import dev.hikkoshi.data.schema.ServerInfo;
import dev.hikkoshi.data.schema.Table;
import dev.hikkoshi.data.schema.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scope checks on hand-built schemas; ScopeIT runs them on schemas inspected from real servers. */
class ScopeResolverTest {
    private static final ServerInfo MARIADB = ServerInfo.of("10.11.5-MariaDB-log", Map.of("log_bin", "ON"));

    static Column col(String name, String columnType) {
        return new Column(name, 0, columnType.replaceAll("[( ].*", ""), columnType, false, Optional.empty(),
                Optional.empty(), Optional.empty(), false);
    }

    static Column text(String name, String columnType, String charset) {
        return new Column(name, 0, columnType.replaceAll("[( ].*", ""), columnType, true, Optional.of(charset),
                Optional.of(charset + "_general_ci"), Optional.empty(), false);
    }

    static Index pk(String... columns) {
        return new Index("PRIMARY", true, true, List.of(columns), true);
    }

    static Index key(String... columns) {
        return new Index("idx_" + String.join("_", columns), false, false, List.of(columns), true);
    }

    static Table table(String name, List<Column> columns, Index... indexes) {
        return new Table(name, "InnoDB", Optional.of("utf8mb4"), Optional.of("utf8mb4_general_ci"), columns,
                Arrays.asList(indexes), List.of(), List.of(), 100);
    }

    static Table withEngine(Table t, String engine) {
        return new Table(t.name(), engine, t.charset(), t.collation(), t.columns(), t.indexes(), t.foreignKeys(),
                t.triggers(), t.rowEstimate());
    }

    static Table withTriggers(Table t, String... names) {
        List<Trigger> triggers = new ArrayList<>();
        for (String n : names) {
            triggers.add(new Trigger(n, "AFTER", "INSERT", "SET @x = 1"));
        }
        return new Table(t.name(), t.engine(), t.charset(), t.collation(), t.columns(), t.indexes(), t.foreignKeys(),
                triggers, t.rowEstimate());
    }

    static DataConfig config(String data) {
        ConfigDocument doc = ConfigDocument.parse(Path.of("test.yaml"), """
                sites:
                  legacy: { database: { url: "jdbc:mariadb://127.0.0.1:3306/shop", user: root,
                                        charset-overrides: { notes.body: cp932 } } }
                  cloud: { database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: root } }
                tenants: { list: [ { name: acme, id: 1 } ] }
                """ + data, Map.of());
        DataConfig c = DataConfig.bind(doc.root(), CommonConfig.bind(doc.root()));
        doc.throwIfProblems();
        return c;
    }

    static ScopeReport resolve(DataConfig config, List<Table> source, Optional<List<Table>> target, ServerInfo targetServer) {
        return new ScopeResolver(config, config.databases().get(SiteId.of("legacy")), new Schema("shop", source),
                target.map(t -> new Schema("shop", t)), targetServer).resolve();
    }

    static final List<Table> SHOP = List.of(
            table("tenants", List.of(col("id", "int(11)"), col("slug", "varchar(40)")), pk("id")),
            table("orders", List.of(col("id", "bigint(20)"), col("tenant_id", "int(11)")), pk("id"), key("tenant_id")),
            table("order_items", List.of(col("id", "bigint(20)"), col("order_id", "bigint(20)")), pk("id"), key("order_id")),
            table("item_notes", List.of(col("id", "bigint(20)"), col("item_id", "bigint(20)")), pk("id"), key("item_id")),
            table("countries", List.of(col("code", "char(2)")), pk("code")),
            table("sessions", List.of(col("sid", "varchar(64)"))));

    @Test
    void resolve_everyKindOfTable_isClassifiedWithItsKeyAndPredicate() {
        DataConfig config = config("""
                data:
                  tenant-column: tenant_id
                  tables:
                    tenants: { tenant-column: id }
                    order_items: { via: "order_id -> orders.id" }
                    item_notes: { via: "item_id -> order_items.id, order_id -> orders.id" }
                    countries: { shared: { writer: legacy } }
                    sessions: { skip: true }
                """);
        TenantScope scope = resolve(config, SHOP, Optional.of(SHOP), MARIADB).orThrow();

        assertThat(scope.tableNames()).containsExactly("tenants", "orders", "order_items", "item_notes", "countries");
        assertThat(scope.skipped()).containsExactly("sessions");
        assertThat(scope.table("tenants").orElseThrow().tableClass()).isEqualTo(new TableClass.TenantColumn("id"));
        assertThat(scope.table("countries").orElseThrow().tableClass()).isEqualTo(new TableClass.Shared(SiteId.of("legacy")));
        assertThat(scope.table("item_notes").orElseThrow().tableClass()).isEqualTo(new TableClass.JoinPath(
                List.of(new JoinHop("item_id", "order_items", "id"), new JoinHop("order_id", "orders", "id")), "tenant_id"));
        assertThat(scope.perTenantTables()).extracting(TableScope::name)
                .containsExactly("tenants", "orders", "order_items", "item_notes");
        assertThat(scope.table("orders").orElseThrow().tenantPredicate("shop", "t")).contains("`t`.`tenant_id` = ?");
        assertThat(scope.table("order_items").orElseThrow().tenantPredicate("shop", "t")).contains(
                "EXISTS (SELECT 1 FROM `shop`.`orders` `hk_j1` WHERE `hk_j1`.`id` = `t`.`order_id` AND `hk_j1`.`tenant_id` = ?)");
        assertThat(scope.table("item_notes").orElseThrow().tenantPredicate("shop", "t")).contains(
                "EXISTS (SELECT 1 FROM `shop`.`order_items` `hk_j1` JOIN `shop`.`orders` `hk_j2` ON `hk_j2`.`id` = `hk_j1`.`order_id`"
                        + " WHERE `hk_j1`.`id` = `t`.`item_id` AND `hk_j2`.`tenant_id` = ?)");
        assertThat(scope.table("countries").orElseThrow().tenantPredicate("shop", "t")).isEmpty();
        assertThat(scope.table("order_items").orElseThrow().rowKey().columns()).containsExactly("id");
        assertThat(scope.warnings()).isEmpty();
    }

    @Test
    void resolve_wholeSchemaMode_copiesEveryTableButSkippedOnes() {
        TenantScope scope = resolve(config("data: { mode: whole-schema, tables: { sessions: { skip: true } } }"),
                SHOP, Optional.empty(), MARIADB).orThrow();
        assertThat(scope.tables()).extracting(TableScope::tableClass).containsOnly(new TableClass.WholeTable());
        assertThat(scope.tableNames()).hasSize(5);
        assertThat(scope.perTenantTables()).isEmpty();
    }

    @Test
    void resolve_everyProblem_isReportedAtOnceWithItsFix() {
        List<Table> source = List.of(
                table("order_tags", List.of(col("order_id", "bigint(20)"), col("tag", "varchar(20)"), col("tenant_id", "int(11)")),
                        key("tenant_id")),
                table("invoices", List.of(col("id", "int(11)"), col("tenant_id", "int(11)")), pk("id")),
                table("audit_log", List.of(col("id", "int(11)")), pk("id")),
                withEngine(table("legacy_log", List.of(col("id", "int(11)"), col("tenant_id", "int(11)")), pk("id"),
                        key("tenant_id")), "MyISAM"),
                table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)"), text("note", "varchar(255)", "utf8mb4")),
                        pk("id"), key("tenant_id")),
                table("notes", List.of(col("id", "int(11)"), col("tenant_id", "int(11)"), text("body", "text", "latin1"),
                        col("amount", "decimal(12,2)"), col("extra", "int(11)")), pk("id"), key("tenant_id")));
        List<Table> target = List.of(
                withTriggers(table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)"),
                        text("note", "varchar(100)", "utf8mb4")), pk("id"), key("tenant_id")), "orders_ai", "orders_au"),
                table("notes", List.of(col("id", "bigint(20)"), col("tenant_id", "int(11)"), text("body", "text", "latin1"),
                        col("amount", "decimal(10,2)")), pk("id"), key("tenant_id")));
        DataConfig config = config("""
                data:
                  tenant-column: tenant_id
                  tables:
                    invoices: { tenant-column: tenant }
                    ordres: { tenant-column: tenant_id }
                """);
        assertThatThrownBy(() -> resolve(config, source, Optional.of(target), MARIADB).orThrow())
                .isInstanceOf(ScopeException.class)
                .hasMessage("""
                        the tenant scope of schema shop has 10 problems:
                          data.tables.ordres names a table that schema `shop` does not have
                            fix: fix the name or remove the entry (the schema's tables: order_tags, invoices, audit_log, legacy_log, orders, notes)
                          table `order_tags` has neither a primary key nor a non-null unique key, so its rows cannot be told apart (the usual cause: a join table without an id column)
                            fix: add one on the source, such as ALTER TABLE `order_tags` ADD PRIMARY KEY (`order_id`, `tag`, `tenant_id`), or leave the table out with data.tables.order_tags.skip: true
                          table `invoices` has no column `tenant` (named by data.tables.invoices.tenant-column)
                            fix: name the column that holds the tenant id in data.tables.invoices.tenant-column, or classify the table with via, shared or skip
                          table `audit_log` is not classified: it has no column `tenant_id` (data.tenant-column) and no entry in data.tables
                            fix: add data.tables.audit_log with tenant-column: COLUMN, via: "COLUMN -> TABLE.COLUMN", shared: {writer: SITE} or skip: true
                          table `legacy_log` uses the MyISAM engine, which has no row locks nor consistent snapshots: its rows cannot be copied consistently while the service writes them
                            fix: convert it on the source (ALTER TABLE `legacy_log` ENGINE=InnoDB), or leave it out with data.tables.legacy_log.skip: true
                          column `orders`.`note` is varchar(255) on the source but varchar(100) on the target, which cannot hold every value
                            fix: widen it on the target: ALTER TABLE `orders` MODIFY `note` varchar(255) CHARACTER SET utf8mb4
                          target table `orders` has triggers (orders_ai, orders_au) that would fire on every row hikkoshi writes there
                            fix: say whether they may with data.tables.orders.target-triggers: may-fire, or drop them on the target for the move
                          column `notes`.`body` holds cp932 text on the source (sites.legacy.database.charset-overrides) but is latin1 on the target, which cannot hold every character
                            fix: convert it on the target: ALTER TABLE `notes` MODIFY `body` text CHARACTER SET utf8mb4
                          column `notes`.`amount` is decimal(12,2) on the source but decimal(10,2) on the target, which cannot hold every value
                            fix: widen it on the target: ALTER TABLE `notes` MODIFY `amount` decimal(12,2)
                          column `notes`.`extra` does not exist on the target
                            fix: add it to the target table as on the source: ALTER TABLE `notes` ADD COLUMN `extra` int(11)""")
                .extracting(e -> ((ScopeException) e).hint())
                .isEqualTo("fix each problem above, then run 'hikkoshi data inspect' again (docs/data.md lists every check)");
    }

    @Test
    void resolve_missingTargetColumnAndMayFireTriggers_onlyTheColumnIsAProblem() {
        List<Table> source = List.of(table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)"),
                text("note", "varchar(255)", "utf8mb4")), pk("id"), key("tenant_id")));
        List<Table> target = List.of(withTriggers(table("orders", List.of(col("id", "bigint(20)"),
                col("tenant_id", "int(10) unsigned")), pk("id"), key("tenant_id")), "orders_ai"));
        ScopeReport report = resolve(config("data: { tenant-column: tenant_id, tables: { orders: { target-triggers: may-fire } } }"),
                source, Optional.of(target), MARIADB);
        assertThat(report.errors()).extracting(ScopeProblem::message, ScopeProblem::fix).containsExactly(
                org.assertj.core.groups.Tuple.tuple("column `orders`.`tenant_id` is int(11) on the source but int(10) unsigned"
                                + " on the target, which cannot hold every value",
                        "widen it on the target: ALTER TABLE `orders` MODIFY `tenant_id` int(11)"),
                org.assertj.core.groups.Tuple.tuple("column `orders`.`note` does not exist on the target",
                        "add it to the target table as on the source: ALTER TABLE `orders` ADD COLUMN `note` varchar(255) CHARACTER SET utf8mb4"));
    }

    @Test
    void resolve_targetWithoutTheSourcesRowKey_isAProblem() {
        List<Table> source = List.of(
                table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)")), pk("id"), key("tenant_id")),
                table("tags", List.of(col("a", "int(11)"), col("b", "int(11)"), col("tenant_id", "int(11)")),
                        new Index("uk_ab", false, true, List.of("a", "b"), true), key("tenant_id")));
        List<Table> target = List.of(
                table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)")), key("id"), key("tenant_id")),
                table("tags", List.of(col("a", "int(11)"), col("b", "int(11)"), col("tenant_id", "int(11)")),
                        new Index("PRIMARY", true, true, List.of("b", "a"), true)));
        ScopeReport report = resolve(config("data: { tenant-column: tenant_id }"), source, Optional.of(target), MARIADB);
        assertThat(report.errors()).extracting(ScopeProblem::message, ScopeProblem::fix).containsExactly(
                org.assertj.core.groups.Tuple.tuple("target table `orders` has no primary or unique key on (`id`), the"
                                + " source's row key: copied rows could be duplicated there",
                        "add it on the target: ALTER TABLE `orders` ADD PRIMARY KEY (`id`)"));
    }

    @Test
    void resolve_brokenJoinPaths_nameTheHopAndWhatIsMissing() {
        List<Table> source = new ArrayList<>(SHOP);
        source.add(table("a", List.of(col("id", "int(11)"), col("order_id", "int(11)")), pk("id"), key("order_id")));
        source.add(table("b", List.of(col("id", "int(11)"), col("order_id", "int(11)")), pk("id"), key("order_id")));
        source.add(table("c", List.of(col("id", "int(11)"), col("order_id", "int(11)")), pk("id"), key("order_id")));
        source.add(table("d", List.of(col("id", "int(11)"), col("code", "char(2)")), pk("id"), key("code")));
        source.add(table("e", List.of(col("id", "int(11)"), col("item_id", "int(11)")), pk("id"), key("item_id")));
        ScopeReport report = resolve(config("""
                data:
                  tenant-column: tenant_id
                  tables:
                    tenants: { tenant-column: id }
                    order_items: { via: "order_id -> orders.id" }
                    item_notes: { via: "item_id -> order_items.id, order_id -> orders.id" }
                    countries: { shared: { writer: legacy } }
                    sessions: { skip: true }
                    a: { via: "ordr_id -> orders.id" }
                    b: { via: "order_id -> ordrs.id" }
                    c: { via: "order_id -> orders.uuid" }
                    d: { via: "code -> countries.code" }
                    e: { via: "item_id -> order_items.id" }
                """), source, Optional.empty(), MARIADB);
        assertThat(report.errors()).extracting(ScopeProblem::table, ScopeProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", "the join path of table `a` (ordr_id -> orders.id) is broken at hop 1:"
                        + " table `a` has no column `ordr_id`"),
                org.assertj.core.groups.Tuple.tuple("b", "the join path of table `b` (order_id -> ordrs.id) is broken at hop 1:"
                        + " table `ordrs` does not exist"),
                org.assertj.core.groups.Tuple.tuple("c", "the join path of table `c` (order_id -> orders.uuid) is broken at"
                        + " hop 1: table `orders` has no column `uuid`"),
                org.assertj.core.groups.Tuple.tuple("d", "the join path of table `d` (code -> countries.code) is broken: it"
                        + " ends at table `countries`, which has no tenant column `tenant_id`"),
                org.assertj.core.groups.Tuple.tuple("e", "the join path of table `e` (item_id -> order_items.id) is broken: it"
                        + " ends at table `order_items`, which has no tenant column `tenant_id`"));
        assertThat(report.errors().get(0).fix()).isEqualTo("correct data.tables.a.via so that each hop names an existing"
                + " column and the last table has a tenant column");
    }

    @Test
    void resolve_unindexedTenantAndJoinColumns_areWarningsNotErrors() {
        List<Table> source = List.of(
                table("orders", List.of(col("id", "int(11)"), col("tenant_id", "int(11)")), pk("id")),
                table("order_items", List.of(col("id", "int(11)"), col("order_id", "int(11)")), pk("id")));
        TenantScope scope = resolve(config("""
                data: { tenant-column: tenant_id, tables: { order_items: { via: "order_id -> orders.id" } } }
                """), source, Optional.empty(), MARIADB).orThrow();
        assertThat(scope.warnings()).extracting(ScopeProblem::table, ScopeProblem::message, ScopeProblem::fix).containsExactly(
                org.assertj.core.groups.Tuple.tuple("orders", "table `orders` has no index starting with tenant column"
                                + " `tenant_id`: each move scans the whole table",
                        "add one on the source: ALTER TABLE `orders` ADD INDEX (`tenant_id`)"),
                org.assertj.core.groups.Tuple.tuple("order_items", "table `order_items` has no index starting with join"
                                + " column `order_id`: each move scans the whole table",
                        "add one on the source: ALTER TABLE `order_items` ADD INDEX (`order_id`)"));
    }

    @Test
    void resolve_oldTargetWithoutUtf8mb4_refusesUtf8mb4Columns() {
        List<Table> source = List.of(table("posts", List.of(col("id", "int(11)"), col("tenant_id", "int(11)"),
                text("body", "text", "utf8mb4")), pk("id"), key("tenant_id")));
        ScopeReport report = resolve(config("data: { tenant-column: tenant_id }"), source, Optional.empty(),
                ServerInfo.of("5.1.73-log", Map.of()));
        assertThat(report.errors()).extracting(ScopeProblem::message, ScopeProblem::fix).containsExactly(
                org.assertj.core.groups.Tuple.tuple("column `posts`.`body` is utf8mb4, which the target (MySQL 5.1.73)"
                        + " does not support", "use a target server that supports it (MySQL 5.5.3 or later, MariaDB 5.5 or later)"));
    }
}
