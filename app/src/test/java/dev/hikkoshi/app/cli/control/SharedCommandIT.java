package dev.hikkoshi.app.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hikkoshi.app.cli.data.DataCommandIT;
import dev.hikkoshi.app.cli.data.DataCommandIT.Run;
import dev.hikkoshi.core.config.ConfigDocument;
import dev.hikkoshi.core.tenant.TenantId;
import dev.hikkoshi.cutover.control.ControllerProcess;
import dev.hikkoshi.router.Router;
import dev.hikkoshi.sandbox.db.FreshSchemaExtension;
import dev.hikkoshi.sandbox.db.SchemaPair;
import dev.hikkoshi.sandbox.shop.ShopSchema;
import dev.hikkoshi.sandbox.shop.ShopSeed;
import dev.hikkoshi.sandbox.shop.ShopSites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hikkoshi shared switch} and the shared tables' lines of {@code hikkoshi status}, in process against the
 * real controller over real MariaDB servers (SharedTablesIT in the cutover module covers the switch itself).
 */
@ExtendWith(FreshSchemaExtension.class)
@Timeout(120)
class SharedCommandIT {
    static final Map<String, String> ENV = Map.of("ROUTER_TOKEN", "router-secret", "OPS_TOKEN", "ops-secret");

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        ControllerOptions.environment = System.getenv();
    }

    @Test
    void sharedSwitch_movesTheWriter_andStatusShowsIt(SchemaPair pair) throws Exception {
        List<TenantId> tenants = ShopSeed.tenantNames(1);
        try (ShopSites shop = ShopSites.start(pair.source(), pair.target(), tenants, ShopSeed.small())) {
            Path config = dir.resolve("hikkoshi.yaml");
            Files.writeString(config, """
                    environment: test
                    sites:
                      legacy: { upstreams: ["%s"], database: { url: "%s", user: root } }
                      cloud: { upstreams: ["%s"], database: { url: "%s", user: root } }
                    tenants: { list: [ { name: %s, id: 1 } ] }
                    state-dir: "%s"
                    router:
                      listen: 127.0.0.1:0
                      admin: { listen: 127.0.0.1:0, tokens: { controller: { env: ROUTER_TOKEN } } }
                      access-log: false
                      tenant-from: [ { host: "{tenant}.shop.test" } ]
                      freeze: { max-hold: 30s }
                    controller:
                      admin: { listen: 127.0.0.1:0, tokens: { ops: { env: OPS_TOKEN } } }
                    plan:
                      waves: [ { name: pilot, tenants: [%s] } ]
                      freeze: { max: 8s }
                      rollback-line: { error-rate: 5%%, p99: 1s }
                    %s""".formatted(shop.legacy().uri(), pair.source().jdbcUrl(), shop.cloud().uri(),
                    pair.target().jdbcUrl(), tenants.get(0), dir.resolve("state"), tenants.get(0), ShopSchema.DATA_CONFIG));
            try (Router router = Router.start(config, ENV);
                 ControllerProcess controller = ControllerProcess.start(ConfigDocument.read(config, ENV), config,
                         List.of(router.control()), List.of(router.traffic()),
                         new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
                ControllerOptions.environment = Map.of("OPS_TOKEN", "ops-secret");
                String c = config.toString();
                String url = controller.adminUrl().toString();

                Run before = DataCommandIT.run("status", "-c", c, "--controller", url);
                Run notShared = DataCommandIT.run("shared", "switch", "orders", "--writer", "cloud", "-c", c,
                        "--controller", url);
                Run switched = DataCommandIT.run("shared", "switch", "countries", "--writer", "cloud", "-c", c,
                        "--controller", url);
                Run after = DataCommandIT.run("status", "-c", c, "--controller", url);

                assertThat(before.out().lines().toList()).last()
                        .isEqualTo("shared table countries: written on legacy (as the config says)");
                assertThat(notShared.exitCode()).isEqualTo(2);
                assertThat(notShared.err()).isEqualTo("error: shared switch refused: orders is not a shared table\n"
                        + "hint: the shared tables are [countries] (data.tables.NAME.shared in the config)\n");
                assertThat(switched.exitCode()).as(switched.err()).isZero();
                assertThat(switched.out()).matches("countries is written on cloud now \\(was legacy\\): 5 rows verified"
                        + " equal on both sites, its writes were frozen for [0-9,]+ ms\n");
                assertThat(after.out().lines().toList()).last().asString().matches("shared table countries: written on "
                        + "cloud since [0-9T:.-]+Z \\(switched by ops; the config says legacy\\)");
            }
        }
    }
}
