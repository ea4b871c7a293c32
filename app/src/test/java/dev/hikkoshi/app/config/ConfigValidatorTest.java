package dev.hikkoshi.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hikkoshi.app.config.ConfigValidator.Use;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.config.ConfigException;
import dev.hikkoshi.core.config.ConfigProblem;
import dev.hikkoshi.core.routing.SiteId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
    static final Map<String, String> SECRETS = Map.of("LEGACY_DB_PASSWORD", "pw1", "CLOUD_DB_PASSWORD", "pw2",
            "ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret",
            "SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/X");

    static final String VALID = """
            environment: production
            sites:
              legacy:
                upstreams: [http://127.0.0.1:3000]
                database: { url: "jdbc:mariadb://127.0.0.1:3306/shop", user: migrator, password-env: LEGACY_DB_PASSWORD,
                            capture: triggers }
              cloud:
                upstreams: [http://127.0.0.1:3001]
                database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: migrator, password-env: CLOUD_DB_PASSWORD }
            tenants:
              list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]
            router:
              listen: 127.0.0.1:0
              admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
              tenant-from: [ { host: "{tenant}.shop.example.com" } ]
              unknown-tenant: legacy
              freeze: { max-hold: 10s }
            data:
              tenant-column: tenant_id
              tables: { tenants: { tenant-column: id }, orders: { tenant-column: shop_id },
                        order_items: { via: "order_id -> orders.id" }, countries: { shared: { writer: legacy } } }
            controller:
              admin: { listen: 127.0.0.1:0, tokens: { ops: { env: OPS_TOKEN } } }
            plan:
              waves: [ { name: pilot, tenants: [acme] }, { name: rest, tenants: "*" } ]
              rollback-line: { error-rate: 2%, p99: 800ms }
              freeze: { max: 5s }
            alerts:
              receivers: [ { name: ops, slack-webhook-env: SLACK_WEBHOOK, env: [production] } ]
              routes: [ { receiver: ops } ]
            """;

    static ConfigDocument parse(String yaml, Map<String, String> environment) {
        return ConfigDocument.parse(Path.of("test.yaml"), yaml, environment);
    }

    static List<String> problems(String yaml, Use use, Map<String, String> environment) {
        ConfigDocument document = parse(yaml, environment);
        try {
            ConfigValidator.validate(document, use);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void validate_validFile_bindsEverySectionWithoutNotes() {
        ValidConfig valid = ConfigValidator.validate(parse(VALID, SECRETS), Use.RUN);

        assertThat(valid.router()).isPresent();
        assertThat(valid.data().orElseThrow().databases()).containsOnlyKeys(SiteId.of("legacy"), SiteId.of("cloud"));
        assertThat(valid.plan().orElseThrow().waves().waves()).extracting(w -> w.name()).containsExactly("pilot", "rest");
        assertThat(valid.alerts()).isPresent();
        assertThat(valid.notes()).isEmpty();
    }

    @Test
    void validate_mistakesInEverySection_reportsThemAllAtOnce() {
        String yaml = VALID
                .replace("unknown-tenant: legacy", "unknown-tenant: staging")
                .replace("freeze: { max-hold: 10s }", "freeze: { max-hold: 6s }")
                .replace("countries: { shared: { writer: legacy } }",
                        "countries: { shared: { writer: legcy } }, notes: { via: \"order_item_id -> order_items.id\" }")
                .replace("tenants: [acme]", "tenants: [acmee, globex]")
                .replace("rollback-line: { error-rate: 2%, p99: 800ms }", "rollback-line: { error-rate: 2%, p99: 800ms, window: 7s }")
                .replace("routes: [ { receiver: ops } ]", "routes: [ { receiver: pager } ]")
                .replace("environment: production", "environment: prodution");

        assertThatThrownBy(() -> ConfigValidator.validate(parse(yaml, SECRETS), Use.RUN))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config test.yaml has 8 problems:
                          router.unknown-tenant: staging (expected: a site defined under sites: legacy, cloud)
                          data.tables.countries.shared.writer: legcy (expected: a site defined under sites: legacy, cloud)
                          router.freeze.max-hold: 6s (expected: at least 7500ms: plan.freeze.max (5s) plus a margin of \
                        2500ms, so routers never give up a request the freeze still holds)
                          alerts.routes[0].receiver: pager (expected: one of the receivers: ops)
                          data.tables.notes.via: order_item_id -> order_items.id (expected: a join path ending at a \
                        table with a tenant column (order_items is listed in data.tables with via))
                          plan.waves[0].tenants[0]: acmee (expected: a tenant of tenants.list)
                          plan.rollback-line.window: 7s (expected: a multiple of router.traffic-bucket (5s): the routers \
                        count traffic in whole buckets)
                          environment: prodution (expected: an environment that an alerts receiver accepts \
                        (alerts.receivers[].env: production), or no alert of this file would reach anyone)""");
    }

    @Test
    void validate_planWithOneDatabase_namesTheMissingSite() {
        String yaml = VALID.replace("""
                    database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: migrator, password-env: CLOUD_DB_PASSWORD }
                """, "");

        assertThat(problems(yaml, Use.RUN, SECRETS)).containsExactly(
                "sites: only legacy has a database (expected: two sites with a database (sites.NAME.database): the plan"
                        + " moves tenants from the first to the second)");
    }

    @Test
    void validate_sharedTableWrittenOnASiteWithoutDatabase_isAProblem() {
        String yaml = VALID.replace("""
                    database: { url: "jdbc:mariadb://127.0.0.1:3307/shop", user: migrator, password-env: CLOUD_DB_PASSWORD }
                """, "").replace("writer: legacy", "writer: cloud").replace("plan:\n", "unused:\n");
        String withoutPlan = yaml.substring(0, yaml.indexOf("unused:")) + yaml.substring(yaml.indexOf("alerts:"));

        assertThat(problems(withoutPlan, Use.FILE, SECRETS)).containsExactly(
                "data.tables.countries.shared.writer: cloud (expected: a site with a database, where the table is"
                        + " written: legacy)");
    }

    @Test
    void validate_routerOnlyFile_isWholeAsAFileButNotForRun() {
        String routerOnly = VALID.substring(0, VALID.indexOf("data:"));

        assertThat(problems(routerOnly, Use.FILE, SECRETS)).isEmpty();
        assertThat(problems(routerOnly, Use.RUN, SECRETS)).containsExactly(
                "data: (missing) (expected: the data section: tenant-column and tables, or mode: whole-schema"
                        + " (docs/config.md))",
                "controller.admin.tokens: (missing) (expected: a map of token names to {env: VARIABLE}, such as"
                        + " {ops-alice: {env: HIKKOSHI_TOKEN_ALICE}} (the admin API refuses every request without one))",
                "plan.waves: (missing) (expected: a list of waves such as [{name: pilot, tenants: [acme]}, {name: rest,"
                        + " tenants: \"*\"}])",
                "plan.rollback-line: (missing) (expected: a rollback line such as { error-rate: 2%, relative: 2x, p99:"
                        + " 800ms, window: 1m, min-requests: 50, bake: 10m })");
    }

    @Test
    void validate_badTableName_isAProblemAndASecondBadDatabaseDoesNotAlsoCountAsMissing() {
        String yaml = VALID.replace("tenants: { tenant-column: id }", "\"shop.tenants\": { tenant-column: id }")
                .replace("jdbc:mariadb://127.0.0.1:3307/shop", "postgres://127.0.0.1/shop");

        assertThat(problems(yaml, Use.RUN, SECRETS)).containsExactly(
                "sites.cloud.database.url: postgres://127.0.0.1/shop (expected: jdbc:mariadb://HOST[:PORT]/SCHEMA or"
                        + " jdbc:mysql://HOST[:PORT]/SCHEMA, no user or password in it)",
                "data.tables.shop.tenants: shop.tenants (expected: a table name of 1 to 64 characters without '.' or"
                        + " '`' (tables are looked up in the site's schema by data inspect))");
    }

    @Test
    void validate_wavesWithTenantsFromATable_leaveTheNamesToPlanTime() {
        String yaml = VALID.replace("list: [ { name: acme, id: 1 }, { name: globex, id: 2 } ]",
                        "from-table: { table: tenants, id: id, name: slug }")
                .replace("tenants: [acme]", "tenants: [nobody-knows]");
        // the router does not read tenants from a table yet: validated for the controller, it is not bound
        ValidConfig valid = ConfigValidator.validate(parse(yaml, SECRETS), Use.CONTROLLER);

        assertThat(valid.notes()).containsExactly("tenants named in plan.waves are checked against tenants.from-table"
                + " when the plan is made (hikkoshi plan reads the table)");
    }

    @Test
    void validate_forTheController_leavesTheRoutersSecretsToThemButChecksTheHold() {
        Map<String, String> noRouterToken = Map.of("LEGACY_DB_PASSWORD", "pw1", "CLOUD_DB_PASSWORD", "pw2",
                "OPS_TOKEN", "ops-secret", "SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/X");
        assertThat(problems(VALID, Use.CONTROLLER, noRouterToken)).isEmpty();
        assertThat(problems(VALID, Use.RUN, noRouterToken)).containsExactly("router.admin.tokens.controller.env:"
                + " ROUTER_TOKEN (expected: the name of an environment variable that is set and not empty)");
        assertThat(problems(VALID.replace("max-hold: 10s", "max-hold: 7s"), Use.CONTROLLER, noRouterToken))
                .containsExactly("router.freeze.max-hold: 7s (expected: at least 7500ms: plan.freeze.max (5s) plus a"
                        + " margin of 2500ms, so routers never give up a request the freeze still holds)");
    }

    @Test
    void validate_forAnOperator_needsOnlyTheDatabasePasswords() {
        Map<String, String> operator = Map.of("LEGACY_DB_PASSWORD", "pw1", "CLOUD_DB_PASSWORD", "pw2");
        assertThat(problems(VALID, Use.OPERATOR, operator)).isEmpty();
        assertThat(problems(VALID, Use.OPERATOR, Map.of("LEGACY_DB_PASSWORD", "pw1"))).containsExactly(
                "sites.cloud.database.password-env: CLOUD_DB_PASSWORD (expected: the name of an environment variable"
                        + " that is set and not empty)");
    }

    @Test
    void validate_malformedLimits_reportEachOnceWithoutASecondLineAboutTheirRelation() {
        String yaml = VALID.replace("max-hold: 10s", "max-hold: ten").replace("freeze: { max: 5s }", "freeze: { max: 5s, min: 1s }");

        assertThat(problems(yaml, Use.RUN, SECRETS)).containsExactly(
                "router.freeze.max-hold: ten (expected: a duration such as 500ms, 10s, 1m or 2h, at least 1ms)",
                "plan.freeze.min: unknown key (expected: one of max)");
    }

    @Test
    void validate_unknownKeysOfTheControllerSection_areProblems() {
        String yaml = VALID.replace("controller:\n", "controller:\n  routers: [ { admin: \"http://127.0.0.1:8081\", token-env: ROUTER_TOKEN, tls: true } ]\n  admn: {}\n");

        assertThat(problems(yaml, Use.RUN, SECRETS)).containsExactly(
                "controller.admn: unknown key (expected: one of admin, routers)",
                "controller.routers[0].tls: unknown key (expected: one of admin, token-env)");
    }
}
